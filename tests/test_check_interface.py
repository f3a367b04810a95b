"""The check interface: what make_check accepts, what meets() and tiers compare, and that course errors are clear."""
from __future__ import annotations

import math

import pytest

from grader.checks import CheckError, OPS, make_check, meets
from grader.grading.results import tier_for


def test_meets_compares_in_each_direction_and_an_exact_hit_passes():
    assert meets(0.98, 0.98, ">=") and meets(0.99, 0.98, ">=") and not meets(0.97, 0.98, ">=")
    assert meets(1.0, 1.0, "<=") and meets(0.5, 1.0, "<=") and not meets(1.5, 1.0, "<=")
    assert meets(3, 3, "==") and not meets(3.5, 3, "==")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, None])
def test_meets_never_passes_a_missing_or_non_finite_value(bad):
    assert not meets(bad, 0.0, ">=") and not meets(bad, 0.0, "<=")


@pytest.mark.parametrize("op", [">", "<", "=", "ge", "", "=>"])
def test_meets_rejects_an_unknown_comparison_instead_of_testing_equality(op):
    with pytest.raises(CheckError, match="unknown comparison"):
        meets(0.5, 0.5, op)
    assert OPS == (">=", "<=", "==")


def test_a_tier_is_at_least_its_bound_unless_told_otherwise():
    tiers = {"bronze": 0.6, "silver": 0.85, "gold": 0.95}
    assert tier_for(0.9, tiers) == "silver"
    assert tier_for(0.5, tiers) is None


def test_a_lower_is_better_tier_is_reached_exactly_on_its_bound():
    tiers = {"bronze": 10.0, "silver": 5.0, "gold": 2.0}
    assert tier_for(2.0, tiers, "<=") == "gold"
    assert tier_for(2.01, tiers, "<=") == "silver"
    assert tier_for(10.0, tiers, "<=") == "bronze"
    assert tier_for(10.01, tiers, "<=") is None


def test_a_tier_with_an_unknown_comparison_is_a_course_error():
    with pytest.raises(CheckError, match="unknown comparison '>'"):
        tier_for(0.5, {"bronze": 0.1, "silver": 0.2, "gold": 0.3}, ">")


@pytest.mark.parametrize("spec, says", [
    ({"kind": "sim"}, "unknown check kind 'sim'; known kinds: accuracy, close"),
    ({"min": 0.9}, "a check needs a kind"),
    ("ssim", "must be a table"),
    ({"kind": ["ssim"]}, "unknown check kind ['ssim']"),
    ({"kind": "ssim", "min": "high"}, "check option 'min' must be a number, got 'high'"),
    ({"kind": "tuple", "items": 3}, "tuple check needs a list of item checks"),
    ({"kind": "ssim", "mode": "diff"}, "ssim mode must be 'plain' or 'change'"),
    ({"kind": "labels", "min": "x"},
     "labels check: its options {'min': 'x'} are not valid (ValueError: could not convert string to float: 'x')"),
    ({"kind": "accuracy", "classes": 3}, "accuracy check: its options {'classes': 3} are not valid (TypeError"),
    ({"kind": "tuple", "items": [3]}, "a check must be a table such as"),
])
def test_make_check_raises_a_clear_check_error_for_a_bad_spec(spec, says):
    with pytest.raises(CheckError) as raised:
        make_check(spec)
    assert says in str(raised.value)


def test_make_check_leaves_the_manifest_table_as_it_was():
    spec = {"kind": "ssim", "min": 0.9}
    check = make_check(spec)
    assert spec == {"kind": "ssim", "min": 0.9}
    assert check.kind == "ssim" and check.threshold == 0.9
