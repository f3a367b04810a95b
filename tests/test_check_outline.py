"""The outline check: a located polygon scored by IoU against the true outline."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, make_check
from grader.checks.outline import outline_iou

SQUARE = np.array([[100.0, 100.0], [200.0, 100.0], [200.0, 200.0], [100.0, 200.0]])


def judge(actual, truth=SQUARE, **options):
    return make_check({"kind": "outline", "what": "scroll", **options}).compare(
        actual, truth, CaseContext(task=None, case=None))


def test_iou_of_overlapping_squares():
    assert outline_iou(SQUARE, SQUARE) == 1.0
    # Shifted by a quarter of a side: 75 x 100 shared of 125 x 100 covered, IoU 0.6.
    assert outline_iou(SQUARE + [25, 0], SQUARE) == pytest.approx(0.6, abs=0.01)
    assert outline_iou(SQUARE + [300, 0], SQUARE) == 0.0


def test_an_exact_outline_passes_in_opencv_layout():
    v = judge(SQUARE.reshape(-1, 1, 2).astype(np.float32))
    assert v.passed and v.value == pytest.approx(1.0, abs=0.005) and v.detail.startswith("IoU 1.000")


def test_a_shifted_outline_fails_with_its_iou():
    v = judge(SQUARE + [25, 0], min=0.9)
    assert not v.passed and "IoU 0.60" in v.message and "needs 0.900" in v.message


def test_row_col_corners_are_named():
    tall = np.array([[100.0, 100.0], [140.0, 100.0], [140.0, 300.0], [100.0, 300.0]])
    v = judge(tall[:, ::-1].copy(), truth=tall)
    assert not v.passed and "(row, col) where (x, y) was asked for" in v.message


def test_corners_out_of_order_make_a_crossed_polygon_and_are_named():
    v = judge(SQUARE[[0, 2, 1, 3]])
    assert not v.passed and v.value < 0.6 and "not in order around the object" in v.message


def test_an_outline_far_away_is_told_to_check_the_homography_direction():
    assert "homography's direction" in judge(SQUARE * 10 + 5000).message


def test_several_scenes_score_the_mean_and_none_counts_as_not_found():
    truths = np.stack([SQUARE, SQUARE + 50])
    v = judge([SQUARE, None], truth=truths, min=0.9)
    assert not v.passed and v.value == pytest.approx(0.5, abs=0.005)
    assert "found in 1 of 2" in v.message and "mean IoU 0.500 over 2 scenes" in v.detail
    assert judge([SQUARE, SQUARE + 50], truth=truths).passed
    assert "returned 1 outlines for 2 scenes" in judge([SQUARE], truth=truths).message


@pytest.mark.parametrize("actual, phrase", [
    (None, "did you forget to `return` it?"),
    (np.zeros((3, 3)), "expected an array of shape (N, 2)"),
])
def test_answers_that_are_not_outlines_are_explained(actual, phrase):
    assert phrase in judge(actual).message


def test_a_list_of_outlines_with_none_stands_for_the_truth():
    v = judge([SQUARE, None], truth=[SQUARE, None])
    assert v.passed and v.value == pytest.approx(1.0, abs=0.005)
    assert judge([None, None], truth=[SQUARE, None]).value == pytest.approx(0.5)


HINTS = {"row_col": 2, "crossed": 3, "homography_direction": 4}


def test_the_cause_an_outline_message_states_brings_the_hint_the_course_gives_it():
    tall = np.array([[100.0, 100.0], [140.0, 100.0], [140.0, 300.0], [100.0, 300.0]])
    for answer, truth, cause in [(tall[:, ::-1].copy(), tall, "row_col"), (SQUARE[[0, 2, 1, 3]], SQUARE, "crossed"),
                                 (SQUARE * 10 + 5000, SQUARE, "homography_direction")]:
        v = judge(answer, truth=truth, hints=HINTS)
        assert not v.passed and (v.cause, v.hint) == (cause, HINTS[cause])


def test_an_outline_merely_shifted_states_no_cause():
    v = judge(SQUARE + [25, 0], hints=HINTS)
    assert not v.passed and (v.cause, v.hint) == (None, None)
