"""A day's own libraries (its ``preload`` list, e.g. scikit-learn): each worker imports them once, before
the first case that asks, outside that case's clock, and keeps them for every later case.

Both backends are tried where the machine has them. The libraries here are small stand-ins (a
standard-library module no worker imports by itself, a package that takes 1.5 s to import), so the
behaviour shows without paying for scikit-learn.
"""
from __future__ import annotations

import pytest

from grader.engine.runner import GraderFailure, Job, Runner
from grader.engine.status import Status
from tests.test_worker_failures import BACKENDS, shadow  # noqa: F401  (shadow: a package root to add libraries to)

LEARNER = "import sys\n\ndef loaded(name):\n    return name in sys.modules\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_case_finds_its_days_library_imported_and_later_cases_keep_it(backend, tmp_path):
    module = tmp_path / "learner.py"
    module.write_text(LEARNER)
    with Runner(1, backend=backend) as runner:
        before = runner.run(Job(module=module, function="loaded", args=("wave",)))
        asked = runner.run(Job(module=module, function="loaded", args=("wave",), preload=("wave",)))
        later = runner.run(Job(module=module, function="loaded", args=("wave",)))
    assert (before.status, before.value) == (Status.RETURNED, False)  # no worker imports it on its own
    assert (asked.status, asked.value) == (Status.RETURNED, True)
    assert (later.status, later.value) == (Status.RETURNED, True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_learner_code_that_spoils_an_import_cannot_make_it_a_grader_failure(backend, tmp_path):
    # A portable worker runs cases in itself: what one case does to sys.modules stays for the next.
    module = tmp_path / "learner.py"
    module.write_text(LEARNER + "\ndef spoil(name):\n    sys.modules[name] = None\n    return 1\n")
    with Runner(1, backend=backend) as runner:
        spoilt = runner.run(Job(module=module, function="spoil", args=("wave",)))
        asked = runner.run(Job(module=module, function="loaded", args=("wave",), preload=("wave",)))
    assert (spoilt.status, spoilt.value) == (Status.RETURNED, 1)
    assert (asked.status, asked.value) == (Status.RETURNED, True)  # imported afresh by a new worker if need be


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_slow_import_is_not_counted_against_the_case_that_asked_for_it(backend, shadow, tmp_path):  # noqa: F811
    (shadow / "slow_library.py").write_text("import time\ntime.sleep(1.5)\n")
    module = tmp_path / "learner.py"
    module.write_text(LEARNER)
    with Runner(1, backend=backend) as runner:
        raw = runner.run(Job(module=module, function="loaded", args=("slow_library",), timeout=1.0,
                             preload=("slow_library",)))
    assert (raw.status, raw.value) == (Status.RETURNED, True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_days_library_that_cannot_be_imported_is_a_grader_failure_in_one_line(backend, shadow, tmp_path):  # noqa: F811
    (shadow / "broken_library").mkdir()
    (shadow / "broken_library" / "__init__.py").write_text(
        'raise ImportError("libgomp.so.1: cannot open shared object file")\n')
    module = tmp_path / "learner.py"
    module.write_text(LEARNER)
    with Runner(1, backend=backend) as runner:
        with pytest.raises(GraderFailure) as err:
            runner.run(Job(module=module, function="loaded", args=("x",), preload=("broken_library",)))
        message = str(err.value)
        # The pool goes on: a case that does not need the library still runs.
        after = runner.run(Job(module=module, function="loaded", args=("broken_library",)))
    assert message == (
        f"the grader's {backend} worker could not import broken_library, which this day's cases need "
        "(broken_library (ImportError: libgomp.so.1: cannot open shared object file)). This is a set-up "
        "problem, not your code: reinstall pixelkata's dependencies (pip install -e .) and grade again.")
    assert (after.status, after.value) == (Status.RETURNED, False)


def test_check_course_names_a_library_the_days_own_code_imports_that_no_worker_preloads():
    import dataclasses

    from grader.course import load_course
    from grader.course.lint import _preload_problems
    from grader.course.project import Project
    from tests.conftest import ROOT

    course = load_course()
    assert _preload_problems(Project(ROOT), course) == []
    forgotten = dataclasses.replace(course, days=(dataclasses.replace(course.day(11), preload=()),))
    assert _preload_problems(Project(ROOT), forgotten) == [
        "solutions/day11_classify.py imports sklearn.model_selection, sklearn.neighbors, sklearn.preprocessing, "
        "sklearn.svm, which no worker preloads: add them to preload in grader/course/day11.toml.",
        "catalogue/day11_classify.py imports sklearn.linear_model, sklearn.metrics, sklearn.model_selection, "
        "sklearn.neighbors, sklearn.pipeline, sklearn.preprocessing, sklearn.svm, which no worker preloads: "
        "add them to preload in grader/course/day11.toml.",
    ]
