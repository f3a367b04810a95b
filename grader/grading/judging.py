"""Judging one case: what came back, against the reference, into an outcome and a sentence.

:func:`judge` sends a case that returned a value (or raised, for a check that expects an exception)
through three steps, each in its own function: :func:`compare` (the task's check), :func:`credit`
(partial credit for a scored near miss) and :func:`explain` (the classic mistake behind a failed
picture, else where it differs). Every other ending gets its sentence from
:mod:`grader.grading.messages`. The catalogued mistakes (:mod:`grader.grading.naming`) are compared
afterwards, by ``grade_case``, because they need the workers.
"""
from __future__ import annotations

from pathlib import Path

from grader import checks
from grader.checks import CaseContext, Raised, Verdict
from grader.checks.credit import partial_credit, where_it_differs
from grader.checks.diagnosis import diagnose
from grader.engine.runner import RawRun
from grader.engine.status import Status
from grader.grading.messages import _cpu_limit_hit, _kinds, status_message
from grader.grading.results import CaseResult, Outcome

# Exceptions that are never an answer, even for a check that expects one.
NEVER_ANSWERS = {"SystemExit", "KeyboardInterrupt", "MemoryError"}


def judge(task, case, check, raw: RawRun, expected, ctx: CaseContext, *, module: Path, limit: float) -> CaseResult:
    """Turn what a case did into its outcome and a sentence that says why."""
    fn = f"{task.function}()"
    shown = f"{module.parent.name}/{module.name}"
    info = raw.info or {}
    res = CaseResult(case.id, Outcome.ERROR, elapsed=raw.elapsed, output=raw.output, output_bytes=raw.output_bytes)
    status = raw.status
    if status is Status.CRASHED and _cpu_limit_hit(raw):
        status = Status.TIMEOUT
    if status is Status.RETURNED or (status is Status.RAISED and check.accepts_exceptions
                                     and not NEVER_ANSWERS & _kinds(info)):
        actual = answer(check, raw)
        verdict = compare(check, actual, expected, ctx, fn)
        res.verdict = verdict
        res.outcome = Outcome.PASSED if verdict.passed else Outcome.FAILED
        res.message = verdict.message
        if not verdict.passed:
            credit(task, check, expected, ctx, verdict)
            res.message = explain(check, actual, expected, ctx, verdict)
            if raw.subclass:
                res.message += f" (It was a {raw.subclass}; return a plain numpy.ndarray.)"
    else:
        res.outcome, res.message, res.traceback = status_message(status, raw, task, fn=fn, shown=shown, limit=limit)
    if raw.output_bytes > len(raw.output.encode("utf-8", "replace")) and raw.output_bytes:
        res.message += f" It printed {raw.output_bytes:,} bytes; only the first {len(raw.output):,} characters were kept."
    return res


def answer(check, raw: RawRun):
    """The learner's answer as ``check`` judges it: the returned value, or a :class:`Raised` (type, bases,
    message) for an exception when the check takes one (a case that must raise); else None."""
    if raw.status is Status.RAISED and check.accepts_exceptions:
        return Raised.from_info(raw.info)
    return raw.value


def compare(check, actual, expected, ctx: CaseContext, fn: str) -> Verdict:
    """The check's verdict; a value so odd that comparing it fails is a failed answer, said plainly."""
    try:
        return check.compare(actual, expected, ctx)
    except checks.CheckError:
        raise
    except Exception as exc:  # noqa: BLE001 - the learner's value, not the grader, is at fault here
        return Verdict(False, f"{fn} returned {checks.describe(actual)}, which could not be compared "
                              f"with the reference ({type(exc).__name__}: {exc}).")


def credit(task, check, expected, ctx: CaseContext, verdict: Verdict) -> None:
    """Give a failed, scored case its partial credit (a challenge is scored by its tiers instead)."""
    if verdict.credit is None and not task.challenge:
        verdict.credit = partial_credit(check, expected, ctx, verdict)


def explain(check, actual, expected, ctx: CaseContext, verdict: Verdict) -> str:
    """The failed case's message: the classic mistake when one explains it, else where the picture differs."""
    if not getattr(check, "diagnosable", False):
        return verdict.message
    verdict.diagnosis = diagnose(check, actual, expected, ctx, verdict)
    if verdict.diagnosis:
        return with_diagnosis(verdict)
    if verdict.value is not None:
        where = where_it_differs(actual, expected, verdict, counted=getattr(check, "counts_in_message", False))
        return f"{verdict.message} {where}".strip()
    return verdict.message


def with_diagnosis(verdict: Verdict) -> str:
    """Shape and dtype first when they were the problem, then the named mistake, then the metric."""
    if verdict.value is None and verdict.message.startswith("expected ") and ": " in verdict.message:
        return f"{verdict.message.split(': ', 1)[0]}. {verdict.diagnosis}"
    summary = verdict.summary()
    return f"{verdict.diagnosis} ({summary})" if summary else verdict.diagnosis
