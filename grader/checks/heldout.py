"""A classifier scored on held-out data: predicted labels against true labels the learner never gets.

The learner's function learns from a training set and predicts labels for
held-out samples; the case's reference is the true labels of those samples,
kept by the grader (``expected = { array = ... }``) and never passed to the
function. The score is the accuracy. The message gives the mix-ups the
classifier makes most, and names the usual slips: predictions for the wrong
set (one per training sample), every sample given one class, text labels
where numbers were asked.

A catalogued mistake's predictions (:meth:`HeldOutCheck.reference_from`)
name an answer only when the answer is those very labels. Agreeing on most
labels is what every good classifier does: a mistake whose labels are mostly
right (a scaler fitted on a large test set) would otherwise name correct
answers that differ from the truth on a few other samples.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from grader.checks import CaseContext, apart, Check, CheckError, Verdict, describe, meets, register
from grader.values import Unsupported


class Predictions(np.ndarray):
    """Another answer's predicted labels held as a reference (a catalogued mistake's), not the truth."""


@register
class HeldOutCheck(Check):
    """Predicted class labels (integers) against the held-out truth; the score is the accuracy.

    Options: ``min`` (the accuracy that passes, default 0.9), ``items`` (what
    is classified, for messages, default "samples"), ``train`` (how many
    training samples there are, to recognise predictions for the training set).
    """

    accepts = ("items", "min", "train")
    kind = "heldout"
    # Another answer's labels match only when every label is the same (grader.grading.naming); the share they
    # agree on is the comparison's value, which tells a near copy from an answer far from it.
    matches_exactly = True
    metric = "accuracy"

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 0.9))
        except (TypeError, ValueError):
            raise CheckError("heldout check: min must be a number") from None
        self.items = str(options.get("items", "samples"))

    def reference_from(self, value):
        """A catalogued mistake's labels, marked so that :meth:`compare` asks for the same labels exactly."""
        try:
            labels = np.asarray(value)
        except (TypeError, ValueError):
            return value
        if labels.ndim != 1 or labels.dtype.kind not in "iub":
            return value
        return labels.view(Predictions)

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        if isinstance(expected, Predictions):
            # Another answer's labels: the same answer only when every label is the same; the value is the share
            # of labels the two agree on, so that naming can tell a near copy (116 of 120) from an answer that
            # agrees on a third of them.
            other = np.asarray(expected).view(np.ndarray)
            try:
                a = np.asarray(actual)
                comparable = a.ndim == 1 and a.dtype.kind in "iub" and a.shape == other.shape
            except (TypeError, ValueError):
                comparable = False
            agree = float(np.mean(a == other)) if comparable and other.size else float(comparable)
            same = comparable and agree == 1.0
            return Verdict(same, "" if same else "your labels are not that answer's labels.",
                           metric=self.metric, value=agree, threshold=self.threshold)
        reference = np.asarray(expected)
        if reference.ndim != 1 or reference.dtype.kind not in "iub":
            # Only a catalogued mistake's output is a reference that is no list of labels: the same answer matches it.
            try:
                same = bool(np.array_equal(np.asarray(actual, dtype=np.float64), reference.astype(np.float64)))
            except (TypeError, ValueError):
                same = False
            return Verdict(same, "" if same else "your answer is not that malformed answer.",
                           metric=self.metric, value=1.0 if same else 0.0, threshold=self.threshold)
        truth = reference.astype(np.int64)
        n = len(truth)
        v = dict(metric=self.metric, threshold=self.threshold)
        if isinstance(actual, Unsupported):
            return Verdict(False, f"returned a {actual.type_name}, which {actual.reason}: return the predicted "
                                  "labels as a NumPy array of integers, e.g. model.predict(test_X).", **v)
        if isinstance(actual, (list, tuple)) and actual and isinstance(actual[0], str):
            return Verdict(False, "returned names where class numbers were expected: return the integer labels "
                                  "as given in train_y.", **v)
        if actual is None or isinstance(actual, (str, dict)) or not isinstance(actual, (np.ndarray, list, tuple)):
            return Verdict(False, f"returned {describe(actual)} where an array of {n} predicted labels was "
                                  "expected.", **v)
        try:
            a = np.asarray(actual)
        except ValueError:
            return Verdict(False, "could not read your predictions as one array: return one label per sample.", **v)
        if a.dtype.kind == "f" and a.ndim == 2 and a.shape[0] == n:
            return Verdict(False, f"returned a table of shape {a.shape} (scores or probabilities per class) "
                                  "where one label per sample was expected: take the argmax over the classes, "
                                  "axis=1, or call predict instead of predict_proba.", **v)
        if a.dtype.kind not in "biuf" or (a.dtype.kind == "f" and a.size and not np.all(a == np.round(a))):
            return Verdict(False, "your predictions are not whole class numbers: return the labels as integers.",
                           **v)
        a = a.astype(np.int64).ravel()
        if len(a) != n:
            hint = (" These look like predictions for the training set: predict the held-out samples "
                    "(test_X)." if "train" in self.options and len(a) == int(self.options["train"]) else
                    " Return one label per held-out sample, in the order given.")
            message = f"returned {len(a)} predictions for {n} held-out {self.items}." + hint
            return Verdict(False, message, value=0.0, detail=message[:1].upper() + message[1:], **v)
        right = int(np.count_nonzero(a == truth))
        score = right / n if n else 1.0
        ok = meets(score, self.threshold, ">=")
        confusions = Counter((int(e), int(p)) for p, e in zip(a, truth) if p != e)
        # "1 predicted as 2 (2 times)": the true class, what was predicted, how often; the count apart from the
        # class numbers, so that "0 taken for 1 1 time" can never be read.
        mixups = ", ".join(f"{e} predicted as {p} ({k} time{'s' if k != 1 else ''})"
                           for (e, p), k in confusions.most_common(3))
        detail = f"{right} of {n} held-out {self.items} right." + (f" Most mixed up: {mixups}." if mixups else "")
        values = set(a.tolist())
        one_class = ""
        if len(values) == 1 and len(set(truth.tolist())) > 1:
            one_class = (f" Every prediction is {a[0]}: the classifier learned nothing useful (features all alike? "
                         "scaled with the wrong statistics?).")
            detail += one_class
        classes = sorted(set(truth.tolist()))
        table = [(f"class {c}", str(int(np.count_nonzero(truth == c))),
                  f"{int(np.count_nonzero((a == c) & (truth == c)))} right") for c in classes]
        if ok:
            return Verdict(True, value=score, table=table, detail=detail, **v)
        shown = apart(score, self.threshold)
        message = (f"{right} of {n} held-out {self.items} are classified right (accuracy {shown[0]}, needs "
                   f"{shown[1]})" + (f": {mixups}." if mixups else ".") + one_class)
        return Verdict(False, message, value=score, table=table, detail=detail, **v)
