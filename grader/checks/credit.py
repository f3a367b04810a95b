"""Partial credit for a near miss, and where in the picture the miss lies.

A failed case with a score earns a share of its points in proportion to how
close it came: 0 at the "nothing right" floor, rising towards (never reaching)
full points at the pass threshold. The floor is the better of two answers that
did no work: an all-zeros picture and the input returned unchanged. So a no-op
never earns points, even where it already looks similar to the reference.
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, Verdict

MAX_PARTIAL = 0.8  # a scored near miss earns at most this share of a case's points (the scale's top)
FAILED_CAP = 0.99  # the one cap: a failed case or task never earns more than this share of its points


def cap_failed(share: float) -> float:
    """The share of its points a failed case or task keeps: at most FAILED_CAP, never negative.

    The one place the cap is applied (``CaseResult.earned`` and ``aggregate`` both call it); a scored
    near miss is scaled to at most ``MAX_PARTIAL`` by :func:`partial_credit` before it gets here.
    """
    return float(min(max(share, 0.0), FAILED_CAP))


def floor_score(check, expected, ctx: CaseContext) -> float | None:
    """The best score of an answer that did nothing (zeros, or the input unchanged)."""
    if not isinstance(expected, np.ndarray):
        return None
    scores = []
    candidates = [np.zeros_like(expected)]
    first = ctx.first_image()
    if first is not None and first.shape == expected.shape and first.dtype == expected.dtype:
        candidates.append(first)
    for candidate in candidates:
        try:
            v = check.compare(candidate, expected, ctx).value
        except Exception:
            continue
        if v is not None and np.isfinite(v):
            scores.append(float(v))
    return max(scores) if scores else None


def partial_credit(check, expected, ctx: CaseContext, verdict: Verdict) -> float:
    """The share of a case's points a failed verdict earns (0 when it has no score)."""
    if verdict.passed or verdict.value is None or verdict.threshold is None or verdict.op != ">=":
        return 0.0
    floor = floor_score(check, expected, ctx)
    if floor is None or verdict.threshold <= floor:
        return 0.0
    share = (float(verdict.value) - floor) / (float(verdict.threshold) - floor)
    return float(np.clip(share, 0.0, 1.0) * MAX_PARTIAL)


# --- where the difference lies ------------------------------------------------------

_ROWS = ("top", "middle", "bottom")
_COLS = ("left", "centre", "right")


def where_it_differs(actual, expected, verdict: Verdict) -> str:
    """One sentence locating the difference between two pictures of one shape, or ''."""
    if not (isinstance(actual, np.ndarray) and isinstance(expected, np.ndarray)) or actual.shape != expected.shape:
        return ""
    if expected.ndim < 2 or expected.size == 0 or actual.dtype.kind not in "biuf":
        return ""
    a = actual.astype(np.float32)
    e = expected.astype(np.float32)
    diff = np.abs(a - e)
    if diff.ndim == 3:
        diff = diff.max(axis=2)
    span = 255.0 if expected.dtype == np.uint8 else float(max(np.ptp(e), 1e-12))
    levels = 8.0 if expected.dtype == np.uint8 else 0.03 * span
    off = diff > levels
    n_off = int(off.sum())
    if n_off == 0:
        return ("No pixel is off by more than a few levels: the difference is a slight shift in tone "
                "spread over the whole picture.")
    h, w = off.shape
    share = n_off / off.size
    amount = f"{share:.1%} of the pixels are off by more than {levels:g} levels"
    band = max(2, round(0.03 * min(h, w)))
    border = np.zeros_like(off)
    border[:band, :] = border[-band:, :] = True
    border[:, :band] = border[:, -band:] = True
    in_border = int((off & border).sum())
    worst = _worst_spot(verdict, diff)
    if in_border >= 0.9 * n_off and border.mean() < 0.5:
        return (f"The difference lies along the borders only ({amount}): check your border mode "
                "(e.g. cv2.BORDER_REFLECT_101, OpenCV's default, against a constant border).")
    cells = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            cells[i, j] = off[i * h // 3:(i + 1) * h // 3, j * w // 3:(j + 1) * w // 3].sum()
    i, j = np.unravel_index(int(cells.argmax()), cells.shape)
    if cells[i, j] >= 0.6 * n_off:
        part = "centre" if (i, j) == (1, 1) else f"{_ROWS[i]}-{_COLS[j]}".replace("middle-", "").replace(
            "-centre", "")
        return f"The difference is concentrated in the {part} of the picture ({amount}{worst})."
    rows, cols = cells.sum(axis=1), cells.sum(axis=0)
    if rows.max() >= 0.8 * n_off and int(rows.argmax()) != 1:
        return f"The difference lies in the {_ROWS[int(rows.argmax())]} part of the picture ({amount}{worst})."
    if cols.max() >= 0.8 * n_off and int(cols.argmax()) != 1:
        return f"The difference lies in the {_COLS[int(cols.argmax())]} part of the picture ({amount}{worst})."
    return f"The difference is spread over the picture ({amount}{worst})."


def _worst_spot(verdict: Verdict, diff: np.ndarray) -> str:
    smap = verdict.maps.get("ssim") if verdict.maps else None
    if isinstance(smap, np.ndarray) and smap.shape == diff.shape:
        y, x = np.unravel_index(int(np.argmin(smap)), smap.shape)
        return f"; the worst window is around x={x}, y={y}, local SSIM {float(smap[y, x]):.2f}"
    y, x = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return f"; the largest difference is at x={x}, y={y}"
