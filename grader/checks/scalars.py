"""Checks for numbers, small values, expected exceptions and tuples of results."""
from __future__ import annotations

import os

import numpy as np

from grader.checks import (CaseContext, Check, CheckError, Raised, Verdict, array_problem, describe,
                           make_check, register)
from grader.values import Unsupported


def _plain(v, sequence_ok: bool):
    """Normalise a value for exact comparison (numpy numbers become Python numbers)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray) and sequence_ok and v.ndim <= 1 and v.size <= 64:
        return [_plain(x, sequence_ok) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        items = [_plain(x, sequence_ok) for x in v]
        return items if sequence_ok else (tuple(items) if isinstance(v, tuple) else items)
    return v


def _show(v) -> str:
    if isinstance(v, (list, tuple)):
        v = _plain(v, False)  # (115, 92, 1), not (np.uint8(115), np.uint8(92), np.uint8(1))
    if isinstance(v, np.ndarray):
        return f"an array {tuple(v.shape)} {v.dtype}"
    if isinstance(v, Unsupported):
        return f"a {v.type_name}"
    if isinstance(v, np.generic):
        v = v.item()
    text = repr(v)
    return text if len(text) <= 80 else text[:77] + "..."


@register
class ValueCheck(Check):
    """Exact equality for small values: ints, strings, shapes, tuples.

    Options: ``sequence_ok`` (default true: a list or a small array counts as
    the tuple it holds).
    """

    accepts = ("sequence_ok",)
    causes = {"wrong_order": "the right values in the wrong order (height and width, or x and y, swapped)"}
    kind = "value"
    metric = None

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        seq = bool(self.options.get("sequence_ok", True))
        a, e = _plain(actual, seq), _plain(expected, seq)
        ok = _equal(a, e)
        if ok:
            return Verdict(True, table=[("value", _show(expected), _show(actual))])
        message = f"expected {_show(expected)}, got {_show(actual)}."
        cause = None
        if isinstance(a, list) and isinstance(e, list) and len(a) == len(e) >= 2 and a != e:
            try:
                same_items = sorted(map(repr, a)) == sorted(map(repr, e))
            except Exception:
                same_items = False
            if same_items:
                cause = "wrong_order"
                message += " The values are right but in the wrong order"
                if a[:2] == e[1::-1]:
                    message += ": a NumPy shape is (height, width, channels), and a point is (x, y)."
                else:
                    message += "."
        if actual is None:
            message += " Did you forget to `return` it?"
        return self.diagnosed(Verdict(False, message, table=[("value", _show(expected), _show(actual))]), cause)


def _equal(a, e) -> bool:
    """Exact equality of normalised values; a bool only equals a bool."""
    if isinstance(a, (list, tuple)) and isinstance(e, (list, tuple)):
        return type(a) is type(e) and len(a) == len(e) and all(_equal(x, y) for x, y in zip(a, e))
    if isinstance(a, bool) or isinstance(e, bool):
        return type(a) is type(e) and a == e
    if isinstance(a, (int, float)) and isinstance(e, (int, float)):
        return a == e
    if isinstance(a, str) and isinstance(e, str):
        return a == e
    return a is None and e is None


@register
class CloseCheck(Check):
    """Numbers or arrays of numbers equal within ``rtol`` and ``atol``.

    Passes where ``|yours - expected| <= atol + rtol * |expected|`` everywhere.
    The metric is the worst ratio of error to tolerance (pass at <= 1).
    """

    accepts = ("atol", "rtol")
    kind = "close"
    metric = "error/tolerance"
    op = "<="

    def __init__(self, options):
        super().__init__(options)
        try:
            self.rtol = float(options.get("rtol", 1e-6))
            self.atol = float(options.get("atol", 1e-9))
        except (TypeError, ValueError):
            raise CheckError("close check: rtol and atol must be numbers") from None
        self.threshold = 1.0

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        e = np.asarray(expected, dtype=np.float64)
        if isinstance(actual, np.ndarray):
            problem = array_problem(actual, e.astype(np.asarray(expected).dtype) if isinstance(expected, np.ndarray) else e,
                                    what="array", dtype_strict=False)
            if problem:
                return Verdict(False, problem, metric=self.metric, threshold=1.0, op="<=")
        try:
            if isinstance(actual, (Unsupported, str, dict)) or actual is None:
                raise TypeError
            a = np.asarray(actual, dtype=np.float64)
        except (TypeError, ValueError):
            return Verdict(False, f"expected {_describe_number(expected)}, got {describe(actual)}.",
                           metric=self.metric, threshold=1.0, op="<=")
        if a.shape != e.shape:
            return Verdict(False, f"expected {_describe_number(expected)}, got {describe(actual)} "
                                  f"of shape {a.shape}.", metric=self.metric, threshold=1.0, op="<=")
        if not np.all(np.isfinite(a)):
            return Verdict(False, "your result contains NaN or infinite values: look for a division by zero.",
                           metric=self.metric, threshold=1.0, op="<=")
        tol = self.atol + self.rtol * np.abs(e)
        ratio = np.abs(a - e) / tol
        worst = float(ratio.max()) if ratio.size else 0.0
        table = _table(a, e)
        if worst <= 1.0:
            return Verdict(True, metric=self.metric, value=worst, threshold=1.0, op="<=", table=table)
        if e.ndim == 0:
            message = (f"expected {float(e):.6g}, got {float(a):.6g} (allowed difference "
                       f"{float(tol):.3g}).")
        else:
            idx = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
            bad = int(np.count_nonzero(ratio > 1.0))
            message = (f"{bad} of {ratio.size} values are off; at index {list(map(int, idx))} you have "
                       f"{a[idx]:.6g} where {e[idx]:.6g} was expected.")
        return Verdict(False, message, metric=self.metric, value=worst, threshold=1.0, op="<=", table=table)


def _describe_number(v) -> str:
    if isinstance(v, np.ndarray):
        return f"an array {tuple(v.shape)}"
    if isinstance(v, (list, tuple)):
        return f"{len(v)} numbers"
    return "a number"


def _table(a: np.ndarray, e: np.ndarray, limit: int = 12) -> list:
    if e.ndim == 0:
        return [("value", f"{float(e):.6g}", f"{float(a):.6g}")]
    rows = []
    for i, (x, y) in enumerate(zip(e.ravel()[:limit], a.ravel()[:limit])):
        rows.append((str(list(np.unravel_index(i, e.shape))), f"{x:.6g}", f"{y:.6g}"))
    return rows


@register
class RaisesCheck(Check):
    """The function must raise ``exception`` (or a subclass).

    Option ``mention = "path"``: the message must name the file it was given
    (so the learner's error says which file is missing).
    """

    accepts = ("exception", "mention")
    kind = "raises"
    needs_reference = False
    accepts_exceptions = True
    metric = None

    def __init__(self, options):
        super().__init__(options)
        self.exception = str(options.get("exception", "Exception"))
        self.mention = options.get("mention")

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        call = ctx.call
        if not isinstance(actual, Raised):
            return Verdict(False, f"{call} returned {_show(actual)} instead of raising {self.exception}. "
                                  f"Check the result and raise {self.exception}(...) yourself: "
                                  "cv2.imread returns None for a missing file without complaining.")
        if self.exception not in actual.names:
            return Verdict(False, f"{call} raised {actual.type} ({actual.message[:120]}); raise "
                                  f"{self.exception} instead, so callers can catch this case precisely.")
        if self.mention == "path":
            names = [os.path.basename(str(a)) for a in ctx.args if isinstance(a, str)]
            if names and not any(n in actual.message for n in names):
                return Verdict(False, f"{call} raised {actual.type}, but its message "
                                      f"({actual.message[:80]!r}) does not say which file: include the path.")
        return Verdict(True, table=[("raised", self.exception, actual.type)])


@register
class TupleCheck(Check):
    """A tuple of results, each item checked by its own check.

    Options: ``items`` (a list of check specs, one per item), ``labels``
    (names for the items, used in messages).
    """

    accepts = ("items", "labels")
    kind = "tuple"

    def __init__(self, options):
        super().__init__(options)
        specs = options.get("items")
        if not isinstance(specs, list) or not specs:
            raise CheckError("tuple check needs a list of item checks")
        self.items = [make_check(s) for s in specs]
        self.labels = list(options.get("labels") or [f"item {i + 1}" for i in range(len(specs))])
        if len(self.labels) != len(self.items):
            raise CheckError("tuple check: one label per item")

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        n = len(self.items)
        if isinstance(actual, np.ndarray) or not isinstance(actual, (tuple, list)) or len(actual) != n:
            return Verdict(False, f"expected a tuple of {n} ({', '.join(self.labels)}), got {describe(actual)}.")
        verdicts = [c.compare(a, e, ctx) for c, a, e in zip(self.items, actual, expected)]
        table = []
        maps = {}
        for label, v in zip(self.labels, verdicts):
            table += [(f"{label}: {row[0]}" if row[0] != "value" else label, row[1], row[2]) for row in v.table]
            maps.update({f"{label} {k}": m for k, m in v.maps.items()})
        failed = [(label, v) for label, v in zip(self.labels, verdicts) if not v.passed]
        shown = failed[0][1] if failed else verdicts[0]
        if not failed:
            return Verdict(True, metric=shown.metric, value=shown.value, threshold=shown.threshold,
                           op=shown.op, table=table, maps=maps)
        message = " ".join(f"{label}: {v.message}" for label, v in failed)
        # The first failing item's stated cause, and the hint its own `hints` table gives it, are the tuple's.
        return Verdict(False, message, metric=shown.metric, value=shown.value, threshold=shown.threshold,
                       op=shown.op, table=table, maps=maps, cause=shown.cause, hint=shown.hint,
                       credit=sum(v.earned() for v in verdicts) / n)
