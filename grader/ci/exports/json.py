"""The run as JSON, in the documented schema ``docs/results.schema.json``.

The document carries ``format`` and ``version`` so that a reader can refuse
one it does not understand; fields are only ever added within a version.
"""
from __future__ import annotations

import json

from grader.grading.naming import hint_for
from grader.ci.exports.metrics import case_message, case_metric, case_outcome, number, task_diagnosis, task_metric
from grader.grading.results import DayResult, GradeRun, Outcome, TaskResult

FORMAT = "pixelkata-results"
VERSION = 1


def to_json(run: GradeRun) -> str:
    return json.dumps(document(run), indent=2, ensure_ascii=False) + "\n"


def document(run: GradeRun) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "course": {"title": run.course.title, "version": run.course.version},
        "started": run.started.isoformat(timespec="seconds"),
        "duration": round(run.duration, 3),
        "exercises": str(run.exercises),
        "points": run.points,
        "max_points": run.max_points,
        "counts": {o.value: n for o, n in run.counts().items()},
        "reference_versions": dict(run.versions),
        "days": [_day(d) for d in run.days],
    }


def _day(d: DayResult) -> dict:
    ch = d.challenge
    return {
        "day": d.day.number,
        "title": d.day.title,
        "theme": d.day.theme,
        "module": d.day.filename,
        "status": d.status,
        "error": d.error or None,
        "points": d.points,
        "max_points": d.max_points,
        "tasks_passed": d.passed,
        "tasks_graded": len(d.graded_tasks),
        "challenge_tier": ch.tier if ch is not None else None,
        "tasks": [_task(t) for t in d.tasks],
    }


def _task(t: TaskResult) -> dict:
    hint = (hint_for(t) or None) if t.outcome is not Outcome.PASSED else None
    return {
        "day": t.day,
        "task": t.name,
        "key": t.task.key,
        "title": t.task.title,
        "challenge": t.task.challenge,
        "outcome": t.outcome.value,
        "points": t.points,
        "max_points": t.max_points,
        "metric": task_metric(t),
        "message": t.message,
        "diagnosis": task_diagnosis(t),
        "hint": hint,
        "score": number(t.score),
        "tier": t.tier,
        "tiers": {k: float(v) for k, v in t.task.tiers().items()} if t.task.challenge else None,
        "cases": [_case(t, c) for c in t.cases],
    }


def _case(t: TaskResult, c) -> dict:
    return {
        "case": c.case_id,
        "outcome": case_outcome(t, c).value,
        "message": case_message(t, c),
        "metric": case_metric(c, case_outcome(t, c)),
        "diagnosis": (c.verdict.diagnosis or None) if c.verdict is not None else None,
        "elapsed": _seconds(c.elapsed),
    }


def _seconds(x) -> float | None:
    x = number(x)
    return round(x, 4) if x is not None else None
