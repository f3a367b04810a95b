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
