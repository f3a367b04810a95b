"""Naming the classic mistake behind a failed picture.

When a picture check fails, each known mistake is undone on the learner's
output in turn. A mistake counts as the explanation only when the corrected
picture passes the same check, or clearly beats the raw output; then the
learner gets one sentence naming it, with the fix. A passing picture is never
diagnosed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

# A corrected picture must beat the raw score by this much to explain a miss
# without passing outright...
CLEAR_GAIN = 0.25
# ...and close most of the gap to the threshold: a mask that merely overlaps a
# little more once flipped (0.0 -> 0.4 of 0.97) is not explained by the flip.
CLEAR_SHARE = 0.75


@dataclass(frozen=True)
class Mistake:
    name: str
    undo: Callable  # (actual, expected, ctx) -> corrected array, or None when it does not apply
    sentence: str


def _swap_rb(a, e, ctx):
    if a.ndim == 3 and a.shape[2] in (3, 4) and a.shape == e.shape:
        out = a.copy()
        out[..., [0, 2]] = a[..., [2, 0]]
        return out
    return None


def _transpose(a, e, ctx):
    if a.ndim >= 2 and a.shape[:2] == e.shape[1::-1] and a.shape[0] != a.shape[1]:
        return np.ascontiguousarray(np.swapaxes(a, 0, 1))
    return None


def _invert(a, e, ctx):
    if a.dtype == np.uint8 and a.shape == e.shape:
        return 255 - a
    if a.dtype == np.bool_ and a.shape == e.shape:
        return ~a
    return None


def _unchanged(a, e, ctx):
    first = ctx.first_image() if ctx is not None else None
    if first is not None and first.shape == a.shape and first.dtype == a.dtype and np.array_equal(first, a):
        return a  # nothing to undo; the check below tests equality with the input itself
    return None


def _flip(axis):
    def undo(a, e, ctx):
        return np.ascontiguousarray(np.flip(a, axis=axis)) if a.shape == e.shape and a.ndim >= 2 else None
    return undo


def _rotate(k):
    def undo(a, e, ctx):
        if a.ndim >= 2 and np.rot90(a, k).shape == e.shape:
            return np.ascontiguousarray(np.rot90(a, k))
        return None
    return undo


def _to_gray(a, e, ctx):
    if a.ndim == 3 and a.shape[2] == 3 and e.ndim == 2 and a.shape[:2] == e.shape and a.dtype == np.uint8:
        import cv2

        return cv2.cvtColor(a, cv2.COLOR_BGR2GRAY)
    return None


def _to_colour(a, e, ctx):
    if a.ndim == 2 and e.ndim == 3 and e.shape[2] == 3 and a.shape == e.shape[:2] and a.dtype == np.uint8:
        import cv2

        return cv2.cvtColor(a, cv2.COLOR_GRAY2BGR)
    return None


def _unit_float(a, e, ctx):
    if a.dtype.kind == "f" and e.dtype == np.uint8 and a.shape == e.shape and a.size:
        hi = float(np.nanmax(a))
        if hi <= 1.0 and float(np.nanmin(a)) >= 0:
            return np.clip(np.round(a * 255), 0, 255).astype(np.uint8)
    return None


MISTAKES = [
    Mistake("unchanged", _unchanged,
            "You returned the input picture unchanged: the function has to transform it."),
    Mistake("channels_swapped", _swap_rb,
            "Your picture is the expected one with red and blue swapped: OpenCV keeps colour as BGR, matplotlib "
            "and scikit-image as RGB; convert with cv2.cvtColor(img, cv2.COLOR_RGB2BGR) (or COLOR_BGR2RGB, "
            "whichever order the task asks for)."),
    Mistake("transposed", _transpose,
            "Your picture is the expected one with width and height swapped (transposed): NumPy shapes are "
            "(height, width), while cv2.resize takes dsize as (width, height)."),
    Mistake("inverted", _invert,
            "Your picture is the expected one inverted (255 - x): check the threshold type, e.g. THRESH_BINARY "
            "where THRESH_BINARY_INV was asked for (or the reverse)."),
    Mistake("flipped_left_right", _flip(1),
            "Your picture is the expected one mirrored left to right: check the flip direction "
            "(cv2.flip(img, 1) mirrors left-right, cv2.flip(img, 0) top-bottom)."),
    Mistake("flipped_upside_down", _flip(0),
            "Your picture is the expected one mirrored top to bottom: check the flip direction "
            "(cv2.flip(img, 0) mirrors top-bottom, cv2.flip(img, 1) left-right)."),
    Mistake("rotated_180", _rotate(2),
            "Your picture is the expected one turned by 180 degrees: you rotated the wrong way, or flipped along "
            "the other axis (cv2.flip(img, 1) mirrors left-right, 0 top-bottom; cv2.ROTATE_90_CLOCKWISE turns "
            "clockwise)."),
    Mistake("quarter_turn_ccw", _rotate(1),
            "Your picture is the expected one turned by a quarter turn: rotate it by 90 degrees counter-clockwise "
            "(cv2.ROTATE_90_COUNTERCLOCKWISE or np.rot90(img, k=1)) to match."),
    Mistake("quarter_turn_cw", _rotate(-1),
            "Your picture is the expected one turned by a quarter turn: rotate it by 90 degrees clockwise "
            "(cv2.ROTATE_90_CLOCKWISE or np.rot90(img, k=-1)) to match."),
    Mistake("colour_for_gray", _to_gray,
            "You returned a colour picture where a grayscale one was asked for: convert with "
            "cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)."),
    Mistake("gray_for_colour", _to_colour,
            "You returned a grayscale picture where a 3-channel colour one was asked for."),
    Mistake("unit_float", _unit_float,
            "Your picture is right but as 0..1 floats (scikit-image's convention): return uint8 in 0..255 with "
            "skimage.util.img_as_ubyte(img)."),
]


def diagnose(check, actual, expected, ctx, verdict) -> str | None:
    """The sentence naming the mistake that explains a failed picture, or None."""
    if verdict.passed or not isinstance(actual, np.ndarray) or not isinstance(expected, np.ndarray):
        return None
    if actual.dtype.kind not in "biuf" or actual.ndim < 2:
        return None
    raw = verdict.value
    for mistake in MISTAKES:
        try:
            fixed = mistake.undo(actual, expected, ctx)
        except Exception:
            continue
        if fixed is None:
            continue
        if mistake.name == "unchanged":
            return mistake.sentence
        try:
            trial = check.compare(fixed, expected, ctx)
        except Exception:
            continue
        if trial.passed:
            return mistake.sentence
        if raw is not None and trial.value is not None and trial.op == ">=" and trial.value - raw >= CLEAR_GAIN \
                and trial.threshold is not None and trial.value - raw >= CLEAR_SHARE * (trial.threshold - raw):
            return mistake.sentence
    return None
