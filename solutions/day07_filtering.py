"""Day 7 - Image filtering: reference solutions."""
import cv2
import numpy as np

MORPH = {"erode": cv2.MORPH_ERODE, "dilate": cv2.MORPH_DILATE, "open": cv2.MORPH_OPEN,
         "close": cv2.MORPH_CLOSE, "gradient": cv2.MORPH_GRADIENT}
SHAPES = {"rect": cv2.MORPH_RECT, "cross": cv2.MORPH_CROSS, "ellipse": cv2.MORPH_ELLIPSE}


def smooth(image, method, ksize):
    # Each filter replaces a pixel by a summary of its ksize x ksize neighbours.
    if method == "box":
        return cv2.blur(image, (ksize, ksize))  # the plain mean
    if method == "gaussian":
        return cv2.GaussianBlur(image, (ksize, ksize), 0)  # sigma 0: OpenCV derives it from ksize
    if method == "median":
        return cv2.medianBlur(image, ksize)  # the middle value: specks vanish, edges stay
    raise ValueError(f"unknown method {method!r}")


def bilateral(image, d, sigma_color, sigma_space):
    # Weights fall off with distance (sigma_space) and with difference in colour
    # (sigma_color), so neighbours across an edge hardly count.
    return cv2.bilateralFilter(image, d, sigma_color, sigma_space)


def unsharp_mask(image, sigma, amount):
    # Sharpen by adding back `amount` times the detail a Gaussian blur removes.
    # Work in floats: in uint8, image - blurred would wrap around below 0.
    x = image.astype(np.float64)
    detail = x - cv2.GaussianBlur(x, (0, 0), sigma)
    return np.clip(np.round(x + amount * detail), 0, 255).astype(np.uint8)


def despeckle(image):
    # Salt and pepper are outliers: a median ignores them, a mean smears them.
    return cv2.medianBlur(image, 3)


def threshold_morphology(image, operation):
    # Gray first: one threshold on the brightness, not one per colour channel.
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    _, mask = cv2.threshold(gray, 120, 255, cv2.THRESH_BINARY)
    kernel = np.ones((5, 5), np.uint8)
    return cv2.morphologyEx(mask, MORPH[operation], kernel)


def structuring_element(shape):
    # OpenCV draws the three classic 5x5 shapes; 1 marks the pixels that count.
    return cv2.getStructuringElement(SHAPES[shape], (5, 5))


def restore(image):
    # Two villains, two weapons. The salt and pepper pixels (exactly 0 or 255)
    # are replaced by their neighbourhood's median, and only they are; then
    # non-local means averages similar patches to calm the Gaussian grain.
    median = cv2.medianBlur(image, 5)
    specks = (image == 0) | (image == 255)
    fixed = np.where(specks, median, image)
    return cv2.fastNlMeansDenoising(fixed, None, 12, 7, 21)
