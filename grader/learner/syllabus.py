"""``pixelkata list``: the syllabus with each day's status at a glance.

Status comes from the progress store (each task as last graded): a day is
*not started* until one of its tasks is attempted, *done* when every task
passes and the challenge has reached a tier, and *in progress* in between.
"""
from __future__ import annotations

from grader.grading.results import MARKS as _MARKS
from grader.grading.results import plural, tasks_passed
from grader.learner.terminal import points as _pts

MARKS = {o.value: mark for o, (mark, _) in _MARKS.items()}


#: A challenge tried without reaching a tier, in every view (list, progress, the terminal's day line).
NO_TIER = "no tier yet"


def _untiered(day, latest: dict) -> str:
    """A day's challenge without a tier: "-" untried, its outcome when it raised or timed out, else NO_TIER."""
    for t in day.tasks:
        rec = latest.get((day.number, t.name)) if t.challenge else None
        if rec is not None and rec.outcome != "not attempted":
            return rec.outcome if rec.outcome in ("error", "timed out") else NO_TIER
    return "-"


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
    """One line per day; with ``day``, that day's line alone and its tasks under it.

    A task shows its outcome as last graded, a challenge its tier (as in every
    other view), and the columns fit the longest name of the day.
    """
    latest = standing.latest if standing else {}
    hints_used = hints_used or {}
    width = max(len(d.title) for d in course.days)
    label = max(len(f"Day {d.number}") for d in course.days)  # titles line up past day 9
    counted = max(len(tasks_passed(sum(1 for t in d.tasks if not t.challenge),
                                   sum(1 for t in d.tasks if not t.challenge))) for d in course.days)
    out = []
    for d in course.days:
        if day is not None and d.number != day:
            continue
        status, passed, tier = day_status(d, latest)
        tasks = sum(1 for t in d.tasks if not t.challenge)
        ch = f"challenge: {tier or _untiered(d, latest)}"
        out.append(f"{'Day ' + str(d.number):<{label}}  {d.title:<{width}}  {status:<12} "
                   f"{tasks_passed(passed, tasks):<{counted}}  {ch}")
        if day is not None:
            out += _task_lines(d, latest, hints_used)
    if not latest:
        out.append("")
        out.append("Nothing graded yet: run `pixelkata grade` to see where you stand.")
    elif day is None:
        out.append("")
        out.append("`pixelkata list DAY` shows a day's tasks.")
    return out


def _task_lines(d, latest: dict, hints_used: dict) -> list[str]:
    name_width = max(len(t.name) for t in d.tasks)
    shown = []
    for t in d.tasks:
        rec = latest.get((d.number, t.name))
        outcome = rec.outcome if rec else "not graded"
        mark = MARKS.get(outcome, " ")
        if t.challenge and rec is not None and outcome not in ("not attempted", "error", "timed out"):
            outcome = rec.tier or "no tier yet"  # a challenge has no pass, only a tier
            mark = "★" if rec.tier else mark
        kind = "challenge: " if t.challenge and not t.title.lower().startswith("challenge") else ""
        shown.append((mark, t, f"{kind}{t.title}", outcome, rec))
    title_width = max(len(title) for _, _, title, _, _ in shown)
    out = []
    for mark, t, title, outcome, rec in shown:
        used = hints_used.get((d.number, t.name), 0)
        extra = f"  ({used} of {plural(len(t.hints), 'hint')} used)" if used else ""
        pts = f"{_pts(rec.points)}/{_pts(t.points)}" if rec else f"-/{_pts(t.points)}"
        out.append(f"   {mark} {t.name:<{name_width}}  {title:<{title_width}}  [{outcome}, {pts}]{extra}")
    return out
