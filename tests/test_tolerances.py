"""Tolerances tell right from wrong: every negative control falls short by a margin.

For each scored check: the untouched input, an all-zeros answer and each
typical wrong answer score at least ``MARGIN`` below the pass threshold (or
fail before scoring, e.g. on shape). Correct answers written another way
pass (tests/test_course.py).
"""
from __future__ import annotations

import pytest

from tests.conftest import grade_control
from tests.controls import all_controls
from tests.margins import MARGIN, control_rows, direct_rows

WRONG = [c for c in all_controls() if c.kind == "wrong"]


def test_no_op_and_zeros_fall_short_of_every_threshold(project):
    rows = direct_rows(project)
    assert rows, "no scored checks found"
    close = [(r.key, r.control, r.score, r.threshold) for r in rows if not r.ok]
    assert not close, f"controls within {MARGIN} of the threshold: {close}"


@pytest.mark.parametrize("control", WRONG, ids=lambda c: c.id)
def test_wrong_answer_scores_fall_short_by_the_margin(control, tmp_path, project, runner):
    rows = control_rows(grade_control(tmp_path, project, runner, control), control)
    close = [(r.key, r.score, r.threshold) for r in rows if not r.ok]
    assert not close, f"{control.label} scores within {MARGIN} of the threshold: {close}"
