"""Day 7 inputs: a Wonder Egg garden drawn here, spoiled in several ways, and the spoiled cameraman.

The noisy versions are made with fixed seeds by Day 6's noise generator; the
clean pictures they came from are inputs too, fixed as the ground truth of
the tasks that restore them.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import SKIMAGE_LICENCE, picture, skimage_sample
from grader.course.pictures.day06 import add_noise

EGG_ORIGIN = ("drawn by pixelkata: a Wonder Egg in a night garden, with a cracked shell, two flowers on thin "
              "stems, a red ribbon and small sparkles")


@picture("day07/egg.png", origin=EGG_ORIGIN)
def egg() -> np.ndarray:
    h, w = 160, 200
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    # A night garden: dark everywhere, so that only the drawn things pass a threshold of 120.
    img[..., 0] = 60 + 30 * yy / h
    img[..., 1] = 40 + 20 * xx / w
    img[..., 2] = 30
    cv2.ellipse(img, (70, 82), (34, 46), 0, 0, 360, (200, 215, 235), -1, cv2.LINE_AA)
    highlight = np.clip(1 - np.hypot(yy - 66, xx - 60) / 26, 0, 1)[..., None]
    img = img * (1 - 0.5 * highlight) + 127.5 * highlight * (img > 150)
    # The crack (an erosion widens it, a closing seals it) and freckles on the shell.
    crack = np.array([[52, 90], [62, 84], [70, 94], [80, 86], [88, 92]], np.int32)
    cv2.polylines(img, [crack], False, (40, 40, 60), 2, cv2.LINE_AA)
    for x, y in [(58, 60), (84, 70), (66, 112), (90, 104), (50, 104)]:
        cv2.circle(img, (x, y), 1, (60, 60, 80), -1)
    for cx, cy, r in [(150, 50, 16), (165, 115, 12)]:
        for k in range(6):
            a = k * np.pi / 3
            cv2.circle(img, (int(cx + r * np.cos(a)), int(cy + r * np.sin(a))), r // 2 + 2, (170, 120, 245), -1,
                       cv2.LINE_AA)
        cv2.circle(img, (cx, cy), r // 3, (30, 200, 250), -1, cv2.LINE_AA)
    cv2.line(img, (150, 66), (140, 150), (60, 170, 70), 2, cv2.LINE_AA)
    cv2.line(img, (165, 127), (172, 150), (60, 170, 70), 2, cv2.LINE_AA)
    # Bright in the red channel only (gray about 70): thresholding channel by channel finds it, gray does not.
    cv2.rectangle(img, (20, 138), (110, 146), (20, 20, 230), -1)
    # Sparkles: an opening removes them.
    for x, y in [(112, 20), (125, 140), (30, 20), (185, 80), (120, 60), (22, 60), (185, 20), (118, 100)]:
        cv2.circle(img, (x, y), 2, (240, 240, 240), -1)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


@picture("day07/egg-noisy.png", origin="day07/egg.png with Gaussian noise, sigma 15, added by pixelkata (fixed seed)")
def egg_noisy() -> np.ndarray:
    return add_noise(egg(), "gaussian", 15.0, 70)


@picture("day07/egg-soft.png", origin="day07/egg.png blurred by a Gaussian of sigma 1.5")
def egg_soft() -> np.ndarray:
    return cv2.GaussianBlur(egg(), (0, 0), 1.5)


@picture("day07/egg-speckled.png",
         origin="day07/egg.png with 6% of its pixels turned white or black by pixelkata (fixed seed)")
def egg_speckled() -> np.ndarray:
    rng = np.random.default_rng(71)
    out = egg()
    hit = rng.random(out.shape[:2]) < 0.06
    salt = rng.random(out.shape[:2]) < 0.5
    out[hit & salt] = 255
    out[hit & ~salt] = 0
    return out


@picture("day07/cameraman.png", origin="skimage.data.camera() (the cameraman), grayscale, scaled to 256 px",
         licence=SKIMAGE_LICENCE)
def cameraman() -> np.ndarray:
    return skimage_sample("camera", max_side=256)


@picture("day07/cameraman-spoiled.png",
         origin="day07/cameraman.png with Gaussian noise (sigma 15) and then 4% salt-and-pepper, added by pixelkata "
                "(fixed seeds)", licence=SKIMAGE_LICENCE)
def cameraman_spoiled() -> np.ndarray:
    return add_noise(add_noise(cameraman(), "gaussian", 15.0, 72), "salt_and_pepper", 0.04, 73)
