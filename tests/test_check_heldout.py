"""The heldout check: predictions for held-out samples against true labels the learner never gets."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, make_check

TRUTH = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])


def judge(actual, **options):
    return make_check({"kind": "heldout", "items": "digits", **options}).compare(
        actual, TRUTH, CaseContext(task=None, case=None))


def test_accuracy_is_the_share_right():
    answer = TRUTH.copy()
    answer[[1, 4]] = 2  # two 1s taken for 2s
    v = judge(answer, min=0.7)
    assert v.passed and v.value == 0.8
    assert v.detail == "8 of 10 held-out digits right. Most mixed up: 1 predicted as 2 (2 times)."
    answer[7] = 0  # and one more mix-up, once
    assert judge(answer, min=0.7).detail == ("7 of 10 held-out digits right. Most mixed up: 1 predicted as 2 "
                                             "(2 times), 1 predicted as 0 (1 time).")
    answer[7] = TRUTH[7]
    v = judge(answer, min=0.9)
    assert not v.passed and "8 of 10 held-out digits are classified right (accuracy 0.800, needs 0.900)" in v.message


def test_a_list_of_ints_is_accepted():
    assert judge(TRUTH.tolist()).passed


def test_one_class_for_everything_is_named():
    assert "Every prediction is 0" in judge(np.zeros(10, int)).message


def test_predictions_for_the_training_set_are_named():
    v = judge(np.zeros(30, int), train=30)
    assert not v.passed and "returned 30 predictions for 10 held-out digits" in v.message
    assert "predictions for the training set" in v.message


@pytest.mark.parametrize("actual, phrase", [
    (np.eye(3)[TRUTH], "take the argmax over the classes, axis=1"),
    (["0", "1"], "returned names where class numbers were expected"),
    (np.full(10, 0.5), "not whole class numbers"),
    (None, "where an array of 10 predicted labels was expected"),
])
def test_answers_that_are_not_labels_are_explained(actual, phrase):
    v = judge(actual)
    assert not v.passed and phrase in v.message


def test_a_mistakes_probability_table_matches_only_the_same_table():
    table = np.eye(3)[TRUTH] * 0.9
    v = make_check({"kind": "heldout"}).compare(table.copy(), table, CaseContext(task=None, case=None))
    assert v.passed
    assert not make_check({"kind": "heldout"}).compare(table * 0.5, table, CaseContext(task=None, case=None)).passed


def test_a_mistakes_labels_name_only_the_very_same_labels():
    check = make_check({"kind": "heldout", "min": 0.7})
    ctx = CaseContext(task=None, case=None)
    mistake = check.reference_from(TRUTH.copy())  # a mistake whose labels are all right but for one...
    mistake[3] = 2
    honest = TRUTH.copy()
    honest[5] = 0  # ...and a correct answer that misses another sample: 8 of 10 agree, still not that answer
    assert not check.compare(honest, mistake, ctx).passed
    assert check.compare(mistake.copy().view(np.ndarray), mistake, ctx).passed
    assert check.compare(honest, TRUTH, ctx).passed  # against the truth it is an accuracy again


def test_another_answers_labels_match_only_exactly_and_the_value_is_the_share_they_agree_on():
    check = make_check({"kind": "heldout", "items": "digits"})
    other = check.reference_from(TRUTH.copy())
    near = TRUTH.copy()
    near[3] = 2  # 9 of 10 labels in common
    v = check.compare(near, other, CaseContext(task=None, case=None))
    assert (v.passed, v.value, v.message) == (False, 0.9, "your labels are not that answer's labels.")
    same = check.compare(TRUTH.copy(), other, CaseContext(task=None, case=None))
    assert (same.passed, same.value) == (True, 1.0)
    assert check.compare(np.zeros(10, int), other, CaseContext(task=None, case=None)).value == 0.4  # four 0s
    assert check.compare(np.zeros(4, int), other, CaseContext(task=None, case=None)).value == 0.0
