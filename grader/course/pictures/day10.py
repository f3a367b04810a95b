"""Day 10 inputs: a board of shuriken-cut shapes with known corners, Naruto's ninja scroll, and scenes
where the scroll was pasted through a known homography, so every true answer is exact.

* ``shapes``: flat polygons on a flat ground, drawn without anti-aliasing;
  their vertices are the true corners (``shape-corners.npy``).
* ``scroll``: the object, a ninja scroll drawn here (seal marks, a spiral,
  lettering), textured enough for ORB to describe.
* ``scene-*``: a soft, blotchy ground with the scroll pasted through a
  homography chosen here. The true outline is the scroll's four corners
  mapped through it: ``(0, 0)``, ``(w - 1, 0)``, ``(w - 1, h - 1)``,
  ``(0, h - 1)`` in that order.
* the challenge's scenes: other scales, turns and tilts, dimmer or brighter,
  noisier, and partly covered by a cloud of smoke.
* ``descriptors-*``: ORB's binary descriptors of the scroll and of a scene,
  computed here with OpenCV, and a small random pair for the Hamming task.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import picture

SCROLL_W, SCROLL_H = 160, 112
SCENE_W, SCENE_H = 320, 240
ORB_FEATURES = 500
CLUTTER = 14


# --- corners ------------------------------------------------------------------------

SHAPES = [  # polygons as (x, y) vertices; angles kept away from 180 degrees so every vertex is a corner
    [(20, 20), (90, 20), (90, 70), (20, 70)],
    [(130, 25), (200, 40), (160, 95)],
    [(230, 20), (290, 30), (280, 85), (240, 75)],
    [(30, 120), (100, 110), (70, 190)],
    [(140, 130), (210, 130), (210, 200), (175, 165), (140, 200)],
    [(245, 120), (300, 150), (255, 205)],
]


def shape_corners() -> np.ndarray:
    return np.array([p for shape in SHAPES for p in shape], np.float64)


@picture("day10/shapes.png", origin="drawn by pixelkata: six flat shuriken-cut polygons on a flat ground, "
                                    "no anti-aliasing; their vertices are the true corners")
def shapes() -> np.ndarray:
    img = np.full((SCENE_H, SCENE_W), 50, np.uint8)
    for k, shape in enumerate(SHAPES):
        cv2.fillPoly(img, [np.array(shape, np.int32)], 170 + 15 * (k % 3), lineType=cv2.LINE_8)
    return img


picture("day10/shape-corners.npy", origin="the true corners of day10/shapes.png: the polygons' vertices, "
                                          "(x, y) in pixels, an array (22, 2)")(shape_corners)


# --- the scroll and its scenes ------------------------------------------------------


@picture("day10/scroll.png", origin="drawn by pixelkata: Naruto's ninja scroll, seal marks, a spiral and "
                                    "lettering on paper (fixed seed)")
def scroll() -> np.ndarray:
    rng = np.random.default_rng(10)
    img = np.full((SCROLL_H, SCROLL_W), 205, np.uint8)
    cv2.rectangle(img, (0, 0), (SCROLL_W - 1, 13), 70, -1)
    cv2.rectangle(img, (0, SCROLL_H - 14), (SCROLL_W - 1, SCROLL_H - 1), 70, -1)
    for _ in range(14):  # seal marks
        x, y = int(rng.integers(8, SCROLL_W - 30)), int(rng.integers(18, SCROLL_H - 40))
        w, h = int(rng.integers(8, 24)), int(rng.integers(8, 24))
        shade = int(rng.integers(20, 140))
        if rng.random() < 0.5:
            cv2.rectangle(img, (x, y), (x + w, y + h), shade, -1)
        else:
            pts = np.array([(x, y + h), (x + w // 2, y), (x + w, y + h)], np.int32)
            cv2.fillPoly(img, [pts], shade)
    t = np.linspace(0, 5 * np.pi, 200)
    spiral = np.stack([118 + 2.2 * t * np.cos(t), 58 + 2.2 * t * np.sin(t)], 1).astype(np.int32)
    cv2.polylines(img, [spiral], False, 30, 2)
    cv2.putText(img, "KONOHA", (10, SCROLL_H - 22), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 15, 2)
    return img


def _ground(seed: int) -> np.ndarray:
    """A soft blotchy ground (blurred random noise, 70..150, faint grain) strewn with kunai marks and scraps
    of lettering: clutter that gives false matches, which RANSAC must outvote."""
    rng = np.random.default_rng(seed)
    coarse = cv2.resize(rng.random((8, 10)), (SCENE_W, SCENE_H), interpolation=cv2.INTER_CUBIC)
    ground = 70 + 80 * (coarse - coarse.min()) / (np.ptp(coarse) + 1e-9)
    marks = np.zeros((SCENE_H, SCENE_W), np.uint8)  # 0: no mark, else the mark's shade
    for _ in range(CLUTTER):
        x, y = int(rng.integers(0, SCENE_W - 30)), int(rng.integers(10, SCENE_H - 20))
        shade = int(rng.integers(20, 220))
        if rng.random() < 0.5:
            pts = np.array([(x, y + 14), (x + 7, y), (x + 14, y + 14)], np.int32)
            cv2.fillPoly(marks, [pts], shade)
        else:
            text = "".join(rng.choice(list("KONOHA"), 3))
            cv2.putText(marks, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, shade, 2)
    ground = np.where(marks > 0, marks, ground)
    return ground + rng.normal(0, 2, ground.shape)


def scroll_outline() -> np.ndarray:
    return np.array([[0, 0], [SCROLL_W - 1, 0], [SCROLL_W - 1, SCROLL_H - 1], [0, SCROLL_H - 1]], np.float64)


def homography(centre, scale, angle_deg, tilt=(0.0, 0.0)) -> np.ndarray:
    """The scroll's homography: scale and turn about its centre, put at ``centre``, with a perspective tilt."""
    cx, cy = (SCROLL_W - 1) / 2, (SCROLL_H - 1) / 2
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    move = np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1.0]])
    place = np.array([[scale, 0, centre[0]], [0, scale, centre[1]], [0, 0, 1.0]])
    persp = np.array([[1, 0, 0], [0, 1, 0], [tilt[0], tilt[1], 1.0]])
    return place @ persp @ rot @ move


def true_outline(h: np.ndarray) -> np.ndarray:
    return cv2.perspectiveTransform(scroll_outline().reshape(-1, 1, 2), h).reshape(-1, 2)


def scene(h: np.ndarray, seed: int, *, gain=1.0, offset=0.0, noise=0.0, smoke=None) -> np.ndarray:
    ground = _ground(seed)
    obj = scroll().astype(np.float64) * gain + offset
    warped = cv2.warpPerspective(obj, h, (SCENE_W, SCENE_H), flags=cv2.INTER_LINEAR)
    cover = cv2.warpPerspective(np.ones((SCROLL_H, SCROLL_W)), h, (SCENE_W, SCENE_H), flags=cv2.INTER_LINEAR)
    img = ground * (1 - cover) + warped
    if smoke is not None:  # a soft grey cloud over part of the scroll
        yy, xx = np.mgrid[0:SCENE_H, 0:SCENE_W]
        (sx, sy), r = smoke
        alpha = np.clip(1.2 - np.hypot(xx - sx, yy - sy) / r, 0, 1)
        img = img * (1 - alpha) + 180 * alpha
    if noise:
        img = img + np.random.default_rng(seed + 100).normal(0, noise, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


SCENES = {  # name: (homography, ground seed, rendering)
    "scene-a": (homography((150, 120), 0.9, 12, (0.0004, -0.0003)), 11, {}),
    "scene-b": (homography((180, 110), 1.1, -25, (-0.0006, 0.0002)), 12, {"gain": 0.8, "offset": 20}),
}

CHALLENGE = [  # unseen scenes: smaller, larger, turned, tilted, dimmer, noisier, partly covered
    (homography((100, 80), 0.6, 40), 21, {}),
    (homography((170, 125), 1.35, -8, (0.0008, 0.0004)), 22, {"gain": 0.7, "offset": 40}),
    (homography((150, 110), 1.0, 25), 25, {"smoke": ((110, 95), 45)}),
    (homography((220, 150), 0.7, 95, (0.0010, 0.0)), 26, {"gain": 1.15, "offset": -25, "noise": 4}),
    (homography((130, 130), 1.15, -140), 27, {"smoke": ((170, 170), 40)}),
]

for _name, (_h, _seed, _kw) in SCENES.items():
    picture(f"day10/{_name}.png", origin="drawn by pixelkata: day10/scroll.png pasted into a soft ground "
                                        "through a known homography")(lambda h=_h, s=_seed, kw=_kw: scene(h, s, **kw))
    picture(f"day10/{_name}-outline.npy", origin=f"the true outline of the scroll in day10/{_name}.png: its "
                                                 "corners mapped through the homography, (x, y), an array (4, 2)")(
        lambda h=_h: true_outline(h))
    picture(f"day10/{_name}-homography.npy", origin=f"the homography that pasted the scroll into "
                                                    f"day10/{_name}.png, a 3 x 3 float array")(lambda h=_h: h)

picture("day10/hunt-scenes.npy", origin="drawn by pixelkata: five scenes with the scroll at other scales, turns "
                                        "and tilts, dimmer or brighter, noisier or partly covered by smoke; a "
                                        "stack (5, 240, 320) uint8")(
    lambda: np.stack([scene(h, s, **kw) for h, s, kw in CHALLENGE]))
picture("day10/hunt-outlines.npy", origin="the true outlines of the scroll in day10/hunt-scenes.npy, a stack "
                                          "(5, 4, 2) of (x, y) corners")(
    lambda: np.stack([true_outline(h) for h, _, _ in CHALLENGE]))


# --- descriptors ------------------------------------------------------------------------


def orb_descriptors(gray: np.ndarray) -> np.ndarray:
    orb = cv2.ORB_create(nfeatures=ORB_FEATURES)
    _, desc = orb.detectAndCompute(gray, None)
    return desc


picture("day10/descriptors-scroll.npy", origin="ORB descriptors (cv2.ORB_create(500)) of day10/scroll.png, "
                                               "an array (N, 32) uint8")(lambda: orb_descriptors(scroll()))
picture("day10/descriptors-scene-a.npy", origin="ORB descriptors (cv2.ORB_create(500)) of day10/scene-a.png, "
                                                "an array (N, 32) uint8")(
    lambda: orb_descriptors(scene(SCENES["scene-a"][0], SCENES["scene-a"][1])))
picture("day10/bits-a.npy", origin="random bytes (fixed seed): 12 binary descriptors of 32 bytes, (12, 32) uint8")(
    lambda: np.random.default_rng(101).integers(0, 256, (12, 32), dtype=np.uint8))
picture("day10/bits-b.npy", origin="random bytes (fixed seed): 20 binary descriptors of 32 bytes, (20, 32) uint8")(
    lambda: np.random.default_rng(102).integers(0, 256, (20, 32), dtype=np.uint8))
