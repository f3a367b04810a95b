"""The regions check: the count of regions is exact, then the mask is scored by IoU."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, make_check


def discs(centres, radius=6, shape=(60, 80)):
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]]
    labels = np.zeros(shape, np.int32)
    for k, (y, x) in enumerate(centres, start=1):
        labels[(yy - y) ** 2 + (xx - x) ** 2 <= radius ** 2] = k
    return labels


TRUTH = discs([(15, 15), (15, 50), (40, 30), (45, 65)])


def judge(actual, **options):
    return make_check({"kind": "regions", "what": "coins", **options}).compare(
        actual, TRUTH, CaseContext(task=None, case=None))


def test_any_numbering_passes_and_scores_the_mask():
    renumbered = np.where(TRUTH > 0, 10 - TRUTH, 0).astype(np.uint8)
    v = judge(renumbered)
    assert v.passed and v.value == 1.0 and "4 coins, all counted" in v.detail


def test_a_wrong_count_scores_zero_and_says_what_the_mask_would_score():
    three = np.where(TRUTH == 4, 0, TRUTH)
    v = judge(three)
    assert not v.passed and v.value == 0.0
    assert "your label picture has 3 regions where there are 4 coins" in v.message and "Too few" in v.message
    assert v.detail.startswith("Your label picture has 3 regions") and "IoU would be" in v.detail
    extra = TRUTH.copy()
    extra[0, 0] = 9
    assert "Too many" in judge(extra).message


def test_a_plain_mask_is_one_region_and_the_message_says_to_label_it():
    v = judge((TRUTH > 0).astype(np.uint8) * 255)
    assert not v.passed and "A mask with one value is one region" in v.message


def test_a_right_count_with_a_poor_mask_fails_on_iou():
    small = discs([(15, 15), (15, 50), (40, 30), (45, 65)], radius=4)
    v = judge(small, min=0.9)
    assert not v.passed and 0 < v.value < 0.9 and "the count is right (4 coins)" in v.message


@pytest.mark.parametrize("actual, phrase", [
    (TRUTH.astype(np.float32), "holds whole numbers"),
    (TRUTH[:30], "expected (60, 80)"),
])
def test_wrong_types_and_shapes_are_explained(actual, phrase):
    assert phrase in judge(actual).message


HINTS = {"one_region": 1, "too_many": 2, "too_few": 3}


def test_the_cause_a_wrong_count_states_brings_the_hint_the_course_gives_it():
    speck = TRUTH.copy()
    speck[0, 0] = 9
    merged = np.where(TRUTH == 2, 1, TRUTH)
    for answer, cause in [((TRUTH > 0).astype(np.uint8) * 255, "one_region"), (speck, "too_many"),
                          (merged, "too_few")]:
        v = judge(answer, hints=HINTS)
        assert not v.passed and (v.cause, v.hint) == (cause, HINTS[cause])


def test_a_right_count_with_a_poor_mask_states_no_cause():
    v = judge(discs([(15, 15), (15, 50), (40, 30), (45, 65)], radius=4), hints=HINTS)
    assert not v.passed and (v.cause, v.hint) == (None, None)
