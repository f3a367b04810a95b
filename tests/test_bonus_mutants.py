"""Days 10 to 13 reject answers that keep the right shapes but not the right values.

Each mutant wraps the reference solution and changes every output it returns:
``zero`` replaces every number by 0, ``invert`` negates it (255 - x for
uint8). Shapes, dtypes and types stay those of a correct answer, so only the
checks' judgement of the values can reject them, and they must: every task
fails and no challenge reaches a tier.
"""
from __future__ import annotations

import pytest

from grader.course import load_course
from grader.grading import grade
from grader.grading.results import Outcome
from tests.conftest import learner_folder

BONUS_DAYS = [10, 11, 12, 13]

MUTATE = '''
import numpy as _np

_solution = {}
exec(compile(_SOURCE, "reference", "exec"), _solution)


def _mutate(v):
    if MODE == "none":
        return v
    if isinstance(v, _np.ndarray):
        if MODE == "zero":
            return _np.zeros_like(v)
        return (255 - v) if v.dtype == _np.uint8 else (~v if v.dtype == bool else -v)
    if isinstance(v, bool):
        return (not v) if MODE == "invert" else False
    if isinstance(v, (int, float, _np.number)):
        return type(v)(0) if MODE == "zero" else -v
    if isinstance(v, (list, tuple)):
        return type(v)(_mutate(x) for x in v)
    if isinstance(v, dict):
        return {k: _mutate(x) for k, x in v.items()}
    return v


def _wrap(name):
    def mutant(*args, **kwargs):
        return _mutate(_solution[name](*args, **kwargs))
    return mutant
'''


def mutant_source(project, day, mode: str) -> str:
    solution = (project.solutions / day.filename).read_text()
    names = [t.function for t in day.tasks]
    return (f"_SOURCE = {solution!r}\nMODE = {mode!r}\n" + MUTATE
            + "".join(f"\n{n} = _wrap({n!r})\n" for n in names))


@pytest.mark.parametrize("mode", ["zero", "invert"])
@pytest.mark.parametrize("day_number", BONUS_DAYS)
def test_a_mutant_that_changes_every_output_fails_every_task(day_number, mode, tmp_path, project, runner):
    day = load_course().day(day_number)
    folder = learner_folder(tmp_path, project, day_number, mutant_source(project, day, mode))
    run = grade(project, exercises=folder, day=day_number, runner=runner)
    assert len(run.tasks) == len(day.tasks)
    for t in run.tasks:
        # Failed, not error: the mutated answer is judged on its values, not stopped by a crash.
        assert t.outcome is Outcome.FAILED, (t.task.key, t.outcome, t.message)
        assert not t.passed and t.tier is None, (t.task.key, t.tier)


def test_the_unchanged_wrapper_passes_so_the_mutants_fail_on_their_values(tmp_path, project, runner):
    for day_number in BONUS_DAYS:
        day = load_course().day(day_number)
        (tmp_path / str(day_number)).mkdir()
        folder = learner_folder(tmp_path / str(day_number), project, day_number, mutant_source(project, day, "none"))
        run = grade(project, exercises=folder, day=day_number, runner=runner)
        assert all(t.outcome is Outcome.PASSED for t in run.tasks), [(t.task.key, t.message) for t in run.tasks]

