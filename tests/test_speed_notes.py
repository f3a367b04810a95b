"""Speed notes time the function's own work: imports it makes are counted apart and named, and nothing
that is not the function running (an import error, a slow module top level) earns a note about loops."""
from __future__ import annotations

import pytest

from grader.engine.runner import Runner
from grader.grading import grade, slow_note
from tests.conftest import learner_folder

REFERENCE = '''

def shape_of(image):
    height, width = image.shape[:2]
    return (int(height), int(width), int(image.shape[2]) if image.ndim == 3 else 1)
'''
# A library whose first import is slow, written where the function can import it (its own work folder).
COLD_IMPORT = (
    "    import os, sys\n"
    "    with open('heavylib.py', 'w') as fh:\n"
    "        fh.write('import time\\ntime.sleep(1.6)\\n')\n"
    "    sys.path.insert(0, os.getcwd())\n"
    "    import heavylib\n")


def graded(tmp_path, project, runner, source: str):
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = learner_folder(tmp_path, project, 1, (project.exercises / "day01_reading.py").read_text() + source)
    run = grade(project, exercises=folder, day=1, task="shape_of", runner=runner)
    return run.tasks[0]


def test_a_cold_import_inside_the_function_is_not_blamed_on_a_loop(tmp_path, project, runner):
    t = graded(tmp_path, project, runner, REFERENCE.replace("    height, width", COLD_IMPORT + "    height, width"))
    assert t.passed
    assert "loop" not in t.message and "took" not in t.message, t.message


@pytest.fixture(scope="module", params=["sandbox", "portable"])
def either_runner(request, runner):
    """The session's runner (the automatic backend), then a portable one: both workers run the import clock."""
    if request.param == "sandbox":
        yield runner
        return
    with Runner(1, backend="portable") as portable:
        yield portable


def test_slow_work_of_the_function_itself_is_noted_with_the_imports_apart(tmp_path, project, either_runner):
    runner = either_runner
    source = REFERENCE.replace("    height, width", COLD_IMPORT + "    import time\n    time.sleep(1.3)\n    height, width")
    t = graded(tmp_path, project, runner, source)
    assert t.passed
    assert "shape_of() took 1.3 s (not counting 1.6 s importing heavylib); the reference solution takes" \
        in t.message, t.message


def test_an_import_error_or_a_slow_module_top_level_gets_no_speed_note(tmp_path, project, runner):
    broken = graded(tmp_path / "a", project, runner,
                    "\nimport time\ntime.sleep(1.5)\nimport not_a_module_anywhere\n" + REFERENCE)
    assert broken.outcome.value == "error" and "not_a_module_anywhere" in broken.message
    assert "loop over pixels" not in broken.message
    looping = graded(tmp_path / "b", project, runner, "\nimport time\ntime.sleep(1.5)\n" + REFERENCE)
    assert looping.passed and looping.message == "", looping.message


def test_the_note_counts_the_work_apart_from_the_imports():
    class Task:
        function = "blur"

    assert slow_note(Task, 3.0, 0.01, imports=2.5, slow_imports=("scipy.stats",)) == ""
    assert slow_note(Task, 4.0, 0.01, imports=2.5, slow_imports=("scipy.stats",)) == (
        "blur() took 1.5 s (not counting 2.5 s importing scipy.stats); the reference solution takes 0.01 s: "
        "a Python loop over pixels is the usual reason; let NumPy or OpenCV work on whole arrays.")
    assert slow_note(Task, None, 0.01) == ""
