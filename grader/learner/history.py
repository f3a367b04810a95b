"""Progress over time, read from the stored runs: per day the best, the latest and every attempt.

A run may grade one task, one day or the whole course, so each task keeps the
result of the last run that graded it; a day's score after a run is the sum of
its tasks' latest points. A run counts as an attempt at a day once the
learner has started it: from the first run in which one of its tasks was
attempted (untouched stubs are not attempts), every later run that grades
the day counts, so the latest score is always the day as it stands.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from grader.course import TIERS
from grader.grading.results import challenges_tiered, tasks_passed
from grader.learner.terminal import points as _pts


@dataclass
class Attempt:
    run_id: int
    time: str
    points: float
    max_points: float
    tier: str | None  # the day's challenge tier after this run

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


@dataclass
class DayProgress:
    number: int
    title: str
    max_points: float
    tasks: int = 0  # tasks that are not the challenge
    challenges: int = 0
    attempts: list = field(default_factory=list)

    @property
    def best(self) -> Attempt | None:
        return max(self.attempts, key=lambda a: a.points, default=None)

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def best_tier(self) -> str | None:
        reached = [a.tier for a in self.attempts if a.tier]
        return max(reached, key=TIERS.index, default=None)


@dataclass
class Standing:
    days: list  # DayProgress, in course order
    latest: dict  # (day, task) -> TaskRecord: each task's most recent result
    runs: int = 0
    last_run: object = None  # RunRecord

    def day(self, number: int) -> DayProgress | None:
        return next((d for d in self.days if d.number == number), None)


def summarise(runs: list, course) -> Standing:
    """Fold the stored runs (oldest first) into per-day progress for ``course``."""
    days = [DayProgress(d.number, d.title, round(sum(t.points for t in d.tasks), 2),
                        tasks=sum(1 for t in d.tasks if not t.challenge),
                        challenges=sum(1 for t in d.tasks if t.challenge)) for d in course.days]
    by_number = {d.number: d for d in days}
    known = {(d.number, t.name) for d in course.days for t in d.tasks}
    latest: dict = {}
    for run in runs:
        touched = set()
        for rec in run.tasks:
            if (rec.day, rec.task) not in known:
                continue  # a task since removed from the course
            latest[(rec.day, rec.task)] = rec
            if rec.outcome != "not attempted" or by_number[rec.day].attempts:
                touched.add(rec.day)
        for number in sorted(touched):
            day = by_number[number]
            recs = [latest[(number, t.name)] for t in course.day(number).tasks if (number, t.name) in latest]
            tier = next((r.tier for r in recs if r.challenge), None)
            day.attempts.append(Attempt(run_id=run.id, time=run.time, points=round(sum(r.points for r in recs), 2),
                                        max_points=day.max_points, tier=tier))
    return Standing(days=days, latest=latest, runs=len(runs), last_run=runs[-1] if runs else None)


def lines(standing: Standing) -> list:
    """The per-day table that ``pixelkata progress`` prints."""
    width = max((len(d.title) for d in standing.days), default=5)
    head = f"{'Day':>3}  {'Title':<{width}}  {'Best':>9}  {'Latest':>9}  {'Attempts':>8}  Challenge tier"
    out = [head, "-" * len(head)]
    for d in standing.days:
        best, latest = d.best, d.latest
        b = f"{_pts(best.points)}/{_pts(d.max_points)}" if best else "-"
        la = f"{_pts(latest.points)}/{_pts(d.max_points)}" if latest else "-"
        tier = "-"
        if d.attempts:
            tier = d.best_tier or "no tier yet"
            if latest and latest.tier != d.best_tier:
                tier += f" (latest: {latest.tier or 'no tier'})"
        out.append(f"{d.number:>3}  {d.title:<{width}}  {b:>9}  {la:>9}  {len(d.attempts):>8}  {tier}")
    total = sum(r.points for r in standing.latest.values())
    most = sum(d.max_points for d in standing.days)
    passed = sum(1 for r in standing.latest.values() if r.outcome == "passed" and not r.challenge)
    tasks = sum(d.tasks for d in standing.days)
    tiered = sum(1 for r in standing.latest.values() if r.challenge and r.tier)
    challenges = sum(d.challenges for d in standing.days)
    counted = tasks_passed(passed, tasks) + (f" · {challenges_tiered(tiered, challenges)}" if challenges else "")
    runs = f"{standing.runs} grading run{'s' if standing.runs != 1 else ''}"
    out.append("")
    out.append(f"Now: {_pts(round(total, 2))}/{_pts(round(most, 2))} points · {counted} "
               f"(each as last graded; {runs} recorded).")
    return out
