"""Mask and label checks: IoU, Dice, and label pictures compared up to renumbering."""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, apart, percent, written, Check, CheckError, Verdict, array_problem, meets, register


def _binary(a: np.ndarray) -> np.ndarray:
    return a.astype(bool) if a.dtype == np.bool_ else a != 0


def overlap(actual: np.ndarray, expected: np.ndarray) -> dict:
    """Counts of a mask against its reference (foreground is anything non-zero)."""
    a, e = _binary(actual), _binary(expected)
    inter = int(np.count_nonzero(a & e))
    union = int(np.count_nonzero(a | e))
    na, ne = int(np.count_nonzero(a)), int(np.count_nonzero(e))
    return {"inter": inter, "union": union, "yours": na, "expected": ne,
            "extra": na - inter, "missed": ne - inter, "pixels": int(e.size)}


def iou(counts: dict) -> float:
    return 1.0 if counts["union"] == 0 else counts["inter"] / counts["union"]


def dice(counts: dict) -> float:
    total = counts["yours"] + counts["expected"]
    return 1.0 if total == 0 else 2 * counts["inter"] / total


class _OverlapCheck(Check):
    """Shared by IoU and Dice.

    Options: ``min`` (pass threshold), ``mean_over`` (for a stack of masks, the
    axis that separates them: the score is their mean), ``labels`` (names of the
    stacked masks, for messages), ``dtype_strict`` (default false: a bool mask
    and a 0/255 uint8 mask are the same mask).
    """

    accepts = ("dtype_strict", "labels", "mean_over", "min")
    causes = {
        "empty": "an empty mask (nothing marked), in every mask that fails",
        "inverted": "the reference's mask inverted (background marked, objects not), in every mask that fails",
    }
    formula = staticmethod(iou)
    diagnosable = True

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 0.9))
        except (TypeError, ValueError):
            raise CheckError(f"{self.kind} check: min must be a number") from None
        self.mean_over = options.get("mean_over")
        self.names = list(options.get("labels") or [])

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        problem = array_problem(actual, expected, what="mask", dtype_strict=self.options.get("dtype_strict", False))
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        if self.mean_over is None:
            parts = [(None, actual, expected)]
        else:
            axis = int(self.mean_over)
            n = expected.shape[axis]
            names = self.names if len(self.names) == n else [f"mask {i + 1}" for i in range(n)]
            parts = [(names[i], np.take(actual, i, axis=axis), np.take(expected, i, axis=axis)) for i in range(n)]
        scores, notes, table, found = [], [], [], set()
        for name, a, e in parts:
            counts = overlap(a, e)
            score = self.formula(counts)
            scores.append(score)
            table.append((name or self.metric, "1.000", written(score, [self.threshold, 1.0])))
            if score < self.threshold:
                notes.append(_explain(name, counts))
                found.add(_cause(counts))
        value = float(np.mean(scores))
        ok = meets(value, self.threshold, ">=")
        message = ""
        if not ok:
            shown = apart(value, self.threshold)
            message = (f"{self.metric} {shown[0]}, needs at least {shown[1]}: " + "; ".join(notes[:5])
                       + ".")
        diff = (_binary(actual) != _binary(expected)).astype(np.float32)
        if diff.ndim == 3 and self.mean_over is not None:
            diff = diff.max(axis=int(self.mean_over))
        verdict = Verdict(ok, message, metric=self.metric, value=value, threshold=self.threshold,
                          table=table if len(table) > 1 else [], maps={"difference": diff})
        # One cause when every mask that fails shows the same one (an empty mask among masks off by a little
        # states no single cause).
        return verdict if ok or len(found) != 1 else self.diagnosed(verdict, found.pop())


def _cause(counts: dict) -> str | None:
    """The cause :func:`_explain`'s sentence states for these counts (a key of ``causes``), or None."""
    if counts["yours"] == 0:
        return "empty"
    if counts["expected"] and counts["inter"] == 0 and counts["yours"] + counts["expected"] >= 0.9 * counts["pixels"]:
        return "inverted"  # no overlap, yet together they cover nearly the whole picture: one is the other inverted
    return None


def _explain(name, counts: dict) -> str:
    who = f"{name}: " if name else ""
    px = counts["pixels"] or 1
    if counts["yours"] == 0:
        return f"{who}your mask is empty"
    if counts["expected"] == 0:
        return f"{who}the reference mask is empty but yours marks {counts['yours']} pixels"
    parts = []
    if counts["extra"]:
        parts.append(f"{percent(counts['extra'] / px)} of the picture is marked but should not be")
    if counts["missed"]:
        parts.append(f"{percent(counts['missed'] / px)} should be marked but is not")
    if counts["inter"] == 0:
        parts.append("it does not overlap the reference at all (inverted?)")
    return who + ", ".join(parts)


@register
class IoUCheck(_OverlapCheck):
    kind = "iou"
    metric = "IoU"
    formula = staticmethod(iou)


@register
class DiceCheck(_OverlapCheck):
    kind = "dice"
    metric = "Dice"
    formula = staticmethod(dice)


def label_problem(actual, expected) -> str | None:
    """Why ``actual`` is not a label picture comparable with ``expected``, or None."""
    problem = array_problem(actual, expected, what="label picture", dtype_strict=False)
    if problem:
        return problem
    if actual.dtype.kind not in "biu":
        return f"a label picture holds whole numbers; yours is {actual.dtype}: convert with .astype(np.int32)."
    return None


@register
class LabelsCheck(Check):
    """Label pictures equal up to a renumbering of the labels.

    Label 0 is the background and must stay 0; every other reference region
    must be one region of yours, numbered however you like. The metric is the
    share of pixels that agree under the best one-to-one matching of labels.
    Options: ``min`` (default 1.0).
    """

    accepts = ("min",)
    kind = "labels"
    metric = "pixels agreeing"

    def __init__(self, options):
        super().__init__(options)
        self.threshold = float(options.get("min", 1.0))

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        problem = label_problem(actual, expected)
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        a = actual.astype(np.int64).ravel()
        e = expected.astype(np.int64).ravel()
        ea = np.unique(a, return_inverse=True)
        ee = np.unique(e, return_inverse=True)
        la, ia = ea
        le, ie = ee
        # Overlap counts between each reference label and each of yours.
        table = np.zeros((len(le), len(la)), np.int64)
        np.add.at(table, (ie, ia), 1)
        # Greedy one-to-one matching by largest overlap (exact when the labellings agree).
        matched = 0
        used_a, used_e = set(), set()
        zero_a = np.flatnonzero(la == 0)
        zero_e = np.flatnonzero(le == 0)
        if zero_a.size and zero_e.size:  # background must map to background
            matched += table[zero_e[0], zero_a[0]]
            used_a.add(int(zero_a[0]))
            used_e.add(int(zero_e[0]))
        order = np.dstack(np.unravel_index(np.argsort(-table, axis=None), table.shape))[0]
        for i, j in order:
            if table[i, j] == 0:
                break
            if int(i) in used_e or int(j) in used_a or la[j] == 0 or le[i] == 0:
                continue
            used_e.add(int(i))
            used_a.add(int(j))
            matched += table[i, j]
        value = float(matched / e.size) if e.size else 1.0
        ok = meets(value, self.threshold, ">=")
        n_yours = int(np.count_nonzero(la != 0))
        n_ref = int(np.count_nonzero(le != 0))
        message = ""
        if not ok:
            message = f"{percent(1 - value)} of the pixels are labelled differently from the reference"
            if n_yours != n_ref:
                message += f": you found {n_yours} regions, the reference has {n_ref}"
            message += "."
        return Verdict(ok, message, metric=self.metric, value=value, threshold=self.threshold,
                       table=[("regions", str(n_ref), str(n_yours))])
