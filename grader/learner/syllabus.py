"""``pixelkata list``: the syllabus with each day's status at a glance.

Status comes from the progress store (each task as last graded): a day is
*not started* until one of its tasks is attempted, *done* when every task
passes and the challenge has reached a tier, and *in progress* in between.
"""
from __future__ import annotations

from grader.grading.results import MARKS as _MARKS
from grader.learner.terminal import points as _pts

MARKS = {o.value: mark for o, (mark, _) in _MARKS.items()}


def day_status(day, latest: dict) -> tuple[str, int, str | None]:
    """(status, tasks passed, challenge tier) of one day from the latest records."""
    recs = [latest.get((day.number, t.name)) for t in day.tasks]
    graded = [r for r in recs if r is not None]
    passed = sum(1 for t, r in zip(day.tasks, recs) if r is not None and r.outcome == "passed" and not t.challenge)
    tier = next((r.tier for t, r in zip(day.tasks, recs) if r is not None and t.challenge), None)
    if not graded or all(r.outcome == "not attempted" for r in graded):
        return "not started", passed, tier
    if len(graded) == len(day.tasks) and all(r.outcome == "passed" for r in graded):
        return "done", passed, tier
    return "in progress", passed, tier


def lines(course, standing=None, hints_used=None, *, day=None) -> list[str]:
    """One line per day; with ``day``, that day's tasks too."""
    latest = standing.latest if standing else {}
    hints_used = hints_used or {}
    width = max(len(d.title) for d in course.days)
    label = max(len(f"Day {d.number}") for d in course.days)  # titles line up past day 9
    out = []
    for d in course.days:
        status, passed, tier = day_status(d, latest)
        tasks = sum(1 for t in d.tasks if not t.challenge)
        ch = f"challenge: {tier}" if tier else "challenge: -"
        out.append(f"{'Day ' + str(d.number):<{label}}  {d.title:<{width}}  {status:<12} {passed}/{tasks} tasks  {ch}")
        if day is not None and d.number == day:
            for t in d.tasks:
                rec = latest.get((d.number, t.name))
                outcome = rec.outcome if rec else "not graded"
                mark = MARKS.get(outcome, " ")
                used = hints_used.get((d.number, t.name), 0)
                extra = f"  ({used} of {len(t.hints)} hints used)" if used else ""
                pts = f"{_pts(rec.points)}/{_pts(t.points)}" if rec else f"-/{_pts(t.points)}"
                kind = "challenge: " if t.challenge and not t.title.lower().startswith("challenge") else ""
                out.append(f"   {mark} {t.name:<16} {kind}{t.title}  [{outcome}, {pts}]{extra}")
    if not latest:
        out.append("")
        out.append("Nothing graded yet: run `pixelkata grade` to see where you stand.")
    return out
