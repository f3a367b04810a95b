"""``class.html``: the instructor's view of a whole class, rendered from ``gradebook.db``.

A heat map of learners by tasks, the statistics that show which task the class
struggles with (pass rate, mean points, the most common diagnosed mistake),
the challenge leaderboard of each day, hidden-variant and similarity flags,
and the entries that could not be graded. One self-contained file: inline
CSS, no scripts, autoescaped jinja2 over a small view model.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from grader import __version__
from grader.checks import percent, written
from grader.classroom.gradebook import Gradebook, columns, write_atomically
from grader.classroom.similarity import clusters
from grader.learner.terminal import MARKS, points

FILE_NAME = "class.html"
OUTCOME_CLASS = {"passed": "pass", "failed": "fail", "not attempted": "none", "error": "err",
                 "timed out": "slow"}


@dataclass
class Column:
    key: str
    day: int
    name: str
    challenge: bool


@dataclass
class Cell:
    mark: str
    css: str
    title: str
    points: str = ""


@dataclass
class Row:
    learner: str
    status: str
    points: str
    max_points: str
    percent: float
    cells: list
    report: str = ""
    problem: str = ""
    flagged: bool = False


@dataclass
class TaskStats:
    key: str
    challenge: bool
    graded: int
    attempted: int
    passed: int
    pass_rate: float  # of the learners who attempted it: the one denominator of every table
    mean_points: float  # of the same learners as pass_rate: those who attempted it
    max_points: float
    mistake: str = ""  # the most common diagnosed mistake
    mistake_count: int = 0
    hidden_failures: int = 0  # learners who pass the visible cases but not the variants

    @property
    def pass_text(self) -> str:
        """The pass rate as a whole percentage, never 0% when one passed nor 100% when one did not; "–" when
        nobody tried (there is no rate of nobody)."""
        return percent(self.pass_rate, 0) if self.attempted else "–"

    @property
    def mean_text(self) -> str:
        """The mean points of those who tried, out of the task's; "–" when nobody tried."""
        return f"{self.mean_points} / {self.max_points}" if self.attempted else "–"


@dataclass
class Leader:
    rank: int
    learner: str
    score: str
    tier: str


@dataclass
class Board:
    day: int
    task: str
    better: str  # "higher" or "lower"
    leaders: list


@dataclass
class SimilarPair:
    """Two learners whose code is near-identical on one day or more."""

    a: str
    b: str
    days: list
    best: float


@dataclass
class ClassView:
    title: str
    generated: str
    grader_version: str
    course_version: str
    learners: int
    graded: int
    refused: int
    errors: int
    mean_percent: float
    columns: list
    rows: list
    stats: list
    hardest: list
    boards: list
    clusters: list  # (day, learners, best score)
    similar: list  # SimilarPair: one per pair of learners, however many days they share
    pairs: list  # similarity rows, one per pair and day
    variant_flags: list  # (learner, sentence)
    problems: list  # (learner, status, sentence)
    legend: list = field(default_factory=list)


def build(book: Gradebook, course) -> ClassView:
    subs = book.submissions()
    task_rows = book.tasks()
    keys = columns(course, task_rows)
    cols = [Column(f"day{d:02d}.{n}", d, n, c) for d, n, c in keys]
    by_learner: dict = {}
    for r in task_rows:
        by_learner.setdefault(r["learner"], {})[(r["day"], r["task"])] = r

    rows = []
    for s in subs:
        mine = by_learner.get(s["learner"], {})
        cells = []
        for c in cols:
            r = mine.get((c.day, c.name))
            if r is None:
                cells.append(Cell("", "gone", s["problem"] or "not graded"))
                continue
            mark = MARKS_TEXT.get(r["outcome"], "?")
            if r["challenge"] and r["tier"]:
                mark = "★"
            title = f"{c.key}: {r['outcome']}, {points(r['points'])}/{points(r['max_points'])} points"
            if r["tier"]:
                title += f", {r['tier']}"
            if r["message"]:
                title += f". {r['message']}"
            if r["variants_total"]:
                title += f" Hidden variants: {r['variants_passed']}/{r['variants_total']} passed."
            css = OUTCOME_CLASS.get(r["outcome"], "none")
            if r["outcome"] == "passed" and r["variants_outcome"] not in (None, "passed"):
                css += " hidden"
            cells.append(Cell(mark, css, title, points(r["points"])))
        flags = json.loads(s["flags"] or "[]")
        pct = 100.0 * s["points"] / s["max_points"] if s["max_points"] else 0.0
        rows.append(Row(s["learner"], s["status"], points(s["points"]), points(s["max_points"]), round(pct, 1),
                        cells, report=s["report"], problem=s["problem"], flagged=bool(flags)))

    graded_learners = {s["learner"] for s in subs if s["status"] == "graded"}
    mistakes: dict = {}
    for r in book.cases(hidden=False):
        if r["diagnosis"]:
            mistakes.setdefault((r["day"], r["task"]), Counter())[(r["diagnosis"], r["learner"])] += 1
    stats = []
    for c in cols:
        mine = [by_learner[l][(c.day, c.name)] for l in graded_learners if (c.day, c.name) in by_learner.get(l, {})]
        graded = len(mine)
        attempted = sum(1 for r in mine if r["outcome"] != "not attempted")
        passed = sum(1 for r in mine if r["outcome"] == "passed")
        # Of those who tried, like the pass rate beside it: a learner who never began a task is counted in
        # the "attempted" column, not as a zero that would drag the mean away from the pass rate.
        tried = [r for r in mine if r["outcome"] != "not attempted"]
        mean = sum(r["points"] for r in tried) / attempted if attempted else 0.0
        top = max((r["max_points"] for r in mine), default=0.0)
        per_learner = Counter(d for d, _ in mistakes.get((c.day, c.name), Counter()))
        mistake, count = per_learner.most_common(1)[0] if per_learner else ("", 0)
        hidden = sum(1 for r in mine if r["outcome"] == "passed" and r["variants_outcome"] not in (None, "passed"))
        stats.append(TaskStats(c.key, c.challenge, graded, attempted, passed, passed / attempted if attempted else 0.0,
                               round(mean, 2), top, mistake, count, hidden))
    # Only tasks someone failed: a task everyone who tried passed is no struggle.
    hardest = sorted((s for s in stats if s.attempted and s.passed < s.attempted), key=_hardness)[:5]

    boards = []
    for t in course.tasks():
        if not t.challenge:
            continue
        lower = t.check.get("op", ">=") == "<="
        entries = [(l, by_learner[l][(t.day, t.name)]) for l in graded_learners
                   if (t.day, t.name) in by_learner.get(l, {})]
        scored = [(l, r) for l, r in entries if r["score"] is not None and r["outcome"] != "not attempted"]
        scored.sort(key=lambda lr: (lr[1]["score"] if lower else -lr[1]["score"], lr[0]))
        leaders = []
        for i, (l, r) in enumerate(scored):
            # Written with the digits that tell it from each tier's bound: 0.9496 with no tier is never "0.950".
            shown = written(r["score"], (t.check.get("tiers") or {}).values())
            rank = leaders[-1].rank if leaders and shown == leaders[-1].score else i + 1
            leaders.append(Leader(rank, l, shown, r["tier"] or "no tier yet"))
        boards.append(Board(t.day, t.name, "lower" if lower else "higher", leaders))

    pairs = book.similarity()
    groups = clusters([(p["a"], p["b"], p["day"], p["score"], p["evidence"]) for p in pairs])
    similar = _similar_pairs(pairs)
    variant_flags = [(s["learner"], f) for s in subs for f in json.loads(s["flags"] or "[]")]
    problems = [(s["learner"], s["status"], s["problem"]) for s in subs if s["status"] != "graded"]
    percents = [r.percent for r in rows if r.status == "graded"]
    return ClassView(
        title=getattr(course, "title", "pixelkata"),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        grader_version=__version__,
        course_version=getattr(course, "version", ""),
        learners=len(subs),
        graded=len(graded_learners),
        refused=sum(1 for s in subs if s["status"] == "refused"),
        errors=sum(1 for s in subs if s["status"] == "error"),
        mean_percent=round(sum(percents) / len(percents), 1) if percents else 0.0,
        columns=cols, rows=rows, stats=stats, hardest=hardest, boards=boards,
        clusters=groups, similar=similar, pairs=[dict(p) for p in pairs[:200]], variant_flags=variant_flags,
        problems=problems, legend=[(MARKS_TEXT[o.value], OUTCOME_CLASS[o.value], o.value) for o in MARKS],
    )


def _hardness(s: TaskStats) -> tuple:
    """Hardest first: the lowest pass rate among those who tried, then the most who tried and failed,
    then the lowest share of the points."""
    return (s.pass_rate, -(s.attempted - s.passed), s.mean_points / (s.max_points or 1), s.key)


def _similar_pairs(pairs) -> list:
    """One row per pair of learners (not per pair and day), most similar first."""
    by_pair: dict = {}
    for p in pairs:
        a, b = sorted((p["a"], p["b"]))
        entry = by_pair.setdefault((a, b), SimilarPair(a, b, [], 0.0))
        if p["day"] not in entry.days:
            entry.days.append(p["day"])
        entry.best = max(entry.best, float(p["score"]))
    for entry in by_pair.values():
        entry.days.sort()
    return sorted(by_pair.values(), key=lambda e: (-e.best, e.a, e.b))


# The terminal's marks, by outcome name.
MARKS_TEXT = {o.value: m for o, (m, _) in MARKS.items()}


def render(view: ClassView) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("grader.classroom", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.tests["length_over_2"] = lambda members: len(members) > 2
    return env.get_template("class.html.j2").render(v=view)


def write(book: Gradebook, course, path) -> None:
    write_atomically(path, render(build(book, course)))
