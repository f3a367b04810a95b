"""A located outline: the polygon where an object was found, scored by its IoU with the true outline.

An outline is an array of shape ``(K, 2)``: the object's corners as ``(x, y)``
pixels, in order around it (OpenCV's ``(K, 1, 2)``, as
``cv2.perspectiveTransform`` returns it, is accepted too). Both polygons are
filled on a grid fine enough for the true outline (its longer side at least
256 cells) and the IoU of the two filled areas is the score: 1 when the
outline is exact, 0 when it misses the object. Corners in the wrong order
make a crossed polygon that covers less, and lose IoU.

With several scenes the reference is a stack ``(S, K, 2)`` of true outlines,
the answer a list of ``S`` outlines (``None`` for an object not found, which
scores 0), and the score is the mean IoU.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.checks import CaseContext, apart, marks_of, written, Check, CheckError, Verdict, describe, meets, register
from grader.checks.points import as_points
from grader.values import Unsupported

GRID = 256  # cells along the true outline's longer side
MAX_CELLS = 2048  # a wildly wrong outline is drawn at a coarser scale, never on a huge canvas


def outline_iou(actual: np.ndarray, expected: np.ndarray) -> float:
    """IoU of two polygons (arrays (K, 2) of (x, y)), filled on a common grid."""
    if len(actual) < 3:
        return 0.0
    lo = np.minimum(actual.min(0), expected.min(0))
    hi = np.maximum(actual.max(0), expected.max(0))
    side = float(max(np.ptp(expected, axis=0).max(), 1e-6))
    scale = GRID / side
    scale = min(scale, MAX_CELLS / float(max((hi - lo).max(), 1e-6)))
    size = np.ceil((hi - lo) * scale).astype(int) + 3
    masks = []
    for poly in (actual, expected):
        canvas = np.zeros((size[1], size[0]), np.uint8)
        pts = np.round((poly - lo) * scale * 16 + 16).astype(np.int32)  # 4 fractional bits
        cv2.fillPoly(canvas, [pts], 1, lineType=cv2.LINE_8, shift=4)
        masks.append(canvas.astype(bool))
    inter = np.count_nonzero(masks[0] & masks[1])
    union = np.count_nonzero(masks[0] | masks[1])
    return inter / union if union else 0.0


@register
class OutlineCheck(Check):
    """A located outline (or one per scene), scored by IoU against the true outline.

    Options: ``min`` (the IoU, or the mean IoU over scenes, that passes;
    default 0.9), ``what`` (the object's name in messages, default "object").
    """

    accepts = ("min", "what")
    causes = {
        "row_col": "corners given as (row, col) where (x, y) was asked for",
        "crossed": "the right corners in an order that crosses the polygon",
        "homography_direction": "an outline that misses the object entirely (the homography taken the wrong way)",
    }
    kind = "outline"
    metric = "IoU"

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 0.9))
        except (TypeError, ValueError):
            raise CheckError("outline check: min must be a number") from None
        self.what = str(options.get("what", "object"))

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        if isinstance(expected, (list, tuple)):  # one outline per scene, None where nothing was found
            return self._scenes(actual, list(expected), ctx)
        truth = np.asarray(expected, dtype=np.float64)
        if truth.ndim == 3:
            return self._scenes(actual, list(truth), ctx)
        a = as_points(actual)
        if isinstance(a, str):
            return Verdict(False, a.replace("(x, y) points", f"the {self.what}'s corners"), metric=self.metric,
                           threshold=self.threshold)
        score = outline_iou(a, truth)
        ok = meets(score, self.threshold, ">=")
        shown_score = written(score, marks_of(ctx, self.threshold, 1.0))
        table = [("corners", str(len(truth)), str(len(a))), ("IoU", "1.000", shown_score)]
        detail = f"IoU {shown_score} with the true outline."
        if ok:
            return Verdict(True, metric=self.metric, value=score, threshold=self.threshold, table=table,
                           detail=detail)
        shown = apart(score, self.threshold)
        message = f"your outline overlaps the true {self.what} with IoU {shown[0]}, needs {shown[1]}."
        cause, why = self._why(a, truth, score)
        return self.diagnosed(Verdict(False, message + why, metric=self.metric, value=score,
                                      threshold=self.threshold, table=table, detail=detail), cause)

    def _why(self, a: np.ndarray, truth: np.ndarray, score: float) -> tuple[str | None, str]:
        """The cause (one of ``causes``, or None) of a poor outline and the sentence saying it ("" if none)."""
        if len(a) >= 3 and outline_iou(a[:, ::-1], truth) >= max(self.threshold, score + 0.2):
            return "row_col", (" Your corners are (row, col) where (x, y) was asked for: swap the columns. NumPy "
                               "indexes put the row (y) first; OpenCV points put x first.")
        if len(a) == len(truth) >= 4:
            # The same corners in another order: a crossed polygon.
            centre = a.mean(0)
            around = a[np.argsort(np.arctan2(a[:, 1] - centre[1], a[:, 0] - centre[0]))]
            if outline_iou(around, truth) >= max(self.threshold, score + 0.2):
                return "crossed", (" Your corners are not in order around the object, so the polygon crosses "
                                   "itself: give them in the order of the object's own corners (top left, top "
                                   "right, bottom right, bottom left), as cv2.perspectiveTransform keeps them.")
        if score == 0.0:
            return "homography_direction", (f" It does not touch the {self.what} at all: check the homography's "
                                            "direction (object to scene).")
        return None, ""

    def _scenes(self, actual, truth: list, ctx: CaseContext | None = None) -> Verdict:
        n = len(truth)
        if isinstance(actual, np.ndarray) and actual.ndim == 3:
            actual = list(actual)
        if isinstance(actual, (Unsupported, str, dict, np.ndarray)) or not isinstance(actual, (list, tuple)):
            return Verdict(False, f"returned {describe(actual)} where a list of {n} outlines (one per scene) "
                                  "was expected.", metric=self.metric, threshold=self.threshold)
        if len(actual) != n:
            return Verdict(False, f"returned {len(actual)} outlines for {n} scenes: return one per scene, in "
                                  "order (None where the object is not found).",
                           metric=self.metric, threshold=self.threshold)
        scores, problems = [], []
        for k, (one, t) in enumerate(zip(actual, truth)):
            if t is None or one is None:  # a reference may find nothing too (a mistake's output)
                scores.append(1.0 if t is None and one is None else 0.0)
                continue
            t = np.asarray(t, dtype=np.float64).reshape(-1, 2)
            a = as_points(one)
            if isinstance(a, str):
                problems.append(f"scene {k}: {a}")
                scores.append(0.0)
            else:
                scores.append(outline_iou(a, t))
        score = float(np.mean(scores))
        ok = meets(score, self.threshold, ">=") and not problems
        found = sum(1 for s in scores if s >= 0.5)
        detail = (f"mean IoU {written(score, marks_of(ctx, self.threshold, 1.0))} over {n} scenes; {self.what} "
                  f"found (IoU >= 0.5) in {found}; worst scene {int(np.argmin(scores))} at "
                  f"{written(min(scores), [0.5, 1.0])}.")
        table = [(f"scene {k}", "1.000", written(s, [1.0])) for k, s in enumerate(scores)]
        message = "" if ok else problems[0] if problems else (
            f"mean IoU {apart(score, self.threshold)[0]} over {n} scenes, needs {apart(score, self.threshold)[1]}: "
            f"the {self.what} is found in "
            f"{found} of {n}.")
        return Verdict(ok, message, metric="mean IoU", value=score, threshold=self.threshold, table=table,
                       detail=detail)
