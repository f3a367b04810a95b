"""Day 8 inputs: coloured eggs drawn here, texture crops of scikit-image's brick, grass and gravel,
and the texture patches of the challenge (training patches and held-back test patches).

Training patches come from the top half of each texture, test patches from the
bottom half, so no test patch overlaps a training one. Every patch is rescaled
to the same mean (128) and spread (32), and turned by a random quarter turn:
brightness alone cannot tell the textures apart, their structure can.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import SKIMAGE_LICENCE, picture

TEXTURES = ("brick", "grass", "gravel")
PATCH = 32
TRAIN_PER_CLASS = 12
TEST_PER_CLASS = 10
TEST_SEED = 81


@picture("day08/eggs.png", origin="drawn by pixelkata: five coloured Wonder Eggs on a table before a green hedge")
def eggs() -> np.ndarray:
    h, w = 128, 192
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    # A green hedge: OpenCV's gray (BT.601) and scikit-image's (BT.709) disagree most on green.
    img[..., 0] = 50 + 30 * yy / h
    img[..., 1] = 120 + 60 * yy / h
    img[..., 2] = 40 + 30 * xx / w
    cv2.rectangle(img, (0, 96), (w, h), (40, 90, 150), -1)  # a brown table
    for cx, colour in [(24, (60, 200, 240)), (60, (230, 120, 40)), (96, (80, 60, 220)), (132, (90, 210, 90)),
                       (168, (210, 200, 230))]:
        cv2.ellipse(img, (cx, 74), (14, 20), 0, 0, 360, colour, -1, cv2.LINE_AA)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def _texture(name: str) -> np.ndarray:
    from skimage import data

    return getattr(data, name)()


def _crop(name: str, y: int, x: int, size: int = 96) -> np.ndarray:
    return np.ascontiguousarray(_texture(name)[y:y + size, x:x + size])


for _name, (_y, _x) in {"brick": (40, 200), "grass": (300, 120), "gravel": (200, 300)}.items():
    picture(f"day08/{_name}.png", origin=f"skimage.data.{_name}(), a 96 x 96 crop at row {_y}, column {_x}",
            licence=SKIMAGE_LICENCE)(lambda n=_name, y=_y, x=_x: _crop(n, y, x))


def _patches(rows: tuple, per_class: int, seed: int) -> tuple:
    """Patches of every texture from the given rows, standardised and turned; returns (stack, labels)."""
    rng = np.random.default_rng(seed)
    stack, labels = [], []
    for name in TEXTURES:
        img = _texture(name).astype(np.float64)
        for _ in range(per_class):
            r = int(rng.integers(rows[0], rows[1] - PATCH))
            c = int(rng.integers(0, img.shape[1] - PATCH))
            p = np.rot90(img[r:r + PATCH, c:c + PATCH], int(rng.integers(4)))
            p = (p - p.mean()) / (p.std() + 1e-9) * 32 + 128
            stack.append(np.clip(np.round(p), 0, 255).astype(np.uint8))
            labels.append(name)
    order = rng.permutation(len(stack))  # mixed, so the order gives nothing away
    return np.stack([stack[i] for i in order]), [labels[i] for i in order]


def training_set() -> tuple:
    return _patches((0, 256), TRAIN_PER_CLASS, 80)


def test_set() -> tuple:
    return _patches((256, 512), TEST_PER_CLASS, TEST_SEED)


_PATCH_ORIGIN = ("{n} patches of 32 x 32 from skimage.data.brick(), grass() and gravel() ({half} half of each), "
                 "rescaled to mean 128 and spread 32 and turned by random quarter turns (fixed seed); a stack "
                 "shaped (patches, 32, 32)")
picture("day08/train-patches.npy", origin=_PATCH_ORIGIN.format(n=3 * TRAIN_PER_CLASS, half="top"),
        licence=SKIMAGE_LICENCE)(lambda: training_set()[0])
picture("day08/test-patches.npy", origin=_PATCH_ORIGIN.format(n=3 * TEST_PER_CLASS, half="bottom"),
        licence=SKIMAGE_LICENCE)(lambda: test_set()[0])
