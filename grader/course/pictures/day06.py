"""Day 6 inputs: a ki aura drawn here, the noisy "threats" made from it, and unseen noisy pictures.

Every noisy picture is made with a fixed seed, so the inputs never change;
the noise kinds behind them are listed here (``THREATS``, ``UNSEEN``) and
repeated as the fixed answers in ``grader/course/day06.toml`` (a test checks
the two agree).
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import SKIMAGE_LICENCE, picture

# (file, kind, parameter): the six threats to identify, with the clean aura at hand.
THREATS = [
    ("day06/threat-1.png", "speckle", 0.2),
    ("day06/threat-2.png", "salt", 0.05),
    ("day06/threat-3.png", "gaussian", 15.0),
    ("day06/threat-4.png", "salt_and_pepper", 0.1),
    ("day06/threat-5.png", "poisson", 1.0),
    ("day06/threat-6.png", "pepper", 0.05),
]

# (file, kind, parameter, base): the challenge's pictures, named without their clean picture.
UNSEEN = [
    ("day06/unseen-01.png", "poisson", 1.0, "arena-1"),
    ("day06/unseen-02.png", "salt", 0.03, "camera-sky"),
    ("day06/unseen-03.png", "speckle", 0.12, "arena-2"),
    ("day06/unseen-04.png", "gaussian", 20.0, "coins-a"),
    ("day06/unseen-05.png", "salt_and_pepper", 0.04, "arena-3"),
    ("day06/unseen-06.png", "pepper", 0.08, "arena-4"),
    ("day06/unseen-07.png", "speckle", 0.25, "camera-man"),
    ("day06/unseen-08.png", "gaussian", 10.0, "arena-5"),
    ("day06/unseen-09.png", "pepper", 0.03, "coins-b"),
    ("day06/unseen-10.png", "poisson", 1.0, "arena-6"),
    ("day06/unseen-11.png", "salt", 0.08, "arena-7"),
    ("day06/unseen-12.png", "salt_and_pepper", 0.1, "arena-8"),
]

# (file, sigma, base): pictures carrying Gaussian noise of a known level.
LEVELS = [
    ("day06/level-1.png", 4.0, "aura"),
    ("day06/level-2.png", 12.0, "camera-man"),
    ("day06/level-3.png", 20.0, "aura"),
]

AURA_ORIGIN = ("drawn by pixelkata: a ki aura (a glowing ball on a diagonal light, a flat disc and a "
               "flat block), grey levels 64 to 204")


def aura() -> np.ndarray:
    h, w = 128, 160
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    img = 64 + 90 * xx / (w - 1) + 40 * yy / (h - 1)  # a diagonal light, 64..194
    glow = np.clip(1 - np.hypot(yy - 58, xx - 104) / 40, 0, 1) ** 0.7  # the ki ball
    img = img * (1 - glow) + 204 * glow
    cv2.rectangle(img, (14, 76), (58, 112), 84, -1)
    cv2.circle(img, (36, 34), 16, 150, -1)
    # No pixel at 0 or 255, and many grey levels: the noise statistics stay clear.
    return np.clip(np.round(img), 56, 204).astype(np.uint8)


def arena(seed: int) -> np.ndarray:
    """A battle arena: a shaded floor with flat blocks and discs, grey levels 20 to 235."""
    h = w = 128
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    angle = rng.uniform(0, 2 * np.pi)
    lo, hi = rng.uniform(30, 90), rng.uniform(150, 220)
    t = np.cos(angle) * xx / w + np.sin(angle) * yy / h
    img = lo + (hi - lo) * (t - t.min()) / (t.max() - t.min())
    for _ in range(int(rng.integers(4, 7))):
        level = float(rng.uniform(30, 225))
        cy, cx = rng.uniform(0.15, 0.85) * h, rng.uniform(0.15, 0.85) * w
        ry, rx = rng.uniform(8, 30), rng.uniform(8, 30)
        if rng.random() < 0.5:
            cv2.ellipse(img, (int(cx), int(cy)), (int(rx), int(ry)), float(rng.uniform(0, 180)), 0, 360, level, -1,
                        cv2.LINE_AA)
        else:
            cv2.rectangle(img, (int(cx - rx), int(cy - ry)), (int(cx + rx), int(cy + ry)), level, -1)
    img = cv2.GaussianBlur(img, (3, 3), 0)
    return np.clip(np.round(img), 20, 235).astype(np.uint8)


def base(name: str) -> np.ndarray:
    """A clean picture by name: the aura, an arena, or a crop of a scikit-image sample (kept within 20..235)."""
    from skimage import data

    if name == "aura":
        return aura()
    if name.startswith("arena-"):
        return arena(int(name.split("-")[1]))
    if name.startswith("camera-"):
        cam = cv2.resize(data.camera(), (256, 256), interpolation=cv2.INTER_AREA)
        y, x = {"camera-sky": (20, 64), "camera-man": (100, 20)}[name]
        return np.clip(cam[y:y + 128, x:x + 128], 20, 235)
    y, x = {"coins-a": (40, 100), "coins-b": (150, 200)}[name]
    return np.clip(data.coins()[y:y + 128, x:x + 128], 20, 235)


def add_noise(clean: np.ndarray, kind: str, parameter: float, seed: int) -> np.ndarray:
    """Our own noise generator (the same definitions the day's tasks ask for)."""
    rng = np.random.default_rng(seed)
    x = clean.astype(np.float64)
    if kind == "gaussian":
        y = x + rng.normal(0.0, parameter, x.shape)
    elif kind == "poisson":
        y = rng.poisson(x).astype(np.float64)
    elif kind == "speckle":
        y = x * (1.0 + rng.normal(0.0, parameter, x.shape))
    else:
        y = x.copy()
        hit = rng.random(x.shape) < parameter
        salt = {"salt": np.ones(x.shape, bool), "pepper": np.zeros(x.shape, bool)}.get(kind)
        if salt is None:
            salt = rng.random(x.shape) < 0.5
        y[hit & salt] = 255
        y[hit & ~salt] = 0
    return np.clip(np.round(y), 0, 255).astype(np.uint8)


def _origin(kind: str, parameter: float, name: str) -> str:
    what = {"gaussian": f"Gaussian noise, sigma {parameter:g}", "poisson": "Poisson noise, one photon per grey level",
            "speckle": f"speckle noise, sigma {parameter:g}", "salt": f"salt noise, amount {parameter:g}",
            "pepper": f"pepper noise, amount {parameter:g}",
            "salt_and_pepper": f"salt-and-pepper noise, amount {parameter:g}"}[kind]
    source = {"aura": "the ki aura drawn by pixelkata", "camera-sky": "a crop of skimage.data.camera()",
              "camera-man": "a crop of skimage.data.camera()", "coins-a": "a crop of skimage.data.coins()",
              "coins-b": "a crop of skimage.data.coins()"}.get(name, f"an arena drawn by pixelkata (seed {name[6:]})")
    return f"{source}, with {what}, added by pixelkata's own generator (fixed seed)"


def _licence(name: str) -> str:
    return SKIMAGE_LICENCE if name.startswith(("camera", "coins")) else \
        "CC0, drawn by pixelkata's own code"


picture("day06/aura.png", origin=AURA_ORIGIN)(aura)


def _register(file: str, kind: str, parameter: float, name: str, seed: int) -> None:
    picture(file, origin=_origin(kind, parameter, name), licence=_licence(name))(
        lambda: add_noise(base(name), kind, parameter, seed))


for _i, (_file, _kind, _p) in enumerate(THREATS):
    _register(_file, _kind, _p, "aura", 600 + _i)
for _i, (_file, _kind, _p, _name) in enumerate(UNSEEN):
    _register(_file, _kind, _p, _name, 660 + _i)
for _i, (_file, _sigma, _name) in enumerate(LEVELS):
    _register(_file, "gaussian", _sigma, _name, 690 + _i)
