"""Day 9 - Pre-processing, segmentation, post-processing: reference solutions."""
import cv2
import numpy as np
from scipy import ndimage as ndi

MORPH = {"dilate": cv2.MORPH_DILATE, "close": cv2.MORPH_CLOSE, "gradient": cv2.MORPH_GRADIENT}


def denoise(image, method):
    if method == "median":
        return cv2.medianBlur(image, 3)  # specks out, edges kept
    if method == "bilateral":
        return cv2.bilateralFilter(image, 7, 75, 75)  # grain out, edges kept
    raise ValueError(f"unknown method {method!r}")


def enhance(image, method):
    if method == "equalize":
        return cv2.equalizeHist(image)  # spread the histogram over 0..255
    if method == "clahe":
        # The same, tile by tile, with the histogram clipped so noise is not blown up.
        return cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(image)
    raise ValueError(f"unknown method {method!r}")


def segment(image, method):
    if method == "inverse":
        # THRESH_BINARY_INV: above 120 becomes 0, the rest 255.
        return cv2.threshold(image, 120, 255, cv2.THRESH_BINARY_INV)[1]
    if method == "otsu":
        # Otsu picks the threshold that best splits the histogram in two (the 0 is ignored).
        return cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    if method == "canny":
        return cv2.Canny(image, 120, 255)
    raise ValueError(f"unknown method {method!r}")


def morphology(mask, operation):
    return cv2.morphologyEx(mask, MORPH[operation], np.ones((3, 3), np.uint8))


def clean_mask(mask, min_size):
    # Drop the connected regions (8-connected) smaller than min_size pixels,
    # then fill the holes: background that cannot be reached from the border.
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    big = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] >= min_size)
    keep = np.isin(labels, big[big != 0])
    return ndi.binary_fill_holes(keep).astype(np.uint8) * 255


def count_objects(mask):
    # connectedComponents counts the background as label 0: subtract it.
    count, labels = cv2.connectedComponents(mask, connectivity=8)
    return labels.astype(np.int32), count - 1


def coins(image):
    # The light falls unevenly, so one threshold cannot fit every coin: a
    # threshold that adapts to each neighbourhood does. Then close small gaps,
    # fill the holes the coins' designs leave, drop specks, and open with a
    # round element to cut the threads that join coins to the background.
    smooth = cv2.medianBlur(image, 3)
    mask = cv2.adaptiveThreshold(smooth, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 51, -5)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    mask = clean_mask(mask, 100)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    mask = clean_mask(mask, 400)
    labels, _ = count_objects(mask)
    return labels
