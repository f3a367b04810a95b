"""Detections scored by average precision (AP) at IoU 0.5, as in the PASCAL VOC benchmark.

A detection is a row ``(x1, y1, x2, y2, score)``: a box by its top-left and
bottom-right corners in pixels, and a confidence (higher is surer). The answer
is an array ``(N, 5)``, or for several scenes a list with one such array per
scene. The reference is the true boxes, ``(M, 4)``, or, when the check's
``scenes`` option says how many scenes there are, ``(M, 5)`` rows of
``(scene, x1, y1, x2, y2)``.

All detections are ranked by score; going down the ranking, a detection is a
true positive when it overlaps a true box of its scene not yet found with IoU
at least 0.5, else a false positive (a second box on a found object counts as
a false positive: a duplicate). AP is the area under the precision-recall
curve with precision made non-increasing (all-point interpolation, PASCAL VOC
2010 onwards; Everingham et al., IJCV 2010).

AP ranks the detections and forgives false ones ranked below every true one:
a detector that skips non-maximum suppression (NMS) and returns every window
above its threshold keeps a high AP, because the neighbours of each peak score
a little lower than the peaks themselves. A detector's final answer is one box
per object, so the check can charge duplicates (``duplicates = "charged"``):
the score is then AP times the share of the boxes on an object that are the
first on it, ``AP x TP / (TP + duplicates)`` (a box "on an object" overlaps a
true box with IoU at least 0.5). An answer without duplicates keeps its AP;
false alarms away from every object are left to AP, which already ranks them.
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, apart, marks_of, written, Check, CheckError, Verdict, describe, meets, register
from grader.values import Unsupported

MATCH_IOU = 0.5


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every box in ``a`` (N, 4) with every box in ``b`` (M, 4), boxes as (x1, y1, x2, y2); (N, M)."""
    x1 = np.maximum(a[:, None, 0], b[None, :, 0])
    y1 = np.maximum(a[:, None, 1], b[None, :, 1])
    x2 = np.minimum(a[:, None, 2], b[None, :, 2])
    y2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area_a = np.clip(a[:, 2] - a[:, 0], 0, None) * np.clip(a[:, 3] - a[:, 1], 0, None)
    area_b = np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def average_precision(dets: list, truths: list) -> dict:
    """AP at IoU 0.5 of per-scene detections ``(N, 5)`` against per-scene true boxes ``(M, 4)``.

    Returns ``{"ap", "tp", "fp", "duplicates", "truths"}``.
    """
    rows = [(float(d[4]), s, i) for s, ds in enumerate(dets) for i, d in enumerate(ds)]
    rows.sort(key=lambda r: -r[0])
    found = [np.zeros(len(t), bool) for t in truths]
    ious = [box_iou(np.asarray(d, float)[:, :4].reshape(-1, 4), np.asarray(t, float).reshape(-1, 4))
            for d, t in zip(dets, truths)]
    tp = np.zeros(len(rows))
    duplicates = 0
    for k, (_, s, i) in enumerate(rows):
        overlaps = ious[s][i] if len(truths[s]) else np.zeros(0)
        free = np.where(found[s], -1.0, overlaps)
        if free.size and free.max() >= MATCH_IOU:
            j = int(free.argmax())
            found[s][j] = True
            tp[k] = 1
        elif overlaps.size and overlaps.max() >= MATCH_IOU:
            duplicates += 1
    total = sum(len(t) for t in truths)
    if total == 0:
        return {"ap": 1.0 if not rows else 0.0, "tp": 0, "fp": len(rows), "duplicates": 0, "truths": 0}
    ctp = np.cumsum(tp)
    recall = ctp / total
    precision = ctp / np.arange(1, len(rows) + 1)
    r = np.concatenate([[0.0], recall, [recall[-1] if len(recall) else 0.0]])
    p = np.concatenate([[1.0], precision, [0.0]])
    p = np.maximum.accumulate(p[::-1])[::-1]
    ap = float(np.sum((r[1:] - r[:-1]) * p[1:]))
    return {"ap": ap, "tp": int(tp.sum()), "fp": int(len(rows) - tp.sum()), "duplicates": duplicates,
            "truths": total}


def _boxes(value) -> np.ndarray:
    """Boxes (M, 4) from true boxes (M, 4) or detections (M, 5) whose scores are dropped."""
    a = np.asarray(value, dtype=np.float64)
    return a.reshape(-1, a.shape[-1])[:, :4] if a.size else np.zeros((0, 4))


def _as_detections(value, what: str) -> np.ndarray | str:
    if value is None:
        return "returned None where an array of detections (N, 5) was expected: did you forget to `return` it?"
    if isinstance(value, Unsupported):
        return f"returned a {value.type_name}, which {value.reason}: return a NumPy array of shape (N, 5)."
    if isinstance(value, (str, dict)) or not isinstance(value, (np.ndarray, list, tuple)):
        return f"returned {describe(value)} where an array of detections (N, 5) was expected."
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return "could not read your detections as numbers: return rows of (x1, y1, x2, y2, score)."
    if a.size == 0:
        return np.zeros((0, 5))
    if a.ndim != 2 or a.shape[1] != 5:
        extra = " Each row needs a score too, as its fifth value." if a.ndim == 2 and a.shape[1] == 4 else ""
        return f"expected {what} of shape (N, 5), rows of (x1, y1, x2, y2, score); got shape {a.shape}." + extra
    if not np.all(np.isfinite(a)):
        return "your detections contain NaN or infinite values."
    return a


@register
class DetectionsCheck(Check):
    """Boxes with scores, scored by AP at IoU 0.5 against the true boxes.

    Options: ``min`` (the AP that passes, default 0.9), ``what`` (the
    objects' name in messages, default "objects"), ``score`` ("ap", the
    default, or "f1": the F1 of the same matching, ``2 TP / (detections +
    objects)``, which counts every false detection; AP forgives those ranked
    below every true one, such as the duplicates left without non-maximum
    suppression), ``duplicates`` (with ``score = "ap"``: "forgiven", the
    default, or "charged": the score is ``AP x TP / (TP + duplicates)``, so
    that every box repeating an object already found costs, wherever it
    ranks), ``scenes`` (how many scenes: set, the answer is a list with one
    array per scene).
    """

    accepts = ("duplicates", "min", "scenes", "score", "what")
    causes = {
        "xywh": "boxes written (x, y, width, height) where corners (x1, y1, x2, y2) were asked",
        "swapped_axes": "boxes with x and y swapped ((row, col) read as (x, y))",
        "duplicates": "boxes repeating an object already found (no non-maximum suppression)",
        "missed": "most objects missed (a threshold too high, or the score read the wrong way)",
    }
    kind = "detections"
    metric = "AP@0.5"

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 0.9))
        except (TypeError, ValueError):
            raise CheckError("detections check: min must be a number") from None
        self.what = str(options.get("what", "objects"))
        self.score_by = str(options.get("score", "ap"))
        if self.score_by not in ("ap", "f1"):
            raise CheckError("detections check: score must be \"ap\" or \"f1\"")
        if self.score_by == "f1":
            self.metric = "F1@0.5"
        self.duplicates = str(options.get("duplicates", "forgiven"))
        if self.duplicates not in ("forgiven", "charged"):
            raise CheckError("detections check: duplicates must be \"forgiven\" or \"charged\"")
        if self.duplicates == "charged" and self.score_by != "ap":
            raise CheckError("detections check: duplicates = \"charged\" goes with score = \"ap\" (F1 already "
                             "counts every false detection)")
        self.charged = self.duplicates == "charged"
        if self.charged:
            self.metric = "AP@0.5 with duplicates charged"

    def score(self, stats: dict) -> float:
        """The check's score from :func:`average_precision`'s counts: AP, F1, or AP with duplicates charged."""
        if self.score_by == "f1":
            total = stats["tp"] + stats["fp"] + stats["truths"]
            return 2 * stats["tp"] / total if total else 1.0
        if self.charged and stats["duplicates"]:
            return stats["ap"] * stats["tp"] / (stats["tp"] + stats["duplicates"])
        return stats["ap"]

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        # An answer that cannot be read as detections finds nothing: it scores 0.
        v = dict(metric=self.metric, threshold=self.threshold, value=0.0)
        if "scenes" in self.options:
            n = int(self.options["scenes"])
            if isinstance(expected, (list, tuple)):  # one array per scene (a catalogued mistake's output)
                truths = [_boxes(t) for t in expected]
            else:  # rows of (scene, x1, y1, x2, y2)
                truth = np.asarray(expected, dtype=np.float64).reshape(-1, 5)
                truths = [truth[truth[:, 0] == s, 1:] for s in range(n)]
            if isinstance(actual, np.ndarray) and actual.ndim == 3:
                actual = list(actual)
            if isinstance(actual, np.ndarray) or not isinstance(actual, (list, tuple)):
                return Verdict(False, f"returned {describe(actual)} where a list of {n} arrays of detections "
                                      "(one per scene) was expected.", **v)
            if len(actual) != n:
                return Verdict(False, f"returned detections for {len(actual)} scenes where there are {n}: one "
                                      "array per scene, in order (an empty one where nothing is found).", **v)
            dets = []
            for k, one in enumerate(actual):
                d = _as_detections(one, "each scene's detections")
                if isinstance(d, str):
                    return Verdict(False, f"scene {k}: {d}", **v)
                dets.append(d)
        else:
            # The true boxes (M, 4); a catalogued mistake's detections (M, 5) stand for theirs, scores dropped.
            truths = [_boxes(expected)]
            d = _as_detections(actual, "detections")
            if isinstance(d, str):
                return Verdict(False, d, **v)
            if np.asarray(expected).ndim == 2 and np.shape(expected)[-1] == 5 and np.array_equal(d, expected):
                # The very detections of the reference (a catalogued mistake's output): the same answer, even
                # where its boxes are malformed (corners read as width and height).
                return Verdict(True, metric=self.metric, value=1.0, threshold=self.threshold)
            dets = [d]
        stats = average_precision(dets, truths)
        score = self.score(stats)
        ok = meets(score, self.threshold, ">=")
        counts = (f"{stats['tp']} of {stats['truths']} {self.what} found, "
                  f"{stats['fp']} false detection{'s' if stats['fp'] != 1 else ''}"
                  + (f" ({stats['duplicates']} of them duplicates)" if stats["duplicates"] else "") + ".")
        table = [(self.what, str(stats["truths"]), f"{stats['tp']} found"),
                 ("false detections", "0", str(stats["fp"]))]
        marks = marks_of(ctx, self.threshold)
        shown_score = written(score, marks + [1.0])
        if self.charged and stats["duplicates"]:
            on = stats["tp"] + stats["duplicates"]
            # The numbers behind the score, in the order they multiply; shown with a challenge's tier, where the
            # verdict's message is not, so the fix goes here too.
            detail = (f"AP {stats['ap']:.3f} at IoU 0.5, but {stats['duplicates']} of your {on} boxes on {self.what} "
                      f"repeat one already found, so it counts {stats['tp']}/{on} of it: {shown_score}. {counts} "
                      "Run non-maximum suppression once over each scene's boxes, pooled from every size you "
                      "matched: keep only the best box of each overlapping group.")
            table.append(("duplicates", "0", str(stats["duplicates"])))
        else:
            detail = f"{'F1' if self.score_by == 'f1' else 'AP'} {shown_score}: {counts}"
        table.append((self.metric, "1.000", shown_score))
        if ok:
            return Verdict(True, table=table, detail=detail, **{**v, "value": score})
        if self.charged and stats["duplicates"]:
            shown = apart(score, self.threshold)
            message = f"{self.metric} {shown[0]}, needs {shown[1]}: {detail}"
            return self.diagnosed(Verdict(False, message, table=table, detail=detail, **{**v, "value": score}),
                                  "duplicates")
        name = "F1" if self.score_by == "f1" else "average precision"
        shown = apart(score, self.threshold)
        message = f"{name} {shown[0]} at IoU 0.5, needs {shown[1]}: {counts}"
        cause, why = self._why(dets, truths, stats)
        return self.diagnosed(Verdict(False, message + why, table=table, detail=detail, **{**v, "value": score}),
                              cause)

    def _why(self, dets: list, truths: list, stats: dict) -> tuple[str | None, str]:
        """The cause of a low score (one of :attr:`causes`, or None) and the sentence that states it ("" if none)."""
        def ap_of(fix):
            return self.score(average_precision([fix(d) for d in dets], truths))

        score = ap_of(lambda d: d)
        better = max(self.threshold, score + 0.2)

        def from_xywh(d):
            d = d.copy()
            d[:, 2:4] += d[:, 0:2]
            return d

        if sum(len(d) for d in dets) and ap_of(from_xywh) >= better:
            return "xywh", (" Your boxes look like (x, y, width, height): the corners asked for are "
                            "(x1, y1, x2, y2), so x2 = x + width and y2 = y + height.")
        if sum(len(d) for d in dets) and ap_of(lambda d: d[:, [1, 0, 3, 2, 4]]) >= better:
            return "swapped_axes", (" Your boxes have x and y swapped: (row, col) from np.unravel_index or np.where "
                                    "is (y, x); boxes are (x1, y1, x2, y2).")
        if stats["duplicates"] >= max(2, stats["tp"] // 2):
            return "duplicates", (f" {stats['duplicates']} boxes sit on {self.what} already found: neighbouring "
                                  "positions of one peak all pass the threshold. Keep only the best box of each "
                                  "overlapping group (non-maximum suppression).")
        if stats["tp"] < stats["truths"] // 2:
            return "missed", f" Most {self.what} are missed: lower the score threshold, or check the score's direction."
        return None, ""

