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


def test_every_check_kind_refuses_an_option_it_does_not_know_and_lists_those_it_does():
    import pytest

    from grader.checks import REGISTRY, CheckError, make_check

    for kind, cls in REGISTRY.items():
        with pytest.raises(CheckError) as caught:
            make_check({"kind": kind, "min_fractoin": 0.9})
        assert str(caught.value) == (f"{kind} check: unknown option 'min_fractoin'; it accepts: "
                                     f"{', '.join(sorted(cls.accepts))}"), kind
    with pytest.raises(CheckError, match=r"^pixels check: unknown options 'a', 'b'; it accepts: dtype_strict, "
                                         r"min_fraction, rounding_lean, tolerance$"):
        make_check({"kind": "pixels", "a": 1, "b": 2})


def test_every_option_a_check_reads_is_one_it_accepts():
    """The list each kind accepts is read against its code, so a new option cannot be refused by mistake."""
    import inspect
    import re

    from grader.checks import REGISTRY, Check

    read = re.compile(r'''(?:options\.get\(|options\[|_float_opt\(options,\s*|_bounds\(options,\s*|'''
                      r'''case_param\([^,]+,\s*[^,]+,\s*|_param\(ctx,\s*)\s*["']([a-z_]+)''')
    for kind, cls in REGISTRY.items():
        source = "".join(inspect.getsource(k) for k in cls.__mro__ if k not in (Check, object))
        helpers = "rtol atol".split() if "_tolerances(options)" in source else []
        assert set(read.findall(source)) | set(helpers) <= set(cls.accepts), kind
