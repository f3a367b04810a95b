"""The edges check: F1 of an edge map with a tolerance, and a message that says which way to move."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, CheckError, make_check
from grader.checks.edges import edge_scores


def square(shape=(60, 80), top=15, left=20, size=30, offset=0):
    m = np.zeros(shape, np.uint8)
    t, l = top + offset, left + offset
    m[t, l:l + size] = m[t + size - 1, l:l + size] = 255
    m[t:t + size, l] = m[t:t + size, l + size - 1] = 255
    return m


def compare(actual, expected, **options):
    return make_check({"kind": "edges", **options}).compare(actual, expected, CaseContext(task=None, case=None))


def test_the_same_map_scores_one_and_a_bool_map_is_the_same_map():
    ref = square()
    assert compare(ref, ref).value == 1.0
    assert compare(ref > 0, ref).passed


def test_a_one_pixel_shift_is_forgiven_within_the_tolerance_only():
    ref = square()
    shifted = square(offset=1)  # diagonal shift: sqrt(2) from the reference outline
    assert compare(shifted, ref, tolerance=2, min=0.99).passed
    v = compare(shifted, ref, tolerance=0, min=0.9)
    assert not v.passed and v.value < 0.2


def test_precision_and_recall_are_counted_both_ways():
    ref = square()
    half = ref.copy()
    half[:, 35:] = 0  # drop the right half of the square
    s = edge_scores(half, ref, 1)
    assert s["precision"] == 1.0 and 0.4 < s["recall"] < 0.8
    assert s["f1"] == pytest.approx(2 * s["recall"] / (1 + s["recall"]))


def test_noise_edges_lower_precision_and_the_message_says_smooth_or_raise():
    ref = square()
    noisy = ref.copy()
    noisy[np.random.default_rng(1).random(ref.shape) < 0.1] = 255
    v = compare(noisy, ref, min=0.9)
    assert not v.passed and "raise the thresholds" in v.message


def test_missing_edges_lower_recall_and_the_message_says_lower_the_thresholds():
    ref = square() | square(top=5, left=5, size=10)
    v = compare(square(), ref, min=0.95)
    assert not v.passed and "lower the thresholds" in v.message


def test_empty_and_inverted_maps_are_named():
    ref = square()
    assert "Your edge map is empty" in compare(np.zeros_like(ref), ref).message
    assert "marks most of the picture" in compare(255 - ref, ref).message
    assert compare(np.zeros_like(ref), np.zeros_like(ref)).value == 1.0


def test_shape_comes_first_and_options_are_checked():
    ref = square()
    v = compare(np.dstack([ref] * 3), ref)
    assert not v.passed and "a colour picture came back" in v.message
    with pytest.raises(CheckError):
        make_check({"kind": "edges", "tolerance": -1})
