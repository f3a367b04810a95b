"""Day 5 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day05.toml lists them.
"""
import cv2
import numpy as np


# --- sobel


def sobel__scipy_kernel(gray, direction):
    import numpy as np
    from scipy import ndimage
    kernel = np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1]).astype(np.float64)
    if direction == 'y':
        kernel = kernel.T
    g = np.abs(ndimage.correlate(gray.astype(np.float64), kernel, mode='mirror'))
    return np.round(g * 255 / g.max()).astype(np.uint8)


def sobel__convert_scale_abs(gray, direction):
    import cv2
    import numpy as np
    g = cv2.Sobel(gray, cv2.CV_64F, int(direction == 'x'), int(direction == 'y'), ksize=5)
    return cv2.convertScaleAbs(g, alpha=255 / np.abs(g).max())


def sobel__x_shows_horizontal_edges(gray, direction):
    import cv2
    import numpy as np
    dx, dy = (0, 1) if direction == 'x' else (1, 0)
    g = np.abs(cv2.Sobel(gray, cv2.CV_64F, dx, dy, ksize=5))
    return np.round(g * 255 / g.max()).astype(np.uint8)


def sobel__uint8_derivative(gray, direction):
    import cv2
    import numpy as np
    dx, dy = (1, 0) if direction == 'x' else (0, 1)
    g = cv2.Sobel(gray, cv2.CV_8U, dx, dy, ksize=5).astype(np.float64)
    return np.round(g * 255 / g.max()).astype(np.uint8)


def sobel__absolute_value_wraps(gray, direction):
    import cv2
    import numpy as np
    dx, dy = (1, 0) if direction == 'x' else (0, 1)
    return np.abs(cv2.Sobel(gray, cv2.CV_64F, dx, dy, ksize=5)).astype(np.int64).astype(np.uint8)


def sobel__float_left_unscaled(gray, direction):
    import cv2
    import numpy as np
    dx, dy = (1, 0) if direction == 'x' else (0, 1)
    return np.abs(cv2.Sobel(gray, cv2.CV_64F, dx, dy, ksize=5))


# --- gradient_magnitude


def gradient_magnitude__numpy_hypot(gray):
    import cv2
    import numpy as np
    g = np.hypot(cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5), cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5))
    return cv2.normalize(g, None, 0, 255, cv2.NORM_MINMAX, cv2.CV_8U)


def gradient_magnitude__sum_of_absolute_values(gray):
    import cv2
    import numpy as np
    g = np.abs(cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5)) + np.abs(cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5))
    return np.round(g * 255 / g.max()).astype(np.uint8)


def gradient_magnitude__x_only(gray):
    import cv2
    import numpy as np
    g = np.abs(cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5))
    return np.round(g * 255 / g.max()).astype(np.uint8)


# --- laplacian


def laplacian__skimage_laplace(gray):
    import numpy as np
    from skimage.filters import laplace
    g = np.abs(laplace(gray.astype(np.float64)))
    return np.round(g * 255 / g.max()).astype(np.uint8)


def laplacian__uint8_laplacian(gray):
    import cv2
    import numpy as np
    g = cv2.Laplacian(gray, cv2.CV_8U).astype(np.float64)
    return np.round(g * 255 / g.max()).astype(np.uint8)


def laplacian__unit_floats(gray):
    import cv2
    import numpy as np
    g = np.abs(cv2.Laplacian(gray, cv2.CV_64F))
    return g / g.max()


# --- canny


def canny__thresholds_swapped_opencv_swaps_back(gray, low, high):
    import cv2
    return cv2.Canny(gray, high, low) > 0


def canny__series_thresholds_always(gray, low, high):
    import cv2
    return cv2.Canny(gray, 100, 200)


def canny__edges_black_on_white(gray, low, high):
    import cv2
    return 255 - cv2.Canny(gray, low, high)


# --- blur_canny


def blur_canny__scipy_binomial_kernel(gray, ksize, low, high):
    import cv2
    import numpy as np
    from scipy import ndimage
    row = np.array([1, 4, 6, 4, 1], np.float64) / 16
    blurred = ndimage.convolve(gray.astype(np.float64), np.outer(row, row), mode='mirror')
    return cv2.Canny(np.round(blurred).astype(np.uint8), low, high)


def blur_canny__no_blur(gray, ksize, low, high):
    import cv2
    return cv2.Canny(gray, low, high)


def blur_canny__ksize_used_as_sigma(gray, ksize, low, high):
    import cv2
    return cv2.Canny(cv2.GaussianBlur(gray, (0, 0), ksize), low, high)


# --- outline


def outline__median_then_canny(noisy):
    import cv2
    return cv2.Canny(cv2.medianBlur(noisy, 5), 50, 150)


def outline__skimage_canny(noisy):
    from skimage.feature import canny
    return canny(noisy, sigma=3)


def outline__raw_canny(noisy):
    import cv2
    return cv2.Canny(noisy, 100, 200)


def outline__series_blur_then_canny(noisy):
    import cv2
    return cv2.Canny(cv2.GaussianBlur(noisy, (5, 5), 0), 100, 200)


def outline__thresholded_gradient(noisy):
    import cv2
    import numpy as np
    g = cv2.magnitude(cv2.Sobel(noisy, cv2.CV_64F, 1, 0), cv2.Sobel(noisy, cv2.CV_64F, 0, 1))
    return g > np.percentile(g, 90)


# --- more entries


def gradient_magnitude__skimage_sobel_kernel(gray):
    import numpy as np
    from scipy import ndimage
    k = np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1]).astype(np.float64)
    x = gray.astype(np.float64)
    gx = ndimage.correlate(x, k, mode="mirror")
    gy = ndimage.correlate(x, k.T, mode="mirror")
    m = np.hypot(gx, gy)
    return np.round(m * 255 / m.max()).astype(np.uint8)


def gradient_magnitude__squared(gray):
    import cv2
    import numpy as np
    gx = cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5)
    gy = cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5)
    m = gx ** 2 + gy ** 2  # the square root forgotten
    return np.round(m * 255 / m.max()).astype(np.uint8)


def laplacian__scipy_kernel(gray):
    import numpy as np
    from scipy import ndimage
    k = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], np.float64)
    g = np.abs(ndimage.correlate(gray.astype(np.float64), k, mode="mirror"))
    return np.round(g * 255 / g.max()).astype(np.uint8)


def laplacian__aperture_three(gray):
    import cv2
    import numpy as np
    g = np.abs(cv2.Laplacian(gray, cv2.CV_64F, ksize=3))  # another kernel than the default aperture
    return np.round(g * 255 / g.max()).astype(np.uint8)


def laplacian__unscaled(gray):
    import cv2
    return cv2.convertScaleAbs(cv2.Laplacian(gray, cv2.CV_64F))  # |L| clipped at 255, never scaled



def blur_canny__blur_after(gray, ksize, low, high):
    import cv2
    return cv2.GaussianBlur(cv2.Canny(gray, low, high), (ksize, ksize), 0)  # blurred the edge map


def blur_canny__sep_filter(gray, ksize, low, high):
    import cv2
    k = cv2.getGaussianKernel(ksize, 0)
    return cv2.Canny(cv2.sepFilter2D(gray, -1, k, k), low, high)


def blur_canny__explicit_sigma(gray, ksize, low, high):
    import cv2
    sigma = 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8  # the sigma OpenCV documents for sigma 0
    return cv2.Canny(cv2.GaussianBlur(gray, (ksize, ksize), sigma), low, high)
