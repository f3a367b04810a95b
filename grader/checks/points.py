"""Point sets: corners, keypoints, positions along a path, judged within a pixel tolerance.

A point set is an array of shape ``(N, 2)``, one ``(x, y)`` pair per row, in
pixels (x to the right, y down, as OpenCV gives and takes points). Two modes:

* unordered (the default): each returned point is paired with at most one
  true point within ``tol`` pixels (closest pairs first); the score is the
  F1 of that pairing, ``2 * matched / (returned + true)``, which is 1 only
  when every true point is found and nothing else is returned;
* ``ordered = true``: point *i* is judged against true point *i* (a track,
  a list of outline corners); the score is the share within ``tol``.
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, apart, marks_of, written, Check, CheckError, Verdict, describe, meets, register
from grader.values import Unsupported


def as_points(value) -> np.ndarray | str:
    """``value`` as a float array of shape (N, 2), or a sentence saying why it is not a point set.

    Accepts an array or a list of pairs; OpenCV's ``(N, 1, 2)`` layout (as
    ``cv2.goodFeaturesToTrack`` and ``cv2.perspectiveTransform`` return it) is
    the same set of points.
    """
    if value is None:
        return "returned None where an array of (x, y) points was expected: did you forget to `return` it?"
    if isinstance(value, Unsupported):
        return f"returned a {value.type_name}, which {value.reason}: return a NumPy array of shape (N, 2)."
    if isinstance(value, (str, dict)) or not isinstance(value, (np.ndarray, list, tuple)):
        return f"returned {describe(value)} where an array of (x, y) points of shape (N, 2) was expected."
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return "could not read your answer as numbers: return an array of shape (N, 2) of (x, y) pairs."
    if a.ndim == 3 and a.shape[1] == 1 and a.shape[2] == 2:
        a = a[:, 0, :]
    if a.size == 0:
        return np.zeros((0, 2))
    if a.ndim != 2 or a.shape[1] != 2:
        return (f"expected an array of shape (N, 2), one (x, y) pair per row; got shape {a.shape}. "
                "cv2.KeyPoint objects cannot be returned: use np.array([kp.pt for kp in keypoints]).")
    if not np.all(np.isfinite(a)):
        return "your points contain NaN or infinite values: check for a division by zero."
    return a


def pair_up(actual: np.ndarray, expected: np.ndarray, tol: float) -> int:
    """How many points of ``actual`` pair one-to-one with points of ``expected`` within ``tol`` (closest first)."""
    if len(actual) == 0 or len(expected) == 0:
        return 0
    d = np.sqrt(((actual[:, None, :] - expected[None, :, :]) ** 2).sum(axis=2))
    i, j = np.nonzero(d <= tol)
    order = np.argsort(d[i, j], kind="stable")
    used_a, used_e = set(), set()
    for k in order:
        a, e = int(i[k]), int(j[k])
        if a not in used_a and e not in used_e:
            used_a.add(a)
            used_e.add(e)
    return len(used_a)


def f1(actual: np.ndarray, expected: np.ndarray, tol: float) -> float:
    total = len(actual) + len(expected)
    return 1.0 if total == 0 else 2 * pair_up(actual, expected, tol) / total


def share_within(actual: np.ndarray, expected: np.ndarray, tol: float) -> float:
    if len(expected) == 0:
        return 1.0
    d = np.sqrt(((actual - expected) ** 2).sum(axis=1))
    return float(np.count_nonzero(d <= tol)) / len(expected)


@register
class PointsCheck(Check):
    """A set of (x, y) points within ``tol`` pixels of the true ones.

    Options: ``tol`` (pixels, default 2), ``min`` (the F1, or the share within
    ``tol`` when ``ordered``, that passes; default 0.9), ``ordered`` (default
    false), ``what`` (the points' name in messages, default "points"),
    ``xy`` (default true: the points are (x, y), so a (row, col) answer is
    named as such; false for pairs that are not positions, e.g. matches).
    """

    accepts = ("min", "ordered", "tol", "what", "xy")
    causes = {
        "row_col": "(row, col) pairs where (x, y) points were asked for",
        "too_many": "more than twice as many points as there are (weak or repeated ones kept)",
        "too_few": "fewer than half the points (most missed)",
    }
    kind = "points"
    metric = "F1"

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 0.9))
            self.tol = float(options.get("tol", 2.0))
        except (TypeError, ValueError):
            raise CheckError("points check: min and tol must be numbers") from None
        self.ordered = bool(options.get("ordered", False))
        self.what = str(options.get("what", "points"))
        self.xy = bool(options.get("xy", True))
        if self.ordered:
            self.metric = "share within tolerance"

    def _score(self, a: np.ndarray, e: np.ndarray) -> float:
        return share_within(a, e, self.tol) if self.ordered else f1(a, e, self.tol)

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        e = as_points(expected)
        a = as_points(actual)
        if isinstance(e, str):
            # Only a catalogued mistake's output can be a reference that is no point set: the same answer matches it.
            same = _same(actual, expected)
            return Verdict(same, "" if same else "your answer is not the same malformed answer.", metric=self.metric,
                           value=1.0 if same else 0.0, threshold=self.threshold)
        if isinstance(a, str):
            return Verdict(False, a, metric=self.metric, threshold=self.threshold)
        if self.ordered and len(a) != len(e):
            return Verdict(False, f"returned {len(a)} {self.what} where {len(e)} were expected, one per row in "
                                  "order.", metric=self.metric, value=0.0, threshold=self.threshold)
        score = self._score(a, e)
        ok = meets(score, self.threshold, ">=")
        px = f"{self.tol:g} pixel{'s' if self.tol != 1 else ''}"
        if self.ordered:
            near = int(round(score * len(e)))
            detail = f"{near} of {len(e)} {self.what} within {px}."
        else:
            matched = pair_up(a, e, self.tol)
            detail = f"{matched} of {len(e)} {self.what} found within {px}, {len(a) - matched} extra."
        table = [(self.what, str(len(e)), str(len(a))), (self.metric, "1.000", written(score, marks_of(ctx, self.threshold, 1.0)))]
        if ok:
            return Verdict(True, metric=self.metric, value=score, threshold=self.threshold, table=table,
                           detail=detail)
        shown = apart(score, self.threshold)
        message = f"{detail[:-1]}: {self.metric} {shown[0]}, needs {shown[1]}."
        cause = None
        if self.xy and len(a) and self._score(a[:, ::-1], e) >= max(self.threshold, score + 0.2):
            cause = "row_col"
            message = (f"your {self.what} are (row, col) pairs where (x, y) was asked for: swap the columns, "
                       "e.g. points[:, ::-1]. NumPy indexes put the row (y) first; OpenCV points put x first. "
                       + message)
        elif not self.ordered and len(a) > 2 * max(len(e), 1):
            cause = "too_many"
            message += f" You return {len(a)} {self.what} for {len(e)}: keep only the strong, distinct ones."
        elif not self.ordered and len(a) < len(e) // 2:
            cause = "too_few"
            message += f" You return only {len(a)}: some {self.what} are missed."
        return self.diagnosed(Verdict(False, message, metric=self.metric, value=score, threshold=self.threshold,
                                      table=table, detail=detail), cause)


def _same(a, b) -> bool:
    try:
        return bool(np.array_equal(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), equal_nan=True))
    except (TypeError, ValueError):
        return False
