"""The comparison kinds themselves, on hand-made arrays: what passes, what fails, what they say."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, make_check


def compare(spec, actual, expected):
    return make_check(spec).compare(actual, expected, CaseContext(task=None, case=None))


def square_mask(shape=(40, 40), top=10, size=20):
    m = np.zeros(shape, np.uint8)
    m[top:top + size, top:top + size] = 255
    return m


def test_iou_accepts_a_bool_mask_for_a_0_255_reference_and_scores_overlap():
    ref = square_mask()
    assert compare({"kind": "iou", "min": 0.99}, ref > 0, ref).passed
    shifted = square_mask(top=12)
    v = compare({"kind": "iou", "min": 0.9}, shifted, ref)
    assert not v.passed and v.value == pytest.approx(18 * 18 / (2 * 400 - 18 * 18))
    assert "should be marked but is not" in v.message


def test_iou_of_an_inverted_mask_says_it_does_not_overlap():
    ref = square_mask()
    v = compare({"kind": "iou", "min": 0.9}, 255 - ref, ref)
    assert not v.passed and v.value == 0.0 and "inverted" in v.message


def test_dice_is_twice_the_overlap_over_the_sizes():
    ref = square_mask()
    half = ref.copy()
    half[:, 20:] = 0
    v = compare({"kind": "dice", "min": 0.5}, half, ref)
    assert v.value == pytest.approx(2 * 200 / (200 + 400))


def test_mean_iou_over_a_stack_names_the_mask_that_misses():
    ref = np.stack([square_mask(), square_mask(top=5)])
    yours = ref.copy()
    yours[1] = 0
    v = compare({"kind": "iou", "min": 0.9, "mean_over": 0, "labels": ["blue", "red"]}, yours, ref)
    assert v.value == pytest.approx(0.5) and "red: your mask is empty" in v.message


def test_labels_match_up_to_renumbering_but_not_when_regions_merge():
    ref = np.zeros((10, 10), np.int32)
    ref[1:4, 1:4] = 1
    ref[6:9, 6:9] = 2
    renumbered = np.where(ref == 1, 7, np.where(ref == 2, 3, 0))
    assert compare({"kind": "labels"}, renumbered, ref).passed
    merged = (ref > 0).astype(np.int32)
    v = compare({"kind": "labels"}, merged, ref)
    assert not v.passed and "you found 1 regions, the reference has 2" in v.message
    v = compare({"kind": "labels"}, ref.astype(np.float64), ref)
    assert not v.passed and "whole numbers" in v.message


def test_nan_never_passes_a_close_check_and_says_why():
    v = compare({"kind": "close", "rtol": 1e-3}, np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    assert not v.passed and "NaN" in v.message
    v = compare({"kind": "close", "rtol": 1e-3}, float("nan"), 2.0)
    assert not v.passed and "NaN" in v.message


def test_close_check_reports_the_worst_element():
    v = compare({"kind": "close", "rtol": 1e-3}, np.array([1.0, 2.5]), np.array([1.0, 2.0]))
    assert not v.passed and "at index [1]" in v.message and "2.5" in v.message


def test_value_check_names_a_height_width_swap():
    v = compare({"kind": "value"}, (320, 240, 3), (240, 320, 3))
    assert not v.passed and "(height, width, channels)" in v.message
    assert compare({"kind": "value"}, [240, 320, 3], (240, 320, 3)).passed
    assert not compare({"kind": "value"}, True, 1).passed


def test_shape_and_dtype_come_first_in_a_picture_failure():
    ref = np.zeros((20, 30, 3), np.uint8)
    v = compare({"kind": "ssim"}, np.zeros((20, 30), np.float64), ref)
    assert v.message.startswith("expected (20, 30, 3) uint8, got (20, 30) float64")


def test_a_small_wrong_region_fails_a_check_that_requires_every_local_window(project):
    from grader.course.references import References

    img = References(project.references).load_input("day01/chelsea.png")
    spoiled = img.copy()
    spoiled[100:130, 200:230] = 0
    assert compare({"kind": "ssim", "min": 0.95}, spoiled, img).passed
    v = compare({"kind": "ssim", "min": 0.95, "min_local": 0.5}, spoiled, img)
    assert not v.passed and "one region is wrong" in v.message
    assert "x=2" in v.message and v.metric == "worst local SSIM"


def test_value_check_shows_numpy_numbers_in_a_tuple_as_plain_numbers():
    v = compare({"kind": "value"}, (np.uint8(1), np.uint8(2)), (1, 3))
    assert not v.passed and "got (1, 2)" in v.message


MASK_HINTS = {"empty": 2, "inverted": 3}


@pytest.mark.parametrize("kind", ["iou", "dice"])
def test_an_empty_or_inverted_mask_brings_the_hint_the_course_gives_that_cause(kind):
    ref = square_mask()
    for yours, cause in [(np.zeros_like(ref), "empty"), (255 - ref, "inverted")]:
        v = compare({"kind": kind, "min": 0.9, "hints": MASK_HINTS}, yours, ref)
        assert not v.passed and (v.cause, v.hint) == (cause, MASK_HINTS[cause])


def test_a_mask_that_misses_without_being_the_inverse_states_no_cause():
    ref = square_mask()
    elsewhere = np.zeros_like(ref)
    elsewhere[0:5, 0:5] = 255  # no overlap, but far from covering the background
    for yours in (elsewhere, square_mask(top=12)):
        v = compare({"kind": "iou", "min": 0.9, "hints": MASK_HINTS}, yours, ref)
        assert not v.passed and (v.cause, v.hint) == (None, None)


def test_a_stack_of_masks_states_a_cause_only_when_every_failing_mask_shows_it():
    ref = np.stack([square_mask(), square_mask(top=5)])
    spec = {"kind": "iou", "min": 0.9, "mean_over": 0, "labels": ["blue", "red"], "hints": MASK_HINTS}
    v = compare(spec, np.zeros_like(ref), ref)
    assert (v.cause, v.hint) == ("empty", 2)
    one_empty_one_shifted = np.stack([square_mask(top=13), np.zeros_like(ref[1])])
    v = compare(spec, one_empty_one_shifted, ref)
    assert not v.passed and "red: your mask is empty" in v.message and (v.cause, v.hint) == (None, None)


def test_the_right_values_in_the_wrong_order_bring_the_hint_the_course_gives_that_cause():
    spec = {"kind": "value", "hints": {"wrong_order": 2}}
    v = compare(spec, (320, 240, 3), (240, 320, 3))
    assert not v.passed and (v.cause, v.hint) == ("wrong_order", 2)
    v = compare(spec, [3, 1, 2], [1, 2, 3])
    assert not v.passed and "wrong order." in v.message and (v.cause, v.hint) == ("wrong_order", 2)
    v = compare(spec, (240, 321, 3), (240, 320, 3))
    assert not v.passed and (v.cause, v.hint) == (None, None)


def test_a_tuple_takes_the_cause_and_hint_of_its_first_failing_item():
    spec = {"kind": "tuple", "items": [{"kind": "value"}, {"kind": "value", "hints": {"wrong_order": 2}}]}
    v = compare(spec, (7, (2, 1)), (7, (1, 2)))
    assert not v.passed and (v.cause, v.hint) == ("wrong_order", 2)
