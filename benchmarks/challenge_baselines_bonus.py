"""Baselines for the challenges of the bonus days 10 to 13: a naive answer, a classic mistake, the reference.

Printed by ``python -m benchmarks.challenge_baselines`` with the other days'.
Each challenge's tiers sit between these: the naive answer and the classic
mistake reach no tier (or bronze at most, when the mistake still does most
of the work), the reference solution gold.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def solution(module: str):
    spec = importlib.util.spec_from_file_location(module, ROOT / "solutions" / f"{module}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# --- Day 10: find the scroll


def _outline(obj, h):
    height, width = obj.shape[:2]
    corners = np.float64([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), h).reshape(-1, 2)


def feature_search(detector, norm, ratio=0.75, method=cv2.RANSAC):
    """Find the object in each scene with ``detector``'s features, matched with ``norm``."""
    def find(obj, scenes):
        k1, d1 = detector.detectAndCompute(obj, None)
        out = []
        for scene in scenes:
            k2, d2 = detector.detectAndCompute(scene, None)
            if d2 is None or len(d2) < 2:
                out.append(None)
                continue
            good = [p[0] for p in cv2.BFMatcher(norm).knnMatch(d1, d2, k=2)
                    if len(p) == 2 and (ratio is None or p[0].distance < ratio * p[1].distance)]
            if len(good) < 4:
                out.append(None)
                continue
            h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in good]),
                                      np.float32([k2[m.trainIdx].pt for m in good]), method, 5.0)
            out.append(None if h is None else _outline(obj, h))
        return out
    return find


def whole_scene(obj, scenes):
    h, w = scenes.shape[1:3]
    return [np.float64([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]) for _ in scenes]


def baselines() -> dict:
    d10 = solution("day10_features")
    return {
        ("day10", "find_scroll"): [
            ("naive: the whole scene as the outline", whole_scene),
            ("mistake: ORB matched with the L2 norm", feature_search(cv2.ORB_create(500), cv2.NORM_L2)),
            ("mistake: ORB, ratio test, least squares without RANSAC",
             feature_search(cv2.ORB_create(500), cv2.NORM_HAMMING, method=0)),
            ("the task's locate() as it is (ORB 500, ratio 0.75, RANSAC)",
             lambda obj, scenes: [d10.locate(obj, s) for s in scenes]),
            ("reference solution", d10.find_scroll),
            ("SIFT, ratio 0.75, RANSAC", feature_search(cv2.SIFT_create(), cv2.NORM_L2)),
        ],
    }
