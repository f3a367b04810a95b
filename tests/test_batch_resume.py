"""A batch killed with kill -9 and started again grades every learner exactly once and loses nothing."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

from grader.classroom import gradebook
from grader.course import load_course
from tests.classroom import write_learner
from tests.conftest import ROOT

DAY1 = "day01_reading.py"
LEARNERS = 8


def slow_learner(project, i: int) -> str:
    """The solution, with a to_rgb slow enough that the batch is still running when it is killed."""
    return (project.solutions / DAY1).read_text() + textwrap.dedent(f"""

        def to_rgb(image):
            import time
            time.sleep(0.3)
            return image[:, :, ::-1].copy()

        # learner {i}
        """)


def recorded(db_path) -> list:
    if not db_path.exists():
        return []
    try:
        with sqlite3.connect(db_path, timeout=10) as db:
            return [r[0] for r in db.execute("SELECT learner FROM submissions")]
    except sqlite3.OperationalError:  # the tables are not created yet
        return []


def batch_process(folder, out):
    return subprocess.Popen([sys.executable, "-m", "grader", "batch", str(folder), "--out", str(out),
                             "--jobs", "2", "--root", str(ROOT)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def test_kill_9_midway_then_restart_grades_each_learner_exactly_once(tmp_path, project):
    folder = tmp_path / "subs"
    folder.mkdir()
    for i in range(LEARNERS):
        write_learner(folder, f"learner{i:02d}", {DAY1: slow_learner(project, i)}, "flat")
    out = tmp_path / "out"
    db_path = out / gradebook.DB_NAME

    proc = batch_process(folder, out)
    deadline = time.monotonic() + 120
    while len(recorded(db_path)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    before = set(recorded(db_path))
    assert 2 <= len(before) < LEARNERS, f"the kill came too late to test anything ({len(before)} recorded)"
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        first_times = dict(db.execute("SELECT learner, graded_at FROM submissions").fetchall())

    proc = batch_process(folder, out)
    stdout, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 0, stderr.decode()
    assert f"{LEARNERS - len(before)} graded now, {len(before)} unchanged" in stdout.decode()

    with gradebook.Gradebook(db_path) as book:
        rows = {s["learner"]: s for s in book.submissions()}
        assert sorted(rows) == [f"learner{i:02d}" for i in range(LEARNERS)]
        # Exactly once: one grading logged per learner across both runs.
        log = [g["learner"] for g in book.gradings()]
        assert sorted(log) == sorted(rows), log
        # Nothing recorded before the kill was lost or graded again.
        for learner in before:
            assert rows[learner]["run_id"] == 1 and rows[learner]["graded_at"] == first_times[learner]
        assert {t["outcome"] for t in book.tasks() if t["day"] == 1} == {"passed"}
        assert len(book.tasks()) == LEARNERS * sum(len(d.tasks) for d in load_course().days)
