"""Day 2 inputs: blank night-sky canvases drawn here, and one scikit-image sample to draw on."""
from __future__ import annotations

import numpy as np

from grader.course.pictures import SKIMAGE_LICENCE, picture, skimage_sample


def night_sky(width: int, height: int) -> np.ndarray:
    """A BGR canvas: a vertical gradient from deep navy to violet, with a faint horizontal drift.

    No pixel of it is one of the drawing colours used in the tasks, so every
    drawn pixel shows, and no two rows or columns are alike.
    """
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    b = 70 + 50 * y + 10 * x
    g = 18 + 14 * y + 6 * x
    r = 22 + 60 * y - 8 * x
    img = np.stack([b, g, r], axis=2)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


@picture("day02/sky.png", origin="drawn by pixelkata: a 512x384 night-sky gradient, a blank canvas")
def sky() -> np.ndarray:
    return night_sky(512, 384)


@picture("day02/sky_tall.png", origin="drawn by pixelkata: a 320x448 night-sky gradient, a blank portrait canvas")
def sky_tall() -> np.ndarray:
    return night_sky(320, 448)


@picture("day02/astronaut.png", origin="skimage.data.astronaut() (Eileen Collins), scaled to 384 px, BGR",
         licence=SKIMAGE_LICENCE)
def astronaut() -> np.ndarray:
    return skimage_sample("astronaut", max_side=384)
