"""The ink check: what a function drew or painted over its input, against what the reference drew.

A shape drawn on a large canvas covers few of its pixels, so a plain
pixel-by-pixel share or SSIM would call a circle in the wrong place "99%
right". This check looks only at the pixels that either picture changed in
the input (the case's first picture argument): over those, the share whose
colour matches the reference. Drawing nothing scores 0, and so does drawing
the right shape in the wrong colour or in the wrong place.
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, apart, Check, CheckError, Verdict, array_problem, meets, register


def _changed(picture: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Where ``picture`` differs from ``base`` in any channel (HxW bool)."""
    if picture.ndim != 3:
        return picture != base
    return _per_channel(np.not_equal, np.logical_or, picture, base)


# Integer kinds whose values int32 holds exactly: on them ``|a - e| <= 0`` is ``a == e``.
_SMALL_INTEGERS = {np.dtype(t) for t in (np.bool_, np.uint8, np.int8, np.uint16, np.int16)}


def _matching(a: np.ndarray, e: np.ndarray, tolerance: float) -> np.ndarray:
    """Where every channel of ``a`` is within ``tolerance`` of ``e``, both taken as int32 (HxW bool)."""
    if tolerance == 0 and a.dtype in _SMALL_INTEGERS and e.dtype in _SMALL_INTEGERS:
        return _per_channel(np.equal, np.logical_and, a, e) if a.ndim == 3 else a == e
    close = np.abs(a.astype(np.int32) - e.astype(np.int32)) <= tolerance
    return close.all(axis=2) if close.ndim == 3 else close


def _per_channel(test, join, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``test(a, b)`` joined over the channels (``join``: np.logical_or for ``.any(axis=2)``, np.logical_and for
    ``.all(axis=2)``), one whole plane at a time instead of a reduction over the short, strided last axis."""
    if a.shape != b.shape or a.shape[2] == 0:
        whole = test(a, b)
        return whole.any(axis=2) if join is np.logical_or else whole.all(axis=2)
    out = test(a[..., 0], b[..., 0])
    for c in range(1, a.shape[2]):
        join(out, test(a[..., c], b[..., c]), out=out)
    return out


def ink_score(actual: np.ndarray, expected: np.ndarray, base: np.ndarray, tolerance: float = 0) -> dict:
    """Counts for the ink check: the share of changed pixels that match, and where they differ."""
    ink_a, ink_e = _changed(actual, base), _changed(expected, base)
    union = ink_a | ink_e
    match = _matching(actual, expected, tolerance)
    n_union = int(np.count_nonzero(union))
    agree = int(np.count_nonzero(union & match))
    both = int(np.count_nonzero(ink_a & ink_e))
    return {
        "score": 1.0 if n_union == 0 else agree / n_union,
        "placed": 1.0 if n_union == 0 else both / n_union,  # where, whatever the colour
        "yours": int(np.count_nonzero(ink_a)),
        "expected": int(np.count_nonzero(ink_e)),
        "extra": int(np.count_nonzero(ink_a & ~ink_e)),
        "missed": int(np.count_nonzero(ink_e & ~ink_a)),
        "wrong": union & ~match,
        "ink_e": ink_e,
    }


def _colour(picture: np.ndarray, where: np.ndarray) -> str:
    """The most common colour of ``picture`` over ``where``, as a tuple literal."""
    values = picture[where]
    if values.size == 0:
        return "none"
    if values.ndim == 1:
        found, counts = np.unique(values, return_counts=True)
        return str(int(found[np.argmax(counts)]))
    rows = values.reshape(len(values), -1)
    if rows.dtype == np.uint8 and rows.shape[1] <= 7:
        # Each colour as one integer, its first channel most significant: integers sort as the colours do
        # row by row, so the most common (the first of equals) is the one np.unique(axis=0) finds, far faster.
        weights = np.left_shift(np.int64(1), 8 * np.arange(rows.shape[1] - 1, -1, -1, dtype=np.int64))
        found, counts = np.unique(rows.astype(np.int64) @ weights, return_counts=True)
        key = int(found[np.argmax(counts)])
        return str(tuple((key >> (8 * i)) & 0xFF for i in range(rows.shape[1] - 1, -1, -1)))
    found, counts = np.unique(rows, axis=0, return_counts=True)
    return str(tuple(int(v) for v in found[np.argmax(counts)]))


@register
class InkCheck(Check):
    """Over every pixel that either picture changed in the input, the share within ``tolerance`` of the reference.

    Options: ``min`` (pass threshold, default 0.98), ``tolerance`` (levels, default 0).
    The first picture argument of the case is the canvas the function drew on.
    """

    accepts = ("min", "tolerance")
    causes = {
        "unchanged": "the canvas returned unchanged (nothing drawn on the picture returned)",
        "red_blue_swapped": "the whole picture with red and blue swapped (converted to RGB)",
        "wrong_colour": "the right place drawn in another colour (an RGB tuple where OpenCV takes BGR)",
        "some_colours": "the right place, with some of it in another colour (a colour, or the drawing order)",
        "partly_drawn": "only part of the shape drawn (an outline where a filled shape was asked for)",
    }
    kind = "ink"
    metric = "drawn pixels matching"

    def __init__(self, options):
        super().__init__(options)
        try:
            self.threshold = float(options.get("min", 0.98))
            self.tolerance = float(options.get("tolerance", 0))
        except (TypeError, ValueError):
            raise CheckError("ink check: min and tolerance must be numbers") from None

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        problem = array_problem(actual, expected)
        if problem:
            return Verdict(False, problem, metric=self.metric, threshold=self.threshold)
        base = ctx.first_image()
        if base is None or base.shape != expected.shape:
            raise CheckError("an ink check needs the case's first picture argument to be the canvas, "
                             "of the output's shape")
        counts = ink_score(actual, expected, base, self.tolerance)
        value = counts["score"]
        ok = meets(value, self.threshold, ">=")
        maps = {"difference": counts["wrong"].astype(np.float32)}
        if ok:
            return Verdict(True, metric=self.metric, value=value, threshold=self.threshold, maps=maps)
        cause, message = self._explain(actual, expected, base, counts)
        return self.diagnosed(Verdict(False, message, metric=self.metric, value=value, threshold=self.threshold,
                                      maps=maps), cause)

    def _explain(self, actual, expected, base, counts) -> tuple[str | None, str]:
        """The cause of a failure (one of ``causes``, or None when the message names none) and the message."""
        shown = apart(counts["score"], self.threshold, 0, percent=True)
        share = f"{shown[0]} of the drawn pixels match the reference (needs {shown[1]})"
        if counts["yours"] == 0:
            return "unchanged", (f"{share}: the picture you returned is the canvas unchanged. Draw on it (cv2 "
                                 "drawing functions change the picture you pass them) and return the result.")
        if actual.ndim == 3 and actual.shape[2] == 3:
            swapped = ink_score(np.ascontiguousarray(actual[..., ::-1]), expected, base, self.tolerance)["score"]
            if swapped >= self.threshold:
                return "red_blue_swapped", (f"{share}: your whole picture has red and blue swapped. Keep it in "
                                            "OpenCV's BGR order; do not convert it to RGB.")
        if counts["placed"] >= self.threshold:
            off = counts["ink_e"] & counts["wrong"]
            mine, want = _colour(actual, off), _colour(expected, off)
            if np.count_nonzero(off) > 0.5 * counts["expected"]:
                return "wrong_colour", (f"{share}: what you drew is in the right place but its colour differs, "
                                        f"{mine} where {want} was expected. OpenCV colours are (blue, green, red) "
                                        "tuples: (0, 0, 255) is red, not blue.")
            return "some_colours", (f"{share}: what you drew is in the right place, but {np.count_nonzero(off)} of "
                                    f"its pixels have another colour ({mine} where {want} was expected). Check each "
                                    "colour (OpenCV tuples are BGR) and the order: a shape drawn later covers the "
                                    "ones before it.")
        px = counts["expected"] or 1
        if counts["missed"] > 0.4 * px and counts["extra"] < 0.1 * px:
            return "partly_drawn", (f"{share}: you drew only part of what the reference drew ({counts['missed']} "
                                    "pixels missing). A thickness of -1 (cv2.FILLED) fills a shape; a positive "
                                    "thickness draws only its outline.")
        return None, (f"{share}: you drew {counts['extra']} pixels where the reference drew nothing, and missed "
                      f"{counts['missed']} that it drew. Check the positions (points are (x, y): column, then row), "
                      "the sizes and the thickness.")
