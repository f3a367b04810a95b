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


# --- Day 11: demons in a crowd


def pixels_knn(train_images, train_y, test_images):
    from sklearn.neighbors import KNeighborsClassifier
    flat = lambda stack: stack.reshape(len(stack), -1).astype(np.float64)  # noqa: E731
    return KNeighborsClassifier(5).fit(flat(train_images), train_y).predict(flat(test_images))


def described(describe, model):
    """Features by ``describe`` (a stack to rows), scaled on the training set, then ``model()``."""
    from sklearn.preprocessing import StandardScaler

    def classify(train_images, train_y, test_images):
        a, b = describe(train_images), describe(test_images)
        scaler = StandardScaler().fit(a)
        return model().fit(scaler.transform(a), train_y).predict(scaler.transform(b))
    return classify


def leaky(describe, model):
    """The same, with the scaler fitted on the test set (the leakage mistake)."""
    from sklearn.preprocessing import StandardScaler

    def classify(train_images, train_y, test_images):
        a, b = describe(train_images), describe(test_images)
        scaler = StandardScaler().fit(b)
        return model().fit(scaler.transform(a), train_y).predict(scaler.transform(b))
    return classify


# --- Day 12: the assault


def single_size(method=cv2.TM_CCOEFF_NORMED, threshold=0.6, nms=True, scales=(1.0,)):
    """Template matching at the given sizes; with ``method`` TM_SQDIFF its scores read as "bigger is better"."""
    d12 = solution("day12_detect")

    def find(template, scenes):
        out = []
        for scene in scenes:
            rows = []
            for s in scales:
                t = cv2.resize(template, None, fx=s, fy=s) if s != 1.0 else template
                scores = cv2.matchTemplate(scene, t, method)
                if method == cv2.TM_SQDIFF:
                    scores = scores / scores.max()  # the classic mistake: the largest difference taken as best
                ys, xs = np.nonzero(scores >= threshold)
                h, w = t.shape
                rows.append(np.column_stack([xs, ys, xs + w, ys + h, scores[ys, xs]]).astype(np.float64))
            pool = np.concatenate(rows).reshape(-1, 5)
            out.append(pool[d12.nms(pool[:, :4], pool[:, 4], 0.3)] if nms and len(pool) else pool)
        return out
    return find


def sizes_pooled_without_nms_over_the_pool(scales=(0.8, 0.9, 1.0, 1.1, 1.2, 1.3), threshold=0.6):
    """The task's detect() (NMS within one size) at each size, pooled, with no NMS over the pool."""
    d12 = solution("day12_detect")

    def find(template, scenes):
        return [np.concatenate([d12.detect(scene, cv2.resize(template, None, fx=s, fy=s), threshold)
                                for s in scales]) for scene in scenes]
    return find


# --- Day 13: held-out digits


def flat(stack):
    return stack.reshape(len(stack), -1).astype(np.float64) / 16.0


def tiny_cnn(flip=False):
    """The shipped tiny CNN's argmax; with ``flip`` its kernels flipped (convolution taken for correlation)."""
    def classify(train_x, train_y, test_x):
        d13 = solution("day13_network")
        refs = ROOT / "reference_images" / "inputs" / "day13"
        w = {k: np.load(refs / f"cnn-{k.replace('_', '-')}.npy") for k in ("conv_w", "conv_b", "dense_w", "dense_b")}
        if flip:
            w["conv_w"] = w["conv_w"][:, ::-1, ::-1]
        return d13.forward(test_x.astype(np.float64) / 16.0, **w).argmax(axis=1)
    return classify


def nearest_centroid(train_x, train_y, test_x):
    a, b = flat(train_x), flat(test_x)
    centres = np.stack([a[train_y == c].mean(axis=0) for c in range(10)])
    return ((b[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)


def baselines() -> dict:
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC

    d10 = solution("day10_features")
    d11 = solution("day11_classify")
    colour = d11._colour_shares
    gray_cells = lambda stack: d11._gradient_cells(  # noqa: E731
        np.stack([cv2.cvtColor(p, cv2.COLOR_BGR2GRAY) for p in stack])[..., None])
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
        ("day11", "classify_crowd"): [
            ("naive: every face a villager", lambda train, y, test: np.zeros(len(test), np.int64)),
            ("mistake: raw pixels as features, 5-NN", pixels_knn),
            ("mistake: the reference's features and SVC, the scaler fitted on the test set",
             leaky(lambda s: np.hstack([colour(s), d11._gradient_cells(s)]), SVC)),
            ("colour histogram alone, 5-NN", described(colour, lambda: KNeighborsClassifier(5))),
            ("gradient cells of the gray picture, SVC", described(gray_cells, SVC)),
            ("reference solution", d11.classify_crowd),
        ],
        ("day12", "detect_titans"): [
            ("naive: nothing found", lambda template, scenes: [np.zeros((0, 5)) for _ in scenes]),
            ("mistake: TM_SQDIFF read as bigger is better", single_size(cv2.TM_SQDIFF, 0.9)),
            ("one size, threshold 0.8, NMS", single_size(threshold=0.8)),
            ("one size, threshold 0.6, NMS (the task's detect)", single_size()),
            ("mistake: six sizes, threshold 0.6, no NMS", single_size(nms=False, scales=(0.8, 0.9, 1.0, 1.1, 1.2, 1.3))),
            ("mistake: each size's detect() pooled, no NMS over the pool", sizes_pooled_without_nms_over_the_pool()),
            ("reference solution", solution("day12_detect").detect_titans),
        ],
        ("day13", "classify_digits"): [
            ("naive: the most common digit", lambda tx, ty, sx: np.full(len(sx), np.bincount(ty).argmax())),
            ("mistake: the tiny CNN with its kernels flipped (convolution for correlation)", tiny_cnn(flip=True)),
            ("nearest centroid", nearest_centroid),
            ("the task's MLP (64 hidden, 60 passes) on all 1200",
             lambda tx, ty, sx: solution("day13_network").train_mlp(tx, ty, sx)),
            ("the shipped tiny CNN", tiny_cnn()),
            ("reference solution", solution("day13_network").classify_digits),
        ],
    }
