"""The three-way test of every task: stub -> not attempted, solution -> passed, wrong -> failed.

Also: correct answers written another way pass, and every task has at least
one typical wrong answer on file (tests/controls/).
"""
from __future__ import annotations

import pytest

from grader.grading.results import Outcome
from tests.controls import all_controls

CONTROLS = all_controls()
WRONG = [c for c in CONTROLS if c.kind == "wrong"]
CORRECT = [c for c in CONTROLS if c.kind == "correct"]


def test_every_stub_grades_not_attempted_with_what_to_do(stubs_run):
    for t in stubs_run.tasks:
        assert t.outcome is Outcome.NOT_ATTEMPTED, (t.task.key, t.message)
        assert t.message.startswith(f"Write {t.task.function}() in exercises/"), t.message
    assert stubs_run.exit_code() == 0
    assert stubs_run.points == 0


def test_every_solution_passes_and_every_challenge_reaches_gold(solutions_run):
    for t in solutions_run.tasks:
        assert t.outcome is Outcome.PASSED, (t.task.key, t.message)
        if t.task.challenge:
            assert t.tier == "gold", (t.task.key, t.score)
    assert solutions_run.points == solutions_run.max_points
    assert solutions_run.exit_code() == 0


def test_every_task_has_a_wrong_answer_on_file(course):
    covered = {(c.day, c.task) for c in WRONG}
    missing = [t.key for t in course.tasks() if (t.day, t.task_name if hasattr(t, "task_name") else t.name) not in covered]
    assert not missing, f"tasks with no wrong-answer control: {missing}"


@pytest.mark.parametrize("control", WRONG, ids=lambda c: c.id)
def test_wrong_answer_fails_with_a_useful_message(control, graded_control):
    run = graded_control(control)
    (task,) = run.tasks
    assert task.outcome.value == control.outcome, task.message
    assert not task.passed
    if control.expect:
        assert control.expect in task.message, task.message
    assert run.exit_code() == 1


@pytest.mark.parametrize("control", CORRECT, ids=lambda c: c.id)
def test_correct_answer_written_another_way_passes(control, graded_control):
    run = graded_control(control)
    (task,) = run.tasks
    assert task.outcome is Outcome.PASSED, task.message
