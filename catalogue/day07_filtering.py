"""Day 7 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day07.toml lists them.
"""
import cv2
import numpy as np


# --- smooth


def smooth__scipy_filters(image, method, ksize):
    import numpy as np
    from scipy import ndimage as ndi
    size = (ksize, ksize, 1)
    if method == 'median':
        return ndi.median_filter(image, size=size, mode='nearest')
    if method == 'box':
        out = ndi.uniform_filter(image.astype(np.float64), size=size, mode='mirror')
    else:
        sigma = 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8
        out = ndi.gaussian_filter(image.astype(np.float64), sigma=(sigma, sigma, 0), mode='mirror', truncate=ksize // 2 / sigma)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def smooth__returns_the_input(image, method, ksize):
    return image


def smooth__methods_mixed_up(image, method, ksize):
    import cv2
    if method == 'box':
        return cv2.GaussianBlur(image, (ksize, ksize), 0)
    if method == 'gaussian':
        return cv2.blur(image, (ksize, ksize))
    return cv2.blur(image, (ksize, ksize))


def smooth__kernel_of_three(image, method, ksize):
    import cv2
    if method == 'gaussian':
        return cv2.GaussianBlur(image, (3, 3), 0)
    return cv2.blur(image, (ksize, ksize)) if method == 'box' else cv2.medianBlur(image, ksize)


# --- bilateral


def bilateral__numpy_bilateral(image, d, sigma_color, sigma_space):
    import cv2
    import numpy as np
    r = d // 2
    x = image.astype(np.float64)
    pad = cv2.copyMakeBorder(x, r, r, r, r, cv2.BORDER_REFLECT_101)
    h, w = x.shape[:2]
    num = np.zeros_like(x)
    den = np.zeros((h, w, 1))
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dy * dy + dx * dx > r * r:
                continue
            nb = pad[r + dy:r + dy + h, r + dx:r + dx + w]
            diff = np.abs(nb - x).sum(axis=2, keepdims=True)
            weight = np.exp(-(dy * dy + dx * dx) / (2 * sigma_space ** 2) - diff ** 2 / (2 * sigma_color ** 2))
            num += weight * nb
            den += weight
    return np.clip(np.round(num / den), 0, 255).astype(np.uint8)


def bilateral__bilateral_does_nothing(image, d, sigma_color, sigma_space):
    return image.copy()


def bilateral__arguments_swapped(image, d, sigma_color, sigma_space):
    import cv2
    return cv2.bilateralFilter(image, sigma_color, d, d)


def bilateral__plain_gaussian(image, d, sigma_color, sigma_space):
    import cv2
    return cv2.GaussianBlur(image, (d, d), 0)


# --- unsharp_mask


def unsharp_mask__add_weighted(image, sigma, amount):
    import cv2
    return cv2.addWeighted(image, 1 + amount, cv2.GaussianBlur(image, (0, 0), sigma), -amount, 0)


def unsharp_mask__scikit_image_each_channel(image, sigma, amount):
    import numpy as np
    from skimage.filters import unsharp_mask as sk_unsharp
    x = image.astype(np.float64) / 255
    out = np.stack([sk_unsharp(x[..., c], radius=sigma, amount=amount) for c in range(x.shape[2])], axis=-1)
    return np.round(out * 255).astype(np.uint8)


def unsharp_mask__subtracts_in_uint8(image, sigma, amount):
    import cv2
    import numpy as np
    detail = image - cv2.GaussianBlur(image, (0, 0), sigma)
    return np.clip(image + amount * detail, 0, 255).astype(np.uint8)


def unsharp_mask__returns_the_blur(image, sigma, amount):
    import cv2
    return cv2.GaussianBlur(image, (0, 0), sigma)


def unsharp_mask__amount_ignored(image, sigma, amount):
    import cv2
    import numpy as np
    x = image.astype(np.float64)
    return np.clip(np.round(2 * x - cv2.GaussianBlur(x, (0, 0), sigma)), 0, 255).astype(np.uint8)


# --- despeckle


def despeckle__scipy_median(image):
    from scipy import ndimage as ndi
    return ndi.median_filter(image, size=(3, 3, 1))


def despeckle__median_of_five(image):
    import cv2
    return cv2.medianBlur(image, 5)


def despeckle__gaussian_for_specks(image):
    import cv2
    return cv2.GaussianBlur(image, (5, 5), 0)


def despeckle__bilateral_for_specks(image):
    import cv2
    return cv2.bilateralFilter(image, 9, 75, 75)


def despeckle__specks_left(image):
    return image.copy()


# --- threshold_morphology


def threshold_morphology__scikit_image_morphology(image, operation):
    import numpy as np
    from skimage import morphology
    from skimage.color import rgb2gray
    import cv2
    mask = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) > 120
    fp = morphology.footprint_rectangle((5, 5))
    ops = {'erode': lambda m: morphology.erosion(m, fp), 'dilate': lambda m: morphology.dilation(m, fp), 'open': lambda m: morphology.opening(m, fp), 'close': lambda m: morphology.closing(m, fp), 'gradient': lambda m: morphology.dilation(m, fp) & ~morphology.erosion(m, fp)}
    return ops[operation](mask).astype(np.uint8) * 255


def threshold_morphology__numpy_gray_and_scipy(image, operation):
    import numpy as np
    from scipy import ndimage as ndi
    b, g, r = (image[..., i].astype(np.float64) for i in range(3))
    mask = np.round(0.299 * r + 0.587 * g + 0.114 * b) > 120
    s = np.ones((5, 5), bool)
    ops = {'erode': lambda m: ndi.binary_erosion(m, s, border_value=1), 'dilate': lambda m: ndi.binary_dilation(m, s), 'open': lambda m: ndi.binary_dilation(ndi.binary_erosion(m, s, border_value=1), s), 'close': lambda m: ndi.binary_erosion(ndi.binary_dilation(m, s), s, border_value=1), 'gradient': lambda m: ndi.binary_dilation(m, s) & ~ndi.binary_erosion(m, s, border_value=1)}
    return ops[operation](mask)


def threshold_morphology__channel_by_channel(image, operation):
    import cv2
    import numpy as np
    _, mask = cv2.threshold(image, 120, 255, cv2.THRESH_BINARY)
    ops = {'erode': cv2.MORPH_ERODE, 'dilate': cv2.MORPH_DILATE, 'open': cv2.MORPH_OPEN, 'close': cv2.MORPH_CLOSE, 'gradient': cv2.MORPH_GRADIENT}
    return cv2.morphologyEx(mask, ops[operation], np.ones((5, 5), np.uint8))


def threshold_morphology__channel_by_channel_then_gray(image, operation):
    import cv2
    import numpy as np
    _, mask = cv2.threshold(image, 120, 255, cv2.THRESH_BINARY)
    ops = {'erode': cv2.MORPH_ERODE, 'dilate': cv2.MORPH_DILATE, 'open': cv2.MORPH_OPEN, 'close': cv2.MORPH_CLOSE, 'gradient': cv2.MORPH_GRADIENT}
    return cv2.cvtColor(cv2.morphologyEx(mask, ops[operation], np.ones((5, 5), np.uint8)), cv2.COLOR_BGR2GRAY)


def threshold_morphology__dilation_shows_erosion(image, operation):
    import cv2
    import numpy as np
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    _, mask = cv2.threshold(gray, 120, 255, cv2.THRESH_BINARY)
    k = np.ones((5, 5), np.uint8)
    swap = {'erode': cv2.MORPH_DILATE, 'dilate': cv2.MORPH_ERODE, 'open': cv2.MORPH_CLOSE, 'close': cv2.MORPH_OPEN, 'gradient': cv2.MORPH_GRADIENT}
    return cv2.morphologyEx(mask, swap[operation], k)


def threshold_morphology__forgot_the_morphology(image, operation):
    import cv2
    _, mask = cv2.threshold(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 120, 255, cv2.THRESH_BINARY)
    return mask


def threshold_morphology__inverse_threshold(image, operation):
    import cv2
    import numpy as np
    _, mask = cv2.threshold(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 120, 255, cv2.THRESH_BINARY_INV)
    ops = {'erode': cv2.MORPH_DILATE, 'dilate': cv2.MORPH_ERODE, 'open': cv2.MORPH_CLOSE, 'close': cv2.MORPH_OPEN, 'gradient': cv2.MORPH_GRADIENT}
    out = cv2.morphologyEx(mask, ops[operation], np.ones((5, 5), np.uint8))
    return out if operation != 'gradient' else 255 - out


# --- structuring_element


def structuring_element__drawn_by_hand(shape):
    import numpy as np
    if shape == 'rect':
        return np.ones((5, 5), bool)
    out = np.zeros((5, 5), np.uint8)
    if shape == 'cross':
        out[2, :] = 1
        out[:, 2] = 1
    else:
        out[1:4, :] = 1
        out[0, 2] = out[4, 2] = 1
    return out


def structuring_element__scikit_disk_for_ellipse(shape):
    import numpy as np
    from skimage.morphology import diamond, disk
    if shape == 'rect':
        return np.ones((5, 5), np.uint8)
    return (disk(2) if shape == 'ellipse' else diamond(2)).astype(np.uint8)


def structuring_element__ones_are_255(shape):
    import cv2
    kinds = {'rect': cv2.MORPH_RECT, 'cross': cv2.MORPH_CROSS, 'ellipse': cv2.MORPH_ELLIPSE}
    return cv2.getStructuringElement(kinds[shape], (5, 5)) * 255


# --- restore


def restore__median_then_non_local_means(image):
    import cv2
    return cv2.fastNlMeansDenoising(cv2.medianBlur(image, 3), None, 10, 7, 21)


def restore__scikit_image_median_and_tv(image):
    import numpy as np
    from scipy import ndimage as ndi
    from skimage.restoration import denoise_tv_chambolle
    median = ndi.median_filter(image, size=5)
    fixed = np.where((image == 0) | (image == 255), median, image)
    out = denoise_tv_chambolle(fixed / 255.0, weight=0.06)
    return np.clip(np.round(out * 255), 0, 255).astype(np.uint8)


def restore__returns_the_spoiled_picture(image):
    return image


def restore__gaussian_only(image):
    import cv2
    return cv2.GaussianBlur(image, (5, 5), 0)


# --- more entries


def structuring_element__numpy_by_hand(shape):
    import numpy as np
    if shape == "rect":
        return np.ones((5, 5), np.uint8)
    if shape == "cross":
        out = np.zeros((5, 5), np.uint8)
        out[2, :] = out[:, 2] = 1
        return out
    return np.array([[0, 0, 1, 0, 0], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [0, 0, 1, 0, 0]], np.uint8)


def structuring_element__three_by_three(shape):
    import cv2
    names = {"rect": cv2.MORPH_RECT, "cross": cv2.MORPH_CROSS, "ellipse": cv2.MORPH_ELLIPSE}
    return cv2.getStructuringElement(names[shape], (3, 3))


def smooth__box_for_gaussian(image, method, ksize):
    import cv2
    if method == "median":
        return cv2.medianBlur(image, ksize)
    return cv2.blur(image, (ksize, ksize))  # a box where a Gaussian was asked for


def bilateral__keyword_arguments(image, d, sigma_color, sigma_space):
    import cv2
    return cv2.bilateralFilter(image.copy(), d=d, sigmaColor=sigma_color, sigmaSpace=sigma_space)


def smooth__box_filter_and_scipy_median(image, method, ksize):
    import cv2
    from scipy import ndimage
    if method == "box":
        return cv2.boxFilter(image, -1, (ksize, ksize))
    if method == "gaussian":
        return cv2.GaussianBlur(image, (ksize, ksize), sigmaX=0, sigmaY=0)
    size = (ksize, ksize, 1) if image.ndim == 3 else (ksize, ksize)
    return ndimage.median_filter(image, size=size, mode="reflect")

