"""Watch mode says what it is doing, waits for a file an editor is saving, and stops at once when asked."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grader.learner.watch import changed_days, watch
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parent.parent
ENDLESS_CROP = "\n\ndef crop(image, x, y, width, height):\n    while True:\n        pass\n"


def test_a_file_that_vanishes_for_a_moment_is_waited_for_and_graded_as_saved(tmp_path):
    path = tmp_path / "day01_reading.py"
    path.write_text("old = 1\n")
    stamps = {1: (0, 0)}  # anything but the file's stamp

    def save_like_an_editor():
        path.unlink()
        time.sleep(0.3)
        path.write_text("new = 22\n")

    saver = threading.Thread(target=save_like_an_editor)
    saver.start()
    time.sleep(0.05)  # the editor has just deleted the file when the watcher looks
    changed = changed_days({1: path}, stamps, grace=5.0)
    saver.join()
    assert changed == [1]
    assert stamps[1] is not None  # graded as saved, never as missing
    assert stamps[1][1] == len("new = 22\n")


def test_a_file_that_stays_away_is_graded_as_missing_after_the_grace(tmp_path):
    path = tmp_path / "day01_reading.py"
    path.write_text("x = 1\n")
    stamps = {1: (path.stat().st_mtime_ns, path.stat().st_size)}
    path.unlink()
    assert changed_days({1: path}, stamps, grace=0.2) == [1]
    assert stamps[1] is None


def run_watch(project, should_stop, lines):
    ready = threading.Event()

    def echo(line=""):
        lines.append(str(line))
        if str(line).startswith("Watching"):
            ready.set()

    thread = threading.Thread(target=watch, args=(project,), daemon=True,
                              kwargs=dict(echo=echo, should_stop=should_stop, record=False, timeout=120,
                                          render=lambda run: [f"{t.name}: {t.outcome.value}" for t in run.tasks]))
    thread.start()
    assert ready.wait(120)
    return thread


def test_watch_says_grading_day_n_while_a_grade_runs_and_stops_during_an_endless_loop(tmp_path, project):
    project = copy_project(tmp_path, project)
    lines: list[str] = []
    stop = threading.Event()
    thread = run_watch(project, stop.is_set, lines)
    module = project.exercises / "day01_reading.py"
    module.write_text(module.read_text() + ENDLESS_CROP)
    deadline = time.monotonic() + 60
    while "grading day 1…" not in lines and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "grading day 1…" in lines
    stop.set()  # the case may run for 120 s: stopping must not wait for it
    thread.join(60)
    assert not thread.is_alive()
    assert not any(line.startswith("[graded day 1") for line in lines)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, as Ctrl-C does in a POSIX terminal")
def test_ctrl_c_stops_watch_while_a_learners_endless_loop_runs(tmp_path, project):
    project = copy_project(tmp_path, project)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    # Started where a learner would be, beside files of their own: stopping must leave them all.
    here = tmp_path / "learner"
    here.mkdir()
    (here / "notes.txt").write_text("mine")
    proc = subprocess.Popen([sys.executable, "-m", "grader", "watch", "--root", str(project.root),
                             "--timeout", "300"], cwd=here, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any(line.startswith("Watching") for line in lines) and time.monotonic() < deadline:
            time.sleep(0.05)
        module = project.exercises / "day01_reading.py"
        module.write_text(module.read_text() + ENDLESS_CROP)
        while not any(line.startswith("grading day 1") for line in lines) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert any(line.startswith("grading day 1") for line in lines), lines
        time.sleep(0.5)  # the endless loop is running now
        proc.send_signal(signal.SIGINT)
        # The case may run for 300 s; ending at all before that means Ctrl-C did not wait for it.
        code = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(5)
    text = "".join(lines)
    assert "Stopped watching." in text
    assert "did not finish within" not in text
    assert "Traceback" not in text
    assert code == 0
    assert [p.name for p in here.iterdir()] == ["notes.txt"] and (here / "notes.txt").read_text() == "mine"
