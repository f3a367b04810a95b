"""Day 3 inputs: the Olympic rings, drawn here in their official colours on white.

The rings are drawn four times larger on a label map (which ring owns each
pixel, with the over-and-under interlacing of the emblem), then averaged down:
edges come out smoothly blended, and each ring's true mask is the set of
pixels more than half covered by it. ``rings_lit`` is the same emblem under
uneven light with sensor noise, for the challenge.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import picture

WIDTH, HEIGHT = 448, 256
SCALE = 4  # supersampling factor
RADIUS, THICKNESS = 50, 10  # ring centre-line radius and stroke width, in final pixels
SPACING, DROP = 120, 55  # between top-row centres; how far the bottom row sits lower

# Official colours (RGB #0081C8, #FCB131, #000000, #00A651, #EE334E), as BGR tuples.
RINGS = {
    "blue": (200, 129, 0),
    "yellow": (49, 177, 252),
    "black": (0, 0, 0),
    "green": (81, 166, 0),
    "red": (78, 51, 238),
}
ORDER = tuple(RINGS)  # the challenge's mask order
WHITE = (255, 255, 255)


def _centres() -> dict:
    x0 = WIDTH // 2 - SPACING
    y0 = (HEIGHT - DROP) // 2
    return {
        "blue": (x0, y0), "black": (x0 + SPACING, y0), "red": (x0 + 2 * SPACING, y0),
        "yellow": (x0 + SPACING // 2, y0 + DROP), "green": (x0 + 3 * SPACING // 2, y0 + DROP),
    }


def label_map() -> np.ndarray:
    """Which ring owns each pixel of the supersampled emblem (0 is the white ground, 1..5 follow ORDER)."""
    s = SCALE
    labels = np.zeros((HEIGHT * s, WIDTH * s), np.uint8)
    centres = {k: (c[0] * s + s // 2, c[1] * s + s // 2) for k, c in _centres().items()}
    label = {name: i + 1 for i, name in enumerate(ORDER)}
    r, t = RADIUS * s, THICKNESS * s
    for name in ("blue", "black", "red", "yellow", "green"):
        cv2.circle(labels, centres[name], r, label[name], t)
    # Interlacing: each top ring passes back over the lower ring to its right
    # near the top of their crossing, and over the lower ring to its left
    # near the bottom of theirs, so every pair links once over and once under.
    for top, lower_right, lower_left in (("blue", "yellow", None), ("black", "green", "yellow"),
                                         ("red", None, "green")):
        if lower_right:
            cv2.ellipse(labels, centres[top], (r, r), 0, -15, 25, label[top], t)
        if lower_left:
            cv2.ellipse(labels, centres[top], (r, r), 0, 90, 115, label[top], t)
    return labels


def _emblem(labels: np.ndarray) -> np.ndarray:
    palette = np.array([WHITE] + [RINGS[n] for n in ORDER], np.float32)
    big = palette[labels]
    return cv2.resize(big, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA)


@picture("day03/rings.png", origin="drawn by pixelkata: the five Olympic rings, interlaced, in their official "
         "colours on white, with anti-aliased edges")
def rings() -> np.ndarray:
    return np.clip(np.round(_emblem(label_map())), 0, 255).astype(np.uint8)


@picture("day03/rings_lit.png", origin="drawn by pixelkata: the Olympic rings under uneven, warm light "
         "(bright top right, dim bottom left) with Gaussian noise (sigma 12, seed 3)")
def rings_lit() -> np.ndarray:
    img = _emblem(label_map())
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    light = 0.42 + 0.58 * (0.6 * xx / WIDTH + 0.4 * (1 - yy / HEIGHT))
    warm = np.array([0.86, 0.95, 1.0], np.float32)  # BGR: a little less blue, as under a warm lamp
    img = img * light[..., None] * warm
    img += np.random.default_rng(3).normal(0.0, 12.0, img.shape).astype(np.float32)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


@picture("day03/ring_masks.npy", origin="drawn by pixelkata: the true mask of each Olympic ring "
         "(blue, yellow, black, green, red) in rings_lit.png, a (5, 256, 448) bool stack")
def ring_masks() -> np.ndarray:
    labels = label_map()
    s = SCALE
    masks = []
    for i in range(1, len(ORDER) + 1):
        cover = (labels == i).astype(np.float32).reshape(HEIGHT, s, WIDTH, s).mean(axis=(1, 3))
        masks.append(cover > 0.5)
    return np.stack(masks)
