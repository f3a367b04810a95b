"""The rounding policy: one level of unbiased difference is the same answer, a lean one way is not."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from grader.checks import CaseContext, make_check
from grader.course import load_course
from grader.course.lint import _rounding_problems

CTX = CaseContext(task=None, case=None)


def _mix(alpha, seed=4):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    return alpha * a.astype(np.float64) + (1 - alpha) * b.astype(np.float64)


def test_truncation_fails_and_is_named_as_truncation():
    exact = _mix(0.7)
    verdict = make_check({"kind": "pixels"}).compare(exact.astype(np.uint8), np.round(exact).astype(np.uint8), CTX)
    assert not verdict.passed
    assert verdict.value < 0.7  # about half of the values one level low, all downwards
    assert "truncated, not rounded" in verdict.message


def test_rounding_halves_upwards_leans_up_and_fails():
    exact = _mix(0.5)
    verdict = make_check({"kind": "pixels"}).compare(np.floor(exact + 0.5).astype(np.uint8),
                                                     np.round(exact).astype(np.uint8), CTX)
    assert not verdict.passed
    assert "one level too high" in verdict.message


def test_unbiased_one_level_differences_on_many_pixels_pass():
    rng = np.random.default_rng(1)
    reference = rng.integers(2, 254, (50, 50), dtype=np.uint8)
    noise = rng.choice(np.array([-1, 0, 1]), size=reference.shape, p=[0.2, 0.6, 0.2])
    verdict = make_check({"kind": "pixels"}).compare((reference + noise).astype(np.uint8), reference, CTX)
    assert verdict.passed and verdict.value > 0.98


def test_a_lean_within_ten_percent_passes_and_two_levels_off_fails():
    reference = np.full((100, 100), 100, np.uint8)
    reference[0, 0] = 0
    lean = reference.copy()
    lean.flat[1:801] -= 1  # 8% one level low
    assert make_check({"kind": "pixels"}).compare(lean, reference, CTX).passed
    lean.flat[801:1201] -= 1  # 12%: 2% beyond the allowed lean count as different
    verdict = make_check({"kind": "pixels"}).compare(lean, reference, CTX)
    assert not verdict.passed and verdict.value == pytest.approx(0.98)
    far = reference.copy()
    far.flat[1:3] += 2
    verdict = make_check({"kind": "pixels"}).compare(far, reference, CTX)
    assert not verdict.passed and verdict.value == pytest.approx(0.9998)


def test_masks_and_small_label_arrays_are_compared_exactly():
    kernel = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], np.uint8)
    other = kernel.copy()
    other[0, 0], other[1, 1] = 1, 0  # one element off each way: not rounding
    verdict = make_check({"kind": "pixels"}).compare(other, kernel, CTX)
    assert not verdict.passed and verdict.value == pytest.approx(7 / 9)


def test_check_course_refuses_another_tolerance_on_a_picture_task():
    blend = load_course().day(4).task("blend")
    loose = dataclasses.replace(blend, check={"kind": "pixels", "tolerance": 1, "min_fraction": 0.95})
    assert _rounding_problems(loose) == [
        "day04.blend: its check sets a pixels tolerance; the rounding policy is the one tolerance for pictures "
        "(docs/ENGINE.md): remove it.",
        "day04.blend: its check passes with min_fraction 0.95, below 0.99: a picture task may let at most 1% of "
        "its pixels differ.",
    ]
    assert [p for t in load_course().tasks() for p in _rounding_problems(t)] == []
