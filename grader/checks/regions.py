"""Segment and count: a label picture judged by its number of regions, then by its mask.

The answer is a label picture: 0 for the background and one number per region
(1, 2, 3, ... or any other numbering). The count of regions must be exact;
only then is the mask (every labelled pixel) scored by its IoU against the
reference's. A wrong count scores 0, with the IoU the mask would have had.
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, apart, marks_of, written, Check, CheckError, Verdict, register
from grader.checks.masks import iou, label_problem, overlap


def count_regions(labels: np.ndarray) -> int:
    """The number of distinct non-zero labels."""
    values = np.unique(labels)
    return int(np.count_nonzero(values != 0))


@register
class RegionsCheck(Check):
    """A label picture: the region count must be exact, the foreground is scored by IoU.

    Options: ``min`` (the IoU that passes, default 0.9), ``what`` (the regions'
    name in messages, default "regions").
    """

    accepts = ("min", "what")
    causes = {
        "one_region": "a mask with one value: every region under one label",
        "too_many": "more regions than there are (stray specks kept, or a region split in two)",
        "too_few": "fewer regions than there are (touching regions merged, or dim ones missed)",
    }
    kind = "regions"
    metric = "IoU"

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 0.9))
        except (TypeError, ValueError):
            raise CheckError("regions check: min must be a number") from None
        self.what = str(options.get("what", "regions"))

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        problem = label_problem(actual, expected)
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        want, found = count_regions(expected), count_regions(actual)
        score = iou(overlap(actual, expected))
        shown_score = written(score, marks_of(ctx, self.threshold, 1.0))
        table = [(self.what, str(want), str(found)), ("IoU of the mask", "1.000", shown_score)]
        if found != want:
            message = (f"your label picture has {found} region{'s' if found != 1 else ''} where there are {want} "
                       f"{self.what}: the count must be exact before the mask is scored (its IoU would be "
                       f"{shown_score}).")
            if found == 1 and want > 1:
                cause = "one_region"
                message += (" A mask with one value is one region: give each its own number with "
                            "cv2.connectedComponents or skimage.measure.label.")
            elif found > want:
                cause = "too_many"
                message += (" Too many: remove small specks (skimage.morphology.remove_small_objects) and make sure "
                            "no region is split in two (a closing and filling holes help).")
            else:
                cause = "too_few"
                message += (" Too few: touching regions merge into one (an opening separates them), and a single "
                            "threshold can miss the dim ones (try one that adapts to the light).")
            return self.diagnosed(Verdict(False, message, metric=self.metric, value=0.0, threshold=self.threshold,
                                          table=table, detail=message[:1].upper() + message[1:],
                                          maps={"difference": ((actual != 0) != (expected != 0)).astype(np.float32)}),
                                  cause)
        ok = score >= self.threshold
        shown = apart(score, self.threshold)
        message = "" if ok else (f"the count is right ({found} {self.what}), but the mask's IoU is {shown[0]}, needs "
                                 f"{shown[1]}: compare your outlines with the reference's.")
        return Verdict(ok, message, metric=self.metric, value=float(score), threshold=self.threshold, table=table,
                       detail=f"{found} {self.what}, all counted; mask IoU {shown_score}.",
                       maps={"difference": ((actual != 0) != (expected != 0)).astype(np.float32)})
