"""Picture checks: SSIM with a tolerance, and pixel-exact comparison with a tolerance."""
from __future__ import annotations

import cv2
import numpy as np

from grader.checks import CaseContext, Check, CheckError, Verdict, array_problem, meets, register
from grader.checks.ssim import ssim, window_size


def _float_opt(options: dict, key: str, default=None):
    v = options.get(key, default)
    if v is None:
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        raise CheckError(f"check option {key!r} must be a number, got {v!r}") from None


@register
class SSIMCheck(Check):
    """Mean SSIM of the learner's picture against the reference.

    Options: ``min`` (pass threshold), ``window`` ("gaussian" or "uniform"),
    ``data_range`` (required for float pictures), ``resize`` (scale a picture of
    another size to the reference's before scoring: for challenges),
    ``mode = "change"`` (compare what the function changed in its input picture
    with what the reference changed: for tasks where returning the input
    unchanged would already look similar), ``min_local`` (the worst local
    window must score at least this: a mean over the picture can hide a small
    wrong region).
    """

    kind = "ssim"
    diagnosable = True
    metric = "SSIM"

    def __init__(self, options):
        super().__init__(options)
        self.threshold = _float_opt(options, "min", 0.98)
        self.window = options.get("window", "gaussian")
        if self.window not in ("gaussian", "uniform"):
            raise CheckError("ssim window must be 'gaussian' or 'uniform'")
        self.data_range = _float_opt(options, "data_range")
        self.resize = bool(options.get("resize", False))
        self.min_local = _float_opt(options, "min_local")
        self.mode = options.get("mode", "plain")
        if self.mode not in ("plain", "change"):
            raise CheckError("ssim mode must be 'plain' or 'change'")

    def _range(self, expected: np.ndarray) -> float:
        if self.data_range is not None:
            return self.data_range
        if expected.dtype == np.uint8:
            return 255.0
        if expected.dtype == np.bool_:
            return 1.0
        raise CheckError(f"an ssim check on {expected.dtype} pictures needs an explicit data_range")

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        note = ""
        if self.resize and isinstance(actual, np.ndarray) and actual.ndim == expected.ndim \
                and actual.shape != expected.shape and actual.size and actual.shape[2:] == expected.shape[2:]:
            note = (f" Your picture is {actual.shape[1]}x{actual.shape[0]} and the reference "
                    f"{expected.shape[1]}x{expected.shape[0]}; it was scaled to match before scoring.")
            actual = cv2.resize(actual, (expected.shape[1], expected.shape[0]), interpolation=cv2.INTER_AREA)
        problem = array_problem(actual, expected, dtype_strict=self.options.get("dtype_strict", True))
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        if min(expected.shape[:2]) < window_size(self.window):
            same = bool(np.array_equal(actual, expected))
            return Verdict(same, "" if same else "the picture differs from the reference.",
                           metric="equal", value=float(same), threshold=1.0)
        a, e = actual, expected
        data_range = self._range(expected)
        if expected.dtype == np.bool_:
            a, e = a.astype(np.uint8), e.astype(np.uint8)
        if self.mode == "change":
            base = ctx.first_image()
            if base is None or base.shape != expected.shape:
                raise CheckError("ssim mode 'change' needs the first argument to be a picture of the output's shape")
            base = base.astype(np.float32)
            a = a.astype(np.float32) - base
            e = e.astype(np.float32) - base
            data_range = 2 * data_range
        result = ssim(a, e, data_range=data_range, window=self.window)
        score = result.score
        ok = meets(score, self.threshold, ">=")
        what = "the change your function made to its input" if self.mode == "change" else "your picture"
        message = "" if ok else (f"{what} is not close enough to the reference: SSIM {score:.3f}, "
                                 f"needs at least {self.threshold:.3f}.")
        if ok and self.min_local is not None:
            inner = result.map[result.pad:result.map.shape[0] - result.pad, result.pad:result.map.shape[1] - result.pad]
            y, x = np.unravel_index(int(np.argmin(inner)), inner.shape)
            worst = float(inner[y, x])
            if not meets(worst, self.min_local, ">="):
                ok = False
                message = (f"{what} matches on the whole (SSIM {score:.3f}) but one region is wrong: the "
                           f"window around x={x + result.pad}, y={y + result.pad} scores {worst:.2f}, "
                           f"needs at least {self.min_local:.2f}.")
                return Verdict(False, message, metric="worst local SSIM", value=worst, threshold=self.min_local,
                               maps={"ssim": result.map})
        return Verdict(ok, (message + note).strip(), metric=self.metric, value=score,
                       threshold=self.threshold, maps={"ssim": result.map})


@register
class PixelsCheck(Check):
    """Share of pixels within ``tolerance`` grey levels of the reference.

    Options: ``tolerance`` (levels, default 0), ``min_fraction`` (default 1.0,
    i.e. every pixel), ``dtype_strict`` (default true).
    """

    kind = "pixels"
    diagnosable = True

    def __init__(self, options):
        super().__init__(options)
        self.tolerance = _float_opt(options, "tolerance", 0.0)
        self.threshold = _float_opt(options, "min_fraction", 1.0)
        self.metric = "pixels equal" if self.tolerance == 0 else f"pixels within ±{self.tolerance:g}"

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        problem = array_problem(actual, expected, dtype_strict=self.options.get("dtype_strict", True))
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
        if diff.ndim == 3:
            close = np.all(diff <= self.tolerance, axis=2)
            heat = diff.max(axis=2)
        else:
            close = diff <= self.tolerance
            heat = diff
        fraction = float(close.mean()) if close.size else 1.0
        ok = meets(fraction, self.threshold, ">=")
        message = ""
        if not ok:
            off = 1.0 - fraction
            within = "" if self.tolerance == 0 else \
                f" by more than {self.tolerance:g} grey level{'s' if self.tolerance != 1 else ''}"
            message = f"{off:.1%} of the pixels differ from the reference{within} (largest difference {diff.max():g})."
        return Verdict(ok, message, metric=self.metric, value=fraction, threshold=self.threshold,
                       maps={"difference": heat.astype(np.float32)})
