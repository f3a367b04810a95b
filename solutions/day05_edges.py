"""Day 5 - Edge detection: reference solutions."""
import cv2
import numpy as np


def _to_uint8(values):
    # Absolute values, scaled so that the largest becomes 255, rounded.
    values = np.abs(values)
    top = values.max()
    return np.round(values * (255.0 / top if top > 0 else 0.0)).astype(np.uint8)


def sobel(gray, direction):
    # dx=1 measures change from left to right (vertical edges); dy=1 from top
    # to bottom (horizontal edges). CV_64F keeps the negative slopes.
    dx, dy = (1, 0) if direction == "x" else (0, 1)
    return _to_uint8(cv2.Sobel(gray, cv2.CV_64F, dx, dy, ksize=5))


def gradient_magnitude(gray):
    # The length of the gradient vector (gx, gy) at every pixel.
    gx = cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5)
    gy = cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5)
    return _to_uint8(cv2.magnitude(gx, gy))


def laplacian(gray):
    # The second derivative changes sign across an edge: keep its size.
    return _to_uint8(cv2.Laplacian(gray, cv2.CV_64F))


def canny(gray, low, high):
    # Gradients above high start edges; those above low extend them.
    return cv2.Canny(gray, low, high)


def blur_canny(gray, ksize, low, high):
    # Smoothing first keeps noise from turning into edges; sigma 0 lets
    # OpenCV derive it from the kernel size.
    return cv2.Canny(cv2.GaussianBlur(gray, (ksize, ksize), 0), low, high)


def outline(noisy):
    # Salt and pepper first: a median replaces each lone black or white pixel by
    # its neighbours' middle value. Then a Gaussian blur tames the remaining
    # noise, and Canny thresholds low enough for the pale clouds.
    smooth = cv2.GaussianBlur(cv2.medianBlur(noisy, 3), (0, 0), 2)
    return cv2.Canny(smooth, 25, 60)
