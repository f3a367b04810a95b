"""Partial credit for near misses, and the sentence that says where a picture differs."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, make_check
from grader.checks.credit import partial_credit, where_it_differs
from grader.course.references import References
from grader.grading.results import Outcome


class _Task:
    challenge = False


def ctx_with(image):
    return CaseContext(task=_Task(), case=None, args=(image,))


@pytest.fixture(scope="module")
def cat(project):
    return References(project.references).load_input("day01/chelsea.png")


def credit_for(check_spec, actual, expected, image):
    check = make_check(check_spec)
    ctx = ctx_with(image)
    verdict = check.compare(actual, expected, ctx)
    return verdict, partial_credit(check, expected, ctx, verdict)


def test_a_no_op_earns_nothing_even_when_it_looks_similar(cat):
    expected = np.clip(cat.astype(int) + 6, 0, 255).astype(np.uint8)  # a slight brightening
    verdict, credit = credit_for({"kind": "ssim", "min": 0.999}, cat, expected, cat)
    assert not verdict.passed and credit == 0.0


def test_a_near_miss_earns_more_than_a_far_miss_and_never_full_points(cat):
    import cv2

    expected = cv2.GaussianBlur(cat, (9, 9), 2)
    near = cv2.GaussianBlur(cat, (9, 9), 1.6)
    far = cv2.GaussianBlur(cat, (3, 3), 0.5)
    spec = {"kind": "ssim", "min": 0.999}
    v_near, c_near = credit_for(spec, near, expected, cat)
    v_far, c_far = credit_for(spec, far, expected, cat)
    assert not v_near.passed and not v_far.passed
    assert 0 < c_far < c_near <= 0.8


def test_a_pass_needs_no_partial_credit(cat):
    verdict, credit = credit_for({"kind": "ssim", "min": 0.9}, cat, cat, cat)
    assert verdict.passed and credit == 0.0 and verdict.earned() == 1.0


def test_the_difference_is_located_in_the_right_part_of_the_picture(cat):
    spoiled = cat.copy()
    spoiled[10:60, 10:80] = 0
    v = make_check({"kind": "ssim", "min": 0.999}).compare(spoiled, cat, ctx_with(cat))
    sentence = where_it_differs(spoiled, cat, v)
    assert "concentrated in the top-left" in sentence and "worst window is around" in sentence


def test_a_difference_only_along_the_borders_points_at_the_border_mode(cat):
    import cv2

    ref = cv2.GaussianBlur(cat, (7, 7), 0, borderType=cv2.BORDER_REFLECT_101)
    other = cv2.GaussianBlur(cat, (7, 7), 0, borderType=cv2.BORDER_CONSTANT)
    v = make_check({"kind": "ssim", "min": 0.9999}).compare(other, ref, ctx_with(cat))
    assert "along the borders only" in where_it_differs(other, ref, v)


@pytest.mark.runner
def test_failures_carry_partial_points_consistently_into_the_task(project, runner, tmp_path):
    from grader.grading import grade
    from tests.conftest import learner_folder

    source = (project.solutions / "day01_reading.py").read_text() + (
        "\n\ndef resize(image, width, height):\n"
        "    return cv2.resize(image, (width, height), interpolation=cv2.INTER_NEAREST)\n")
    run = grade(project, exercises=learner_folder(tmp_path, project, 1, source), day=1, task="resize",
                runner=runner)
    (task,) = run.tasks
    assert not task.passed
    assert 0 < task.points < task.max_points
    # Each failed case earns its share (tests/test_policies.py pins the numbers); the task shows their mean.
    assert all(0 < c.earned < 0.8 + 1e-9 for c in task.cases if c.outcome is not Outcome.PASSED)


# --- the floor and the guards of partial credit, with a check whose score is the picture's mean level ------------


class _Brightness:
    """Scores a picture by its mean level over 255; refuses (raises on) an all-zeros one if told to, and
    scores a picture as NaN if told to."""

    def __init__(self, refuse_zeros=False, nan_zeros=False):
        self.refuse_zeros, self.nan_zeros, self.contexts, self.seen = refuse_zeros, nan_zeros, [], []

    def compare(self, actual, expected, ctx):
        from grader.checks import Verdict

        self.contexts.append(ctx)
        self.seen.append(actual)
        if not actual.any() and self.refuse_zeros:
            raise ValueError("refused")
        value = float("nan") if not actual.any() and self.nan_zeros else float(actual.mean()) / 255
        return Verdict(False, value=value, threshold=0.9)


def test_the_floor_is_the_better_of_all_zeros_and_the_input_unchanged_scored_in_the_cases_context():
    from grader.checks.credit import floor_score

    expected = np.full((4, 4), 200, np.uint8)
    check = _Brightness()
    ctx = ctx_with(np.full((4, 4), 51, np.uint8))
    assert floor_score(check, expected, ctx) == pytest.approx(0.2)
    assert check.contexts == [ctx, ctx]
    zeros, unchanged = check.seen
    assert (zeros.shape, zeros.dtype, zeros.any()) == ((4, 4), np.uint8, False) and unchanged is ctx.args[0]
    # an input of another shape or dtype is no answer to this case: only zeros count
    assert floor_score(_Brightness(), expected, ctx_with(np.full((5, 4), 51, np.uint8))) == 0.0
    assert floor_score(_Brightness(), expected, ctx_with(np.full((4, 4), 51, np.int16))) == 0.0
    assert floor_score(_Brightness(), expected, CaseContext(task=_Task(), case=None, args=(3,))) == 0.0


def test_a_floor_candidate_that_cannot_be_scored_is_skipped_and_none_scored_means_no_floor():
    from grader.checks.credit import floor_score

    expected = np.full((4, 4), 200, np.uint8)
    ctx = ctx_with(np.full((4, 4), 51, np.uint8))
    assert floor_score(_Brightness(refuse_zeros=True), expected, ctx) == pytest.approx(0.2)
    assert floor_score(_Brightness(nan_zeros=True), expected, ctx) == pytest.approx(0.2)
    assert floor_score(_Brightness(refuse_zeros=True), expected, CaseContext(task=_Task(), case=None)) is None
    assert floor_score(_Brightness(), 4.0, ctx) is None  # no picture, no floor


def test_only_a_failed_verdict_scored_against_an_at_least_threshold_above_the_floor_earns_credit():
    from grader.checks import Verdict

    expected = np.full((4, 4), 200, np.uint8)
    ctx = ctx_with(np.full((4, 4), 51, np.uint8))  # the floor is 0.2
    check = _Brightness()
    assert partial_credit(check, expected, ctx, Verdict(False, value=0.55, threshold=0.9)) == pytest.approx(0.4)
    assert partial_credit(check, expected, ctx, Verdict(True, value=0.95, threshold=0.9)) == 0.0
    assert partial_credit(check, expected, ctx, Verdict(False, value=None, threshold=0.9)) == 0.0
    assert partial_credit(check, expected, ctx, Verdict(False, value=0.55, threshold=None)) == 0.0
    assert partial_credit(check, expected, ctx, Verdict(False, value=0.55, threshold=0.9, op="<=")) == 0.0
    assert partial_credit(check, expected, ctx, Verdict(False, value=0.55, threshold=0.2)) == 0.0  # on the floor
    assert partial_credit(check, 4.0, ctx, Verdict(False, value=0.55, threshold=0.9)) == 0.0  # no floor
    # failed by another rule while over the mark: still never more than 0.8
    assert partial_credit(check, expected, ctx, Verdict(False, value=0.95, threshold=0.9)) == pytest.approx(0.8)
