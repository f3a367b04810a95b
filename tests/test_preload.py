"""A day's own libraries (its ``preload`` list, e.g. scikit-learn): each worker imports them once, before
the first case that asks, outside that case's clock, and keeps them for every later case.

Both backends are tried where the machine has them, each on one pool of one worker for the whole file.
The libraries here are small stand-ins (standard-library modules no worker imports by itself, one that
takes 1.5 s to import, one that cannot be imported), so the behaviour shows without paying for
scikit-learn.
"""
from __future__ import annotations

import pytest

from grader.engine import backends
from grader.engine.runner import GraderFailure, Job, Runner
from grader.engine.status import Status
from tests.test_worker_failures import BACKENDS, GRADER

LEARNER = ("import sys\n\ndef loaded(name):\n    return name in sys.modules\n\n"
           "def spoil(name):\n    sys.modules[name] = None\n    return 1\n")


@pytest.fixture(scope="module", params=BACKENDS)
def pool(request, tmp_path_factory):
    """One worker of one backend, whose package root also holds a slow library and a broken one."""
    root = tmp_path_factory.mktemp("site")
    (root / "grader").symlink_to(GRADER, target_is_directory=True)
    (root / "slow_library.py").write_text("import time\ntime.sleep(1.5)\n")
    (root / "broken_library").mkdir()
    (root / "broken_library" / "__init__.py").write_text(
        'raise ImportError("libgomp.so.1: cannot open shared object file")\n')
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(backends, "PACKAGE_ROOT", str(root))
        mp.setenv("PIXELKATA_LOG_DIR", str(root / "logs"))
        with Runner(1, backend=request.param) as runner:
            yield runner


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    path = tmp_path_factory.mktemp("learner") / "learner.py"
    path.write_text(LEARNER)
    return path


def loaded(pool, learner, name: str, **job):
    raw = pool.run(Job(module=learner, function="loaded", args=(name,), **job))
    assert raw.status == Status.RETURNED, raw
    return raw.value


def test_a_case_finds_its_days_library_imported_and_later_cases_keep_it(pool, learner):
    assert loaded(pool, learner, "wave") is False  # no worker imports it on its own
    assert loaded(pool, learner, "wave", preload=("wave",)) is True
    assert loaded(pool, learner, "wave") is True


def test_a_slow_import_is_not_counted_against_the_case_that_asked_for_it(pool, learner):
    assert loaded(pool, learner, "slow_library", timeout=1.0, preload=("slow_library",)) is True


def test_a_days_library_that_cannot_be_imported_is_a_grader_failure_in_one_line(pool, learner):
    with pytest.raises(GraderFailure) as err:
        pool.run(Job(module=learner, function="loaded", args=("x",), preload=("broken_library",)))
    assert str(err.value) == (
        f"the grader's {pool.backend.name} worker could not import broken_library, which this day's cases need "
        "(broken_library (ImportError: libgomp.so.1: cannot open shared object file)). This is a set-up "
        "problem, not your code: reinstall pixelkata's dependencies (pip install -e .) and grade again.")
    # The pool goes on: a case that does not need the library still runs.
    assert loaded(pool, learner, "broken_library") is False


def test_learner_code_that_spoils_an_import_cannot_make_it_a_grader_failure(pool, learner):
    # A portable worker runs cases in itself: what one case does to sys.modules stays for the next.
    spoilt = pool.run(Job(module=learner, function="spoil", args=("tabnanny",)))
    assert (spoilt.status, spoilt.value) == (Status.RETURNED, 1)
    # Imported afresh by a new worker if need be.
    assert loaded(pool, learner, "tabnanny", preload=("tabnanny",)) is True


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
