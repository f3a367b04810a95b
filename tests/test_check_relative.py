"""The relative check: arrays within a relative error of the reference, scale-free."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, make_check
from grader.checks.relative import relative_error

REF = np.array([[1.0, -2.0], [4.0, 0.5]])


def judge(actual, expected=REF, **options):
    return make_check({"kind": "relative", **options}).compare(actual, expected, CaseContext(task=None, case=None))


def test_relative_error_is_the_largest_difference_over_the_largest_value():
    assert relative_error(REF + [[0, 0], [0, 0.04]], REF) == pytest.approx(0.01)
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0


def test_float32_within_the_tolerance_passes():
    v = judge(REF.astype(np.float32), max=1e-6)
    assert v.passed and v.value == 0.0 and v.detail == "relative error 0.00e+00 (allowed 1e-06)."


def test_a_difference_beyond_the_tolerance_fails_and_says_where():
    v = judge(REF * [[1, 1], [1, 2]], max=1e-3)
    # The score is the relative error over the allowed one: 0.125 / 0.001.
    assert not v.passed and v.value == pytest.approx(125.0) and "relative error 0.125, allowed 0.001" in v.message
    assert "at index [1, 1] you have 1 where 0.5 was expected" in v.message


def test_scalars_are_compared_too():
    assert judge(3.0000001, expected=np.float64(3.0), max=1e-6).passed
    assert "expected 3, got 3.3" in judge(3.3, expected=np.float64(3.0)).message


@pytest.mark.parametrize("actual, phrase", [
    (np.ones((2, 3)), "expected (2, 2) float64, got (2, 3) float64"),
    (np.array([[np.inf, 1], [1, 1]]), "NaN or infinite"),
    ([[1.0, -2.0], [4.0, 0.5]], "wrap it with np.array"),
    (None, "did you forget to `return` it?"),
])
def test_wrong_shapes_types_and_overflow_are_explained(actual, phrase):
    v = judge(actual)
    assert not v.passed and phrase in v.message


def test_the_same_overflow_as_the_reference_matches_it_and_any_other_fails():
    overflowed = np.array([[np.nan, 0.5], [1.0, np.inf]])
    assert judge(overflowed.copy(), expected=overflowed).passed
    assert "NaN or infinite" in judge(overflowed, expected=REF).message
    assert not judge(np.array([[np.nan, 0.5], [1.0, 2.0]]), expected=overflowed).passed
