"""Shared fixtures: the course project, one worker pool for the whole session, and helpers.

The suite grades the course's stubs as committed, whatever state the working copy of
``exercises/`` is in (a contributor may have solved a few tasks), and everything it
writes goes under one private temporary folder that is removed at the end.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from grader.course import load_course
from grader.grading import grade
from grader.course.project import Project
from grader.engine.runner import Runner
from tests.controls import Control, module_source

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """One private temporary folder for the whole run (pytest's tmp_path, the grader's scratch folders,
    the browser's profile): removed at the end, so the suite leaves nothing in /tmp."""
    if getattr(config, "_pixelkata_tmp", None) is not None:
        return
    base = Path(tempfile.mkdtemp(prefix="pixelkata-tests-"))
    base.chmod(0o755)  # the sandbox's unprivileged worker must reach its case folders under it
    config._pixelkata_tmp = (base, os.environ.get("TMPDIR"), tempfile.tempdir)
    if config.option.basetemp is None:
        config.option.basetemp = str(base / "pytest")
    os.environ["TMPDIR"] = str(base)
    tempfile.tempdir = str(base)


#: Set by .ci/run, which runs tests/portable_suite.py right after the main suite, under the Windows-like
#: Python. The files below ask for the portable backend themselves, so in the main run they would only repeat,
#: under a fuller Python, what that second run proves; a developer's own `pytest` still runs them.
PORTABLE_RUN_FOLLOWS = "PIXELKATA_PORTABLE_RUN_FOLLOWS"
PORTABLE_ONLY_FILES = ("tests/test_portable.py", "tests/test_portable_corpus.py")


#: Files whose tests read one shared, costly result (the graded_control fixture): one process runs them all.
SHARED_RESULTS = {"tests/test_course.py": "the graded controls", "tests/test_tolerances.py": "the graded controls"}

if importlib.util.find_spec("xdist") is not None:
    def pytest_xdist_make_scheduler(config, log):
        """`pytest -n 2` (pytest-xdist) sends each test file whole to one process, so a module's fixtures (a
        graded class, the hostile corpus's runs, a set of variants) are made once; SHARED_RESULTS' files go
        together."""
        from xdist.scheduler import LoadScopeScheduling

        class ByFile(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                path = nodeid.split("::")[0]
                return SHARED_RESULTS.get(path, path)

        return ByFile(config, log)


def pytest_collection_modifyitems(config, items):
    if os.environ.get(PORTABLE_RUN_FOLLOWS) != "1" or os.environ.get("PIXELKATA_BACKEND") == "portable":
        return
    kept, later = [], []
    for item in items:
        (later if item.nodeid.split("::")[0] in PORTABLE_ONLY_FILES else kept).append(item)
    if later:
        config.hook.pytest_deselected(items=later)
        items[:] = kept


def pytest_unconfigure(config):
    saved = getattr(config, "_pixelkata_tmp", None)
    if saved is None:
        return
    base, tmpdir, tempdir = saved
    if tmpdir is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = tmpdir
    tempfile.tempdir = tempdir
    shutil.rmtree(base, ignore_errors=True)
    config._pixelkata_tmp = None


def committed_stubs(folder: Path) -> Path:
    """``folder`` holding the day modules of exercises/ as committed (git HEAD), or as they are
    outside a git checkout; whatever a contributor has solved in the working copy is left out."""
    from grader.course import load_course

    shutil.copytree(ROOT / "exercises", folder)
    for day in load_course().days:
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"HEAD:exercises/{day.filename}"],
                               capture_output=True)
        if shown.returncode == 0:
            (folder / day.filename).write_bytes(shown.stdout)
    return folder


@pytest.fixture(scope="session", autouse=True)
def _the_stubs_as_committed(tmp_path_factory):
    """The repository's exercises/ reads as its committed stubs, so the suite passes whatever a
    contributor has done to their working copy (solved three tasks, say)."""
    stubs = committed_stubs(tmp_path_factory.mktemp("committed") / "exercises")
    real = Project.exercises

    def exercises(self):
        return stubs if Path(self.root).resolve() == ROOT else real.fget(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Project, "exercises", property(exercises))
        yield stubs


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def course():
    return load_course()


@pytest.fixture(scope="session")
def runner():
    with Runner(2) as r:
        yield r


@pytest.fixture(scope="session")
def solutions_run(project, runner):
    """One grading of the reference solutions, shared by the tests that read it."""
    return grade(project, exercises=project.solutions, runner=runner, keep_images=False)


@pytest.fixture(scope="session")
def stubs_run(project, runner):
    """The stubs graded by running them (a day still equal to its stub is otherwise judged unrun)."""
    return grade(project, exercises=project.exercises, runner=runner, run_untouched=True)


def learner_folder(tmp_path: Path, project: Project, day_number: int, source: str) -> Path:
    """An exercises folder where one day's module holds ``source``."""
    folder = tmp_path / "exercises"
    folder.mkdir(exist_ok=True)
    day = load_course().day(day_number)
    (folder / day.filename).write_text(source)
    return folder


def grade_control(tmp_path: Path, project: Project, runner: Runner, control: Control, **kw):
    day = load_course().day(control.day)
    source = module_source(project.solutions / day.filename, control)
    folder = learner_folder(tmp_path, project, control.day, source)
    return grade(project, exercises=folder, day=control.day, task=control.task, runner=runner, **kw)


@pytest.fixture(scope="session")
def graded_control(project, runner, tmp_path_factory):
    """Grade a control (tests/controls/) once for the whole session and hand back its run.

    A wrong-answer control is read twice: tests/test_course.py judges its outcome and message,
    tests/test_tolerances.py how far its scores fall short of each threshold. Both read the same grading,
    so each control is graded once instead of once per test."""
    runs: dict = {}

    def graded(control: Control):
        if control not in runs:
            runs[control] = grade_control(tmp_path_factory.mktemp("control"), project, runner, control)
        return runs[control]

    return graded


def copy_project(tmp_path: Path, project: Project) -> Project:
    """A private copy of the course (exercises, solutions, catalogue, references) to modify."""
    dest = tmp_path / "course"
    shutil.copytree(project.exercises, dest / "exercises")
    for name in ("solutions", "catalogue", "reference_images"):
        shutil.copytree(project.root / name, dest / name)
    return Project(dest)


def begin_day(project: Project, number: int = 1) -> Path:
    """The learner has begun day ``number``: its file is no longer the stub as shipped (which is graded without
    starting a worker), though every function still raises NotImplementedError."""
    module = project.exercises / load_course().day(number).filename
    module.write_text(module.read_text() + "\n# begun\n")
    return module


# A day-1 module with every kind of result: passed, failed, error, not attempted, and a challenge tier.
MIXED_DAY01 = '''

# --- a learner part-way through the day
def shape_of(image):
    raise NotImplementedError


def pick(image, x, y, channel):
    raise NotImplementedError


def flip_rotate(image, action):
    raise NotImplementedError


def crop(image, x, y, width, height):
    return image[x:x + width, y:y + height]


def resize(image, width, height):
    return cv2.resize(image, (width, height)) + undefined_name
'''


def mixed_folder(tmp_path: Path, project: Project) -> Path:
    return learner_folder(tmp_path, project, 1, (project.solutions / "day01_reading.py").read_text() + MIXED_DAY01)


@pytest.fixture(scope="session")
def mixed_run(project, runner, tmp_path_factory):
    """Day 1 graded with passed, failed, error and not-attempted tasks and a gold challenge."""
    folder = mixed_folder(tmp_path_factory.mktemp("mixed"), project)
    return grade(project, exercises=folder, day=1, runner=runner)


@pytest.fixture(scope="session", autouse=True)
def _repository_state_stays_untouched(tmp_path_factory):
    """Grading the repository itself (``--root`` the checkout) writes its report and progress
    database into a temporary folder, never into the repository's own ``.pixelkata/``."""
    spare = tmp_path_factory.mktemp("repository-state")
    real = Project.state

    def state(self):
        return spare if Path(self.root).resolve() == ROOT else real.fget(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Project, "state", property(state))
        yield spare
