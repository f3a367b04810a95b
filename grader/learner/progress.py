"""The progress store: every grading run, task by task, in a local SQLite database.

The database is the learner's own data (``.pixelkata/progress.db`` by default).
It is written in WAL mode, one transaction per run, so a run killed halfway
loses at most itself, and two grading commands at once wait for each other
instead of losing records. ``PRAGMA user_version`` holds the schema version:
an older database is migrated step by step, a newer one is refused untouched,
and a corrupt one is moved aside with a timestamp before a new one is started.

Only the standard library is imported here, so the store opens quickly.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from grader.errors import PixelkataError

DB_NAME = "progress.db"
SCHEMA_VERSION = 3
BUSY_TIMEOUT_S = 60.0  # how long a run waits for another run's transaction
_HEADER = b"SQLite format 3\x00"

# Each step takes the schema from version i to i + 1, inside the transaction
# that also sets user_version, so a migration is all or nothing. A later
# version adds a step here (for example a table of hint levels used, keyed by
# day and task like `results`) and raises SCHEMA_VERSION; nothing is dropped.
_STEPS = [
    ("""
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,              -- ISO 8601, UTC: when grading started
        course_version TEXT NOT NULL,
        selection TEXT NOT NULL,         -- 'all', 'day 1' or 'day 1 crop'
        exercises TEXT NOT NULL,         -- the folder graded
        duration REAL,
        points REAL NOT NULL,
        max_points REAL NOT NULL,
        versions TEXT NOT NULL DEFAULT '{}',  -- JSON: python, numpy, opencv, scikit-image
        grader TEXT NOT NULL DEFAULT ''        -- the pixelkata version
    )""", """
    CREATE TABLE results (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        time TEXT NOT NULL,
        day INTEGER NOT NULL,
        task TEXT NOT NULL,
        challenge INTEGER NOT NULL DEFAULT 0,
        outcome TEXT NOT NULL,           -- passed, failed, not attempted, error, timed out
        metric TEXT NOT NULL DEFAULT '', -- e.g. 'SSIM 0.912 < 0.980'
        value REAL,                      -- the metric's value, or a challenge's score
        points REAL NOT NULL,
        max_points REAL NOT NULL,
        tier TEXT,                       -- challenges: bronze, silver, gold or NULL
        source_hash TEXT,                -- SHA-256 of the learner's module, NULL when missing
        message TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (run_id, day, task)
    )""",
     "CREATE INDEX results_by_task ON results(day, task, run_id)"),
    # 1 -> 2: the hint levels a learner has asked for, and solutions shown before a pass.
    ("""
    CREATE TABLE hints (
        time TEXT NOT NULL,
        day INTEGER NOT NULL,
        task TEXT NOT NULL,
        level INTEGER NOT NULL,          -- 1 is the first hint
        PRIMARY KEY (day, task, level)
    )""", """
    CREATE TABLE reveals (
        time TEXT NOT NULL,
        day INTEGER NOT NULL,
        task TEXT NOT NULL,
        passed INTEGER NOT NULL          -- 1: shown after a pass; 0: revealed with --reveal before one
    )"""),
    # 2 -> 3: which hint went with each result (the named mistake's), so a report drawn again
    # from the store shows the hint the terminal showed. NULL for results stored before.
    ("ALTER TABLE results ADD COLUMN hint INTEGER",),
]


@dataclass
class TaskRecord:
    day: int
    task: str
    outcome: str
    points: float
    max_points: float
    challenge: bool = False
    metric: str = ""
    value: float | None = None
    tier: str | None = None
    source_hash: str | None = None
    message: str = ""
    time: str = ""
    run_id: int | None = None
    hint: int | None = None  # the hint level shown with this result (1 is the first); None when unknown


@dataclass
class RunRecord:
    time: str
    course_version: str
    selection: str
    exercises: str
    points: float
    max_points: float
    tasks: list = field(default_factory=list)  # TaskRecord
    duration: float | None = None
    versions: dict = field(default_factory=dict)
    grader: str = ""
    id: int | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_path(project) -> Path:
    return project.state / DB_NAME


class Store:
    """An open progress database. ``notes`` says what opening it had to do (e.g. move a corrupt file)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, notes: list):
        self.path = path
        self.conn = conn
        self.notes = notes

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.conn.close()

    def write(self, run: RunRecord) -> int:
        """Store one run and its task records in one transaction; returns the run's id."""
        try:
            with _transaction(self.conn):
                cur = self.conn.execute(
                    "INSERT INTO runs (time, course_version, selection, exercises, duration, points, max_points,"
                    " versions, grader) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run.time, run.course_version, run.selection, run.exercises, run.duration, run.points,
                     run.max_points, json.dumps(run.versions, sort_keys=True), run.grader))
                run_id = int(cur.lastrowid)
                self.conn.executemany(
                    "INSERT INTO results (run_id, time, day, task, challenge, outcome, metric, value, points,"
                    " max_points, tier, source_hash, message, hint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(run_id, run.time, t.day, t.task, int(t.challenge), t.outcome, t.metric, _real(t.value),
                      t.points, t.max_points, t.tier, t.source_hash, t.message, t.hint) for t in run.tasks])
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc, "record this run in") from None
        run.id = run_id
        return run_id

    def add_hint(self, day: int, task: str, level: int) -> None:
        """Record that hint ``level`` of a task has been shown (once per level)."""
        self._write("INSERT OR IGNORE INTO hints (time, day, task, level) VALUES (?, ?, ?, ?)",
                    (_now(), day, task, level), "record the hint in")

    def add_reveal(self, day: int, task: str, *, passed: bool) -> None:
        self._write("INSERT INTO reveals (time, day, task, passed) VALUES (?, ?, ?, ?)",
                    (_now(), day, task, int(passed)), "record the solution view in")

    def hints_used(self) -> dict:
        """(day, task) -> the highest hint level shown."""
        rows = self._read("SELECT day, task, MAX(level) FROM hints GROUP BY day, task")
        return {(r[0], r[1]): r[2] for r in rows}

    def reveals(self) -> dict:
        """(day, task) -> True when the solution was revealed before the task passed."""
        rows = self._read("SELECT day, task, MIN(passed) FROM reveals GROUP BY day, task")
        return {(r[0], r[1]): not r[2] for r in rows}

    def _write(self, sql: str, params: tuple, doing: str) -> None:
        try:
            with _transaction(self.conn):
                self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc, doing) from None

    def _read(self, sql: str) -> list:
        try:
            return self.conn.execute(sql).fetchall()
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc, "read") from None

    def runs(self) -> list:
        """Every stored run, oldest first, each with its task records."""
        try:
            rows = self.conn.execute(
                "SELECT id, time, course_version, selection, exercises, duration, points, max_points, versions,"
                " grader FROM runs ORDER BY id").fetchall()
            tasks = self.conn.execute(
                "SELECT run_id, time, day, task, challenge, outcome, metric, value, points, max_points, tier,"
                " source_hash, message, hint FROM results ORDER BY run_id, day").fetchall()
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc, "read") from None
        by_run: dict = {}
        for r in tasks:
            by_run.setdefault(r[0], []).append(TaskRecord(
                run_id=r[0], time=r[1], day=r[2], task=r[3], challenge=bool(r[4]), outcome=r[5], metric=r[6],
                value=r[7], points=r[8], max_points=r[9], tier=r[10], source_hash=r[11], message=r[12], hint=r[13]))
        out = []
        for r in rows:
            try:
                versions = json.loads(r[8] or "{}")
            except ValueError:
                versions = {}
            out.append(RunRecord(id=r[0], time=r[1], course_version=r[2], selection=r[3], exercises=r[4],
                                 duration=r[5], points=r[6], max_points=r[7], versions=versions, grader=r[9],
                                 tasks=by_run.get(r[0], [])))
        return out


def open_store(path: Path, *, create: bool = True) -> Store:
    """Open (and create or migrate) the progress database at ``path``.

    A corrupt or unreadable file is moved aside as ``progress.db.corrupt-<time>``
    and a new database started; ``Store.notes`` says so. A database from a newer
    pixelkata is refused without being touched.
    """
    path = Path(path)
    notes: list = []
    if not create and not path.exists():
        raise PixelkataError(f"there is no progress database at {path} yet: run `pixelkata grade` first.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PixelkataError(f"cannot create the folder {path.parent} for the progress database "
                             f"({exc.strerror}): make the course folder writable.") from None
    problem = _unreadable(path)
    if problem:
        notes.append(_move_aside(path, problem))
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        if not _is_corrupt(exc):
            raise _store_error(path, exc, "open") from None
        notes.append(_move_aside(path, f"it is not a readable SQLite database ({exc})"))
        try:
            conn = _connect(path)
        except sqlite3.Error as exc2:
            raise _store_error(path, exc2, "open") from None
    return Store(path, conn, notes)


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a writer takes the
    # write lock before reading anything and two runs never deadlock on an upgrade.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise PixelkataError(
                f"{path} was written by a newer pixelkata (progress schema {version}; this one reads up to "
                f"{SCHEMA_VERSION}): update pixelkata (pip install -U -e .). The database was left untouched.")
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise sqlite3.DatabaseError("database disk image is malformed: "
                                        + "; ".join(str(r[0]) for r in check[:3]))
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        # FULL: a committed run survives a power cut too, for one fsync per run.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    with _transaction(conn):
        # Read again under the write lock: another run may have migrated meanwhile.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version, SCHEMA_VERSION):
            for statement in _STEPS[step]:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.conn.execute("COMMIT")
        else:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        return False


def _retry_busy(fn, tries: int = 50):
    # Switching to WAL needs a moment alone with the file; another run may hold it.
    for i in range(tries):
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or i == tries - 1:
                raise
            time.sleep(0.1)


def _unreadable(path: Path) -> str:
    """Why ``path`` cannot be our database before SQLite even looks at it, or ''."""
    if not os.path.lexists(path):
        return ""
    if not path.is_file():
        return "it is not a regular file"
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_HEADER))
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if head and head != _HEADER:  # an empty file is a valid, empty database
        return "it is not an SQLite database"
    return ""


def _is_corrupt(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def _move_aside(path: Path, why: str) -> str:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    dest = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while os.path.lexists(dest):
        n += 1
        dest = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        os.replace(path, dest)
    except FileNotFoundError:
        return f"{path} was replaced by another run while it was being checked; using the new one."
    except OSError as exc:
        raise PixelkataError(f"{path} is damaged ({why}) and cannot be moved aside ({exc.strerror}): "
                             f"move or delete it yourself, then grade again.") from None
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            try:
                os.replace(side, Path(str(dest) + suffix))
            except OSError:
                pass
    return (f"the progress database {path} was damaged ({why}); it was moved to {dest.name} and a new one "
            f"was started. Keep the old file if you want to recover your history from it.")


def _store_error(path: Path, exc: sqlite3.Error, doing: str) -> PixelkataError:
    """The sentence for a database failure: its cause, and what to do that keeps the learner's history.

    Deleting the database is never the advice here: a failed write is rolled back,
    so the file still holds every earlier run (a damaged file is moved aside by
    :func:`open_store`, which says so).
    """
    text = str(exc)
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or "disk is full" in text or (
            (name.startswith("SQLITE_IOERR") or "disk i/o error" in text.lower()) and _disk_full(path)):
        return PixelkataError(f"cannot {doing} the progress database {path}: no space left on the disk holding it"
                              f"{_free(path)}. Your earlier history in it is intact: free some space, then grade "
                              "again.")
    if "readonly" in text or "unable to open" in text or name in (
            "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"):
        return PixelkataError(f"cannot {doing} the progress database {path} ({text}): make {path.parent} "
                              f"writable (it is your own data folder), then grade again.")
    if "locked" in text or "busy" in text:
        return PixelkataError(f"the progress database {path} stayed locked by another pixelkata command for "
                              f"{BUSY_TIMEOUT_S:g} s: wait for it to finish, then run this again.")
    return PixelkataError(f"cannot {doing} the progress database {path} ({text}). A failed write changes nothing, "
                          "so your earlier history in it is intact: check the disk that holds it, then run this "
                          "again; `pixelkata progress` shows whether it still reads back.")


FULL_BELOW = 1 << 20  # bytes free under which a disk counts as full (SQLite needs room for its journal)


def _disk_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < FULL_BELOW
    except OSError:
        return False


def _free(path: Path) -> str:
    import shutil

    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return ""
    return f" ({free / 2**20:.1f} MB free)" if free >= 2**20 else f" ({free:,} bytes free)"


def _real(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


# From a grading run to records ------------------------------------------------------------------


def run_record(run, *, grader_version: str = "") -> RunRecord:
    """The record of a :class:`~grader.grading.results.GradeRun`: one row per task graded."""
    from grader.grading.naming import hint_level
    from grader.learner.terminal import task_message

    when = run.started.astimezone(timezone.utc).isoformat(timespec="seconds")
    hashes: dict = {}
    tasks = []
    for day in run.days:
        module = Path(run.exercises) / day.day.filename
        if day.day.number not in hashes:
            hashes[day.day.number] = source_hash(module)
        for t in day.tasks:
            worst = t.worst_case()
            value = t.score if t.task.challenge else (
                worst.verdict.value if worst is not None and worst.verdict is not None else None)
            tasks.append(TaskRecord(day=day.day.number, task=t.name, outcome=str(t.outcome), points=t.points,
                                    max_points=t.max_points, challenge=bool(t.task.challenge),
                                    metric=t.metric_text, value=_real(value), tier=t.tier,
                                    source_hash=hashes[day.day.number], message=task_message(t) or day.error,
                                    time=when, hint=hint_level(t) or None))
    return RunRecord(time=when, course_version=str(run.course.version), selection=describe_selection(run),
                     exercises=str(run.exercises), points=run.points, max_points=run.max_points, tasks=tasks,
                     duration=round(run.duration, 3), versions=dict(run.versions), grader=grader_version)


def describe_selection(run) -> str:
    whole_days = all(len(d.tasks) == len(d.day.tasks) for d in run.days)
    if whole_days and len(run.days) == len(run.course.days):
        return "all"
    if len(run.days) == 1:
        day = run.days[0]
        if whole_days:
            return f"day {day.day.number}"
        return f"day {day.day.number} " + " ".join(t.name for t in day.tasks)
    return "days " + ", ".join(str(d.day.number) for d in run.days)


def source_hash(module: Path) -> str | None:
    try:
        return hashlib.sha256(Path(module).read_bytes()).hexdigest()
    except OSError:
        return None


def record(path: Path, run, *, grader_version: str = "") -> tuple:
    """Record ``run`` in the database at ``path``; returns ``(run_record, notes)``."""
    rec = run_record(run, grader_version=grader_version)
    with open_store(path) as store:
        store.write(rec)
        return rec, list(store.notes)


def load_runs(path: Path) -> tuple:
    """Every stored run, oldest first, and the notes from opening the database."""
    with open_store(path, create=False) as store:
        return store.runs(), list(store.notes)
