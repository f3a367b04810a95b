"""The accuracy check: names against the true names, in order."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, make_check
from grader.values import Unsupported

TRUTH = ["salt", "pepper", "gaussian", "poisson", "speckle", "gaussian"]
CLASSES = ["gaussian", "poisson", "speckle", "salt", "pepper", "salt_and_pepper"]


def judge(actual, **options):
    check = make_check({"kind": "accuracy", "classes": CLASSES, "items": "pictures", **options})
    return check.compare(actual, TRUTH, CaseContext(task=None, case=None))


def test_all_right_passes_and_a_tuple_is_a_list():
    v = judge(tuple(TRUTH))
    assert v.passed and v.value == 1.0 and v.detail == "6 of 6 pictures named right."


def test_the_score_is_the_share_right_and_the_mixups_are_counted():
    guess = ["salt", "pepper", "gaussian", "gaussian", "gaussian", "gaussian"]
    v = judge(guess, min=0.9)
    assert not v.passed and v.value == pytest.approx(4 / 6)
    assert "4 of 6 pictures are named right" in v.message
    assert "poisson named gaussian (1 time)" in v.message and "speckle named gaussian (1 time)" in v.message


def test_unknown_names_are_listed_with_the_names_to_use():
    v = judge(["salt & pepper"] + TRUTH[1:])
    assert not v.passed and "'salt & pepper' is not among the names to use" in v.message
    assert "salt_and_pepper" in v.message


@pytest.mark.parametrize("actual, phrase", [
    (TRUTH[:4], "returned 4 names for 6 pictures"),
    (Unsupported("numpy array of dtype <U8", "holds Python objects or records, not numbers"), "names.tolist()"),
    (np.arange(6), "where a list of names (strings) was expected"),
    ([1, 2, 3, 4, 5, 6], "every name must be a string"),
    (None, "where a list of names"),
])
def test_answers_that_are_not_a_list_of_names_are_explained(actual, phrase):
    v = judge(actual)
    assert not v.passed and phrase in v.message, v.message
