"""Naming a failed answer by the catalogued mistake it matches.

When an answer fails a case, each of the task's catalogued mistakes is run on the same inputs (at grade
time, in the same workers, the way hidden variants get their expected outputs) and the answer is compared
with each mistake's output by the task's own check, with the mistake's output in the reference's place.
The closest mistake the check accepts names the failure: its sentence becomes the message and its hint is
the hint shown. An answer may also carry one of the whole-picture slips of :mod:`grader.checks.diagnosis`
on top (0..1 floats, floats left in 0..255, red and blue swapped): those are undone first, and both
causes are named. The general diagnosis stays beneath, for answers that match no catalogued mistake.
"""
from __future__ import annotations

import logging
import numpy as np

from grader.checks import Raised, Verdict, meets
from grader.course import TIERS
from grader.checks.diagnosis import MISTAKES as GENERAL
from grader.grading.entries import NOT_RUN

log = logging.getLogger(__name__)

# Whole-picture slips that compound with a task's own mistake, tried after the answer as it is.
COMPOUNDS = ("unit_float", "float_255", "channels_swapped")
_GENERAL = {m.name: m for m in GENERAL}


def _closeness(v: Verdict) -> float:
    """How close a passing comparison came: its score oriented so that higher is closer, inf when exact."""
    if v.value is None or not np.isfinite(v.value):
        return float("inf")
    return float(v.value) if v.op == ">=" else -float(v.value)


def _candidates(actual):
    """The answer as it is, then each compounding slip to undo: (slip name, its undo), (None, None) first."""
    yield None, None
    if not isinstance(actual, np.ndarray):
        return
    for name in COMPOUNDS:
        yield name, _GENERAL[name].undo


def _close_enough(task, verdict: Verdict) -> bool:
    """Whether a comparison with a mistake's output is close enough to say the answer makes that mistake.

    A task's check passes an answer near the reference; a challenge's check passes anything at bronze, far
    too loose to say "you made this mistake" (any blur is at bronze against a Gaussian's output). A
    challenge's answer must match the mistake's output at the top tier.
    """
    if not verdict.passed:
        return False
    if task is None or not getattr(task, "challenge", False):
        return True
    tiers = task.check.get("tiers") or {}
    if TIERS[-1] not in tiers or verdict.value is None:
        return True
    return meets(verdict.value, float(tiers[TIERS[-1]]), task.check.get("op", ">="))


def name_mistake(check, actual, expected, ctx, outputs: dict, *,
                 against: Verdict | None = None) -> tuple[object, str | None, str | None] | None:
    """The catalogued mistake whose output ``actual`` matches, or None.

    ``outputs`` maps each of the task's mistakes to its output on this case (a mistake that raised or
    could not run is left out). Returns ``(mistake, slip_name, slip_sentence)``: the slip is a whole-picture
    slip found on top of the mistake, else None. A comparison that crashes is a grader bug: it is logged and
    that mistake is skipped, never blamed on the learner. ``against`` is the answer's verdict against the
    reference: a mistake names the answer only when the answer is closer to it than to the reference.
    """
    floor = _closeness(against) if against is not None and against.passed else None
    if not outputs or not check.needs_reference:
        return None
    for mistake, output in outputs.items():
        if output is not NOT_RUN and same_value(actual, output):
            return mistake, None, None  # the very output of a mistake: nothing can match better
    best = None  # (rank, closeness, mistake, slip)
    for order, (slip, undo) in enumerate(_candidates(actual)):
        for mistake, output in outputs.items():
            if output is NOT_RUN:
                continue
            if slip is None and same_value(actual, output):
                rank = (order, -float("inf"))
                if best is None or rank < best[0]:
                    best = (rank, mistake, None)
                continue
            if not _alike(actual, output):
                continue  # only like is compared with like: other kinds of value match only exactly
            try:
                if slip is None:
                    trial = actual
                else:
                    if not isinstance(output, np.ndarray):
                        continue
                    trial = undo(actual, output, ctx)
                    if trial is None:
                        continue
                verdict = check.compare(trial, output, ctx)
            except Exception:  # noqa: BLE001 - a grader bug, reported, never the learner's fault
                log.exception("comparing an answer with catalogued mistake %s failed", mistake.name)
                continue
            if not _close_enough(getattr(ctx, "task", None), verdict) \
                    or (floor is not None and _closeness(verdict) <= floor):
                continue
            rank = (order, -_closeness(verdict))
            if best is None or rank < best[0]:
                best = (rank, mistake, slip)
        if best is not None:
            break  # the answer as it is wins over any compound reading
    if best is None:
        return None
    _, mistake, slip = best
    return mistake, slip, (_GENERAL[slip].sentence if slip else None)


def message(mistake, slip_sentence: str | None, verdict: Verdict) -> str:
    """The failure's message: the mistake's sentence (and the slip's), then the metric against its mark."""
    text = mistake.says if not slip_sentence else f"{mistake.says} Also: {slip_sentence}"
    summary = verdict.summary()
    return f"{text} ({summary})" if summary else text


def _alike(a, b) -> bool:
    """Whether two outputs have one structure (arrays with arrays, numbers with numbers, tuples item by item)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_alike(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() \
            and all(_alike(a[k], b[k]) for k in a)
    numbers = (int, float, np.integer, np.floating)
    if isinstance(a, numbers) or isinstance(b, numbers):
        return isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool)
    return type(a) is type(b) and not isinstance(a, Raised) and a is not None


def as_reference(check, value):
    """A mistake's output as the check holds a reference (:data:`NOT_RUN` when it cannot be one)."""
    if value is None or value is NOT_RUN or isinstance(value, Raised):
        return value
    try:
        return check.reference_from(value)
    except Exception:  # noqa: BLE001 - a grader bug in a check; logged, and the output names nothing
        log.exception("a catalogued mistake's output could not be held as a reference")
        return NOT_RUN


def same_value(a, b) -> bool:
    """Whether two outputs are the same value exactly (arrays: shape, dtype and every element)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape \
            and a.dtype == b.dtype and bool(np.array_equal(a, b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, Raised) and isinstance(b, Raised):
        return a.type == b.type
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return False
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - values that cannot be compared are not the same
        return False


def name_failure(result, check, actual, expected, ctx, outputs: dict) -> bool:
    """Name ``result``'s failure by the catalogued mistake it matches; True when one was named.

    The mistake's sentence (and a compounding slip's) becomes the message, followed by the metric; its
    hint is the hint shown (``verdict.hint``); ``verdict.named`` lists the names.
    """
    verdict = result.verdict
    # A challenge's answer, with a tier or not, is compared at the gold level (_close_enough): only an answer
    # that makes the mistake matches it, and then it earns no tier (results.aggregate).
    refs = {m: as_reference(check, v) for m, v in outputs.items()}
    found = name_mistake(check, actual, expected, ctx, refs, against=verdict)
    if found is None:
        return False
    mistake, slip, slip_sentence = found
    result.before_naming = (result.message, verdict.diagnosis, verdict.hint)
    verdict.diagnosis = mistake.says if not slip_sentence else f"{mistake.says} Also: {slip_sentence}"
    verdict.named = [mistake.name] + ([slip] if slip else [])
    verdict.hint = mistake.hint
    result.message = message(mistake, slip_sentence, verdict)
    return True


def hint_level(task_result) -> int:
    """Which hint goes under a task (1 is the first): the named mistake's, else 1; 0 when the task has none.

    Every view (terminal, report, notebook, CI formats) shows ``hint_for``, and the
    progress store keeps this level, so a result drawn again later shows the same hint.
    """
    hints = task_result.task.hints
    if not hints:
        return 0
    for case in task_result.cases:
        v = case.verdict
        if v is not None and v.hint and (not v.passed or task_result.task.challenge) and 1 <= v.hint <= len(hints):
            return v.hint
    return 1


def hint_for(task_result) -> str:
    """The hint to show under a task: the named mistake's hint, else the task's first hint ('' if none)."""
    level = hint_level(task_result)
    return task_result.task.hints[level - 1] if level else ""


def keep_consistent(task, cases: list, refs) -> None:
    """Take back a mistake named on one case when the answer passes another case that mistake fails.

    A mistake's sentence speaks of the whole task ("your erosion grew the shapes and your dilation shrank
    them"): an answer that passes the erosion case does not make it, whatever its dilation case looks
    like. The mistakes' outputs on the passing cases are those ``references build`` stored (a case without
    them, or a mistake left out of them, rules nothing out). The case then says what it showed before.
    """
    named = [c for c in cases if c.verdict is not None and c.verdict.named and c.before_naming is not None]
    passed = {c.case_id for c in cases if str(c.outcome) == "passed"}
    if task.challenge or not named or not passed:
        return
    from grader import checks
    from grader.checks import CaseContext
    from grader.course.cases import materialize

    ruled_out = set()
    for case in task.cases:
        if case.id not in passed:
            continue
        try:
            check = checks.check_for(task, case)
            if not check.needs_reference:
                continue
            args, kwargs, _ = materialize(case, refs)
            stored = refs.mistake_outputs(task, case, args)
            if not stored:
                continue
            expected = refs.expected(task, case)
            ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
            for name, value in stored.items():
                if not check.compare(value, expected, ctx).passed:
                    ruled_out.add(name)
        except Exception:  # noqa: BLE001 - a grader bug: logged; the names stay as they were
            log.exception("checking the named mistakes of %s against its passing cases failed", task.key)
            return
    for c in named:
        if c.verdict.named[0] in ruled_out:
            c.message, c.verdict.diagnosis, c.verdict.hint = c.before_naming
            c.verdict.named = []
            c.before_naming = None
