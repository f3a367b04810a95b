"""Tolerances tell right from wrong: every negative control falls short by a margin.

For each scored check: the untouched input, an all-zeros answer and each
typical wrong answer score at least ``MARGIN`` below the pass threshold (or
fail before scoring, e.g. on shape). Correct answers written another way
pass (tests/test_course.py).
"""
from __future__ import annotations

import pytest

from tests.controls import all_controls
from tests.margins import MARGIN, control_rows, direct_rows

WRONG = [c for c in all_controls() if c.kind == "wrong"]


def test_no_op_and_zeros_fall_short_of_every_threshold(project):
    rows = direct_rows(project)
    assert len({r.key for r in rows}) >= 80, "fewer scored cases than the course has"
    unscored = [(r.key, r.control) for r in rows if r.score is None]
    assert not unscored, f"checks that gave no score to an answer of the reference's shape: {unscored}"
    close = [(r.key, r.control, r.score, r.threshold) for r in rows if not r.ok]
    assert not close, f"controls within {MARGIN} of the threshold: {close}"


def test_a_margin_row_without_a_score_or_that_passes_fails():
    from tests.margins import Row

    assert Row("day01.crop/earring", "zeros", 0.98, ">=", 0.5).ok
    assert not Row("day01.crop/earring", "zeros", 0.98, ">=", None).ok
    assert not Row("day01.crop/earring", "zeros", 0.98, ">=", 0.5, passed=True).ok
    assert not Row("day01.crop/earring", "zeros", 0.98, ">=", 0.97).ok
    assert Row("day06.x/y", "zeros", 1.0, "<=", 1.03).ok and not Row("day06.x/y", "zeros", 1.0, "<=", 1.01).ok


@pytest.mark.parametrize("control", WRONG, ids=lambda c: c.id)
def test_wrong_answer_scores_fall_short_by_the_margin(control, graded_control):
    rows = control_rows(graded_control(control), control)
    close = [(r.key, r.score, r.threshold) for r in rows if not r.ok]
    assert not close, f"{control.label} scores within {MARGIN} of the threshold: {close}"
