"""Partial credit for a near miss, and where in the picture the miss lies.

A failed case with a score earns a share of its points in proportion to how
close it came: 0 at the "nothing right" floor, rising towards (never reaching)
full points at the pass threshold. The floor is the better of two answers that
did no work: an all-zeros picture and the input returned unchanged. So a no-op
never earns points, even where it already looks similar to the reference.
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, Verdict, count_share

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


def where_it_differs(actual, expected, verdict: Verdict, *, counted: bool = False) -> str:
    """One sentence locating the difference between two pictures of one shape, or ''.

    Every pixel that differs counts, however little: the sentence says how many
    differ and by how much, unless ``counted`` (the check's own message says so already). The location follows the squared error (as in MSE), not the
    count of pixels: "along the borders" only when the border band holds nearly
    all of it (so cropping the border would remove the difference). A mask (a
    bool picture, or one whose values are 0 and one other value) is described
    in pixels set or missing, never in levels.
    """
    if not (isinstance(actual, np.ndarray) and isinstance(expected, np.ndarray)) or actual.shape != expected.shape:
        return ""
    if expected.ndim < 2 or expected.size == 0 or actual.dtype.kind not in "biuf":
        return ""
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    diff = np.abs(a - e)
    if diff.ndim == 3:
        diff = diff.max(axis=2)
    diff = np.nan_to_num(diff, nan=0.0, posinf=0.0, neginf=0.0)
    if expected.dtype.kind == "f" or actual.dtype.kind == "f":
        span = float(max(np.ptp(e), 1e-12)) if np.isfinite(e).all() else 1.0
        off = diff > 1e-6 * span  # float rounding is not a difference
    else:
        off = diff > 0
    n_off = int(off.sum())
    if n_off == 0:
        return ""
    h, w = off.shape
    amount = _amount(actual, expected, off, diff, counted)
    band = max(2, round(0.03 * min(h, w)))
    border = np.zeros_like(off)
    border[:band, :] = border[-band:, :] = True
    border[:, :band] = border[:, -band:] = True
    error = np.where(off, diff * diff, 0.0)  # squared, as in the mean squared error: large misses weigh most
    total = float(error.sum())
    worst = _worst_spot(verdict, diff)
    if not amount:
        worst = worst[2:]  # no "; " before it
    if border.mean() < 0.5 and float(error[border].sum()) >= 0.9 * total:
        inside = ("only" if not off[~border].any()
                  else f"mostly; inside them pixels differ by up to {_levels(float(diff[~border].max()), expected)}")
        counts = f" ({amount})" if amount else ""
        return (f"The difference lies along the borders {inside}{counts}: check your border mode "
                "(e.g. cv2.BORDER_REFLECT_101, OpenCV's default, against a constant border).")
    cells = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            cells[i, j] = error[i * h // 3:(i + 1) * h // 3, j * w // 3:(j + 1) * w // 3].sum()
    i, j = np.unravel_index(int(cells.argmax()), cells.shape)
    if cells[i, j] >= 0.6 * total:
        part = "centre" if (i, j) == (1, 1) else f"{_ROWS[i]}-{_COLS[j]}".replace("middle-", "").replace(
            "-centre", "")
        return f"The difference is concentrated in the {part} of the picture ({amount}{worst})."
    rows, cols = cells.sum(axis=1), cells.sum(axis=0)
    if rows.max() >= 0.8 * total and int(rows.argmax()) != 1:
        return f"The difference lies in the {_ROWS[int(rows.argmax())]} part of the picture ({amount}{worst})."
    if cols.max() >= 0.8 * total and int(cols.argmax()) != 1:
        return f"The difference lies in the {_COLS[int(cols.argmax())]} part of the picture ({amount}{worst})."
    return f"The difference is spread over the picture ({amount}{worst})."


def _is_mask(picture: np.ndarray) -> bool:
    if picture.dtype == bool:
        return True
    values = np.unique(picture) if picture.size <= 4_000_000 else np.unique(picture[::7])
    return len(values) <= 2 and values[0] == 0


def _amount(actual, expected, off, diff, counted: bool = False) -> str:
    """How many pixels differ, and by how much: pixels set or missing for a mask, levels for a picture. With
    ``counted`` (the check's message has the count and the largest difference), only what it does not say: a
    mask's pixels set and missing, or ''."""
    n_off = int(off.sum())
    share = n_off / off.size
    if actual.ndim == 2 and _is_mask(actual) and _is_mask(expected):
        extra = int((off & (actual != 0) & (expected == 0)).sum())
        missing = int((off & (actual == 0) & (expected != 0)).sum())
        parts = []
        if extra:
            parts.append(f"{extra:,} set that should be clear")
        if missing:
            parts.append(f"{missing:,} clear that should be set")
        if counted:
            return " and ".join(parts)
        return f"{count_share(n_off, off.size)} differ{'s' if n_off == 1 else ''}: " + " and ".join(parts)
    if counted:
        return ""
    return (f"{count_share(n_off, off.size)} differ{'s' if n_off == 1 else ''}, by up to "
            f"{_levels(float(diff.max()), expected)}")


def _levels(most: float, expected) -> str:
    if expected.dtype.kind in "biu":
        return f"{most:g} level{'s' if most != 1 else ''}"
    return f"{most:.3g}"


def _worst_spot(verdict: Verdict, diff: np.ndarray) -> str:
    smap = verdict.maps.get("ssim") if verdict.maps else None
    if isinstance(smap, np.ndarray) and smap.shape == diff.shape:
        y, x = np.unravel_index(int(np.argmin(smap)), smap.shape)
        return f"; the worst window is around x={x}, y={y}, local SSIM {float(smap[y, x]):.2f}"
    y, x = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return f"; the largest difference is at x={x}, y={y}"
