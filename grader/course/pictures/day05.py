"""Day 5 inputs: a Titan looking over the Wall, drawn here as flat gray regions, its true outline, and a noisy copy.

Every region has one gray level (the sky a gentle gradient), so the true
outline is exactly where the regions meet. The contrasts differ on purpose:
the eyes and the Wall stand out strongly, the Titan's face less, and two
pale clouds only faintly, so that Canny's thresholds decide what is found.
``titan_noisy`` carries two kinds of noise at once, for the challenge.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import picture

W, H = 384, 256
NOISE_SIGMA, SALT_PEPPER, NOISE_SEED = 15.0, 0.06, 5

# Regions in drawing order: (label, gray level).
SKY, CLOUD, HEAD, HAIR, EYE, MOUTH, WALL, GATE = range(1, 9)
LEVELS = {SKY: None, CLOUD: 228, HEAD: 158, HAIR: 72, EYE: 30, MOUTH: 92, WALL: 118, GATE: 60}


def label_map() -> np.ndarray:
    labels = np.full((H, W), SKY, np.uint8)
    cv2.ellipse(labels, (70, 50), (46, 18), 0, 0, 360, CLOUD, -1)
    cv2.ellipse(labels, (330, 36), (38, 14), 0, 0, 360, CLOUD, -1)
    cv2.ellipse(labels, (215, 150), (72, 96), 0, 0, 360, HEAD, -1)
    hair = np.array([[140, 130], [150, 70], [175, 45], [215, 38], [258, 48], [282, 78], [290, 130],
                     [270, 92], [240, 76], [200, 74], [165, 92]], np.int32)
    cv2.fillPoly(labels, [hair], HAIR)
    cv2.ellipse(labels, (188, 128), (14, 8), 0, 0, 360, EYE, -1)
    cv2.ellipse(labels, (244, 128), (14, 8), 0, 0, 360, EYE, -1)
    cv2.rectangle(labels, (190, 168), (240, 176), MOUTH, -1)
    cv2.rectangle(labels, (0, 190), (W - 1, H - 1), WALL, -1)
    cv2.ellipse(labels, (96, H - 1), (34, 40), 0, 180, 360, GATE, -1)
    return labels


def _render(labels: np.ndarray) -> np.ndarray:
    sky = np.linspace(196, 214, H, dtype=np.float32)[:, None].repeat(W, axis=1)
    img = sky.copy()
    for label, level in LEVELS.items():
        if level is not None:
            img[labels == label] = level
    return img


@picture("day05/titan.png", origin="drawn by pixelkata: a Titan's head looking over the Wall, two pale "
         "clouds and a gate, in flat gray regions, 384x256 grayscale")
def titan() -> np.ndarray:
    return np.clip(np.round(_render(label_map())), 0, 255).astype(np.uint8)


@picture("day05/titan_noisy.png", origin="drawn by pixelkata: titan.png with Gaussian noise "
         f"(sigma {NOISE_SIGMA:g}) and salt-and-pepper noise ({SALT_PEPPER:.0%} of the pixels), seed {NOISE_SEED}")
def titan_noisy() -> np.ndarray:
    rng = np.random.default_rng(NOISE_SEED)
    img = np.clip(np.round(_render(label_map()) + rng.normal(0.0, NOISE_SIGMA, (H, W))), 0, 255).astype(np.uint8)
    hit = rng.random((H, W))
    img[hit < SALT_PEPPER / 2] = 0  # pepper
    img[(hit >= SALT_PEPPER / 2) & (hit < SALT_PEPPER)] = 255  # salt
    return img


@picture("day05/titan_outline.png", origin="drawn by pixelkata: the true outline of titan.png, 255 on "
         "every pixel whose region differs from its right or lower neighbour's, 0 elsewhere")
def titan_outline() -> np.ndarray:
    labels = label_map()
    edge = np.zeros((H, W), bool)
    edge[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    edge[:-1, :] |= labels[:-1, :] != labels[1:, :]
    return edge.astype(np.uint8) * 255
