"""Restoration quality against the ground truth: PSNR and SSIM, folded into one level.

A restored picture is compared with the clean picture (usually fixed by the
case with ``expected = { image = ... }``). PSNR alone rewards blur and SSIM
alone can forgive a brightness shift, so both count: each metric has three
bounds (bronze, silver, gold), and the picture's *level* is the lower of its
two positions on those scales. A level of 2.0 means both metrics reached the
silver bounds; challenges use tiers ``{ bronze = 1, silver = 2, gold = 3 }``.

Between two bounds the position is interpolated linearly; below bronze it
falls off at the bronze-to-silver slope (never under 0), above gold it rises
at the silver-to-gold slope (at most 4).
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, apart, written, Check, CheckError, Verdict, array_problem, register
from grader.checks.ssim import ssim

TIER_NAMES = ("bronze", "silver", "gold")
TOP_LEVEL = 4.0


def psnr(actual: np.ndarray, expected: np.ndarray, data_range: float = 255.0) -> float:
    """Peak signal-to-noise ratio in dB (infinite for identical pictures)."""
    mse = float(np.mean((actual.astype(np.float64) - expected.astype(np.float64)) ** 2))
    if mse == 0:
        return float("inf")
    return float(10 * np.log10(data_range ** 2 / mse))


def position(value: float, bounds: list) -> float:
    """Where ``value`` sits on the scale bounds[0] -> 1, bounds[1] -> 2, bounds[2] -> 3."""
    b, s, g = bounds
    if not np.isfinite(value):
        return TOP_LEVEL if value > 0 else 0.0
    if value < b:
        return max(0.0, 1.0 + (value - b) / (s - b))
    if value < s:
        return 1.0 + (value - b) / (s - b)
    if value < g:
        return 2.0 + (value - s) / (g - s)
    return min(TOP_LEVEL, 3.0 + (value - g) / (g - s))


def _bounds(options: dict, key: str) -> list:
    raw = options.get(key)
    try:
        bounds = [float(x) for x in raw]
    except (TypeError, ValueError):
        raise CheckError(f"quality check: {key} must be a list of three numbers (bronze, silver, gold)") from None
    if len(bounds) != 3 or not bounds[0] < bounds[1] < bounds[2]:
        raise CheckError(f"quality check: {key} needs three increasing bounds (bronze, silver, gold), got {raw!r}")
    return bounds


@register
class QualityCheck(Check):
    """PSNR and SSIM of a restored picture against the clean one, as one level.

    Options: ``psnr`` and ``ssim`` (three increasing bounds each: bronze,
    silver, gold), ``min`` (the level that passes, default 1: the bronze
    bounds), ``data_range`` (default 255 for uint8 pictures).
    """

    accepts = ("data_range", "min", "psnr", "ssim")
    kind = "quality"
    metric = "quality level"
    diagnosable = True

    def __init__(self, options):
        super().__init__(options)
        self.psnr_bounds = _bounds(options, "psnr")
        self.ssim_bounds = _bounds(options, "ssim")
        try:
            self.threshold = float(options.get("min", 1.0))
            self.data_range = float(options.get("data_range", 255.0))
        except (TypeError, ValueError):
            raise CheckError("quality check: min and data_range must be numbers") from None

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        problem = array_problem(actual, expected)
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        if expected.dtype != np.uint8 and "data_range" not in self.options:
            raise CheckError(f"a quality check on {expected.dtype} pictures needs an explicit data_range")
        p = psnr(actual, expected, self.data_range)
        result = ssim(actual, expected, data_range=self.data_range)
        s = result.score
        lp, ls = position(p, self.psnr_bounds), position(s, self.ssim_bounds)
        level = min(lp, ls)
        ok = level >= self.threshold
        # Each measure is written with the digits that tell it from every bound it is read against.
        shown_p = "identical" if not np.isfinite(p) else f"{written(p, self.psnr_bounds, 2)} dB"
        shown_s = written(s, self.ssim_bounds)
        table = [("PSNR", f">= {self.psnr_bounds[0]:g} dB", shown_p), ("SSIM", f">= {self.ssim_bounds[0]:g}", shown_s)]
        detail = f"PSNR {shown_p}, SSIM {shown_s}{self._next_step(lp, ls)}"
        message = ""
        if not ok:
            need = self._level_bounds(self.threshold)
            message = (f"against the clean picture your result has PSNR {shown_p} and SSIM {shown_s}: level "
                       f"{apart(level, self.threshold, 2)[0]}, needs {apart(level, self.threshold, 2)[1]} ({need}). Both must improve together: a blur "
                       "that wipes out the noise also wipes out edges.")
        return Verdict(ok, message, metric=self.metric, value=float(level), threshold=self.threshold,
                       table=table, maps={"ssim": result.map}, detail=detail)

    def _level_bounds(self, level: float) -> str:
        i = min(2, max(0, int(np.ceil(level)) - 1))
        return f"PSNR at least {self.psnr_bounds[i]:g} dB and SSIM at least {self.ssim_bounds[i]:g}"

    def _next_step(self, lp: float, ls: float) -> str:
        level = min(lp, ls)
        if level >= 3.0:
            return "."
        i = int(level)  # the next tier to reach: 0 bronze, 1 silver, 2 gold
        behind = "PSNR" if lp < ls else "SSIM"
        return (f"; {TIER_NAMES[i]} needs PSNR at least {self.psnr_bounds[i]:g} dB and SSIM at least "
                f"{self.ssim_bounds[i]:g} ({behind} is the one holding you back).")
