"""Input pictures: every one is made by code here, deterministically.

Each day's module registers its pictures with :func:`picture`, naming where
the picture comes from and under which licence. ``pixelkata references build``
writes them to ``reference_images/inputs/`` and lists them in
``reference_images/SOURCES.md``. Nothing is downloaded: pictures are either
drawn by our own code or taken from the samples scikit-image ships.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Picture:
    name: str  # path under reference_images/inputs/, e.g. "day01/haori.png"
    make: Callable[[], np.ndarray]
    origin: str
    licence: str


REGISTRY: dict[str, Picture] = {}

SKIMAGE_LICENCE = "public domain / CC0 (scikit-image sample data; see skimage/data/README.txt)"
OWN_LICENCE = "CC0, drawn by pixelkata's own code"


def picture(name: str, *, origin: str, licence: str = OWN_LICENCE):
    """Register a function that makes the input picture ``name``."""

    def wrap(fn):
        if name in REGISTRY:
            raise ValueError(f"input picture {name} is registered twice")
        REGISTRY[name] = Picture(name=name, make=fn, origin=origin, licence=licence)
        return fn

    return wrap


def all_pictures() -> dict[str, Picture]:
    """Every registered input picture, after importing each day's module."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return dict(sorted(REGISTRY.items()))


# --- helpers shared by the day modules ---------------------------------------------


def skimage_sample(name: str, *, max_side: int = 512, gray: bool = False) -> np.ndarray:
    """A scikit-image sample picture as OpenCV would read it (BGR uint8), at most ``max_side`` px."""
    import cv2
    from skimage import data

    img = getattr(data, name)()
    if img.dtype == np.bool_:
        img = img.astype(np.uint8) * 255
    if img.ndim == 3:
        img = cv2.cvtColor(img[..., :3], cv2.COLOR_GRAY2BGR if img.shape[2] == 1 else cv2.COLOR_RGB2BGR)
        if gray:
            img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    h, w = img.shape[:2]
    scale = max_side / max(h, w)
    if scale < 1:
        img = cv2.resize(img, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(img)
