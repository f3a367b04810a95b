"""Grading hands whole days to workers: a day's module and its own libraries are loaded by one worker.

``plan_units`` cuts the plan into units (a day, or the days that share a ``preload`` library), longest
first; one day alone on an idle pool is shared by every worker, case by case.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from grader.engine.runner import Runner
from grader.grading import grade, plan_units
from tests.test_worker_failures import BACKENDS


@dataclass(eq=False)
class _Task:
    name: str
    preload: tuple = ()


@dataclass(eq=False)
class _Day:
    number: int
    tasks: list = field(default_factory=list)


class _Times:
    def __init__(self, seconds: dict):
        self.seconds = seconds

    def solution_time(self, task, case):
        return self.seconds.get((task.name, case))


def _plan(days: dict) -> list:
    """{day number: [(task, number of cases), ...]} -> the plan's (day, task, case) rows."""
    plan = []
    for number, tasks in days.items():
        day = _Day(number)
        for task, cases in tasks:
            plan += [(day, task, k) for k in range(cases)]
    return plan


def _days_of(plan, units):
    return [sorted({plan[i][0].number for i in unit}) for unit in units]


def test_days_that_need_the_same_library_share_one_unit_and_units_come_longest_first():
    svm = _Task("svm", ("sklearn", "sklearn.svm"))
    mlp = _Task("mlp", ("sklearn", "sklearn.neural_network", "scipy.signal"))
    plan = _plan({1: [(_Task("crop"), 20)], 2: [(_Task("blur"), 10)], 11: [(svm, 10)], 13: [(mlp, 10)],
                  3: [(_Task("edges"), 40)]})
    units = plan_units(plan, _Times({}), 2)
    assert _days_of(plan, units) == [[11, 13], [3], [1], [2]]
    assert all(unit == sorted(unit) for unit in units)  # each unit keeps the plan's order
    assert sorted(i for unit in units for i in unit) == list(range(len(plan)))


def test_a_shared_library_is_not_worth_leaving_the_other_worker_idle():
    svm, mlp = _Task("svm", ("sklearn",)), _Task("mlp", ("sklearn",))
    plan = _plan({11: [(svm, 4)], 13: [(mlp, 4)], 1: [(_Task("crop"), 1)]})
    # Days 11 and 13 together would take more than half of the whole: they go to both workers.
    times = _Times({("svm", k): 2.0 for k in range(4)} | {("mlp", k): 2.0 for k in range(4)})
    assert _days_of(plan, plan_units(plan, times, 2)) == [[11], [13], [1]]


def test_one_day_alone_is_one_unit():
    plan = _plan({4: [(_Task("a"), 3), (_Task("b"), 3)]})
    assert plan_units(plan, _Times({}), 2) == [list(range(6))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_day_alone_on_an_idle_pool_is_shared_by_both_workers_case_by_case(project, backend, monkeypatch):
    slots = []
    with Runner(2, backend=backend) as runner:
        real = runner._run_on
        monkeypatch.setattr(runner, "_run_on", lambda worker, job, day=None: slots.append(worker.slot)
                            or real(worker, job, day))
        run = grade(project, exercises=project.solutions, day=1, runner=runner)
    assert all(t.passed for t in run.tasks)
    assert sorted(set(slots)) == [0, 1]


@pytest.mark.parametrize("backend", BACKENDS)
def test_days_11_and_13_import_scikit_learn_in_one_worker_of_two(project, backend, monkeypatch):
    # With enough other days to keep the second worker busy meanwhile (alone, the two days go faster side by side).
    days = [1, 2, 3, 4, 6, 7, 11, 13]
    asked = []
    with Runner(2, backend=backend) as runner:
        kind = type(runner._idle.queue[0])
        original = kind.preload

        def counted(self, names):
            # A worker's first request for anything of scikit-learn is the one that pays for importing it.
            had = any(n.split(".")[0] == "sklearn" for n in self.preloaded)
            if not had and any(n.split(".")[0] == "sklearn" for n in names):
                asked.append(self.slot)
            return original(self, names)

        monkeypatch.setattr(kind, "preload", counted)
        run = grade(project, exercises=project.solutions, day=days, runner=runner)
    assert [d.day.number for d in run.days] == days
    assert all(t.passed for d in run.days for t in d.tasks)
    assert len(asked) == 1, asked
