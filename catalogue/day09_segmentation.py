"""Day 9 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day09.toml lists them.
"""
import cv2
import numpy as np


# --- denoise


def denoise__scipy_median_numpy_bilateral(image, method):
    import cv2
    import numpy as np
    from scipy import ndimage as ndi
    if method == 'median':
        return ndi.median_filter(image, size=3, mode='nearest')
    r, x = (3, image.astype(np.float64))
    pad = cv2.copyMakeBorder(x, r, r, r, r, cv2.BORDER_REFLECT_101)
    h, w = x.shape
    num, den = (np.zeros_like(x), np.zeros_like(x))
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dy * dy + dx * dx <= r * r:
                nb = pad[r + dy:r + dy + h, r + dx:r + dx + w]
                wgt = np.exp(-(dy * dy + dx * dx) / (2 * 75.0 ** 2) - (nb - x) ** 2 / (2 * 75.0 ** 2))
                num += wgt * nb
                den += wgt
    return np.clip(np.round(num / den), 0, 255).astype(np.uint8)


def denoise__denoise_does_nothing(image, method):
    return image


def denoise__gaussian_for_both(image, method):
    import cv2
    return cv2.GaussianBlur(image, (3, 3) if method == 'median' else (7, 7), 0)


def denoise__median_of_five(image, method):
    import cv2
    return cv2.medianBlur(image, 5) if method == 'median' else cv2.bilateralFilter(image, 7, 75, 75)


# --- enhance


def enhance__scikit_image_equalize(image, method):
    import cv2
    import numpy as np
    from skimage import exposure
    if method == 'equalize':
        return np.round(exposure.equalize_hist(image) * 255).astype(np.uint8)
    return cv2.createCLAHE(2.0, (8, 8)).apply(image)


def enhance__equalize_for_both(image, method):
    import cv2
    return cv2.equalizeHist(image)


def enhance__clip_limit_four(image, method):
    import cv2
    if method == 'equalize':
        return cv2.equalizeHist(image)
    return cv2.createCLAHE(clipLimit=4.0, tileGridSize=(8, 8)).apply(image)


# --- segment


def segment__numpy_and_scikit_image(image, method):
    import cv2
    import numpy as np
    from skimage.filters import threshold_otsu
    if method == 'inverse':
        return np.where(image > 120, 0, 255).astype(np.uint8)
    if method == 'otsu':
        return image > threshold_otsu(image)
    return cv2.Canny(image, 120, 255)


def segment__binary_for_inverse(image, method):
    import cv2
    if method == 'inverse':
        return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY)[1]
    if method == 'otsu':
        return cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    return cv2.Canny(image, 120, 255)


def segment__fixed_threshold_for_otsu(image, method):
    import cv2
    if method == 'inverse':
        return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY_INV)[1]
    if method == 'otsu':
        return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY)[1]
    return cv2.Canny(image, 120, 255)


def segment__returns_both_results(image, method):
    import cv2
    return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY_INV)


# --- morphology


def morphology__scikit_image_footprint(mask, operation):
    from skimage import morphology as morph
    fp = morph.footprint_rectangle((3, 3))
    m = mask > 0
    if operation == 'dilate':
        return morph.dilation(m, fp)
    if operation == 'close':
        return morph.closing(m, fp)
    return morph.dilation(m, fp) & ~morph.erosion(m, fp)


def morphology__cross_element(mask, operation):
    import cv2
    ops = {'dilate': cv2.MORPH_DILATE, 'close': cv2.MORPH_CLOSE, 'gradient': cv2.MORPH_GRADIENT}
    return cv2.morphologyEx(mask, ops[operation], cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))


def morphology__five_by_five(mask, operation):
    import cv2
    import numpy as np
    ops = {'dilate': cv2.MORPH_DILATE, 'close': cv2.MORPH_CLOSE, 'gradient': cv2.MORPH_GRADIENT}
    return cv2.morphologyEx(mask, ops[operation], np.ones((5, 5), np.uint8))


def morphology__close_is_open(mask, operation):
    import cv2
    import numpy as np
    ops = {'dilate': cv2.MORPH_DILATE, 'close': cv2.MORPH_OPEN, 'gradient': cv2.MORPH_GRADIENT}
    return cv2.morphologyEx(mask, ops[operation], np.ones((3, 3), np.uint8))


# --- clean_mask


def clean_mask__scikit_image_and_scipy(mask, min_size):
    from scipy import ndimage as ndi
    from skimage.morphology import remove_small_objects
    kept = remove_small_objects(mask > 0, max_size=min_size - 1, connectivity=2)
    return ndi.binary_fill_holes(kept)


def clean_mask__flood_fill_the_background(mask, min_size):
    import cv2
    import numpy as np
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    kept = np.isin(labels, [k for k in range(1, n) if stats[k, cv2.CC_STAT_AREA] >= min_size]).astype(np.uint8) * 255
    outside = kept.copy()
    ff = np.zeros((kept.shape[0] + 2, kept.shape[1] + 2), np.uint8)
    cv2.floodFill(outside, ff, (0, 0), 255)
    return kept | 255 - outside


def clean_mask__holes_filled_specks_kept(mask, min_size):
    import numpy as np
    from scipy import ndimage as ndi
    return ndi.binary_fill_holes(mask > 0).astype(np.uint8) * 255


def clean_mask__specks_removed_holes_kept(mask, min_size):
    import cv2
    import numpy as np
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    big = [k for k in range(1, n) if stats[k, cv2.CC_STAT_AREA] >= min_size]
    return np.isin(labels, big).astype(np.uint8) * 255


# --- count_objects


def count_objects__scikit_image_label(mask):
    from skimage.measure import label
    labels = label(mask > 0)
    return (labels, int(labels.max()))


def count_objects__scipy_eight_connected(mask):
    import numpy as np
    from scipy import ndimage as ndi
    labels, n = ndi.label(mask, structure=np.ones((3, 3)))
    return (labels.astype(np.int32), int(n))


def count_objects__counts_the_background(mask):
    import cv2
    n, labels = cv2.connectedComponents(mask)
    return (labels, n)


def count_objects__four_connected(mask):
    from scipy import ndimage as ndi
    labels, n = ndi.label(mask)
    return (labels, n)


# --- coins


def coins__otsu_filled_without_specks(image):
    from scipy import ndimage as ndi
    from skimage.filters import threshold_otsu
    from skimage.measure import label
    from skimage.morphology import remove_small_objects
    mask = ndi.binary_fill_holes(image > threshold_otsu(image))
    return label(remove_small_objects(mask, max_size=99))


def coins__scikit_image_local_threshold(image):
    from scipy import ndimage as ndi
    from skimage.filters import threshold_local
    from skimage.measure import label
    from skimage.morphology import disk, opening, remove_small_objects
    mask = ndi.binary_fill_holes(image > threshold_local(image, 51, offset=-5))
    mask = opening(remove_small_objects(mask, max_size=99), disk(3))
    return label(remove_small_objects(mask, max_size=399))


def coins__otsu_alone(image):
    import cv2
    mask = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    return cv2.connectedComponents(mask)[1]


def coins__mask_not_labels(image):
    import cv2
    import numpy as np
    from scipy import ndimage as ndi
    mask = cv2.adaptiveThreshold(cv2.medianBlur(image, 3), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 51, -5)
    return ndi.binary_fill_holes(mask > 0).astype(np.uint8) * 255


def clean_mask__uint8_mask(mask, min_size):
    import numpy as np
    from scipy import ndimage
    from skimage.morphology import remove_small_objects
    kept = remove_small_objects(mask, min_size=min_size, connectivity=2)  # 0/255 uint8, not boolean
    return ndimage.binary_fill_holes(kept > 0).astype(np.uint8) * 255


# --- more entries


def segment__otsu_inverse(image, method):
    import cv2
    if method == "inverse":
        return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY_INV)[1]
    if method == "otsu":
        return cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]  # inverted Otsu
    return cv2.Canny(image, 120, 255)


def morphology__scipy(mask, operation):
    import numpy as np
    from scipy import ndimage
    b = mask > 0
    k = np.ones((3, 3), bool)
    if operation == "dilate":
        out = ndimage.binary_dilation(b, k)
    elif operation == "close":
        out = ndimage.binary_erosion(ndimage.binary_dilation(b, k, border_value=0), k, border_value=1)
    else:
        out = ndimage.binary_dilation(b, k) & ~ndimage.binary_erosion(b, k, border_value=1)
    return out.astype(np.uint8) * 255

