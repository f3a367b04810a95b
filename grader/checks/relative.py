"""Numeric arrays against a reference by their relative error.

The relative error is the largest absolute difference divided by the largest
absolute expected value, ``max|yours - expected| / max|expected|``: one number
that does not depend on the arrays' scale, for convolutions, activations,
probabilities and a network's outputs alike. Shape comes first; the dtype is
free (a float32 or a float64 answer is the same answer). The score is that
error over the allowed one (pass at <= 1), as the ``close`` check reports it,
so a margin reads the same whatever the tolerance. NaN or infinite values
fail, unless the reference has the very same ones (when a wrong answer is
compared with a catalogued mistake's output).
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, Check, CheckError, Verdict, array_problem, describe, meets, register
from grader.values import Unsupported


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """``max|actual - expected| / max|expected|`` (the plain largest difference when expected is all zeros)."""
    if expected.size == 0:
        return 0.0
    scale = float(np.abs(expected).max())
    diff = float(np.abs(actual - expected).max())
    return diff / scale if scale > 0 else diff


@register
class RelativeCheck(Check):
    """An array (or a number) within a relative error of the reference.

    Options: ``max`` (the largest relative error that passes, default 1e-6),
    ``what`` (the array's name in messages, default "array").
    """

    accepts = ("max", "what")
    kind = "relative"
    metric = "relative error/allowed"
    op = "<="

    def __init__(self, options):
        super().__init__(options)
        try:
            self.allowed = float(options.get("max", 1e-6))
        except (TypeError, ValueError):
            raise CheckError("relative check: max must be a number") from None
        if not self.allowed > 0:
            raise CheckError("relative check: max must be above 0")
        self.threshold = 1.0
        self.what = str(options.get("what", "array"))

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        e = np.asarray(expected, dtype=np.float64)
        v = dict(metric=self.metric, threshold=self.threshold, op="<=")
        if isinstance(actual, np.ndarray) and not (actual.shape == e.shape and actual.dtype.kind in "biuf"):
            problem = array_problem(actual, e, what=self.what, dtype_strict=False)
            if problem:
                return Verdict(False, problem, **v)
            if actual.dtype.kind not in "biuf":
                return Verdict(False, f"your {self.what} holds {actual.dtype} values, not numbers.", **v)
        elif isinstance(actual, (Unsupported, str, dict)) or actual is None or isinstance(actual, (list, tuple)) \
                and e.ndim > 0:
            if isinstance(actual, (list, tuple)):
                return Verdict(False, f"returned a {type(actual).__name__} where a NumPy array of shape "
                                      f"{tuple(e.shape)} was expected: wrap it with np.array(...).", **v)
            want = "a number" if e.ndim == 0 else f"an array of shape {tuple(e.shape)}"
            if actual is None:
                return Verdict(False, f"returned None where {want} was expected: did you forget to `return` it?",
                               **v)
            return Verdict(False, f"returned {describe(actual)} where {want} was expected.", **v)
        try:
            a = np.asarray(actual, dtype=np.float64)
        except (TypeError, ValueError):
            return Verdict(False, f"returned {describe(actual)}, which is not a number.", **v)
        if a.shape != e.shape:
            return Verdict(False, f"expected shape {tuple(e.shape)}, got {tuple(a.shape)}.", **v)
        finite = np.isfinite(a)
        if not np.all(finite):
            same = np.array_equal(finite, np.isfinite(e)) and np.array_equal(a[~finite], e[~finite], equal_nan=True)
            if not same:
                bad = int(a.size - np.count_nonzero(finite))
                return Verdict(False, f"your {self.what} holds {bad} NaN or infinite value{'s' if bad != 1 else ''}: "
                                      "an exp() or a division overflowed (subtract the largest value before exp, "
                                      "keep logs away from 0).", value=float("inf"), **v)
            a, e = a[finite], e[finite]
        err = relative_error(a, e)
        ratio = err / self.allowed
        ok = meets(ratio, 1.0, "<=")
        table = _rows(a, e)
        detail = f"relative error {err:.2e} (allowed {self.allowed:.0e})."
        if ok:
            return Verdict(True, value=ratio, table=table, detail=detail, **v)
        if e.ndim == 0:
            message = (f"expected {float(e):.6g}, got {float(a):.6g}: relative error {err:.3g}, allowed "
                       f"{self.allowed:.3g}.")
        else:
            idx = np.unravel_index(int(np.argmax(np.abs(a - e))), e.shape)
            message = (f"relative error {err:.3g}, allowed {self.allowed:.3g}: at index {list(map(int, idx))} you "
                       f"have {a[idx]:.6g} where {e[idx]:.6g} was expected.")
        return Verdict(False, message, value=ratio, table=table, detail=detail, **v)


def _rows(a: np.ndarray, e: np.ndarray, limit: int = 8) -> list:
    if e.ndim == 0:
        return [("value", f"{float(e):.6g}", f"{float(a):.6g}")]
    return [(str(list(np.unravel_index(i, e.shape))), f"{x:.6g}", f"{y:.6g}")
            for i, (x, y) in enumerate(zip(e.ravel()[:limit], a.ravel()[:limit]))]
