"""Score simple baselines on the challenges of Days 6 to 13, to show where their tiers come from.

Each challenge's tiers were set between measured baselines: an answer that
does nothing useful must reach no tier, simple methods the lower tiers, the
reference solution gold. This script re-measures them with the same checks
and inputs that grading uses and prints one line per baseline:

    python -m benchmarks.challenge_baselines
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import cv2
import numpy as np
from scipy import ndimage as ndi

from grader import checks
from grader.course.cases import materialize
from grader.checks import CaseContext
from grader.course import load_course
from grader.course.references import References
from grader.grading.results import tier_for

ROOT = Path(__file__).resolve().parent.parent
PROPS = ["contrast", "dissimilarity", "homogeneity", "energy", "correlation", "ASM"]


def solution(module: str):
    spec = importlib.util.spec_from_file_location(module, ROOT / "solutions" / f"{module}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# --- Day 6: name the noise


def impulse_only(images):
    names = []
    for image in images:
        median = cv2.medianBlur(image, 3)
        white = ((image == 255) & (median < 200)).mean()
        black = ((image == 0) & (median > 55)).mean()
        names.append("salt_and_pepper" if white > 0.003 and black > 0.003 else
                     "salt" if white > 0.003 else "pepper" if black > 0.003 else "gaussian")
    return names


# --- Day 7: restore


def impulse_fix(image):
    return np.where((image == 0) | (image == 255), cv2.medianBlur(image, 5), image)


# --- Day 8: textures


def nearest_centroid(train, labels, test):
    train, test = np.asarray(train, float), np.asarray(test, float)
    mu, sd = train.mean(0), train.std(0) + 1e-12
    train, test = (train - mu) / sd, (test - mu) / sd
    names = sorted(set(labels))
    cents = np.array([train[np.array(labels) == n].mean(0) for n in names])
    return [names[k] for k in ((test[:, None] - cents[None]) ** 2).sum(2).argmin(1)]


def nearest_neighbour(train, labels, test):
    train, test = np.asarray(train, float), np.asarray(test, float)
    mu, sd = train.mean(0), train.std(0) + 1e-12
    train, test = (train - mu) / sd, (test - mu) / sd
    return [labels[int(((train - t) ** 2).sum(1).argmin())] for t in test]


def first_order(p):
    x = p.astype(float).ravel()
    z = (x - x.mean()) / x.std()
    return [(z ** 3).mean(), (z ** 4).mean() - 3]


def glcm_features(p, distances=(1,), props=PROPS):
    from skimage.feature import graycomatrix, graycoprops
    m = graycomatrix(p // 16, list(distances), [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=16,
                     symmetric=True, normed=True)
    return [graycoprops(m, n)[d].mean() for n in props for d in range(len(distances))]


def by_features(feature, rule=nearest_centroid):
    return lambda train, labels, test: rule([feature(p) for p in train], labels, [feature(p) for p in test])


# --- Day 9: coins


def label(mask):
    from skimage.measure import label as sk_label
    return sk_label(mask, connectivity=2)


def filled_without_specks(mask, smallest=100):
    from skimage.morphology import remove_small_objects
    return remove_small_objects(ndi.binary_fill_holes(mask), max_size=smallest - 1)


def otsu(image):
    return cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1] > 0


def canny_filled(image):
    edges = cv2.dilate(cv2.Canny(cv2.GaussianBlur(image, (5, 5), 0), 40, 120), np.ones((3, 3), np.uint8))
    return label(filled_without_specks(edges > 0))


def watershed(image):
    from skimage import filters, segmentation
    markers = np.zeros(image.shape, np.int32)
    markers[image < 30] = 1
    markers[image > 150] = 2
    regions = segmentation.watershed(filters.sobel(image), markers)
    return label(filled_without_specks(regions == 2))


def baselines():
    d6, d7, d8, d9 = (solution(m) for m in ("day06_noise", "day07_filtering", "day08_texture",
                                            "day09_segmentation"))
    return {
        ("day06", "name_noise"): [
            ("every picture called gaussian", lambda images: ["gaussian"] * len(images)),
            ("impulse kinds only, the rest gaussian", impulse_only),
            ("reference solution", d6.name_noise),
        ],
        ("day07", "restore"): [
            ("the spoiled input itself", lambda image: image),
            ("5x5 Gaussian", lambda image: cv2.GaussianBlur(image, (5, 5), 0)),
            ("3x3 median", lambda image: cv2.medianBlur(image, 3)),
            ("5x5 median", lambda image: cv2.medianBlur(image, 5)),
            ("3x3 median, then non-local means (h 10)",
             lambda image: cv2.fastNlMeansDenoising(cv2.medianBlur(image, 3), None, 10, 7, 21)),
            ("median on 0/255 pixels, then bilateral",
             lambda image: cv2.bilateralFilter(impulse_fix(image), 9, 50, 50)),
            ("reference solution", d7.restore),
            ("median on 0/255 pixels, then non-local means (h 14)",
             lambda image: cv2.fastNlMeansDenoising(impulse_fix(image), None, 14, 7, 21)),
        ],
        ("day08", "classify_textures"): [
            ("every patch called brick", lambda train, labels, test: ["brick"] * len(test)),
            ("mean brightness, nearest centroid", by_features(lambda p: [p.mean()])),
            ("skewness and kurtosis, nearest centroid", by_features(first_order)),
            ("GLCM contrast alone, nearest centroid", by_features(lambda p: glcm_features(p, props=["contrast"]))),
            ("reference solution", d8.classify_textures),
            ("GLCM at distances 1-3 with skewness and kurtosis, nearest neighbour",
             by_features(lambda p: glcm_features(p, (1, 2, 3)) + first_order(p), nearest_neighbour)),
        ],
        ("day09", "coins"): [
            ("Otsu's threshold alone", lambda image: label(otsu(image))),
            ("Otsu, holes filled, specks removed", lambda image: label(filled_without_specks(otsu(image)))),
            ("Canny edges dilated and filled", canny_filled),
            ("reference solution", d9.coins),
            ("watershed from markers (no convex hull)", watershed),
        ],
    }


def main() -> None:
    course = load_course()
    refs = References(ROOT / "reference_images")
    from benchmarks.challenge_baselines_bonus import baselines as bonus_baselines  # days 10 to 13
    for (day, name), entries in {**baselines(), **bonus_baselines()}.items():
        task = course.day(int(day[3:])).task(name)
        tiers = task.check["tiers"]
        print(f"{task.key}: tiers " + ", ".join(f"{k} {v:g}" for k, v in tiers.items()))
        calls = []
        for case in task.cases:
            args, kwargs, _ = materialize(case, refs)
            calls.append((case, checks.check_for(task, case), refs.expected(task, case), args, kwargs,
                          CaseContext(task=task, case=case, args=args, kwargs=kwargs)))
        for label_, fn in entries:
            # The task's score is the mean over its cases, as grading takes it; each case's value is shown too.
            verdicts = [check.compare(fn(*args, **kwargs), expected, ctx)
                        for case, check, expected, args, kwargs, ctx in calls]
            score = sum(v.value for v in verdicts) / len(verdicts)
            tier = tier_for(score, tiers) or "no tier"
            if len(calls) == 1:
                detail = f"  ({verdicts[0].detail})" if verdicts[0].detail else ""
                print(f"  {score:7.3f}  {tier:<8} {label_}{detail}")
                continue
            cases = ", ".join(f"{call[0].id} {v.value:.3f}" for call, v in zip(calls, verdicts))
            print(f"  {score:7.3f}  {tier:<8} {label_}  ({cases})")
            for call, v in zip(calls, verdicts):
                if v.detail:
                    print(f"{'':19}{call[0].id}: {v.detail}")
        print()


if __name__ == "__main__":
    main()
