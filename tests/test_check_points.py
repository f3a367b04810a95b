"""The points check: (x, y) point sets paired within a pixel tolerance, scored by F1 (or in order)."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, make_check

TRUTH = np.array([[10.0, 20.0], [50.0, 20.0], [50.0, 80.0], [10.0, 80.0]])


def judge(actual, truth=TRUTH, **options):
    return make_check({"kind": "points", "what": "corners", **options}).compare(
        actual, truth, CaseContext(task=None, case=None))


def test_points_within_the_tolerance_pass_in_any_order_and_opencv_layout():
    v = judge((TRUTH[::-1] + [1.5, -1.0]).reshape(-1, 1, 2), tol=2)
    assert v.passed and v.value == 1.0 and v.detail == "4 of 4 corners found within 2 pixels, 0 extra."


def test_f1_counts_missed_and_extra_points():
    answer = np.array([[10, 20], [50, 20], [50, 80], [200, 200], [300, 300]], float)  # 3 right, 2 extra, 1 missed
    v = judge(answer, min=0.9)
    assert not v.passed and v.value == pytest.approx(2 * 3 / 9)
    assert "3 of 4 corners found within 2 pixels, 2 extra" in v.message


def test_a_point_pairs_with_one_true_point_only():
    doubled = np.array([[10, 20], [10.5, 20], [11, 20]], float)
    assert judge(doubled, truth=TRUTH[:1]).value == pytest.approx(2 * 1 / 4)


def test_row_col_answers_are_named():
    v = judge(TRUTH[:, ::-1].copy())
    assert not v.passed and "(row, col) pairs where (x, y) was asked for" in v.message


def test_pairs_that_are_not_positions_are_not_called_row_col():
    v = judge(TRUTH[:, ::-1].copy(), xy=False, tol=0)
    assert not v.passed and "(row, col)" not in v.message


def test_far_too_many_points_says_to_keep_the_strong_ones():
    many = np.concatenate([TRUTH, np.random.default_rng(0).uniform(100, 400, (20, 2))])
    assert "keep only the strong, distinct ones" in judge(many).message


def test_ordered_points_are_judged_one_by_one():
    v = judge(TRUTH + [0.01, 0], ordered=True, tol=0.05, min=1.0)
    assert v.passed and v.value == 1.0
    swapped = TRUTH[[1, 0, 2, 3]]
    v = judge(swapped, ordered=True, tol=0.05, min=1.0)
    assert not v.passed and v.value == 0.5 and "2 of 4 corners within 0.05 pixels" in v.message
    assert "returned 3 corners where 4 were expected" in judge(TRUTH[:3], ordered=True).message


@pytest.mark.parametrize("actual, phrase", [
    (None, "did you forget to `return` it?"),
    ("corners", "where an array of (x, y) points of shape (N, 2) was expected"),
    (np.zeros(8), "expected an array of shape (N, 2)"),
    (np.array([[np.nan, 1.0]]), "NaN or infinite"),
])
def test_answers_that_are_not_point_sets_are_explained(actual, phrase):
    v = judge(actual)
    assert not v.passed and phrase in v.message


def test_no_points_at_all_scores_zero():
    v = judge(np.zeros((0, 2)))
    assert not v.passed and v.value == 0.0 and "You return only 0" in v.message


def test_a_malformed_reference_matches_only_the_same_answer():
    flat = np.arange(8.0)
    assert judge(flat.copy(), truth=flat).passed
    assert not judge(flat + 1, truth=flat).passed


HINTS = {"row_col": 2, "too_many": 3, "too_few": 4}


@pytest.mark.parametrize("answer, options, cause", [
    (TRUTH[:, ::-1].copy(), {}, "row_col"),
    (TRUTH[:, ::-1].copy(), {"ordered": True, "tol": 0.05, "min": 1.0}, "row_col"),
    (np.concatenate([TRUTH, np.random.default_rng(0).uniform(100, 400, (20, 2))]), {}, "too_many"),
    (TRUTH[:1], {}, "too_few"),
])
def test_the_cause_a_points_message_states_brings_the_hint_the_course_gives_it(answer, options, cause):
    v = judge(answer, hints=HINTS, **options)
    assert not v.passed and (v.cause, v.hint) == (cause, HINTS[cause])


def test_points_off_by_more_than_the_tolerance_state_no_cause():
    v = judge(TRUTH + [3, 0], hints=HINTS)
    assert not v.passed and (v.cause, v.hint) == (None, None)
