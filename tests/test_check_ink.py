"""The ink check: judged on the pixels either picture drew, with a message naming the usual slip."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from grader.checks import CaseContext, CheckError, make_check

CANVAS = np.full((60, 80, 3), (90, 30, 40), np.uint8)


def compare(actual, expected, canvas=CANVAS, **options):
    ctx = CaseContext(task=None, case=None, args=(canvas,))
    return make_check({"kind": "ink", "min": 0.95, **options}).compare(actual, expected, ctx)


def disc(center=(40, 30), radius=12, colour=(0, 0, 255), thickness=-1, canvas=CANVAS):
    return cv2.circle(canvas.copy(), center, radius, colour, thickness)


def test_the_same_drawing_passes_and_scores_one():
    v = compare(disc(), disc())
    assert v.passed and v.value == 1.0


def test_only_drawn_pixels_count_so_a_small_shift_fails_clearly():
    v = compare(disc(center=(44, 30)), disc())
    # A plain pixel share would be above 0.9 here; over the drawn pixels it is far lower.
    assert float(np.mean(np.all(disc(center=(44, 30)) == disc(), axis=2))) > 0.9
    assert not v.passed and v.value < 0.7
    assert "points are (x, y)" in v.message


def test_the_right_shape_in_another_colour_names_bgr():
    v = compare(disc(colour=(255, 0, 0)), disc())
    assert not v.passed and v.value == 0.0
    assert "(255, 0, 0) where (0, 0, 255) was expected" in v.message and "(blue, green, red)" in v.message


def test_an_outline_where_a_fill_was_asked_says_thickness_minus_one_fills():
    v = compare(disc(thickness=1), disc())
    assert not v.passed and "thickness of -1" in v.message


def test_the_canvas_returned_unchanged_scores_zero():
    v = compare(CANVAS.copy(), disc())
    assert v.value == 0.0 and "the canvas unchanged" in v.message


def test_a_whole_picture_turned_to_rgb_is_named():
    canvas = np.dstack([np.full((60, 80), 200, np.uint8), np.full((60, 80), 40, np.uint8),
                        np.full((60, 80), 10, np.uint8)])
    expected = disc(canvas=canvas)
    v = compare(np.ascontiguousarray(expected[..., ::-1]), expected, canvas=canvas)
    assert not v.passed and "red and blue swapped" in v.message


def test_tolerance_allows_small_colour_differences():
    yours = disc(colour=(0, 0, 250))
    assert not compare(yours, disc()).passed
    assert compare(yours, disc(), tolerance=5).passed


def test_shape_and_dtype_come_first():
    v = compare(disc()[:, :, 0], disc())
    assert not v.passed and "grayscale" in v.message
    v = compare(disc() / 255.0, disc())
    assert not v.passed and "0..1 float" in v.message


def test_nothing_drawn_by_either_is_a_match():
    assert compare(CANVAS.copy(), CANVAS.copy()).value == 1.0


def test_it_needs_the_canvas_as_first_argument():
    with pytest.raises(CheckError):
        make_check({"kind": "ink"}).compare(disc(), disc(), CaseContext(task=None, case=None))


HINTS = {"unchanged": 1, "red_blue_swapped": 2, "wrong_colour": 3, "some_colours": 4, "partly_drawn": 5}


def _rgb_turned():
    canvas = np.dstack([np.full((60, 80), 200, np.uint8), np.full((60, 80), 40, np.uint8),
                        np.full((60, 80), 10, np.uint8)])
    expected = disc(canvas=canvas)
    return np.ascontiguousarray(expected[..., ::-1]), expected, canvas


def _partly_recoloured():
    yours = disc()
    yours[36:, :][np.all(yours[36:, :] == (0, 0, 255), axis=2)] = (0, 255, 0)  # the disc's lower part green
    return yours, disc(), CANVAS


@pytest.mark.parametrize("make, cause", [
    (lambda: (CANVAS.copy(), disc(), CANVAS), "unchanged"),
    (_rgb_turned, "red_blue_swapped"),
    (lambda: (disc(colour=(255, 0, 0)), disc(), CANVAS), "wrong_colour"),
    (_partly_recoloured, "some_colours"),
    (lambda: (disc(thickness=1), disc(), CANVAS), "partly_drawn"),
])
def test_the_cause_an_ink_message_states_brings_the_hint_the_course_gives_it(make, cause):
    actual, expected, canvas = make()
    v = compare(actual, expected, canvas=canvas, hints=HINTS)
    assert not v.passed and (v.cause, v.hint) == (cause, HINTS[cause])


def test_a_shape_drawn_in_the_wrong_place_states_no_cause():
    v = compare(disc(center=(44, 30)), disc(), hints=HINTS)
    assert not v.passed and (v.cause, v.hint) == (None, None)
