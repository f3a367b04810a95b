"""Day 5 controls: x and y swapped, uint8 derivatives, wrong or swapped Canny thresholds; SciPy and scikit-image answers."""
from tests.controls import correct, wrong

# --- sobel


@wrong("sobel", expect="derivative along the other axis")
def x_shows_horizontal_edges(gray, direction):
    import cv2
    import numpy as np
    dx, dy = (0, 1) if direction == "x" else (1, 0)
    g = np.abs(cv2.Sobel(gray, cv2.CV_64F, dx, dy, ksize=5))
    return np.round(g * 255 / g.max()).astype(np.uint8)


@wrong("sobel", expect="The light-to-dark edges are missing")
def uint8_derivative(gray, direction):
    import cv2
    import numpy as np
    dx, dy = (1, 0) if direction == "x" else (0, 1)
    g = cv2.Sobel(gray, cv2.CV_8U, dx, dy, ksize=5).astype(np.float64)
    return np.round(g * 255 / g.max()).astype(np.uint8)


@wrong("sobel", expect="You took the absolute value after converting to uint8, where negative")
def absolute_value_wraps(gray, direction):
    import cv2
    import numpy as np
    dx, dy = (1, 0) if direction == "x" else (0, 1)
    return np.abs(cv2.Sobel(gray, cv2.CV_64F, dx, dy, ksize=5)).astype(np.int64).astype(np.uint8)


@wrong("sobel", expect="these are float values")
def float_left_unscaled(gray, direction):
    import cv2
    import numpy as np
    dx, dy = (1, 0) if direction == "x" else (0, 1)
    return np.abs(cv2.Sobel(gray, cv2.CV_64F, dx, dy, ksize=5))


@correct("sobel")
def scipy_kernel(gray, direction):
    import numpy as np
    from scipy import ndimage
    kernel = np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1]).astype(np.float64)  # d/dx, smoothed along y
    if direction == "y":
        kernel = kernel.T
    g = np.abs(ndimage.correlate(gray.astype(np.float64), kernel, mode="mirror"))
    return np.round(g * 255 / g.max()).astype(np.uint8)  # rounded, as the statement asks


@correct("sobel")
def convert_scale_abs(gray, direction):
    import cv2
    import numpy as np
    g = cv2.Sobel(gray, cv2.CV_64F, int(direction == "x"), int(direction == "y"), ksize=5)
    return cv2.convertScaleAbs(g, alpha=255 / np.abs(g).max())


# --- gradient_magnitude


@wrong("gradient_magnitude", expect="You added |gx| and |gy|")
def sum_of_absolute_values(gray):
    import cv2
    import numpy as np
    g = np.abs(cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5)) + np.abs(cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5))
    return np.round(g * 255 / g.max()).astype(np.uint8)


@wrong("gradient_magnitude", expect="You used only the x derivative")
def x_only(gray):
    import cv2
    import numpy as np
    g = np.abs(cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5))
    return np.round(g * 255 / g.max()).astype(np.uint8)


@correct("gradient_magnitude")
def numpy_hypot(gray):
    import cv2
    import numpy as np
    g = np.hypot(cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5), cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5))
    return cv2.normalize(g, None, 0, 255, cv2.NORM_MINMAX, cv2.CV_8U)


# --- laplacian


@wrong("laplacian", expect="The negative side of the response is missing")
def uint8_laplacian(gray):
    import cv2
    import numpy as np
    g = cv2.Laplacian(gray, cv2.CV_8U).astype(np.float64)
    return np.round(g * 255 / g.max()).astype(np.uint8)


@wrong("laplacian", expect="as 0..1 floats")
def unit_floats(gray):
    import cv2
    import numpy as np
    g = np.abs(cv2.Laplacian(gray, cv2.CV_64F))
    return g / g.max()


@correct("laplacian")
def skimage_laplace(gray):
    import numpy as np
    from skimage.filters import laplace
    g = np.abs(laplace(gray.astype(np.float64)))
    return np.round(g * 255 / g.max()).astype(np.uint8)


# --- canny


@wrong("canny", expect="so you miss edges the reference has")
def series_thresholds_always(gray, low, high):
    import cv2
    return cv2.Canny(gray, 100, 200)


@wrong("canny", expect="marking most of the picture")
def edges_black_on_white(gray, low, high):
    import cv2
    return 255 - cv2.Canny(gray, low, high)


@wrong("canny", expect="low_threshold should be lower", outcome="error")
def skimage_thresholds_swapped(gray, low, high):
    from skimage.feature import canny
    return canny(gray, low_threshold=high, high_threshold=low)


@correct("canny")
def thresholds_swapped_opencv_swaps_back(gray, low, high):
    import cv2
    return cv2.Canny(gray, high, low) > 0


# --- blur_canny


@wrong("blur_canny", expect="so you mark edges the reference does not have")
def no_blur(gray, ksize, low, high):
    import cv2
    return cv2.Canny(gray, low, high)


@wrong("blur_canny", expect="F1")
def ksize_used_as_sigma(gray, ksize, low, high):
    import cv2
    return cv2.Canny(cv2.GaussianBlur(gray, (0, 0), ksize), low, high)


@correct("blur_canny")
def scipy_binomial_kernel(gray, ksize, low, high):
    import cv2
    import numpy as np
    from scipy import ndimage
    # For ksize 5 and sigma 0, OpenCV's Gaussian weights are the binomial ones, 1 4 6 4 1 over 16.
    row = np.array([1, 4, 6, 4, 1], np.float64) / 16
    blurred = ndimage.convolve(gray.astype(np.float64), np.outer(row, row), mode="mirror")
    return cv2.Canny(np.round(blurred).astype(np.uint8), low, high)


# --- outline (challenge)


@wrong("outline", expect="no tier yet")
def raw_canny(noisy):
    import cv2
    return cv2.Canny(noisy, 100, 200)


@wrong("outline", expect="no tier yet")
def series_blur_then_canny(noisy):
    import cv2
    return cv2.Canny(cv2.GaussianBlur(noisy, (5, 5), 0), 100, 200)


@wrong("outline", expect="no tier yet")
def thresholded_gradient(noisy):
    import cv2
    import numpy as np
    g = cv2.magnitude(cv2.Sobel(noisy, cv2.CV_64F, 1, 0), cv2.Sobel(noisy, cv2.CV_64F, 0, 1))
    return g > np.percentile(g, 90)


@correct("outline")
def median_then_canny(noisy):
    import cv2
    return cv2.Canny(cv2.medianBlur(noisy, 5), 50, 150)


@correct("outline")
def skimage_canny(noisy):
    from skimage.feature import canny
    return canny(noisy, sigma=3)
