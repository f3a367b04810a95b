"""Day 4 - Mixing, colouring and thresholding: reference solutions."""
import cv2
import numpy as np


def resize_pair(first, second, width, height):
    # dsize is (width, height), the opposite order of a NumPy shape.
    size = (width, height)
    return (cv2.resize(first, size, interpolation=cv2.INTER_AREA),
            cv2.resize(second, size, interpolation=cv2.INTER_AREA))


def add(first, second, saturate):
    if saturate:
        # cv2.add clips at 255.
        return cv2.add(first, second)
    # uint8 + uint8 stays uint8 and wraps around modulo 256.
    return first + second


def blend(first, second, alpha):
    # alpha * first + (1 - alpha) * second, rounded and clipped back to uint8.
    return cv2.addWeighted(first, alpha, second, 1 - alpha, 0)


def threshold(image, value):
    # OpenCV's gray weights, then 255 wherever the gray level is above value.
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    _, mask = cv2.threshold(gray, value, 255, cv2.THRESH_BINARY)
    return mask


def otsu(image):
    # With THRESH_OTSU the given threshold (0) is ignored and the chosen one returned.
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    value, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(value), mask


def adaptive_threshold(image, block_size, c):
    # Each pixel is compared with the mean of its block_size x block_size
    # neighbourhood minus c; _INV marks the dark writing with 255.
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block_size, c)


def colourise(image, colormap):
    # applyColorMap maps each gray level to a BGR colour through a lookup table.
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.applyColorMap(gray, getattr(cv2, "COLORMAP_" + colormap.upper()))


def composite(figure, alpha, background):
    # The background must match the figure's size first: dsize is (width, height).
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height), interpolation=cv2.INTER_AREA)
    # Work in floats: alpha 0..255 becomes a weight 0..1, one per pixel,
    # with a channel axis so it applies to all three colours.
    a = alpha.astype(np.float32)[:, :, None] / 255.0
    mixed = a * figure + (1.0 - a) * background
    return np.clip(np.round(mixed), 0, 255).astype(np.uint8)
