"""The run as a Gradescope autograder ``results.json``.

One test per task (Gradescope awards points per test), numbered ``day.task``,
with the same points as the terminal; the top-level ``score`` is the run's
total, so Gradescope shows exactly what ``pixelkata grade`` printed.
"""
from __future__ import annotations

import json

from grader.grading.results import GradeRun, Outcome, TaskResult
from grader.learner.terminal import points, task_label, task_message
from grader.grading.naming import hint_for


def to_gradescope(run: GradeRun) -> str:
    return json.dumps(results(run), indent=2, ensure_ascii=False) + "\n"


def results(run: GradeRun) -> dict:
    tests = []
    notes = []
    for day in run.days:
        if day.error:
            notes.append(f"Day {day.day.number}: {day.error}")
        for i, t in enumerate(day.tasks, start=1):
            tests.append(_test(t, f"{day.day.number}.{i}"))
    counts = run.tally() if run.tasks else ""
    summary = f"Total: {points(run.points)}/{points(run.max_points)} points" + (f" · {counts}" if counts else "")
    return {
        "score": run.points,
        "execution_time": round(run.duration, 3),
        "output": "\n".join([summary, *notes]),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _test(t: TaskResult, number: str) -> dict:
    lines = [f"{task_label(t)}: {points(t.points)}/{points(t.max_points)} points"]
    if t.metric_text:
        lines.append(t.metric_text)
    message = task_message(t)
    if message:
        lines.append(message)
    if t.outcome is not Outcome.PASSED and t.task.hints:
        lines.append("Hint: " + hint_for(t))
    kind = "challenge" if t.task.challenge else "task"
    return {
        "name": f"Day {t.day} {kind} {t.name}: {t.task.title}",
        "number": number,
        "score": t.points,
        "max_score": t.max_points,
        "status": "passed" if t.outcome is Outcome.PASSED else "failed",
        "output": "\n".join(lines),
        "tags": [f"day{t.day:02d}", kind, t.outcome.value],
        "visibility": "visible",
    }
