"""The progress store: what a run records, schema versions, damaged files, kill safety and concurrency."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.learner import history
from grader.learner import progress
from grader.course import load_course
from grader.errors import PixelkataError
from grader.learner.progress import RunRecord, TaskRecord, open_store
from tests import progress_safety
from tests.conftest import ROOT, copy_project


def small_run(outcomes: dict, *, day: int = 1) -> RunRecord:
    course = load_course()
    tasks = []
    for t in course.day(day).tasks:
        outcome = outcomes.get(t.name, "not attempted")
        tasks.append(TaskRecord(day=day, task=t.name, outcome=outcome, challenge=t.challenge,
                                points=t.points if outcome == "passed" else 0.0, max_points=t.points,
                                tier="gold" if t.challenge and outcome == "passed" else None))
    return RunRecord(time="2026-01-02T03:04:05+00:00", course_version="x", selection="all", exercises="e",
                     points=sum(x.points for x in tasks), max_points=sum(x.max_points for x in tasks), tasks=tasks)


def test_a_graded_run_is_recorded_task_by_task(tmp_path, project, solutions_run):
    db = tmp_path / "progress.db"
    rec, notes = progress.record(db, solutions_run)
    assert notes == []
    runs, _ = progress.load_runs(db)
    assert [r.id for r in runs] == [rec.id]
    stored = {(t.day, t.task): t for t in runs[0].tasks}
    assert set(stored) == {(t.day, t.name) for t in solutions_run.tasks}
    for t in solutions_run.tasks:
        s = stored[(t.day, t.name)]
        module = (project.solutions / solutions_run.course.day(t.day).filename).read_bytes()
        assert (s.day, s.outcome, s.points, s.max_points) == (t.day, "passed", t.points, t.max_points)
        assert s.time == runs[0].time and s.time.startswith(str(solutions_run.started.year))
        assert s.source_hash == hashlib.sha256(module).hexdigest()
    assert stored[(1, "resize")].value == pytest.approx(1.0) and stored[(1, "resize")].metric.startswith("SSIM")
    assert stored[(1, "montage")].tier == "gold"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == progress.SCHEMA_VERSION


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "progress.db"
    with open_store(db) as store:
        store.write(small_run({"crop": "passed"}))
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {progress.SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(PixelkataError, match=r"newer pixelkata .*update pixelkata.*left untouched"):
        open_store(db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "corrupt" in p.name] == []


def test_a_later_schema_version_migrates_and_keeps_the_history(tmp_path, monkeypatch):
    db = tmp_path / "progress.db"
    with open_store(db) as store:
        store.write(small_run({"crop": "passed"}))
    # What a later version does: one more step, e.g. the hints a learner used.
    step = ("CREATE TABLE hints_used (day INTEGER NOT NULL, task TEXT NOT NULL, level INTEGER NOT NULL, "
            "time TEXT NOT NULL)",)
    monkeypatch.setattr(progress, "_STEPS", progress._STEPS + [step])
    monkeypatch.setattr(progress, "SCHEMA_VERSION", progress.SCHEMA_VERSION + 1)
    with open_store(db) as store:
        assert store.notes == []
        assert len(store.runs()) == 1
        store.conn.execute("INSERT INTO hints_used VALUES (1, 'crop', 1, 'now')")
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == progress.SCHEMA_VERSION


@pytest.mark.parametrize("damage", ["garbage", "torn pages", "a folder"])
def test_a_damaged_database_is_moved_aside_and_a_new_one_started(tmp_path, damage):
    db = tmp_path / "progress.db"
    if damage == "garbage":
        db.write_bytes(b"this is not a database at all" * 100)
    elif damage == "torn pages":
        with open_store(db) as store:
            for _ in range(30):
                store.write(small_run({"crop": "passed", "resize": "failed"}))
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = bytearray(db.read_bytes())
        data[4096:4096 * 4] = os.urandom(4096 * 3)  # pages 2 to 4: tables and index
        db.write_bytes(bytes(data))
    else:
        db.mkdir()
    before = None if db.is_dir() else db.read_bytes()
    with open_store(db) as store:
        assert len(store.notes) == 1
        note = store.notes[0]
        store.write(small_run({"crop": "passed"}))
        assert len(store.runs()) == 1
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.db.corrupt-")]
    assert len(aside) == 1 and aside[0].name in note and "moved" in note and "new one" in note
    if before is not None:
        assert aside[0].read_bytes() == before  # the old history is kept for recovery


def test_a_folder_it_cannot_write_gives_a_clear_error(tmp_path, monkeypatch):
    # Root ignores file permissions, so the refusal is made where SQLite opens the file.
    def refuse(*a, **k):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(progress.sqlite3, "connect", refuse)
    with pytest.raises(PixelkataError, match=r"cannot open the progress database .* make .* writable"):
        open_store(tmp_path / "progress.db")


READ_ONLY_SCRIPT = """
import sys
from pathlib import Path
from grader.errors import PixelkataError
from grader.learner.progress import open_store
from tests.test_progress import small_run

folder = Path(sys.argv[1])
db = folder / "progress.db"
with open_store(db) as store:
    store.write(small_run({"crop": "passed"}))
before = db.read_bytes()
folder.chmod(0o555)
try:
    with open_store(db) as store:
        store.write(small_run({"crop": "failed"}))
    print("WROTE")
except PixelkataError as exc:
    print("REFUSED", exc)
finally:
    folder.chmod(0o755)
print("KEPT" if db.read_bytes() == before else "CHANGED")
"""


def test_a_read_only_folder_gives_a_clear_error_and_keeps_the_history(tmp_path):
    # Root ignores file permissions: as root, the folder and the store belong to an ordinary user who runs it.
    import tempfile

    nobody = 65534
    top = Path(tempfile.mkdtemp(prefix="pixelkata-read-only-"))
    try:
        top.chmod(0o755)
        folder = top / "state"
        folder.mkdir()
        cmd = [sys.executable, "-c", READ_ONLY_SCRIPT, str(folder)]
        if os.geteuid() == 0:
            os.chown(folder, nobody, nobody)
            cmd = [sys.executable, "-m", "tests.as_user", str(nobody), *cmd]
        proc = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        lines = proc.stdout.splitlines()
        assert lines[0].startswith("REFUSED ") and "writable" in lines[0], proc.stdout
        assert lines[1:] == ["KEPT"], proc.stdout
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_history_keeps_each_tasks_latest_result_and_counts_attempts(course):
    runs = [small_run({}), small_run({"crop": "passed"}), small_run({"crop": "passed", "montage": "passed"}),
            small_run({"crop": "failed", "montage": "passed"})]
    runs.append(small_run({"resize": "passed"}))
    runs[-1].tasks = [t for t in runs[-1].tasks if t.task == "resize"]  # `pixelkata grade 1 resize`
    for i, r in enumerate(runs, 1):
        r.id = i
    s = history.summarise(runs, course)
    day = s.day(1)
    assert len(day.attempts) == 4  # the untouched first run is not an attempt
    assert [a.points for a in day.attempts] == [2, 5, 3, 5]  # resize alone keeps montage's 3 points
    assert day.best.points == 5 and day.latest.points == 5 and day.best_tier == "gold"
    assert s.latest[(1, "crop")].outcome == "failed" and s.latest[(1, "resize")].outcome == "passed"
    text = "\n".join(history.lines(s))
    course_points = sum(t.points for t in course.tasks())
    graded = sum(1 for t in course.tasks() if not t.challenge)
    assert f"5/{course_points:g}" in text and "   4  gold" in text and f"1 of {graded} tasks passed · 1 of 13 challenges with a tier" in text


def test_kill_9_mid_write_never_corrupts_or_loses_a_committed_run(tmp_path):
    figures = progress_safety.kill_trials(tmp_path, trials=50)
    print(figures)
    assert figures["killed inside a write"] >= 25  # the kills did land mid-write
    assert figures["corrupted databases"] == 0
    assert figures["lost records"] == 0 and figures["half-written runs"] == 0


def test_four_concurrent_writers_lose_no_records(tmp_path):
    figures = progress_safety.concurrent_writers(tmp_path, writers=4, runs_each=25)
    print(figures)
    assert figures["writer failures"] == []
    assert figures["runs stored"] == figures["runs expected"] == 100
    assert figures["lost records"] == 0 and figures["corrupted databases"] == 0


def _grade(course, *args, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "grader", "grade", *args, "--root", str(course.root),
                             "--exercises", str(course.solutions), "--record", "-j", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **kw)


def test_four_real_grade_commands_at_once_all_land(tmp_path, project):
    course = copy_project(tmp_path, project)
    procs = [_grade(course, "1", "shape_of") for _ in range(4)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "Report:" in err
    runs, notes = progress.load_runs(course.state / "progress.db")
    assert notes == [] and len(runs) == 4
    assert all([t.task for t in r.tasks] == ["shape_of"] and r.selection == "day 1 shape_of" for r in runs)
    assert (course.state / "report.html").read_text().rstrip().endswith("</html>")


def test_a_real_grade_killed_at_any_moment_leaves_earlier_runs_whole(tmp_path, project):
    course = copy_project(tmp_path, project)
    first = _grade(course, "1")
    assert first.wait(timeout=300) == 0
    for delay in (0.3, 0.9, 1.6):
        p = _grade(course, "1", start_new_session=True)
        time.sleep(delay)
        os.killpg(p.pid, signal.SIGKILL)  # the grader and its workers, as a closed terminal would
        p.communicate()
        runs, notes = progress.load_runs(course.state / "progress.db")
        assert notes == [] and len(runs) >= 1
        assert all(len(r.tasks) == 8 for r in runs)
    report = (course.state / "report.html").read_text()
    assert report.rstrip().endswith("</html>")  # never half a report
