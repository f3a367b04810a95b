"""The edges check: an edge map against a reference outline, by F1 with a tolerance of a pixel or two.

Edge detectors disagree by a pixel about where a step lies (Canny marks one
side of it, a true outline may sit on the other), so an edge pixel counts as
found when a reference edge lies within ``tolerance`` pixels, and a reference
edge counts as recalled when one of yours does. F1 is the harmonic mean of
the two shares: it stays low both for a map full of noise and for an empty one.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.checks import CaseContext, apart, percent, written, Check, CheckError, Verdict, array_problem, meets, register


def _near(edges: np.ndarray, tolerance: float) -> np.ndarray:
    """Pixels within ``tolerance`` (Euclidean) of an edge pixel of ``edges``."""
    if not edges.any():
        return np.zeros(edges.shape, bool)
    distance = cv2.distanceTransform((~edges).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    return distance <= tolerance + 1e-6


def edge_scores(actual: np.ndarray, expected: np.ndarray, tolerance: float = 1.0) -> dict:
    """Precision, recall and F1 of the edge map ``actual`` against ``expected`` (non-zero is an edge)."""
    a, e = actual != 0, expected != 0
    na, ne = int(np.count_nonzero(a)), int(np.count_nonzero(e))
    if na == 0 and ne == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0, "yours": 0, "expected": 0}
    precision = float(np.count_nonzero(a & _near(e, tolerance))) / na if na else 0.0
    recall = float(np.count_nonzero(e & _near(a, tolerance))) / ne if ne else 0.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "yours": na, "expected": ne}


@register
class EdgesCheck(Check):
    """F1 of an edge map against the reference's, an edge within ``tolerance`` pixels counting as found.

    Options: ``min`` (pass threshold, default 0.9), ``tolerance`` (pixels,
    default 1). Any non-zero pixel is an edge: 0/255 uint8 and bool maps are
    the same map.
    """

    accepts = ("min", "tolerance")
    kind = "edges"
    metric = "F1"

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 0.9))
            self.tolerance = float(options.get("tolerance", 1))
        except (TypeError, ValueError):
            raise CheckError("edges check: min and tolerance must be numbers") from None
        if self.tolerance < 0:
            raise CheckError("edges check: tolerance must not be negative")

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        problem = array_problem(actual, expected, what="edge map", dtype_strict=False)
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        s = edge_scores(actual, expected, self.tolerance)
        ok = meets(s["f1"], self.threshold, ">=")
        table = [("precision", "1.000", written(s["precision"], [1.0])), ("recall", "1.000", written(s["recall"], [1.0])),
                 ("edge pixels", str(s["expected"]), str(s["yours"]))]
        maps = {"missed": ((expected != 0) & ~_near(actual != 0, self.tolerance)).astype(np.float32),
                "extra": ((actual != 0) & ~_near(expected != 0, self.tolerance)).astype(np.float32)}
        message = "" if ok else self._explain(s, actual)
        return Verdict(ok, message, metric=self.metric, value=s["f1"], threshold=self.threshold, table=table,
                       maps=maps)

    def _explain(self, s: dict, actual: np.ndarray) -> str:
        px = "pixel" if self.tolerance == 1 else "pixels"
        shown = apart(s["f1"], self.threshold)
        head = (f"F1 {shown[0]}, needs at least {shown[1]}: {percent(s['precision'], 0)} of your edge pixels "
                f"lie within {self.tolerance:g} {px} of a reference edge (precision) and {percent(s['recall'], 0)} of the "
                f"reference edges have one of yours nearby (recall).")
        if s["yours"] == 0:
            return head + " Your edge map is empty: edges should be non-zero (255) on a 0 background."
        if s["yours"] > 0.5 * actual.size:
            return head + (" Your map marks most of the picture: edges should be 255 on a 0 background, "
                           "not the other way round.")
        if s["precision"] < s["recall"]:
            return head + (" You mark edges the reference does not have: raise the thresholds, or smooth the "
                           "picture first so that noise does not make edges.")
        return head + " You miss edges the reference has: lower the thresholds, or smooth less."
