"""The sentence that says where a picture differs counts every differing pixel and blames borders only when due."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from grader.checks import CaseContext, make_check
from grader.checks.credit import where_it_differs
from grader.course.references import References


class _Task:
    challenge = False


@pytest.fixture(scope="module")
def cat(project):
    return References(project.references).load_input("day01/chelsea.png")


def sentence(actual, expected, spec=None):
    spec = spec or {"kind": "pixels"}
    verdict = make_check(spec).compare(actual, expected, CaseContext(task=_Task(), case=None, args=(expected,)))
    assert not verdict.passed
    return where_it_differs(actual, expected, verdict)


def test_one_level_dark_everywhere_is_spread_over_the_picture_not_the_borders(cat):
    blurred = cv2.GaussianBlur(cat, (7, 7), 0)
    darker = np.clip(blurred.astype(int) - 1, 0, 255).astype(np.uint8)
    text = sentence(darker, blurred)
    assert "border" not in text
    assert text.startswith("The difference is spread over the picture (")
    off = np.abs(darker.astype(int) - blurred).max(axis=2) > 0
    n, total = int(off.sum()), off.size
    assert f"{n:,} of {total:,} pixels ({n / total:.1%}) differ, by up to 1 level;" in text


def test_a_small_difference_in_one_corner_is_found_though_under_eight_levels(cat):
    spoiled = cat.copy()
    spoiled[:40, :60] = np.clip(spoiled[:40, :60].astype(int) + 3, 0, 255).astype(np.uint8)
    text = sentence(spoiled, cat)
    assert "concentrated in the top-left" in text and "by up to 3 levels" in text


def test_a_wrong_border_mode_still_points_at_the_border(cat):
    ref = cv2.GaussianBlur(cat, (7, 7), 0, borderType=cv2.BORDER_REFLECT_101)
    other = cv2.GaussianBlur(cat, (7, 7), 0, borderType=cv2.BORDER_CONSTANT)
    text = sentence(other, ref)
    assert "along the borders only (" in text


def test_a_large_border_error_with_one_level_rounding_inside_still_names_the_border(cat):
    ref = cv2.GaussianBlur(cat, (7, 7), 0, borderType=cv2.BORDER_REFLECT_101)
    other = cv2.GaussianBlur(cat, (7, 7), 0, borderType=cv2.BORDER_CONSTANT)
    other[20:-20, 20:-20] = np.clip(other[20:-20, 20:-20].astype(int) + 1, 0, 255).astype(np.uint8)
    # The interior is 1 level off almost everywhere, but nearly all of the error's size is at the border.
    text = sentence(other, ref)
    assert "along the borders mostly; inside them pixels differ by up to 1 level (" in text


def test_a_mask_is_described_in_pixels_set_and_missing():
    expected = np.zeros((60, 80), bool)
    expected[10:30, 10:30] = True  # 400 pixels
    actual = expected.copy()
    actual[10:12, 10:30] = False  # 40 missing
    actual[50:55, 70:80] = True  # 50 extra
    text = sentence(actual, expected, {"kind": "iou", "min": 0.99})
    assert "90 of 4,800 pixels (1.9%) differ: 50 set that should be clear and 40 clear that should be set" in text
    assert "level" not in text


def test_a_colour_picture_off_by_three_levels_is_counted_once_in_levels_not_grey_levels(cat):
    from grader.grading.judging import explain

    hsv = cv2.cvtColor(cat, cv2.COLOR_BGR2HSV)
    shifted = hsv.copy()
    shifted[::3] = np.clip(hsv[::3].astype(int) + 3, 0, 255).astype(np.uint8)
    check = make_check({"kind": "pixels", "min_fraction": 0.99})
    ctx = CaseContext(task=_Task(), case=None, args=(cat,))
    verdict = check.compare(shifted, hsv, ctx)
    text = explain(check, shifted, hsv, ctx, verdict)
    n = int((np.abs(shifted.astype(int) - hsv).max(axis=2) > 1).sum())
    assert text == (f"{n:,} of {hsv.shape[0] * hsv.shape[1]:,} pixels ({n / (hsv.shape[0] * hsv.shape[1]):.1%}) differ "
                    "from the reference by more than 1 level (largest difference 3). The difference is spread over "
                    "the picture (the largest difference is at x=0, y=0).")


def test_a_mask_off_by_a_few_pixels_still_says_which_are_set_and_which_missing_after_the_checks_count():
    from grader.grading.judging import explain

    expected = np.zeros((9, 9), np.uint8)
    expected[2:7, 2:7] = 1
    actual = expected.copy()
    actual[0, 0:4] = 1  # 4 set that should be clear
    actual[4, 4] = 0  # 1 clear that should be set
    check = make_check({"kind": "pixels"})
    ctx = CaseContext(task=_Task(), case=None, args=(expected,))
    verdict = check.compare(actual, expected, ctx)
    text = explain(check, actual, expected, ctx, verdict)
    assert text.count("5 of 81 pixels") == 1
    assert "(4 set that should be clear and 1 clear that should be set; the largest difference is at x=" in text
