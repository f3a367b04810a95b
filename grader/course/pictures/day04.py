"""Day 4 inputs: an anime team and a stage drawn here, a hero with its alpha mask, and scikit-image samples."""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import SKIMAGE_LICENCE, picture, skimage_sample

W, H = 384, 256


def _gradient(w: int, h: int, top: tuple, bottom: tuple) -> np.ndarray:
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    img = (1 - t) * np.array(top, np.float32) + t * np.array(bottom, np.float32)
    img = np.repeat(img, w, axis=1)
    # A slight left-to-right drift so no two columns are alike.
    img += np.linspace(-12, 12, w, dtype=np.float32)[None, :, None]
    return img


@picture("day04/team.png", origin="drawn by pixelkata: five team members in bright uniforms before a "
         "sunset sky, 384x256")
def team() -> np.ndarray:
    img = _gradient(W, H, (250, 200, 150), (120, 190, 255))
    colours = [(60, 60, 230), (230, 160, 40), (40, 200, 240), (90, 220, 90), (220, 90, 200)]
    for i, colour in enumerate(colours):
        cx = 48 + i * 72
        top = 110 + (i % 2) * 14
        cv2.ellipse(img, (cx, H + 20), (31, H + 4 - top), 0, 180, 360, colour, -1, cv2.LINE_AA)  # body
        cv2.circle(img, (cx, top), 22, (190, 215, 245), -1, cv2.LINE_AA)  # face
        hair = np.array([[cx - 26, top - 4], [cx - 18, top - 40], [cx - 4, top - 22], [cx + 8, top - 44],
                         [cx + 14, top - 20], [cx + 28, top - 34], [cx + 24, top - 2]], np.int32)
        cv2.fillPoly(img, [hair], tuple(int(c * 0.6) for c in colour), cv2.LINE_AA)
        cv2.circle(img, (cx - 8, top + 2), 4, (40, 30, 30), -1, cv2.LINE_AA)
        cv2.circle(img, (cx + 8, top + 2), 4, (40, 30, 30), -1, cv2.LINE_AA)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


@picture("day04/coffee.png", origin="skimage.data.coffee() (a cup of coffee), scaled to 384x256, BGR",
         licence=SKIMAGE_LICENCE)
def coffee() -> np.ndarray:
    return cv2.resize(skimage_sample("coffee"), (W, H), interpolation=cv2.INTER_AREA)


@picture("day04/astronaut.png", origin="skimage.data.astronaut() (Eileen Collins), scaled to 256x256, BGR",
         licence=SKIMAGE_LICENCE)
def astronaut() -> np.ndarray:
    return skimage_sample("astronaut", max_side=256)


@picture("day04/roster.png", origin="drawn by pixelkata: the team's roster, dark writing on paper, lit "
         "unevenly from the top right (a deep shadow bottom left), 384x256, BGR")
def roster() -> np.ndarray:
    page = np.full((H, W), 235, np.uint8)
    names = ["SAKURA  captain", "RYU     striker", "MEI     keeper", "KAITO   wing", "YUNA    wing",
             "training: daily 6:00"]
    for i, line in enumerate(names):
        cv2.putText(page, line, (22, 40 + i * 38), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 60, 2, cv2.LINE_AA)
    cv2.rectangle(page, (12, 12), (W - 13, H - 13), 80, 2)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    light = 0.22 + 0.85 * np.clip(0.7 * xx / W + 0.5 * (1 - yy / H), 0, 1)
    page = page.astype(np.float32) * light + np.random.default_rng(4).normal(0.0, 3.0, page.shape)
    gray = np.clip(np.round(page), 0, 255).astype(np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


@picture("day04/stage.png", origin="drawn by pixelkata: an empty stage with two spotlights, 480x320")
def stage() -> np.ndarray:
    w, h = 480, 320
    img = _gradient(w, h, (90, 40, 60), (30, 20, 40))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    for cx, tint in ((140, (150, 200, 255)), (350, (255, 190, 150))):
        spot = np.exp(-(((xx - cx) / 70) ** 2 + ((yy - 230) / 45) ** 2))
        img += spot[..., None] * np.array(tint, np.float32) * 0.8
    img[250:] = img[250:] * 0.6 + np.array((40, 70, 110), np.float32) * 0.4  # the wooden floor
    for x in range(0, w, 40):
        cv2.line(img, (x, 250), (x + (x - w // 2) // 3, h - 1), (30, 50, 80), 2, cv2.LINE_AA)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def _hero_alpha() -> np.ndarray:
    """The hero's coverage, 0..1: a solid figure with soft edges, a glowing aura and a see-through shield."""
    body = np.zeros((H, W), np.float32)
    cv2.circle(body, (192, 80), 34, 1.0, -1, cv2.LINE_AA)
    cv2.ellipse(body, (192, 200), (58, 90), 0, 180, 360, 1.0, -1, cv2.LINE_AA)
    spikes = np.array([[150, 76], [160, 20], [180, 50], [192, 8], [206, 48], [226, 18], [236, 78]], np.int32)
    cv2.fillPoly(body, [spikes], 1.0, cv2.LINE_AA)
    body = cv2.GaussianBlur(body, (0, 0), 1.2)
    aura = cv2.GaussianBlur((cv2.dilate((body > 0.5).astype(np.uint8), np.ones((25, 25), np.uint8)) > 0)
                            .astype(np.float32), (0, 0), 9) * 0.55
    shield = np.zeros((H, W), np.float32)
    cv2.ellipse(shield, (300, 150), (60, 85), 0, 0, 360, 0.35, -1, cv2.LINE_AA)
    cv2.ellipse(shield, (300, 150), (60, 85), 0, 0, 360, 0.8, 3, cv2.LINE_AA)
    return np.clip(np.maximum(np.maximum(body, aura), shield), 0, 1)


@picture("day04/hero.png", origin="drawn by pixelkata: a spiky-haired hero with a golden aura and a blue "
         "ki shield, on a green backdrop, 384x256")
def hero() -> np.ndarray:
    img = np.zeros((H, W, 3), np.float32)
    img[:] = (60, 200, 40)  # green backdrop: what shows where the alpha is 0
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    glow = np.exp(-(((xx - 192) / 90) ** 2 + ((yy - 140) / 120) ** 2))
    aura = np.array((40, 200, 255), np.float32)
    img = img * (1 - glow[..., None] * 0.9) + aura * glow[..., None] * 0.9
    cv2.ellipse(img, (192, 200), (58, 90), 0, 180, 360, (140, 60, 30), -1, cv2.LINE_AA)  # blue suit
    cv2.ellipse(img, (192, 150), (40, 30), 0, 0, 360, (235, 235, 235), -1, cv2.LINE_AA)  # armour
    cv2.circle(img, (192, 80), 34, (150, 190, 235), -1, cv2.LINE_AA)  # face
    spikes = np.array([[150, 76], [160, 20], [180, 50], [192, 8], [206, 48], [226, 18], [236, 78]], np.int32)
    cv2.fillPoly(img, [spikes], (30, 200, 250), cv2.LINE_AA)  # golden hair
    cv2.ellipse(img, (300, 150), (60, 85), 0, 0, 360, (255, 170, 80), -1, cv2.LINE_AA)  # shield
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


@picture("day04/hero_alpha.png", origin="drawn by pixelkata: the hero's alpha mask (0 transparent, 255 "
         "opaque): a soft-edged figure, a half-transparent aura and a see-through shield, 384x256")
def hero_alpha() -> np.ndarray:
    return np.clip(np.round(_hero_alpha() * 255), 0, 255).astype(np.uint8)
