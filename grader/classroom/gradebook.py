"""The class gradebook: every result of a batch, in SQLite, and a spreadsheet view of it.

``gradebook.db`` holds one row per learner, per task and per case (the visible
cases and the hidden variants), with each metric, message and diagnosis, the
source of every day module graded, and a log of every grading. Each learner is
written in one transaction, so a run killed at any moment leaves every learner
either fully recorded or not at all; a restarted run grades exactly the ones
missing. ``gradebook.csv`` is rendered from the database, one row per learner.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from grader.course.variants import may_be_hard_coded
from grader.errors import PixelkataError

DB_NAME = "gradebook.db"
CSV_NAME = "gradebook.csv"
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT,
    settings TEXT NOT NULL, graded INTEGER DEFAULT 0, unchanged INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS submissions (
    learner TEXT PRIMARY KEY, entry TEXT NOT NULL, kind TEXT NOT NULL, revision TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL, settings_hash TEXT NOT NULL,
    status TEXT NOT NULL,            -- graded, refused (the entry cannot be graded), error (our own fault)
    problem TEXT NOT NULL DEFAULT '',
    points REAL NOT NULL DEFAULT 0, max_points REAL NOT NULL DEFAULT 0,
    tasks_passed INTEGER NOT NULL DEFAULT 0, tasks_total INTEGER NOT NULL DEFAULT 0,
    variants_passed INTEGER, variants_total INTEGER,
    flags TEXT NOT NULL DEFAULT '[]',  -- JSON list of sentences for the instructor
    report TEXT NOT NULL DEFAULT '', duration REAL, graded_at TEXT NOT NULL, run_id INTEGER);
CREATE TABLE IF NOT EXISTS tasks (
    learner TEXT NOT NULL, day INTEGER NOT NULL, task TEXT NOT NULL, position INTEGER NOT NULL,
    challenge INTEGER NOT NULL, outcome TEXT NOT NULL, points REAL NOT NULL, max_points REAL NOT NULL,
    score REAL, tier TEXT, metric TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '',
    diagnosis TEXT, variants_passed INTEGER, variants_total INTEGER, variants_outcome TEXT,
    PRIMARY KEY (learner, day, task));
CREATE TABLE IF NOT EXISTS cases (
    learner TEXT NOT NULL, day INTEGER NOT NULL, task TEXT NOT NULL, case_id TEXT NOT NULL,
    hidden INTEGER NOT NULL,          -- 1 for a hidden variant
    outcome TEXT NOT NULL, metric TEXT, value REAL, threshold REAL, op TEXT,
    message TEXT NOT NULL DEFAULT '', diagnosis TEXT, elapsed REAL,
    PRIMARY KEY (learner, day, task, case_id, hidden));
CREATE TABLE IF NOT EXISTS modules (
    learner TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (learner, file));
CREATE TABLE IF NOT EXISTS gradings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, learner TEXT NOT NULL, content_hash TEXT NOT NULL,
    run_id INTEGER, graded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS similarity (
    a TEXT NOT NULL, b TEXT NOT NULL, day INTEGER NOT NULL, score REAL NOT NULL, evidence INTEGER NOT NULL,
    PRIMARY KEY (a, b, day));
"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class TaskRow:
    day: int
    task: str
    position: int
    challenge: bool
    outcome: str
    points: float
    max_points: float
    score: float | None = None
    tier: str | None = None
    metric: str = ""
    message: str = ""
    diagnosis: str | None = None
    variants_passed: int | None = None
    variants_total: int | None = None
    variants_outcome: str | None = None

    @property
    def key(self) -> str:
        return f"day{self.day:02d}.{self.task}"

    @property
    def hard_coded(self) -> bool:
        """Passes every visible case but not the hidden variants (:func:`grader.course.variants.may_be_hard_coded`)."""
        return may_be_hard_coded(self.outcome, self.variants_outcome if self.variants_total else None)


@dataclass
class CaseRow:
    day: int
    task: str
    case_id: str
    hidden: bool
    outcome: str
    metric: str | None = None
    value: float | None = None
    threshold: float | None = None
    op: str | None = None
    message: str = ""
    diagnosis: str | None = None
    elapsed: float | None = None


@dataclass
class Record:
    """Everything recorded for one learner by one grading."""

    learner: str
    entry: str
    kind: str
    content_hash: str
    settings_hash: str
    status: str  # graded, refused or error
    problem: str = ""
    revision: str = ""
    points: float = 0.0
    max_points: float = 0.0
    tasks_passed: int = 0
    tasks_total: int = 0
    variants_passed: int | None = None
    variants_total: int | None = None
    flags: list = field(default_factory=list)
    report: str = ""
    duration: float | None = None
    tasks: list = field(default_factory=list)  # TaskRow
    cases: list = field(default_factory=list)  # CaseRow
    modules: dict = field(default_factory=dict)  # file name -> source bytes


class Gradebook:
    """``gradebook.db``: open it, record learners one transaction each, read it back."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise PixelkataError(f"{self.path} was written by a newer pixelkata (gradebook schema {version}): "
                                     "update pixelkata, or pass another --out folder.")
            if version < SCHEMA_VERSION:
                self.db.executescript(SCHEMA)  # every statement is CREATE ... IF NOT EXISTS
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise PixelkataError(f"{self.path} is not a readable gradebook ({exc}): move it away, or pass "
                                 "another --out folder.") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def transaction(self):
        return _Transaction(self.db)

    # --- settings kept between runs

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))

    def start_run(self, settings: dict) -> int:
        with self.transaction():
            cur = self.db.execute("INSERT INTO runs (started, settings) VALUES (?, ?)",
                                  (now(), json.dumps(settings, sort_keys=True)))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, *, graded: int, unchanged: int) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET finished = ?, graded = ?, unchanged = ? WHERE id = ?",
                            (now(), graded, unchanged, run_id))

    # --- learners

    def recorded(self) -> dict:
        """{learner: (content_hash, settings_hash)} of everyone recorded for good.

        A learner whose grading failed through our own fault (status "error") is left out, so
        the next run tries them again.
        """
        rows = self.db.execute("SELECT learner, content_hash, settings_hash FROM submissions WHERE status != 'error'")
        return {r["learner"]: (r["content_hash"], r["settings_hash"]) for r in rows}

    def record(self, rec: Record, run_id: int | None = None, *, graded_at: str | None = None,
               log: bool = True) -> None:
        """Replace everything known about ``rec.learner`` in one transaction."""
        at = graded_at or now()
        with self.transaction():
            self._forget(rec.learner)
            self.db.execute(
                "INSERT INTO submissions (learner, entry, kind, revision, content_hash, settings_hash, status, problem,"
                " points, max_points, tasks_passed, tasks_total, variants_passed, variants_total, flags, report,"
                " duration, graded_at, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (rec.learner, rec.entry, rec.kind, rec.revision, rec.content_hash, rec.settings_hash, rec.status,
                 rec.problem, rec.points, rec.max_points, rec.tasks_passed, rec.tasks_total, rec.variants_passed,
                 rec.variants_total, json.dumps(rec.flags), rec.report, rec.duration, at, run_id))
            self.db.executemany(
                "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(rec.learner, t.day, t.task, t.position, int(t.challenge), t.outcome, t.points, t.max_points,
                  t.score, t.tier, t.metric, t.message, t.diagnosis, t.variants_passed, t.variants_total,
                  t.variants_outcome) for t in rec.tasks])
            self.db.executemany(
                "INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(rec.learner, c.day, c.task, c.case_id, int(c.hidden), c.outcome, c.metric, _real(c.value),
                  _real(c.threshold), c.op, c.message, c.diagnosis, c.elapsed) for c in rec.cases])
            self.db.executemany(
                "INSERT INTO modules VALUES (?,?,?,?)",
                [(rec.learner, name, hashlib.sha256(data).hexdigest(), data.decode("utf-8", "replace"))
                 for name, data in sorted(rec.modules.items())])
            if log:
                self.db.execute("INSERT INTO gradings (learner, content_hash, run_id, graded_at) VALUES (?,?,?,?)",
                                (rec.learner, rec.content_hash, run_id, at))

    def _forget(self, learner: str) -> None:
        for table in ("submissions", "tasks", "cases", "modules"):
            self.db.execute(f"DELETE FROM {table} WHERE learner = ?", (learner,))

    def submissions(self) -> list:
        return self.db.execute("SELECT * FROM submissions ORDER BY learner").fetchall()

    def tasks(self) -> list:
        return self.db.execute("SELECT * FROM tasks ORDER BY learner, position").fetchall()

    def cases(self, *, hidden: bool | None = None) -> list:
        if hidden is None:
            return self.db.execute("SELECT * FROM cases ORDER BY learner, day, task, hidden, case_id").fetchall()
        return self.db.execute("SELECT * FROM cases WHERE hidden = ? ORDER BY learner, day, task, case_id",
                               (int(hidden),)).fetchall()

    def modules(self) -> dict:
        """{learner: {file name: source}}."""
        out: dict = {}
        for r in self.db.execute("SELECT learner, file, source FROM modules ORDER BY learner, file"):
            out.setdefault(r["learner"], {})[r["file"]] = r["source"]
        return out

    def gradings(self) -> list:
        return self.db.execute("SELECT * FROM gradings ORDER BY id").fetchall()

    def import_from(self, other: "Gradebook") -> list[str]:
        """Copy every learner of ``other`` whose grading is not older than ours; returns their names.

        Where both hold a learner, the later ``graded_at`` wins (at the same second, ``other``'s). Every
        grading of ``other`` joins the log of gradings either way.
        """
        taken = []
        mine = {r["learner"]: r["graded_at"] for r in self.db.execute("SELECT learner, graded_at FROM submissions")}
        logged = {(r["learner"], r["content_hash"], r["graded_at"]) for r in self.gradings()}
        for s in other.submissions():
            learner = s["learner"]
            newer = not (learner in mine and mine[learner] > s["graded_at"])
            with self.transaction():
                if newer:
                    self._forget(learner)
                    for table in ("submissions", "tasks", "cases", "modules"):
                        rows = other.db.execute(f"SELECT * FROM {table} WHERE learner = ?", (learner,)).fetchall()
                        if rows:
                            names = rows[0].keys()
                            self.db.executemany(
                                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                                [tuple(r) for r in rows])
                for g in other.db.execute("SELECT * FROM gradings WHERE learner = ?", (learner,)).fetchall():
                    if (g["learner"], g["content_hash"], g["graded_at"]) not in logged:
                        self.db.execute("INSERT INTO gradings (learner, content_hash, run_id, graded_at) "
                                        "VALUES (?,?,?,?)", (g["learner"], g["content_hash"], None, g["graded_at"]))
            if newer:
                taken.append(learner)
        return taken

    def set_similarity(self, pairs: list) -> None:
        """Replace the similarity flags with ``pairs`` of (a, b, day, score, evidence)."""
        with self.transaction():
            self.db.execute("DELETE FROM similarity")
            self.db.executemany("INSERT INTO similarity VALUES (?,?,?,?,?)", pairs)

    def similarity(self) -> list:
        return self.db.execute("SELECT * FROM similarity ORDER BY score DESC, a, b, day").fetchall()


class _Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, exc, tb):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False


def _real(x):
    if x is None:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) != float("inf") else None


# ---------------------------------------------------------------- the spreadsheet


def columns(course, task_rows) -> list:
    """Task keys in course order; tasks no longer in the course (an older gradebook) go last."""
    keys = [(t.day, t.name, t.challenge) for t in course.tasks()]
    known = {(d, n) for d, n, _ in keys}
    for r in task_rows:
        if (r["day"], r["task"]) not in known:
            known.add((r["day"], r["task"]))
            keys.append((r["day"], r["task"], bool(r["challenge"])))
    return keys


def csv_text(book: Gradebook, course) -> str:
    """gradebook.csv: one row per learner; numbers plain, text guarded against spreadsheet formulas."""
    subs = book.submissions()
    task_rows = book.tasks()
    by_learner: dict = {}
    for r in task_rows:
        by_learner.setdefault(r["learner"], {})[(r["day"], r["task"])] = r
    keys = columns(course, task_rows)
    days = sorted({d for d, _, _ in keys})
    challenge_days = sorted({d for d, _, c in keys if c})
    flags = similarity_flags(book)

    header = ["learner", "status", "points", "max points", "percent", "tasks passed", "tasks"]
    header += [f"day{d:02d} points" for d in days]
    header += [f"day{d:02d} challenge tier" for d in challenge_days]
    header += [f"day{d:02d}.{name}" for d, name, _ in keys]
    header += ["hidden variants passed", "hidden variants", "flags", "problem", "graded at", "revision",
               "content hash"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for s in subs:
        mine = by_learner.get(s["learner"], {})
        graded = s["status"] == "graded"
        day_points = {d: round(sum(r["points"] for (dd, _), r in mine.items() if dd == d), 2) for d in days}
        tiers = {r["day"]: (r["tier"] or ("" if r["outcome"] == "not attempted" else "none"))
                 for r in mine.values() if r["challenge"]}
        percent = round(100.0 * s["points"] / s["max_points"], 1) if s["max_points"] else 0.0
        row = [_text(s["learner"]), s["status"], _num(s["points"]), _num(s["max_points"]), _num(percent),
               s["tasks_passed"], s["tasks_total"]]
        row += [_num(day_points[d]) if graded else "" for d in days]
        row += [tiers.get(d, "") for d in challenge_days]
        row += [_num(mine[(d, n)]["points"]) if (d, n) in mine else "" for d, n, _ in keys]
        row += ["" if s["variants_total"] is None else s["variants_passed"],
                "" if s["variants_total"] is None else s["variants_total"]]
        notes = list(json.loads(s["flags"] or "[]")) + flags.get(s["learner"], [])
        row += [_text(" | ".join(notes)), _text(s["problem"]), s["graded_at"], s["revision"], s["content_hash"]]
        writer.writerow(row)
    return out.getvalue()


def similarity_flags(book: Gradebook) -> dict:
    """{learner: ["similar to bob on day 1 (0.97)", ...]} from the similarity table."""
    out: dict = {}
    for r in book.similarity():
        for me, other in ((r["a"], r["b"]), (r["b"], r["a"])):
            out.setdefault(me, []).append(f"code similar to {other} on day {r['day']} ({r['score']:.2f}): review it")
    return out


def _num(x) -> str:
    x = float(x)
    return str(int(x)) if x == int(x) else f"{x:.2f}".rstrip("0")


def _text(value) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would start a formula."""
    text = str(value or "").replace("\r", " ").replace("\n", " ")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def write_atomically(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write a whole file or nothing: a run killed mid-write leaves the previous file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_csv(book: Gradebook, course, path: Path) -> None:
    # A byte-order mark lets Excel open UTF-8 names correctly; other spreadsheets ignore it.
    write_atomically(path, csv_text(book, course), encoding="utf-8-sig")
