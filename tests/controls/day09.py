"""Day 9 controls: pipeline mistakes, and correct answers written with scikit-image, SciPy or NumPy."""
from tests.controls import correct, wrong

# --- denoise


@wrong("denoise", expect="You returned the input picture unchanged")
def denoise_does_nothing(image, method):
    return image


@wrong("denoise", expect="not close enough")
def gaussian_for_both(image, method):
    import cv2
    return cv2.GaussianBlur(image, (3, 3) if method == "median" else (7, 7), 0)


@wrong("denoise", expect="case median")
def median_of_five(image, method):
    import cv2
    return cv2.medianBlur(image, 5) if method == "median" else cv2.bilateralFilter(image, 7, 75, 75)


@correct("denoise")
def scipy_median_numpy_bilateral(image, method):
    import cv2
    import numpy as np
    from scipy import ndimage as ndi
    if method == "median":
        return ndi.median_filter(image, size=3, mode="nearest")
    r, x = 3, image.astype(np.float64)
    pad = cv2.copyMakeBorder(x, r, r, r, r, cv2.BORDER_REFLECT_101)
    h, w = x.shape
    num, den = np.zeros_like(x), np.zeros_like(x)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dy * dy + dx * dx <= r * r:
                nb = pad[r + dy:r + dy + h, r + dx:r + dx + w]
                wgt = np.exp(-(dy * dy + dx * dx) / (2 * 75.0 ** 2) - (nb - x) ** 2 / (2 * 75.0 ** 2))
                num += wgt * nb
                den += wgt
    return np.clip(np.round(num / den), 0, 255).astype(np.uint8)


# --- enhance


@wrong("enhance", expect="not close enough")
def equalize_for_both(image, method):
    import cv2
    return cv2.equalizeHist(image)


@wrong("enhance", expect="case clahe")
def clip_limit_four(image, method):
    import cv2
    if method == "equalize":
        return cv2.equalizeHist(image)
    return cv2.createCLAHE(clipLimit=4.0, tileGridSize=(8, 8)).apply(image)


@correct("enhance")
def scikit_image_equalize(image, method):
    # The task pins OpenCV's CLAHE (its clip limit means something else in
    # skimage.exposure.equalize_adapthist); plain equalisation agrees across libraries.
    import cv2
    import numpy as np
    from skimage import exposure
    if method == "equalize":
        return np.round(exposure.equalize_hist(image) * 255).astype(np.uint8)
    return cv2.createCLAHE(2.0, (8, 8)).apply(image)


# --- segment


@wrong("segment", expect="THRESH_BINARY where THRESH_BINARY_INV was asked for")
def binary_for_inverse(image, method):
    import cv2
    if method == "inverse":
        return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY)[1]  # the series' reading of _INV
    if method == "otsu":
        return cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    return cv2.Canny(image, 120, 255)


@wrong("segment", expect="case otsu")
def fixed_threshold_for_otsu(image, method):
    import cv2
    if method == "inverse":
        return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY_INV)[1]
    if method == "otsu":
        return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY)[1]
    return cv2.Canny(image, 120, 255)


@wrong("segment", expect="returned a tuple")
def returns_both_results(image, method):
    import cv2
    return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY_INV)


@correct("segment")
def numpy_and_scikit_image(image, method):
    import cv2
    import numpy as np
    from skimage.filters import threshold_otsu
    if method == "inverse":
        return np.where(image > 120, 0, 255).astype(np.uint8)
    if method == "otsu":
        return image > threshold_otsu(image)
    return cv2.Canny(image, 120, 255)


# --- morphology


@wrong("morphology", expect="IoU")
def cross_element(mask, operation):
    import cv2
    ops = {"dilate": cv2.MORPH_DILATE, "close": cv2.MORPH_CLOSE, "gradient": cv2.MORPH_GRADIENT}
    return cv2.morphologyEx(mask, ops[operation], cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))


@wrong("morphology", expect="IoU")
def five_by_five(mask, operation):
    import cv2
    import numpy as np
    ops = {"dilate": cv2.MORPH_DILATE, "close": cv2.MORPH_CLOSE, "gradient": cv2.MORPH_GRADIENT}
    return cv2.morphologyEx(mask, ops[operation], np.ones((5, 5), np.uint8))


@wrong("morphology", expect="case close")
def close_is_open(mask, operation):
    import cv2
    import numpy as np
    ops = {"dilate": cv2.MORPH_DILATE, "close": cv2.MORPH_OPEN, "gradient": cv2.MORPH_GRADIENT}
    return cv2.morphologyEx(mask, ops[operation], np.ones((3, 3), np.uint8))


@correct("morphology")
def scikit_image_footprint(mask, operation):
    from skimage import morphology as morph
    fp = morph.footprint_rectangle((3, 3))
    m = mask > 0
    if operation == "dilate":
        return morph.dilation(m, fp)
    if operation == "close":
        return morph.closing(m, fp)
    return morph.dilation(m, fp) & ~morph.erosion(m, fp)


# --- clean_mask


@wrong("clean_mask", expect="The small specks are still there")
def holes_filled_specks_kept(mask, min_size):
    import numpy as np
    from scipy import ndimage as ndi
    return ndi.binary_fill_holes(mask > 0).astype(np.uint8) * 255


@wrong("clean_mask", expect="The holes are still open, so pixels should be marked but are not")
def specks_removed_holes_kept(mask, min_size):
    import cv2
    import numpy as np
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    big = [k for k in range(1, n) if stats[k, cv2.CC_STAT_AREA] >= min_size]
    return np.isin(labels, big).astype(np.uint8) * 255


@correct("clean_mask")
def scikit_image_and_scipy(mask, min_size):
    from scipy import ndimage as ndi
    from skimage.morphology import remove_small_objects
    kept = remove_small_objects(mask > 0, max_size=min_size - 1, connectivity=2)
    return ndi.binary_fill_holes(kept)


@correct("clean_mask")
def flood_fill_the_background(mask, min_size):
    import cv2
    import numpy as np
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    kept = np.isin(labels, [k for k in range(1, n) if stats[k, cv2.CC_STAT_AREA] >= min_size]).astype(np.uint8) * 255
    outside = kept.copy()
    ff = np.zeros((kept.shape[0] + 2, kept.shape[1] + 2), np.uint8)
    cv2.floodFill(outside, ff, (0, 0), 255)  # everything reachable from the corner (the corner is background here)
    return kept | (255 - outside)


# --- count_objects


@wrong("count_objects", expect="counted the background as an object")
def counts_the_background(mask):
    import cv2
    n, labels = cv2.connectedComponents(mask)
    return labels, n


@wrong("count_objects", expect="split and counted twice")
def four_connected(mask):
    from scipy import ndimage as ndi
    labels, n = ndi.label(mask)  # SciPy's default joins only pixels that share a side
    return labels, n


@correct("count_objects")
def scikit_image_label(mask):
    from skimage.measure import label
    labels = label(mask > 0)
    return labels, int(labels.max())


@correct("count_objects")
def scipy_eight_connected(mask):
    import numpy as np
    from scipy import ndimage as ndi
    labels, n = ndi.label(mask, structure=np.ones((3, 3)))
    return labels.astype(np.int32), int(n)


# --- coins (challenge: wrong answers stay below bronze, correct ones reach a tier)


@wrong("coins", expect="cannot follow the uneven light")
def otsu_alone(image):
    import cv2
    mask = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    return cv2.connectedComponents(mask)[1]


@wrong("coins", expect="a label picture was asked for")
def mask_not_labels(image):
    import cv2
    import numpy as np
    from scipy import ndimage as ndi
    mask = cv2.adaptiveThreshold(cv2.medianBlur(image, 3), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY,
                                 51, -5)
    return ndi.binary_fill_holes(mask > 0).astype(np.uint8) * 255


@correct("coins")
def otsu_filled_without_specks(image):
    # A bronze answer: Otsu's threshold, holes filled, specks removed.
    from scipy import ndimage as ndi
    from skimage.filters import threshold_otsu
    from skimage.measure import label
    from skimage.morphology import remove_small_objects
    mask = ndi.binary_fill_holes(image > threshold_otsu(image))
    return label(remove_small_objects(mask, max_size=99))


@correct("coins")
def scikit_image_local_threshold(image):
    from scipy import ndimage as ndi
    from skimage.filters import threshold_local
    from skimage.measure import label
    from skimage.morphology import disk, opening, remove_small_objects
    mask = ndi.binary_fill_holes(image > threshold_local(image, 51, offset=-5))
    mask = opening(remove_small_objects(mask, max_size=99), disk(3))
    return label(remove_small_objects(mask, max_size=399))
