"""Picture checks: SSIM with a tolerance, and pixel-exact comparison with a tolerance."""
from __future__ import annotations

import cv2
import numpy as np

from grader.checks import CaseContext, apart, count_share, percent, written, Check, CheckError, Verdict, array_problem, meets, register
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

    accepts = ("data_range", "dtype_strict", "min", "min_local", "mode", "resize", "window")
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
        shown = apart(score, self.threshold)
        message = "" if ok else (f"{what} is not close enough to the reference: SSIM {shown[0]}, "
                                 f"needs at least {shown[1]}.")
        if ok and self.min_local is not None:
            inner = result.map[result.pad:result.map.shape[0] - result.pad, result.pad:result.map.shape[1] - result.pad]
            y, x = np.unravel_index(int(np.argmin(inner)), inner.shape)
            worst = float(inner[y, x])
            if not meets(worst, self.min_local, ">="):
                ok = False
                message = (f"{what} matches on the whole (SSIM {written(score, [self.threshold])}) but one region is wrong: the "
                           f"window around x={x + result.pad}, y={y + result.pad} scores "
                           f"{apart(worst, self.min_local, 2)[0]}, needs at least {apart(worst, self.min_local, 2)[1]}.")
                return Verdict(False, message, metric="worst local SSIM", value=worst, threshold=self.min_local,
                               maps={"ssim": result.map})
        return Verdict(ok, (message + note).strip(), metric=self.metric, value=score,
                       threshold=self.threshold, maps={"ssim": result.map})


# The rounding policy (docs/ENGINE.md, "The rounding policy"): on a uint8 picture, a value one level off
# is rounding, not another answer, as long as the one-level differences do not lean one way. Only the
# excess of one direction over the other beyond this share of the values counts against the answer:
# libraries' own rounding leans up to 6.4% (scikit-image's HSV saturation against OpenCV's), truncation
# 25 to 50% on a photograph.
ROUNDING_BIAS = 0.1


# A share of one-level slips all one way that no rounding produces: truncating or rounding up moves at most
# the values whose fraction is not 0, about half of them.
OFFSET_SHARE = 0.9


def _moves_pixels_only(expected, ctx) -> bool:
    """Whether the reference holds exactly the input picture's values, rearranged (a flip, a turn): such a
    task does no arithmetic, so it rounds nothing."""
    first = ctx.first_image() if ctx is not None else None
    return (first is not None and first.dtype == expected.dtype and first.size == expected.size
            and bool(np.array_equal(np.sort(first, axis=None), np.sort(expected, axis=None))))


def _difference(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``actual - expected`` element by element, exactly: int16 for one-byte integers and booleans (a quarter of
    float64's memory, the same values), float64 otherwise."""
    if actual.dtype.itemsize == 1 and expected.dtype.itemsize == 1 and actual.dtype.kind in "biu" \
            and expected.dtype.kind in "biu":
        signed = actual.astype(np.int16)
        np.subtract(signed, expected, out=signed)
        return signed
    return actual.astype(np.float64) - expected.astype(np.float64)


def _whole_levels(tolerance: float) -> int:
    """The largest whole difference within ``tolerance`` (>= 0): the same test on integer differences, without
    turning them into floats to compare."""
    if not tolerance >= 0:  # NaN: nothing is within it
        return -1
    return int(min(tolerance, 2.0**15 - 1))


def channel_max(values: np.ndarray) -> np.ndarray:
    """The largest value over the last axis of an HxWxC array, as ``values.max(axis=2)`` (NaN included), but one
    whole-plane pass per channel instead of a reduction over a short, strided axis."""
    if values.shape[-1] < 2:
        return values.max(axis=-1)
    out = values[..., 0].copy()
    for c in range(1, values.shape[-1]):
        np.maximum(out, values[..., c], out=out)
    return out


def rounding_applies(expected) -> bool:
    """Whether the rounding policy applies: a uint8 picture with more than two neighbouring levels."""
    return isinstance(expected, np.ndarray) and expected.dtype == np.uint8 and expected.ndim >= 2 \
        and expected.size > 0 and int(expected.max()) - int(expected.min()) > 1


@register
class PixelsCheck(Check):
    """Share of pixels that equal the reference, up to rounding.

    On a uint8 picture (more than two levels) the rounding policy applies: a pixel whose values are
    all within one level of the reference counts as equal, but when the one-level differences lean one
    way (truncation instead of rounding lowers 25 to 50 % of the values), the excess of that direction
    beyond ``ROUNDING_BIAS`` of the values counts as different. Masks, labels and other arrays are
    compared exactly. Options: ``min_fraction`` (default 1.0, i.e. every pixel), ``dtype_strict``
    (default true), ``rounding_lean`` (default ``ROUNDING_BIAS``: widen it only for a case where two
    library calls the statement allows round differently). ``tolerance`` (levels) is only for non-uint8
    arrays; check-course refuses it on pictures, where the policy is the one tolerance.
    """

    accepts = ("dtype_strict", "min_fraction", "rounding_lean", "tolerance")
    kind = "pixels"
    diagnosable = True
    counts_in_message = True  # its failure says how many pixels differ: where_it_differs need not again

    def __init__(self, options):
        super().__init__(options)
        self.tolerance = _float_opt(options, "tolerance", 0.0)
        self.threshold = _float_opt(options, "min_fraction", 1.0)
        self.metric = "pixels equal" if self.tolerance == 0 else f"pixels within ±{self.tolerance:g}"
        self.lean = _float_opt(options, "rounding_lean", ROUNDING_BIAS)
        if self.tolerance < 0:
            raise CheckError(f"check option 'tolerance' must be 0 or more levels, got {self.tolerance:g}")
        if not 0 <= self.lean <= 1:
            raise CheckError(f"check option 'rounding_lean' must be a share from 0 to 1, got {self.lean:g}")

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        problem = array_problem(actual, expected, dtype_strict=self.options.get("dtype_strict", True))
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        signed = _difference(actual, expected)
        diff = np.abs(signed)
        rounding = rounding_applies(expected) and actual.dtype == np.uint8
        tolerance = 1.0 if rounding else self.tolerance
        # Under the rounding policy the value counts the pixels equal to the reference or one level off as
        # rounding; one-level slips beyond the allowed lean are not rounding, so they are not counted.
        metric = "pixels equal or rounded" if rounding else self.metric
        heat = channel_max(diff) if diff.ndim == 3 else diff
        # A pixel is close when its largest channel difference is (the same as every channel being close).
        close = heat <= (_whole_levels(tolerance) if signed.dtype == np.int16 else tolerance)
        fraction = np.count_nonzero(close) / close.size if close.size else 1.0
        lean = 0.0
        if rounding and signed.size:
            up, down = int(np.count_nonzero(signed == 1)), int(np.count_nonzero(signed == -1))
            lean = (up - down) / signed.size
            fraction -= max(0.0, abs(lean) - self.lean)
        ok = meets(fraction, self.threshold, ">=")
        message = ""
        if not ok and abs(lean) > self.lean:
            far = 1.0 - float(close.mean())
            shifted = float(np.count_nonzero(signed == np.sign(lean))) / signed.size
            if shifted >= OFFSET_SHARE or _moves_pixels_only(expected, ctx):
                # Rounding moves at most about half of the values, and a task that only moves pixels rounds
                # nothing: the picture is offset, and rounding advice would mislead.
                where = "everywhere" if shifted >= 0.99 else f"in {percent(shifted)} of the values"
                message = (f"your picture is one level too {'bright' if lean > 0 else 'dark'} {where}: something "
                           "adds " + ("1" if lean > 0 else "-1") + " (or changes the brightness) where the reference "
                           "keeps the values as they are.")
            elif lean < 0:
                message = (f"{percent(-lean)} more of the values are one level too low than too high: your picture is "
                           "truncated, not rounded (.astype(np.uint8) cuts the fraction off): round with "
                           "np.round(...) before converting, or let OpenCV do the arithmetic.")
            else:
                message = (f"{percent(lean)} more of the values are one level too high than too low: your picture "
                           "is rounded up (np.ceil, or halves always upwards) where the task rounds to the "
                           "nearest value, halves to even, as np.round and OpenCV do.")
            if far > 0:
                message += f" Besides, {percent(far)} of the pixels are more than one level off."
            message = message[0].upper() + message[1:]
        elif not ok:
            n_off = int(close.size - np.count_nonzero(close))
            within = "" if tolerance == 0 else \
                f" by more than {tolerance:g} level{'s' if tolerance != 1 else ''}"  # a colour value too, not grey
            message = (f"{count_share(n_off, close.size)} "
                       f"differ{'s' if n_off == 1 else ''} from the reference{within} "
                       f"(largest difference {diff.max():g}).")
        return Verdict(ok, message, metric=metric, value=fraction, threshold=self.threshold,
                       maps={"difference": heat.astype(np.float32)})
