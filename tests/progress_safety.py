"""Kill safety and concurrency of the progress store, measured.

``python -m tests.progress_safety [DB_FOLDER]`` prints the figures; the tests
call the same functions and require zero corrupted databases and zero lost
records. The writers exercise the store's real write path (``Store.write``,
one transaction per run) in separate processes, many times a second, so a
kill lands mid-transaction far more often than it would during grading.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASKS_PER_RUN = 60  # about a whole course's worth of task records per run


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def writer_main(db: str, label: str, runs: int) -> None:
    """Write ``runs`` runs (forever when 0), printing 'committed ID' after each commit."""
    from grader.learner.progress import RunRecord, TaskRecord, open_store

    with open_store(Path(db)) as store:
        print("ready", flush=True)
        n = 0
        while runs == 0 or n < runs:
            n += 1
            tasks = [TaskRecord(day=1 + i // 8, task=f"task_{i}", outcome="failed" if i % 3 else "passed",
                                points=float(i % 3), max_points=2.0, metric=f"SSIM 0.{i:03d} < 0.980", value=i / 100,
                                source_hash=f"{label}-{n}".ljust(64, "0")[:64], message=f"{label} run {n}: " + "x" * 120)
                     for i in range(TASKS_PER_RUN)]
            rec = RunRecord(time="2026-01-01T00:00:00+00:00", course_version="test", selection="all",
                            exercises=label, points=0.0, max_points=1.0, tasks=tasks)
            print("writing", flush=True)
            run_id = store.write(rec)
            print(f"committed {run_id}", flush=True)


def _writer(db: Path, label: str, runs: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.progress_safety", "--writer", str(db), label, str(runs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)


def audit(db: Path, committed: set) -> dict:
    """Is the database sound, and does it hold every committed run, whole?"""
    conn = sqlite3.connect(str(db))
    try:
        sound = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts, runs = {}, set()
        if {"runs", "results"} <= tables:  # else killed before the schema's transaction committed
            counts = dict(conn.execute("SELECT run_id, COUNT(*) FROM results GROUP BY run_id").fetchall())
            runs = {r[0] for r in conn.execute("SELECT id FROM runs")}
    finally:
        conn.close()
    lost = sum(1 for r in committed if counts.get(r, 0) != TASKS_PER_RUN or r not in runs)
    torn = sum(1 for r in runs if counts.get(r, 0) != TASKS_PER_RUN)  # half-written runs
    return {"sound": sound, "lost": lost, "torn": torn, "runs": len(runs)}


def kill_trials(folder: Path, trials: int = 50, seed: int = 5) -> dict:
    """Kill -9 a writer at a random moment, ``trials`` times, on one database; audit after each kill."""
    rng = random.Random(seed)
    db = folder / "progress.db"
    committed: set = set()
    corrupted = lost = torn = mid_write = 0
    for trial in range(trials):
        proc = _writer(db, "kill", 0)
        if trial % 5 == 0:
            time.sleep(rng.uniform(0.0, 0.15))  # while starting or opening the database
        else:
            proc.stdout.readline()  # "ready": the database is open, writes are under way
            time.sleep(rng.uniform(0.0, 0.12))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        committed |= {int(line.split()[1]) for line in out.splitlines() if line.startswith("committed ")}
        mid_write += out.splitlines()[-1:] == ["writing"]  # killed inside Store.write
        result = audit(db, committed)
        corrupted += 0 if result["sound"] else 1
        lost = result["lost"]
        torn = max(torn, result["torn"])
    # The store itself must open the survivor without moving it aside.
    from grader.learner.progress import open_store

    with open_store(db) as store:
        moved = len(store.notes)
    return {"trials": trials, "killed inside a write": mid_write, "runs committed": len(committed), "corrupted databases": corrupted + moved,
            "lost records": lost * TASKS_PER_RUN, "half-written runs": torn}


def concurrent_writers(folder: Path, writers: int = 4, runs_each: int = 25) -> dict:
    """``writers`` processes writing at once; every record must arrive."""
    db = folder / "progress.db"
    procs = [_writer(db, f"writer{i}", runs_each) for i in range(writers)]
    committed: set = set()
    failures = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        committed |= {int(line.split()[1]) for line in out.splitlines() if line.startswith("committed ")}
        if p.returncode != 0:
            failures.append(err.strip().splitlines()[-1] if err.strip() else f"exit {p.returncode}")
    result = audit(db, committed)
    expected = writers * runs_each
    return {"writers": writers, "runs expected": expected, "runs committed": len(committed),
            "runs stored": result["runs"], "lost records": result["lost"] * TASKS_PER_RUN
            + (expected - len(committed)) * TASKS_PER_RUN, "writer failures": failures,
            "corrupted databases": 0 if result["sound"] else 1}


def main(argv: list) -> None:
    if argv and argv[0] == "--writer":
        writer_main(argv[1], argv[2], int(argv[3]))
        return
    base = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="pixelkata-safety-"))
    for name, fn in (("kill -9 during writes", kill_trials), ("4 concurrent writers", concurrent_writers)):
        folder = base / name.split()[0].replace("-", "")
        folder.mkdir(parents=True, exist_ok=True)
        figures = fn(folder)
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
