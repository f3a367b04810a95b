"""What grading produces: one record shape per case, task, day and run.

Every output (terminal, HTML, JSON, gradebook) is rendered from these
records, so they all show the same outcomes and the same points.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from grader.checks.credit import cap_failed
from grader.checks import Verdict, apart, meets, written
from grader.course import TIERS


class Outcome(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"
    ERROR = "error"
    TIMED_OUT = "timed out"

    def __str__(self) -> str:
        return self.value


#: The mark and colour that show each outcome: in the terminal, the syllabus list, the HTML report and class.html
#: alike. Timed out is ◷ (U+25F7), not ⏱ (U+23F1): that one has no glyph in common text fonts (browsers,
#: Windows consoles) and shows as an empty box.
MARKS = {
    Outcome.PASSED: ("✔", "green"),
    Outcome.FAILED: ("✘", "red"),
    Outcome.NOT_ATTEMPTED: ("·", "bright_black"),
    Outcome.ERROR: ("!", "magenta"),
    Outcome.TIMED_OUT: ("◷", "yellow"),
}


# When cases of one task end differently, the task shows the most serious.
_SEVERITY = [Outcome.TIMED_OUT, Outcome.ERROR, Outcome.FAILED, Outcome.NOT_ATTEMPTED, Outcome.PASSED]


@dataclass
class CaseResult:
    case_id: str
    outcome: Outcome
    message: str = ""
    verdict: Verdict | None = None
    traceback: str = ""
    elapsed: float | None = None
    output: str = ""
    output_bytes: int = 0
    images: dict = field(default_factory=dict)  # "input", "expected", "yours", plus verdict maps
    note: str = ""  # e.g. a speed note: far slower than the reference solution
    # What the case said before a catalogued mistake named it: (message, diagnosis, hint), or None.
    before_naming: tuple | None = None
    # Weighed across the task's cases (grader.grading.naming.keep_consistent): the names of the catalogued
    # mistakes whose output this case's answer clearly differs from, and the mistakes it matches, closest first.
    unlike: set = field(default_factory=set)
    matches: list = field(default_factory=list)

    @property
    def earned(self) -> float:
        if self.outcome is Outcome.PASSED:
            return 1.0
        if self.outcome is Outcome.FAILED and self.verdict is not None:
            return cap_failed(self.verdict.earned())
        return 0.0

    @property
    def metric_text(self) -> str:
        return self.verdict.summary() if self.verdict else ""


@dataclass
class TaskResult:
    task: object  # grader.course.Task
    cases: list
    outcome: Outcome
    points: float
    max_points: float
    message: str = ""
    score: float | None = None  # challenges: the continuous score
    tier: str | None = None  # challenges: bronze, silver, gold or None

    @property
    def name(self) -> str:
        return self.task.name

    @property
    def day(self) -> int:
        return self.task.day

    @property
    def attempted(self) -> bool:
        return self.outcome is not Outcome.NOT_ATTEMPTED

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    def worst_case(self) -> CaseResult | None:
        bad = [c for c in self.cases if c.outcome is not Outcome.PASSED]
        if bad:
            return min(bad, key=lambda c: _SEVERITY.index(c.outcome))
        return self.cases[0] if self.cases else None

    @property
    def metric_text(self) -> str:
        if self.task.challenge and self.score is not None:
            c = self.cases[0]
            name = c.verdict.metric if c.verdict and c.verdict.metric else "score"
            return f"{name} {written(self.score, self.task.check['tiers'].values())}"
        worst = self.worst_case()
        return worst.metric_text if worst else ""


@dataclass
class DayResult:
    day: object  # grader.course.Day
    tasks: list
    error: str = ""  # a problem with the whole module (missing, syntax error)

    @property
    def points(self) -> float:
        return round(sum(t.points for t in self.tasks), 2)

    @property
    def max_points(self) -> float:
        return round(sum(t.max_points for t in self.tasks), 2)

    @property
    def graded_tasks(self) -> list:
        return [t for t in self.tasks if not t.task.challenge]

    @property
    def passed(self) -> int:
        return sum(1 for t in self.graded_tasks if t.passed)

    @property
    def challenge(self) -> TaskResult | None:
        for t in self.tasks:
            if t.task.challenge:
                return t
        return None

    @property
    def status(self) -> str:
        """not started, in progress or done (every task passed and the challenge at bronze or better)."""
        if all(t.outcome is Outcome.NOT_ATTEMPTED for t in self.tasks):
            return "not started"
        if all(t.passed for t in self.tasks):
            return "done"
        return "in progress"


@dataclass
class GradeRun:
    course: object  # grader.course.Course
    days: list
    exercises: Path
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    duration: float = 0.0
    versions: dict = field(default_factory=dict)
    limits: list = field(default_factory=list)  # the sandbox's protections, see grader.engine.sandbox.isolation.describe()
    backend: str = ""  # the runner backend that ran the cases: "sandbox" or "portable" ("" when not known)

    @property
    def tasks(self) -> list:
        return [t for d in self.days for t in d.tasks]

    @property
    def points(self) -> float:
        return round(sum(d.points for d in self.days), 2)

    @property
    def max_points(self) -> float:
        return round(sum(d.max_points for d in self.days), 2)

    def counts(self) -> dict:
        out = {o: 0 for o in Outcome}
        for t in self.tasks:
            out[t.outcome] += 1
        return out

    def tally(self) -> str:
        """The run's tasks and challenges counted by the one rule every view uses (see :func:`tally`)."""
        return tally((str(t.outcome), bool(t.task.challenge), t.tier) for t in self.tasks)

    def exit_code(self) -> int:
        """0 when everything graded passed (untouched tasks are not graded), else 1."""
        bad = [t for t in self.tasks if t.attempted and not t.passed]
        bad_days = [d for d in self.days if d.error]
        return 1 if bad or bad_days else 0


def aggregate(task, cases: list) -> TaskResult:
    """Combine a task's case results into its outcome and points."""
    outcomes = {c.outcome for c in cases}
    if outcomes == {Outcome.PASSED}:
        outcome = Outcome.PASSED
    elif outcomes == {Outcome.NOT_ATTEMPTED}:
        outcome = Outcome.NOT_ATTEMPTED
    else:
        worst = min((o for o in outcomes if o is not Outcome.PASSED), key=_SEVERITY.index)
        # Part done, part still the stub: that is a failure to finish, not "untouched".
        outcome = Outcome.FAILED if worst is Outcome.NOT_ATTEMPTED else worst
    max_points = float(task.points)
    score = tier = None
    if task.challenge:
        scores = [c.verdict.value for c in cases if c.verdict is not None and c.verdict.value is not None]
        if len(scores) == len(cases) and cases:
            score = float(sum(scores) / len(scores))
            tier = tier_for(score, task.check["tiers"], task.check.get("op", ">="))
        # The tier comes from the score, unless the answer makes a catalogued classic mistake: a challenge's
        # answer is named only when it matches that mistake's output at the gold level on every case where
        # both are known (grader.grading.naming), so a different honest answer is never taken for one; an
        # answer that is the mistake earns no tier, even where a score cannot tell it apart (red and blue
        # swapped in a montage scores like a blocky but right one).
        named = next((c.verdict for c in cases if c.verdict is not None and c.verdict.named), None)
        withheld = None
        if named is not None:
            withheld, tier = tier, None
        if outcome is not Outcome.NOT_ATTEMPTED and score is not None:
            outcome = Outcome.PASSED if tier else Outcome.FAILED
        points = round(max_points * (TIERS.index(tier) + 1) / len(TIERS), 2) if tier else 0.0
    else:
        share = sum(c.earned for c in cases) / len(cases) if cases else 0.0
        points = round(max_points * (share if outcome is Outcome.PASSED else cap_failed(share)), 2)
    message = ""
    worst_case = next((c for c in cases if c.outcome is not Outcome.PASSED), None)
    if worst_case is not None:
        prefix = f"case {worst_case.case_id}: " if len(cases) > 1 and outcome is not Outcome.NOT_ATTEMPTED else ""
        message = prefix + worst_case.message
    if task.challenge and score is not None:
        message = challenge_note(task, score, tier, withheld=withheld)
        if withheld and named.diagnosis:
            message += " " + named.diagnosis  # the reason the tier is withheld comes first
        details = [c.verdict.detail for c in cases if c.verdict is not None and c.verdict.detail]
        if details:
            message += " " + once(" ".join(details))
        if named is not None and named.diagnosis not in message:
            message += " " + named.diagnosis
    note = next((c.note for c in cases if c.note), "")
    if note:
        message = f"{message} {note}".strip()
    return TaskResult(task=task, cases=cases, outcome=outcome, points=points, max_points=max_points,
                      message=message, score=score, tier=tier)


def once(text: str) -> str:
    """``text`` with every sentence said again later dropped: two cases that see one thing say it once."""
    seen, kept = set(), []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])", text.strip()):
        if sentence and sentence not in seen:
            seen.add(sentence)
            kept.append(sentence)
    return " ".join(kept)


def tier_for(score: float, tiers: dict, op: str = ">=") -> str | None:
    """The highest tier whose bound ``score`` meets (``op`` ">=": at least the bound; "<=": at most), or None.

    A score exactly on a bound reaches that tier. Raises CheckError for any other ``op``.
    """
    reached = None
    for name in TIERS:
        if meets(score, float(tiers[name]), op):
            reached = name
    return reached


def challenge_note(task, score: float, tier: str | None, *, withheld: str | None = None) -> str:
    """The tier and the next bound: "bronze: 0.870; silver at 0.900.". ``withheld`` is the tier the score
    would reach when the answer makes a catalogued mistake, which earns none."""
    tiers = task.check["tiers"]
    if withheld:
        return (f"no tier: {written(score, tiers.values())} would reach {withheld}, but the answer makes a "
                "classic mistake, which earns none.")
    nxt = TIERS[TIERS.index(tier) + 1] if tier and tier != TIERS[-1] else (TIERS[0] if tier is None else None)
    if nxt is None:
        return f"gold: {written(score, tiers.values())}, the top tier."
    shown, bound = apart(score, float(tiers[nxt]))
    reached = f"{tier}: {shown}" if tier else f"no tier yet: {shown}"
    return f"{reached}; {nxt} at {bound}."


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, with an s unless n is 1: "1 task", "0 tasks"."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def tasks_passed(passed: int, total: int) -> str:
    """ "3 of 7 tasks passed": challenges are never among the tasks counted (see :func:`tally`)."""
    return f"{passed} of {plural(total, 'task')} passed"


def challenges_tiered(tiered: int, total: int) -> str:
    """ "1 of 2 challenges with a tier"."""
    return f"{tiered} of {plural(total, 'challenge')} with a tier"


def tally(results) -> str:
    """How a set of results stands, said the same way in the terminal, the report, `pixelkata progress`
    and `list`, and the CI formats.

    The counting rule: a day's tasks and its challenge are counted apart. Tasks pass
    or not ("3 of 7 tasks passed, 2 failed, 2 not attempted"); a challenge has no pass,
    only a tier ("1 of 1 challenge with a tier"). ``results``: (outcome, challenge, tier)
    triples, outcome as its word ("passed", "not attempted", ...).
    """
    tasks, challenges = [], []
    for outcome, challenge, tier in results:
        (challenges if challenge else tasks).append((outcome, tier))
    parts = []
    if tasks or not challenges:
        counts: dict = {}
        for outcome, _ in tasks:
            counts[outcome] = counts.get(outcome, 0) + 1
        passed = counts.pop(Outcome.PASSED.value, 0)
        order = [o.value for o in Outcome] + ["not graded"]
        others = [f"{n} {o}" for o, n in sorted(counts.items(), key=lambda kv: order.index(kv[0])
                                                if kv[0] in order else len(order)) if n]
        parts.append(", ".join([tasks_passed(passed, len(tasks))] + others))
    if challenges:
        # A challenge that raised or timed out is an error like any task's, counted as one.
        stopped = {o: sum(1 for outcome, _ in challenges if outcome == o)
                   for o in (Outcome.ERROR.value, Outcome.TIMED_OUT.value)}
        parts.append(", ".join([challenges_tiered(sum(1 for _, tier in challenges if tier), len(challenges))]
                               + [f"{n} {o}" for o, n in stopped.items() if n]))
    return " · ".join(parts)
