"""Shared plain-data helpers for the formats: a verdict's metric, and a case's outcome as a test."""
from __future__ import annotations

import dataclasses
import math

from grader.grading.results import CaseResult, Outcome, TaskResult


def number(x) -> float | None:
    """A finite float, or None (JSON has no NaN or infinity)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def case_metric(case: CaseResult, outcome: Outcome | None = None) -> dict | None:
    """A case's metric; ``outcome`` (the case's outcome as a test) keeps a passing case from reading "<".

    A challenge's case passes by the task's tier, not by its check's own bar: its text then shows the
    score alone.
    """
    v = case.verdict
    if v is None or v.metric is None:
        return None
    text = v.summary()
    if outcome is Outcome.PASSED and not v.passed:
        text = dataclasses.replace(v, threshold=None).summary()
    return {"name": v.metric, "value": number(v.value), "threshold": number(v.threshold), "op": v.op,
            "text": text}


def task_metric(t: TaskResult) -> dict | None:
    """The metric the terminal shows: a challenge's score, else the worst case's metric."""
    if t.task.challenge and t.score is not None:
        c = t.cases[0]
        name = c.verdict.metric if c.verdict and c.verdict.metric else "score"
        return {"name": name, "value": number(t.score), "threshold": None,
                "op": t.task.check.get("op", ">="), "text": t.metric_text}
    worst = t.worst_case()
    return case_metric(worst) if worst is not None else None


def task_diagnosis(t: TaskResult) -> str | None:
    worst = t.worst_case()
    if worst is None or worst.outcome is Outcome.PASSED or worst.verdict is None:
        return None
    return worst.verdict.diagnosis or None


def case_outcome(t: TaskResult, case: CaseResult) -> Outcome:
    """A case's outcome as a test. A challenge is judged by its tier, not by each case's own bar,
    so its cases that ran take the task's outcome."""
    if t.task.challenge and case.outcome in (Outcome.PASSED, Outcome.FAILED):
        return Outcome.PASSED if t.outcome is Outcome.PASSED else Outcome.FAILED
    return case.outcome


def case_message(t: TaskResult, case: CaseResult) -> str:
    if t.task.challenge and case.outcome in (Outcome.PASSED, Outcome.FAILED):
        return t.message
    return case.message
