"""Broken learner code gets the right outcome, and every other task still runs."""
from __future__ import annotations

import textwrap

import pytest

from grader.grading import grade
from grader.grading.results import Outcome
from tests.conftest import learner_folder


def day1_with(project, tmp_path, override: str, *, prefix: str = "") -> object:
    """Day 1's solution module with ``override`` appended (redefining one function)."""
    source = prefix + (project.solutions / "day01_reading.py").read_text() + "\n\n" + textwrap.dedent(override)
    return learner_folder(tmp_path, project, 1, source)


def outcomes(run) -> dict:
    return {t.name: t.outcome for t in run.tasks}


def others_pass(run, broken: str) -> None:
    for t in run.tasks:
        if t.name != broken:
            assert t.outcome is Outcome.PASSED, (t.name, t.message)


BROKEN = {
    "infinite_loop": ("crop", """
        def crop(image, x, y, width, height):
            while True:
                pass
        """, Outcome.TIMED_OUT, "did not finish within 1.5 s"),
    "sleeps": ("crop", """
        def crop(image, x, y, width, height):
            import time
            time.sleep(60)
        """, Outcome.TIMED_OUT, "did not finish within"),
    "sys_exit": ("to_rgb", """
        def to_rgb(image):
            import sys
            sys.exit(0)
        """, Outcome.ERROR, "called sys.exit(0)"),
    "os_exit": ("to_rgb", """
        def to_rgb(image):
            import os
            os._exit(0)
        """, Outcome.ERROR, "ended its own process"),
    "returns_none": ("resize", """
        def resize(image, width, height):
            import cv2
            cv2.resize(image, (width, height))
        """, Outcome.FAILED, "did you forget to `return` it?"),
    "endless_print_flood": ("shape_of", """
        def shape_of(image):
            while True:
                print("spam " * 200)
        """, Outcome.TIMED_OUT, "only the first"),
    "raises": ("pick", """
        def pick(image, x, y, channel):
            return image[:, :, channel], int(image[y, x, channel]) / 0
        """, Outcome.ERROR, "raised ZeroDivisionError"),
    "segfault": ("flip_rotate", """
        def flip_rotate(image, action):
            import ctypes
            ctypes.string_at(0)
        """, Outcome.ERROR, "segmentation fault"),
    "memory_bomb": ("flip_rotate", """
        def flip_rotate(image, action):
            import numpy as np
            return np.ones((1 << 36,), np.uint8)
        """, Outcome.ERROR, "used too much memory"),
    "returns_a_list": ("to_rgb", """
        def to_rgb(image):
            return image[:, :, ::-1].tolist()
        """, Outcome.FAILED, "returned a list"),
    "returns_floats_0_1": ("to_rgb", """
        def to_rgb(image):
            return image[:, :, ::-1] / 255.0
        """, Outcome.FAILED, "as 0..1 floats"),
    "returns_an_object": ("to_rgb", """
        def to_rgb(image):
            class Sneaky:
                def __eq__(self, other):
                    return True
            return Sneaky()
        """, Outcome.FAILED, "Sneaky"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_function_gets_its_outcome_and_the_rest_still_runs(name, project, runner, tmp_path):
    task, source, outcome, phrase = BROKEN[name]
    # A short limit only where running into it is the point: on a loaded machine, turning a picture into a
    # list can take longer than 1.5 s, and the test is about what comes back, not about speed.
    timeout = 1.5 if outcome is Outcome.TIMED_OUT else None
    run = grade(project, exercises=day1_with(project, tmp_path, source), day=1, runner=runner, timeout=timeout)
    broken = next(t for t in run.tasks if t.name == task)
    assert broken.outcome is outcome, broken.message
    assert phrase in broken.message, broken.message
    others_pass(run, task)
    assert run.exit_code() == 1


def test_a_finite_print_flood_is_cut_off_and_still_graded(project, runner, tmp_path):
    folder = day1_with(project, tmp_path, """
        def to_rgb(image):
            for _ in range(100_000):
                print("x" * 100)
            return image[:, :, ::-1].copy()
        """)
    run = grade(project, exercises=folder, day=1, task="to_rgb", runner=runner)
    (t,) = run.tasks
    assert t.outcome is Outcome.PASSED
    case = t.cases[0]
    assert case.output_bytes > 10_000_000
    assert len(case.output) <= 8 * 1024


def test_a_syntax_error_shows_the_learners_line_on_every_task(project, runner, tmp_path):
    folder = day1_with(project, tmp_path, "def broken(:\n    pass\n")
    run = grade(project, exercises=folder, day=1, runner=runner)
    (day,) = run.days
    assert "has a syntax error" in day.error and "def broken(:" in day.error
    assert all(t.outcome is Outcome.ERROR for t in run.tasks)
    assert run.exit_code() == 1


@pytest.mark.parametrize("top_level, phrase", [
    ("import sys\nsys.exit(0)\n", "calls sys.exit() when it is imported"),
    ("import os\nos._exit(0)\n", "ended its own process"),
    ("from skimage.feature import greycomatrix\n", "use `from skimage.feature import graycomatrix, graycoprops`"),
    ("while True:\n    pass\n", "importing exercises/day01_reading.py took longer than"),
])
def test_a_module_that_breaks_on_import_errors_every_task_once(top_level, phrase, project, runner, tmp_path,
                                                               monkeypatch):
    folder = day1_with(project, tmp_path, "", prefix=top_level)
    ran = []
    real_run = runner._run_on  # every case passes here, whether run alone or on a day's lane
    monkeypatch.setattr(runner, "_run_on", lambda worker, job, day=None: ran.append(job) or real_run(worker, job, day))
    run = grade(project, exercises=folder, day=1, runner=runner, timeout=1.5)
    expected = Outcome.TIMED_OUT if "while True" in top_level else Outcome.ERROR
    assert {t.outcome for t in run.tasks} == {expected}
    assert phrase in run.tasks[0].message, run.tasks[0].message
    # The module broke at import: the day's other cases are not each run into the same end (19 cases,
    # at most one per worker already under way).
    assert sum(len(t.cases) for t in run.tasks) == 19
    assert 1 <= len(ran) <= 2, len(ran)


def test_a_missing_function_is_an_error_that_says_to_restore_it(project, runner, tmp_path):
    source = (project.solutions / "day01_reading.py").read_text().replace("def crop(", "def crop_image(")
    folder = learner_folder(tmp_path, project, 1, source)
    run = grade(project, exercises=folder, day=1, task="crop", runner=runner)
    assert run.tasks[0].outcome is Outcome.ERROR
    assert "has no function crop()" in run.tasks[0].message


def test_the_learners_traceback_shows_their_lines_not_the_graders(project, runner, tmp_path):
    folder = day1_with(project, tmp_path, """
        def helper(image):
            return image[1000, 1000]

        def pick(image, x, y, channel):
            return helper(image), 0
        """)
    run = grade(project, exercises=folder, day=1, task="pick", runner=runner)
    case = run.tasks[0].worst_case()
    assert "day01_reading.py" in case.traceback and "helper" in case.traceback
    assert "grader" not in case.traceback.replace("exercises", "")


def test_a_passing_but_very_slow_function_is_told_how_slow_next_to_the_solution(project, runner, tmp_path):
    folder = day1_with(project, tmp_path, """
        def to_rgb(image):
            out = image.copy()
            for y in range(image.shape[0]):
                for x in range(image.shape[1]):
                    out[y, x] = image[y, x, ::-1]
            import time
            time.sleep(1.1)  # the pixel loop alone is not always slow enough on a fast machine
            return out
        """)
    run = grade(project, exercises=folder, day=1, task="to_rgb", runner=runner)
    (t,) = run.tasks
    assert t.outcome is Outcome.PASSED
    assert "to_rgb() took" in t.message and "the reference solution takes" in t.message


def test_a_namedtuple_or_an_int_subclass_is_graded_as_the_tuple_or_int_it_is(project, runner, tmp_path):
    folder = day1_with(project, tmp_path, """
        import collections
        _Shape = collections.namedtuple("_Shape", "height width channels")
        _real_shape_of, _real_pick = shape_of, pick

        def shape_of(image):
            return _Shape(*_real_shape_of(image))

        def pick(image, x, y, channel):
            plane, value = _real_pick(image, x, y, channel)
            return plane, type("Number", (int,), {})(value)
        """)
    run = grade(project, exercises=folder, day=1, runner=runner)
    for name in ("shape_of", "pick"):
        task = next(t for t in run.tasks if t.name == name)
        assert task.outcome is Outcome.PASSED, task.message
