"""Naming the classic mistake behind a failed picture.

When a picture check fails, each known mistake is undone on the learner's
output in turn. A mistake counts as the explanation only when the corrected
picture passes the same check, or clearly beats the raw output; then the
learner gets one sentence naming it, with the fix. A passing picture is never
diagnosed.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

import numpy as np

log = logging.getLogger(__name__)

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
        if not np.isfinite(a).any():  # all NaN: nanmax would only warn
            return None
        hi = float(np.nanmax(a))
        if hi <= 1.0 and float(np.nanmin(a)) >= 0:
            return np.clip(np.round(a * 255), 0, 255).astype(np.uint8)
    return None




# --- Mistakes of days 2 to 5: uint8 arithmetic, derivative directions ----------------


def _picture_pair(a, ctx):
    """The case's first two picture arguments, when both are uint8 of the output's shape."""
    if ctx is None or a.dtype != np.uint8:
        return None
    pics = [x for x in list(ctx.args) + list(ctx.kwargs.values())
            if isinstance(x, np.ndarray) and x.dtype == np.uint8 and x.shape == a.shape]
    return (pics[0], pics[1]) if len(pics) >= 2 else None


def _wrapped_sum(a, e, ctx):
    pair = _picture_pair(a, ctx)
    if pair is None:
        return None
    x, y = pair
    if not np.array_equal(a, x + y):  # uint8 + uint8 wraps modulo 256
        return None
    return np.minimum(x.astype(np.int16) + y, 255).astype(np.uint8)


def _saturated_sum(a, e, ctx):
    pair = _picture_pair(a, ctx)
    if pair is None:
        return None
    x, y = pair
    if not np.array_equal(a, np.minimum(x.astype(np.int16) + y, 255)):
        return None
    return x + y


def _derivative_lean(picture: np.ndarray, gx: np.ndarray, gy: np.ndarray) -> float:
    """How much more a picture follows the input's vertical edges (|d/dx|) than its horizontal ones."""
    p = picture.astype(np.float64).ravel()

    def corr(g):
        g = g.ravel()
        if p.std() == 0 or g.std() == 0:
            return 0.0
        return float(np.corrcoef(p, g)[0, 1])

    return corr(gx) - corr(gy)


def _other_derivative(a, e, ctx):
    """The x and y derivatives swapped.

    The derivative the task asked for cannot be rebuilt from the other one, so
    this mistake is recognised rather than undone: when the learner's picture
    follows the input's edges of one direction and the reference those of the
    other, the corrected picture is the reference itself.
    """
    import cv2

    first = ctx.first_image() if ctx is not None else None
    if first is None or a.ndim != 2 or a.shape != e.shape or first.shape[:2] != a.shape or first.dtype != np.uint8:
        return None
    gray = first if first.ndim == 2 else cv2.cvtColor(first, cv2.COLOR_BGR2GRAY)
    gx = np.abs(cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3))
    gy = np.abs(cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3))
    yours, wanted = _derivative_lean(a, gx, gy), _derivative_lean(e, gx, gy)
    if yours * wanted < 0 and min(abs(yours), abs(wanted)) > 0.15:
        return e
    return None




# --- Mistakes of days 6 to 9: thresholds run on colour -------------------------------

# The gray values a BGR pixel of 0s and 255s turns into under OpenCV's BT.601 weights.
_GRAY_OF_BINARY_BGR = {0, 29, 76, 105, 150, 179, 226, 255}


def _binary_255(a) -> bool:
    if a.dtype == np.bool_:
        return True
    return a.dtype == np.uint8 and bool(np.isin(a, (0, 255)).all())


def _per_channel_mask(a, e, ctx):
    """A 3-channel mask: a threshold run on each colour channel separately.

    Which gray mask was meant cannot be rebuilt from the three channel masks, so
    this mistake is recognised rather than undone (the corrected picture is the
    reference itself), from a symptom no correct answer has.
    """
    if e.ndim == 2 and _binary_255(e) and a.ndim == 3 and a.shape[:2] == e.shape and a.shape[2] == 3 \
            and _binary_255(a):
        return e
    return None


def _per_channel_mask_made_gray(a, e, ctx):
    """The same 3-channel mask turned gray afterwards: only the grays of 0/255 colour triples remain."""
    if e.ndim == 2 and _binary_255(e) and a.shape == e.shape and a.dtype == np.uint8:
        values = set(np.unique(a).tolist())
        if values <= _GRAY_OF_BINARY_BGR and not values <= {0, 255}:
            return e
    return None



# --- Mistakes of any day: floats left unconverted, one pixel off ---------------------


def _float_255(a, e, ctx):
    if a.dtype.kind == "f" and e.dtype == np.uint8 and a.shape == e.shape and a.size:
        if not np.isfinite(a).any():
            return None  # all NaN or infinite: no float picture to round (and nanmax would warn)
        hi = float(np.nanmax(a))
        if 1.0 < hi <= 255.5 and float(np.nanmin(a)) >= -0.5:
            return np.clip(np.round(a), 0, 255).astype(np.uint8)
    return None


def _shift(dy, dx):
    def undo(a, e, ctx):
        if a.shape != e.shape or a.ndim < 2 or min(a.shape[:2]) < 3:
            return None
        out = np.roll(a, (dy, dx), axis=(0, 1))
        # np.roll wraps the far edge around; repeat the near edge instead.
        if dy > 0:
            out[:dy] = out[dy]
        elif dy < 0:
            out[dy:] = out[dy - 1]
        if dx > 0:
            out[:, :dx] = out[:, dx:dx + 1]
        elif dx < 0:
            out[:, dx:] = out[:, dx - 1:dx]
        return out
    return undo


def _off_by_one(a, e, ctx):
    """A picture one row and/or column too big or too small, cut or padded back to size."""
    if a.ndim != e.ndim or a.ndim < 2 or a.shape[2:] != e.shape[2:]:
        return None
    dh, dw = a.shape[0] - e.shape[0], a.shape[1] - e.shape[1]
    if (dh, dw) == (0, 0) or abs(dh) > 1 or abs(dw) > 1:
        return None
    out = a
    if dh == 1:
        out = out[:-1]
    elif dh == -1:
        out = np.concatenate([out, out[-1:]], axis=0)
    if dw == 1:
        out = out[:, :-1]
    elif dw == -1:
        out = np.concatenate([out, out[:, -1:]], axis=1)
    return np.ascontiguousarray(out)


# The classic mistakes, in the order they are tried. ORDER MATTERS: the first mistake whose undoing
# explains the failure names it, so a mistake that is a special case of another (the input returned
# unchanged before any transform of it; a swap of red and blue before a flip, which would also change a
# symmetric picture) comes first, and the one-pixel shifts, which many small errors resemble, come last.
MISTAKES = [
    # --- Whole-picture transforms: channels, axes, flips, turns, gray and colour, 0..1 floats
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
    # --- Days 2 to 5: uint8 arithmetic, derivative directions
    Mistake("wrapped_sum", _wrapped_sum,
            "Your picture is the uint8 sum of the two pictures, which wraps around past 255 (250 + 10 gives 4): "
            "cv2.add(a, b) saturates at 255 instead, or compute in a wider type and clip, "
            "np.clip(a.astype(np.int16) + b, 0, 255).astype(np.uint8)."),
    Mistake("saturated_sum", _saturated_sum,
            "Your picture saturates at 255 as cv2.add does, but this case asks for plain NumPy addition, a + b on "
            "uint8, which wraps around modulo 256."),
    Mistake("derivative_axes_swapped", _other_derivative,
            "Your picture shows the derivative along the other axis: the x derivative (dx=1, dy=0) responds to "
            "vertical edges and the y derivative (dx=0, dy=1) to horizontal ones; swap dx and dy."),
    # --- Days 6 to 9: thresholds run on colour
    Mistake("colour_threshold", _per_channel_mask,
            "You thresholded each colour channel separately, so a colour picture came back where a grayscale one "
            "was asked for: convert the picture to grayscale first with cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), "
            "then threshold that one channel (and run any morphology on it)."),
    Mistake("colour_threshold_made_gray", _per_channel_mask_made_gray,
            "You thresholded each colour channel separately and turned the result gray afterwards (it holds "
            "greys such as 76 and 150, not just 0 and 255): convert the picture to grayscale first with "
            "cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), then threshold that one channel (and run any morphology on "
            "it)."),
    # --- Any day: floats left in 0..255, one row or column too many
    Mistake("float_255", _float_255,
            "Your picture is right but still as floats in 0..255: convert it with "
            "np.clip(img, 0, 255).round().astype(np.uint8)."),
    Mistake("off_by_one", _off_by_one,
            "Your picture is right but one row or column too big or too small: slice ends are exclusive, so "
            "image[y:y + height] is exactly height rows (no + 1, no - 1)."),
    # --- Any day: one pixel off (last: many small errors look like a shift)
    *(Mistake(f"shifted_{name}", _shift(dy, dx),
            f"Your picture is the expected one shifted by one pixel ({name}): check an index that is one off, "
            "e.g. a slice that starts at y + 1 or x - 1.")
      for name, dy, dx in (("down", -1, 0), ("up", 1, 0), ("right", 0, -1), ("left", 0, 1))),
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
            if fixed is None:
                continue
            if mistake.name == "unchanged":
                return mistake.sentence
            trial = check.compare(fixed, expected, ctx)
        except Exception:  # noqa: BLE001 - a diagnosis that crashes is a grader bug: logged, never blamed
            log.exception("diagnosing a failed picture: mistake %s crashed", mistake.name)
            continue
        if trial.passed:
            return mistake.sentence
        if raw is not None and trial.value is not None and trial.op == ">=" and trial.value - raw >= CLEAR_GAIN \
                and trial.threshold is not None and trial.value - raw >= CLEAR_SHARE * (trial.threshold - raw):
            return mistake.sentence
    return None
