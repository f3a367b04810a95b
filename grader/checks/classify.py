"""Classification: a list of names scored by the share that are right.

The reference is the list of true names, usually fixed by the case
(``expected = ["gaussian", "salt", ...]``) so the score is measured against
the ground truth, not against what the reference solution happens to say.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from grader.checks import CaseContext, apart, Check, CheckError, Verdict, describe, register
from grader.values import Unsupported


@register
class AccuracyCheck(Check):
    """Predicted names against the true ones, in order; the score is the accuracy.

    Options: ``min`` (the accuracy that passes, default 1.0), ``classes`` (the
    names allowed; any other name gets a message listing them), ``items``
    (what is being named, for messages, default "items").
    """

    accepts = ("classes", "items", "min")
    kind = "accuracy"
    metric = "accuracy"

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 1.0))
        except (TypeError, ValueError):
            raise CheckError("accuracy check: min must be a number") from None
        self.classes = [str(c) for c in options.get("classes") or []]
        self.items = str(options.get("items", "items"))

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        truth = [str(x) for x in expected]
        n = len(truth)
        names = self._names(actual)
        if isinstance(names, str):  # a message: the answer is not a list of names
            return Verdict(False, names, metric=self.metric, threshold=self.threshold)
        if len(names) != n:
            return Verdict(False, f"returned {len(names)} names for {n} {self.items}: return one name for each, "
                                  "in the order given.",
                           metric=self.metric, threshold=self.threshold)
        allowed = set(self.classes or truth)
        unknown = sorted({x for x in names if x not in allowed})
        right = sum(1 for a, e in zip(names, truth) if a == e)
        value = right / n if n else 1.0
        ok = value >= self.threshold
        confusions = Counter((e, a) for a, e in zip(names, truth) if a != e)
        # The count in brackets, as the held-out check words it: a class named by a number stays readable.
        mixups = ", ".join(f"{e} named {a} ({k} time{'s' if k != 1 else ''})"
                           for (e, a), k in confusions.most_common(3))
        detail = f"{right} of {n} {self.items} named right." + (f" Most mixed up: {mixups}." if mixups else "")
        message = ""
        if not ok:
            shown = apart(value, self.threshold)
            message = f"{right} of {n} {self.items} are named right (accuracy {shown[0]}, needs {shown[1]})"
            message += f": {mixups}." if mixups else "."
        if unknown:
            message = (message + " " if message else "") + (
                f"{', '.join(map(repr, unknown[:3]))} {'is' if len(unknown) == 1 else 'are'} not among the names "
                f"to use: {', '.join(sorted(allowed))}.")
        table = [(name, str(sum(1 for e in truth if e == name)),
                  str(sum(1 for a, e in zip(names, truth) if a == e == name)) + " right")
                 for name in sorted(set(truth))]
        return Verdict(ok, message, metric=self.metric, value=float(value), threshold=self.threshold,
                       table=table, detail=detail)

    def _names(self, actual):
        """The answer as a list of strings, or a sentence saying why it is not one."""
        if isinstance(actual, Unsupported) and ("<U" in actual.type_name or "|S" in actual.type_name
                                                or "str" in actual.type_name):
            return ("returned a NumPy array of strings; return a plain list of names instead, "
                    "e.g. names.tolist().")
        if isinstance(actual, np.ndarray) or not isinstance(actual, (list, tuple)):
            return f"returned {describe(actual)} where a list of names (strings) was expected."
        if not all(isinstance(x, str) for x in actual):
            odd = next(x for x in actual if not isinstance(x, str))
            return (f"every name must be a string; one item is {describe(odd)}: return names such as "
                    f"{self.classes[0] if self.classes else 'gaussian'!r}.")
        return [x.strip() for x in actual]
