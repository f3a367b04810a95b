"""Day 12 inputs: Titans coming over the plain (Mikasa spots the incoming Titans), drawn here.

* ``titan``: the template, a Titan's head, 26 x 22 pixels.
* ``plain-*``: a blotchy plain strewn with rocks and bushes (round shapes,
  distractors for template matching), with Titans pasted at known places,
  each a little brighter or darker. The true boxes are where they were
  pasted: ``(x1, y1, x2, y2)`` with ``x2 = x1 + width`` and ``y2 = y1 + height``.
* ``march``: frames of one Titan walking along a known path over the plain.
* the challenge's plains: Titans nearer or farther (scaled 0.8 to 1.25),
  fainter or harsher, in noisier light, one half behind a rock.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import picture

W, H = 320, 240
TW, TH = 22, 26


@picture("day12/titan.png", origin="drawn by pixelkata: a Titan's head (oval face, hair, eyes, a wide grin), "
                                   "26 x 22")
def titan() -> np.ndarray:
    img = np.full((TH, TW), 95, np.uint8)
    cv2.ellipse(img, (TW // 2, 14), (9, 11), 0, 0, 360, 185, -1)
    cv2.ellipse(img, (TW // 2, 6), (10, 6), 0, 180, 360, 45, -1)  # hair
    cv2.circle(img, (7, 12), 2, 20, -1)
    cv2.circle(img, (15, 12), 2, 20, -1)
    cv2.rectangle(img, (6, 18), (16, 21), 235, -1)  # teeth
    cv2.line(img, (6, 18), (16, 18), 40, 1)
    for x in (8, 11, 14):
        cv2.line(img, (x, 18), (x, 21), 60, 1)
    return img


def _plain(seed: int, noise: float = 4.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    coarse = cv2.resize(rng.random((6, 8)), (W, H), interpolation=cv2.INTER_CUBIC)
    img = 80 + 70 * (coarse - coarse.min()) / (np.ptp(coarse) + 1e-9)
    for _ in range(18):  # rocks and bushes: round, light or dark, like a Titan's face at a glance
        c = (int(rng.integers(0, W)), int(rng.integers(0, H)))
        cv2.ellipse(img, c, (int(rng.integers(5, 14)), int(rng.integers(5, 12))), float(rng.integers(0, 180)), 0, 360,
                    float(rng.integers(40, 220)), -1)
    return img + rng.normal(0, noise, img.shape)


def paste(img: np.ndarray, x: int, y: int, *, scale: float = 1.0, gain: float = 1.0, offset: float = 0.0,
          cover: float = 0.0) -> tuple:
    """Paste the Titan with its top left at (x, y); returns its true box (x1, y1, x2, y2)."""
    t = titan().astype(np.float64)
    if scale != 1.0:
        t = cv2.resize(t, (round(TW * scale), round(TH * scale)), interpolation=cv2.INTER_LINEAR)
    h, w = t.shape
    patch = t * gain + offset
    if cover:  # a rock in front of the lower left part
        k = int(w * cover)
        patch[h // 2:, :k] = img[y + h // 2:y + h, x:x + k]
    img[y:y + h, x:x + w] = patch
    return (x, y, x + w, y + h)


def plain(seed: int, titans: list, noise: float = 4.0) -> tuple:
    img = _plain(seed, noise)
    boxes = [paste(img, *t[:2], **(t[2] if len(t) > 2 else {})) for t in titans]
    return np.clip(np.round(img), 0, 255).astype(np.uint8), np.array(boxes, np.float64)


PLAINS = {
    "plain-one": (31, [(141, 97, {"gain": 0.9, "offset": 15})]),
    "plain-far": (33, [(268, 12, {"gain": 0.75, "offset": 30})]),
    "plain-many": (32, [(30, 40), (120, 30, {"gain": 0.85}), (250, 60, {"offset": -20}), (60, 150),
                        (180, 170, {"gain": 1.1, "offset": -15}), (270, 190)]),
}

for _name, (_seed, _titans) in PLAINS.items():
    picture(f"day12/{_name}.png", origin="drawn by pixelkata: a plain with rocks and bushes and Titans pasted at "
                                         "known places")(lambda s=_seed, t=_titans: plain(s, t)[0])
    if _name == "plain-far":  # used by best_match only, judged against the reference solution
        continue
    picture(f"day12/{_name}-boxes.npy", origin=f"the true boxes of the Titans in day12/{_name}.png, (x1, y1, x2, y2) "
                                               "rows, float64")(lambda s=_seed, t=_titans: plain(s, t)[1])

def candidates() -> tuple:
    """Every window of plain-many scoring 0.55 or more against the Titan (boxes, scores): NMS's raw input."""
    img, _ = plain(*PLAINS["plain-many"])
    scores = cv2.matchTemplate(img, titan(), cv2.TM_CCOEFF_NORMED)
    ys, xs = np.nonzero(scores >= 0.55)
    boxes = np.stack([xs, ys, xs + TW, ys + TH], axis=1).astype(np.float64)
    # Rounded to 4 decimals, then each a millionth apart: no two scores tie, so every way of sorting agrees.
    return boxes, np.round(scores[ys, xs].astype(np.float64), 4) - np.arange(len(xs)) * 1e-6


picture("day12/candidates.npy", origin="the boxes of every window of day12/plain-many.png whose TM_CCOEFF_NORMED "
                                       "score is 0.55 or more, (x1, y1, x2, y2) rows, float64")(
    lambda: candidates()[0])
picture("day12/candidate-scores.npy", origin="the scores of day12/candidates.npy (rounded to 4 decimals, then set a "
                                             "millionth apart so that no two tie), float64")(
    lambda: candidates()[1])

# --- the march: one Titan along a known path

FRAMES = 12


def march_path() -> np.ndarray:
    """The Titan's top left corner in each frame: a curving walk, (x, y) integers, an array (12, 2)."""
    t = np.arange(FRAMES)
    return np.stack([40 + 19 * t, 150 - 60 * np.sin(t / 4.0) - 3 * t], axis=1).round()


def march() -> np.ndarray:
    frames = []
    for k, (x, y) in enumerate(march_path().astype(int)):
        img = _plain(41, 0.0) + np.random.default_rng(400 + k).normal(0, 5, (H, W))
        paste(img, x, y, gain=1.0 - 0.02 * k)
        frames.append(np.clip(np.round(img), 0, 255).astype(np.uint8))
    return np.stack(frames)


picture("day12/march.npy", origin="drawn by pixelkata: 12 frames of a Titan walking over the plain along a known "
                                  "path, a stack (12, 240, 320) uint8")(march)
picture("day12/march-path.npy", origin="the Titan's true top left corner in each frame of day12/march.npy, (x, y), "
                                       "an array (12, 2)")(march_path)
picture("day12/march-start.npy", origin="the Titan's box in the first frame of day12/march.npy, (x1, y1, x2, y2)")(
    lambda: np.array([*march_path()[0], march_path()[0][0] + TW, march_path()[0][1] + TH], np.float64))

# --- the challenge: other sizes, light and cover

ASSAULT = [
    (51, [(40, 30, {"scale": 1.2}), (200, 50, {"scale": 0.85, "gain": 0.8, "offset": 20}), (120, 160),
          (260, 170, {"scale": 1.1, "cover": 0.4})], 6.0),
    (52, [(20, 180, {"scale": 0.8}), (90, 60, {"gain": 0.7, "offset": 35}), (170, 110, {"scale": 1.25}),
          (280, 30, {"scale": 0.9})], 8.0),
    (53, [(60, 90, {"scale": 1.15, "gain": 1.15, "offset": -25}), (230, 140, {"cover": 0.35}), (150, 20)], 5.0),
    (54, [], 6.0),  # a quiet plain: anything found here is a false alarm
    (55, [(30, 30, {"scale": 0.85}), (100, 40, {"scale": 0.85}), (170, 45, {"scale": 0.9}),
          (250, 150, {"scale": 1.2, "gain": 0.85}), (40, 170, {"scale": 1.05, "offset": -20})], 7.0),
]


def assault() -> tuple:
    scenes, rows = [], []
    for k, (seed, titans, noise) in enumerate(ASSAULT):
        img, boxes = plain(seed, titans, noise)
        scenes.append(img)
        rows += [(k, *b) for b in boxes]
    return np.stack(scenes), np.array(rows, np.float64).reshape(-1, 5)


picture("day12/assault.npy", origin="drawn by pixelkata: five plains with Titans nearer or farther, fainter or "
                                    "harsher, half behind rocks (one plain has none), a stack (5, 240, 320) uint8")(
    lambda: assault()[0])
picture("day12/assault-boxes.npy", origin="the true boxes in day12/assault.npy, rows of (scene, x1, y1, x2, y2), "
                                          "float64")(lambda: assault()[1])
