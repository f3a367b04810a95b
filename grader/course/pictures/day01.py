"""Day 1 inputs: Tanjiro's checked haori, drawn here, and three scikit-image samples."""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import SKIMAGE_LICENCE, picture, skimage_sample

GREEN = (74, 140, 36)  # BGR: the haori's green checks
BLACK = (28, 24, 22)


@picture("day01/haori.png", origin="drawn by pixelkata: a green and black checked pattern "
         "(ichimatsu) with a hanafuda-style earring and a scar mark")
def haori() -> np.ndarray:
    h, w, cell = 240, 320, 40
    yy, xx = np.mgrid[0:h, 0:w]
    checks = ((yy // cell + xx // cell) % 2).astype(bool)
    img = np.empty((h, w, 3), np.uint8)
    img[checks] = GREEN
    img[~checks] = BLACK
    # A soft vertical light gradient so that no two rows are alike.
    shade = np.linspace(0.75, 1.15, h, dtype=np.float32)[:, None, None]
    img = np.clip(img.astype(np.float32) * shade, 0, 255).astype(np.uint8)
    # Hanafuda earring in the top-left quarter: white card, red sun.
    cv2.rectangle(img, (22, 18), (62, 88), (245, 245, 240), -1, cv2.LINE_AA)
    cv2.circle(img, (42, 44), 14, (40, 40, 210), -1, cv2.LINE_AA)
    for k in range(3):
        cv2.line(img, (26, 62 + 8 * k), (58, 62 + 8 * k), (60, 60, 60), 2, cv2.LINE_AA)
    # The scar: a dark red streak in the top-right quarter.
    cv2.line(img, (250, 30), (290, 70), (30, 30, 150), 6, cv2.LINE_AA)
    # A yellow sash low on the right, so the picture has no symmetry.
    cv2.ellipse(img, (230, 200), (70, 18), -12, 0, 360, (40, 200, 230), -1, cv2.LINE_AA)
    return img


@picture("day01/chelsea.png", origin="skimage.data.chelsea() (Chelsea the cat), BGR",
         licence=SKIMAGE_LICENCE)
def chelsea() -> np.ndarray:
    return skimage_sample("chelsea")


@picture("day01/coffee.png", origin="skimage.data.coffee() (a cup of coffee), scaled to 512 px wide, BGR",
         licence=SKIMAGE_LICENCE)
def coffee() -> np.ndarray:
    return skimage_sample("coffee", max_side=512)


@picture("day01/camera.png", origin="skimage.data.camera() (the cameraman), grayscale, scaled to 256 px",
         licence=SKIMAGE_LICENCE)
def camera() -> np.ndarray:
    return skimage_sample("camera", max_side=256)
