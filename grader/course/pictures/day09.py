"""Day 9 inputs: Black Goku's energy orbs drawn here, masks drawn for the clean-up steps, and the coins.

The coins' ground truth (``day09/coins-truth.png``, one label per coin) is made
by a stronger method than the day teaches: a watershed of the Sobel gradient
from markers (dark background below 30, coin metal above 150), holes filled,
specks under 100 pixels dropped, and each coin replaced by its convex hull,
since coins are round. It was checked by eye against the picture: 24 coins,
each outlined at its rim.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import SKIMAGE_LICENCE, picture
from grader.course.pictures.day06 import add_noise

ORBS = [(40, 40, 16), (100, 34, 12), (160, 48, 20), (60, 104, 22), (132, 112, 14), (178, 118, 10)]


@picture("day09/orbs.png", origin="drawn by pixelkata: Black Goku's energy orbs, bright discs (two with dark "
         "cores) and sparks on an unevenly lit dark sky, with Gaussian noise (sigma 8) and 1% salt and pepper "
         "(fixed seeds)")
def orbs() -> np.ndarray:
    h, w = 150, 200
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    img = 40 + 90 * xx / w + 20 * yy / h  # an uneven sky: brighter to the right (40 to 150)
    for k, (cx, cy, r) in enumerate(ORBS):
        glow = np.clip(1 - np.hypot(yy - cy, xx - cx) / r, 0, 1)
        img = np.where(glow > 0, np.maximum(img, 175 + 60 * glow ** 0.5), img)
        if k in (0, 3):  # dark cores: holes to fill
            cv2.circle(img, (cx, cy), r // 3, 40, -1)
    for x, y in [(20, 130), (120, 70), (190, 20), (90, 140)]:  # sparks: small objects to remove
        cv2.circle(img, (x, y), 1, 200, -1)
    img = np.clip(np.round(img), 0, 255).astype(np.uint8)
    return add_noise(add_noise(img, "gaussian", 8.0, 90), "salt_and_pepper", 0.01, 91)


@picture("day09/orbs-smooth.png", origin="day09/orbs.png after a 3x3 median filter")
def orbs_smooth() -> np.ndarray:
    return cv2.medianBlur(orbs(), 3)


@picture("day09/orbs-mask.png", origin="day09/orbs.png thresholded by Otsu's method (OpenCV): a raw mask with "
         "pinholes and specks")
def orbs_mask() -> np.ndarray:
    return cv2.threshold(orbs(), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


@picture("day09/mask.png", origin="drawn by pixelkata: a binary mask of orbs, one with a hole and one with a "
         "crack, two orbs almost touching, and specks of 25 pixels")
def mask() -> np.ndarray:
    m = np.zeros((120, 160), np.uint8)
    cv2.circle(m, (30, 30), 16, 255, -1)
    cv2.circle(m, (30, 30), 5, 0, -1)  # a hole
    cv2.ellipse(m, (90, 36), (26, 14), 20, 0, 360, 255, -1)
    cv2.line(m, (80, 24), (96, 48), 0, 1)  # a one-pixel crack
    cv2.circle(m, (50, 88), 14, 255, -1)
    cv2.circle(m, (79, 88), 14, 255, -1)  # one pixel apart from its neighbour
    cv2.rectangle(m, (112, 70), (140, 104), 255, -1)
    cv2.rectangle(m, (122, 82), (128, 90), 0, -1)  # another hole
    for x, y in [(8, 104), (140, 12), (98, 66), (64, 58), (148, 52), (8, 60), (40, 110), (150, 110)]:
        cv2.rectangle(m, (x, y), (x + 4, y + 4), 255, -1)  # specks of 25 pixels
    return m


@picture("day09/blobs.png", origin="drawn by pixelkata: a clean binary mask of eight shapes, two of them "
         "touching only at a corner")
def blobs() -> np.ndarray:
    m = np.zeros((100, 140), np.uint8)
    cv2.circle(m, (20, 20), 10, 255, -1)
    cv2.circle(m, (60, 22), 12, 255, -1)
    cv2.ellipse(m, (110, 24), (18, 9), 0, 0, 360, 255, -1)
    cv2.rectangle(m, (10, 50), (30, 70), 255, -1)
    cv2.rectangle(m, (31, 71), (45, 90), 255, -1)  # touches the square above only diagonally
    cv2.circle(m, (80, 70), 15, 255, -1)
    cv2.rectangle(m, (110, 55), (130, 62), 255, -1)
    cv2.rectangle(m, (112, 75), (128, 92), 255, -1)
    return m


@picture("day09/coins.png", origin="skimage.data.coins() (Greek coins from Pompeii), grayscale, full size",
         licence=SKIMAGE_LICENCE)
def coins() -> np.ndarray:
    from skimage import data

    return np.ascontiguousarray(data.coins())


@picture("day09/coins-truth.png", origin="ground truth for skimage.data.coins(), one label per coin (1 to 24): "
         "watershed of the Sobel gradient from markers, holes filled, each coin its convex hull; checked by eye",
         licence=SKIMAGE_LICENCE)
def coins_truth() -> np.ndarray:
    from scipy import ndimage as ndi
    from skimage import filters, measure, segmentation

    image = coins()
    markers = np.zeros(image.shape, np.int32)
    markers[image < 30] = 1
    markers[image > 150] = 2
    regions = segmentation.watershed(filters.sobel(image), markers)
    filled = ndi.binary_fill_holes(regions == 2)
    labels = measure.label(filled, connectivity=2)
    truth = np.zeros(image.shape, np.uint8)
    number = 0
    for region in measure.regionprops(labels):
        if region.area < 100:
            continue
        number += 1
        r0, c0, r1, c1 = region.bbox
        truth[r0:r1, c0:c1][region.image_convex] = number
    return truth
