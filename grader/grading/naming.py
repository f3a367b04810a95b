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


def _tier_bound(task, tier: str) -> tuple[float, str] | None:
    """``(bound, op)`` of a challenge's ``tier``, or None for a task that is not a challenge or has no such tier."""
    if task is None or not getattr(task, "challenge", False):
        return None
    tiers = task.check.get("tiers") or {}
    return (float(tiers[tier]), task.check.get("op", ">=")) if tier in tiers else None


def _close_enough(task, verdict: Verdict, check=None) -> bool:
    """Whether a comparison with a mistake's output is close enough to say the answer makes that mistake.

    A task's check passes an answer near the reference: its own pass mark is the bar. A challenge's check
    passes anything at bronze, far too loose to say "you made this mistake" (any blur is at bronze against a
    Gaussian's output), and its comparison's own ``min`` is no bar either: a challenge's answer must match the
    mistake's output at the gold tier's level, whatever the check's default mark. A check whose answers match
    another answer only exactly (``matches_exactly``: labels from a classifier, where two good classifiers
    agree on most faces without sharing a mistake) names on its own pass alone.
    """
    if getattr(check, "matches_exactly", False):
        return bool(verdict.passed)
    bound = _tier_bound(task, TIERS[-1])
    if bound is not None and verdict.value is not None:
        return meets(verdict.value, *bound)
    return bool(verdict.passed)


def name_mistake(check, actual, expected, ctx, outputs: dict, *,
                 against: Verdict | None = None) -> tuple[object, str | None, str | None] | None:
    """The catalogued mistake whose output ``actual`` matches, or None.

    ``outputs`` maps each of the task's mistakes to its output on this case (a mistake that raised or
    could not run is left out). Returns ``(mistake, slip_name, slip_sentence)``: the slip is a whole-picture
    slip found on top of the mistake, else None. A comparison that crashes is a grader bug: it is logged and
    that mistake is skipped, never blamed on the learner. ``against`` is the answer's verdict against the
    reference: a mistake names the answer only when the answer is closer to it than to the reference.
    """
    found = ranked_mistakes(check, actual, ctx, outputs, against=against)
    return found[0] if found else None


def ranked_mistakes(check, actual, ctx, outputs: dict, *, against: Verdict | None = None,
                    memo: dict | None = None) -> list:
    """Every catalogued mistake ``actual`` matches on this case, the closest first, as ``name_mistake`` returns one.

    The answer as it is comes before any compound reading (a slip undone); an exact match before a close one.
    ``memo`` keeps each comparison for :func:`unlike` on the same case and outputs (see :func:`_compare`).
    """
    floor = _closeness(against) if against is not None and against.passed else None
    if not outputs:
        return []
    if not check.needs_reference:
        # A case judged without a reference (one that must raise) is named by the very same outcome only: the
        # same value returned (None for an unread file), or an exception of the same type.
        return [(m, None, None) for m, output in outputs.items()
                if output is not NOT_RUN and same_value(actual, output)]
    found = {}  # mistake -> (rank, slip)
    for mistake, output in outputs.items():
        if output is not NOT_RUN and same_value(actual, output):
            found[mistake] = ((-1, -float("inf")), None)  # the very output of a mistake: nothing matches better
    for order, (slip, undo) in enumerate(_candidates(actual)):
        for mistake, output in outputs.items():
            if output is NOT_RUN or mistake in found:
                continue
            verdict = _compare(check, actual, output, ctx, slip, undo, mistake, memo)
            if verdict is None or not _close_enough(getattr(ctx, "task", None), verdict, check) \
                    or (floor is not None and _closeness(verdict) <= floor):
                continue
            found[mistake] = ((order, -_closeness(verdict)), slip)
        if found:
            break  # the answer as it is wins over any compound reading
    best = sorted(found.items(), key=lambda kv: kv[1][0])
    return [(m, slip, (_GENERAL[slip].sentence if slip else None)) for m, (_, slip) in best]


def _compare(check, actual, output, ctx, slip, undo, mistake, memo: dict | None = None) -> Verdict | None:
    """The answer (its slip undone) compared with a mistake's output; None when they cannot be compared.

    With ``memo`` (one dict per answer, case and set of outputs), each mistake and reading is compared once.
    """
    if memo is None:
        return _compare_once(check, actual, output, ctx, slip, undo, mistake)
    key = (mistake.name, slip)
    if key not in memo:
        memo[key] = _compare_once(check, actual, output, ctx, slip, undo, mistake)
    return memo[key]


def _compare_once(check, actual, output, ctx, slip, undo, mistake) -> Verdict | None:
    if not _alike(actual, output):
        return None  # only like is compared with like: other kinds of value match only exactly
    try:
        if slip is None:
            trial = actual
        else:
            if not isinstance(output, np.ndarray):
                return None
            trial = undo(actual, output, ctx)
            if trial is None:
                return None
        return check.compare(trial, output, ctx)
    except Exception:  # noqa: BLE001 - a grader bug, reported, never the learner's fault
        log.exception("comparing an answer with catalogued mistake %s failed", mistake.name)
        return None


def _clearly_apart(task, verdict: Verdict) -> bool:
    """Whether a comparison with a mistake's output shows the answer clearly differs from it.

    A task's check: the answer fails it, with the mistake's output as the reference. A challenge: the answer
    is short of the lowest tier against the mistake's output (two classifiers that agree on 116 of 120
    faces are alike; an answer that agrees with the mistake's output on a third of them is not).
    """
    bound = _tier_bound(task, TIERS[0])
    if bound is not None and verdict.value is not None:
        return not meets(verdict.value, *bound)
    return not verdict.passed


def unlike(check, actual, ctx, outputs: dict, *, memo: dict | None = None) -> set:
    """The names of the mistakes whose output on this case ``actual`` clearly differs from.

    A mistake whose output is known (it ran and returned a value) is unlike the answer when no reading of the
    answer (as it is, or with a whole-picture slip undone) comes near it (:func:`_clearly_apart`; a value of
    another kind is unlike unless it is the very same). A mistake whose output is unknown rules nothing out.
    """
    if not check.needs_reference:
        return set()
    task = getattr(ctx, "task", None)
    out = set()
    for mistake, output in outputs.items():
        if output is NOT_RUN or output is None or isinstance(output, Raised) or same_value(actual, output):
            continue
        close = False
        for slip, undo in _candidates(actual):
            verdict = _compare(check, actual, output, ctx, slip, undo, mistake, memo)
            if verdict is not None and not _clearly_apart(task, verdict):
                close = True
                break
        if not close:
            out.add(mistake.name)
    return out


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
    hint is the hint shown (``verdict.hint``); ``verdict.named`` lists the names. Whatever is named, the
    case keeps which mistakes the answer clearly differs from (``result.unlike``) and every mistake it
    matches (``result.matches``), for :func:`keep_consistent` to weigh the task's cases together.
    """
    verdict = result.verdict
    # A challenge's answer, with a tier or not, is compared at the gold level (_close_enough): only an answer
    # that makes the mistake matches it, and then it earns no tier (results.aggregate).
    refs = {m: as_reference(check, v) for m, v in outputs.items()}
    memo: dict = {}  # both look at the same comparisons: each is made once
    result.unlike = unlike(check, actual, ctx, refs, memo=memo)
    found = ranked_mistakes(check, actual, ctx, refs, against=verdict, memo=memo)
    if not found:
        return False
    result.matches = found
    result.before_naming = (result.message, verdict.diagnosis, verdict.hint)
    _name(result, *found[0])
    return True


def _name(result, mistake, slip, slip_sentence) -> None:
    verdict = result.verdict
    message_before, diagnosis_before, hint_before = result.before_naming
    verdict.diagnosis = mistake.says if not slip_sentence else f"{mistake.says} Also: {slip_sentence}"
    verdict.named = [mistake.name] + ([slip] if slip else [])
    verdict.hint = mistake.hint
    result.message = message(mistake, slip_sentence, verdict)


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
    # No mistake named: the hint the course gives a failed case of its own (`hint = N` under [[tasks.cases]], e.g.
    # the case that must raise for a missing file), else the first.
    own = {c.id: c.options.get("hint") for c in task_result.task.cases}
    for case in task_result.cases:
        level = own.get(case.case_id)
        if str(case.outcome) in ("failed", "error") and isinstance(level, int) and 1 <= level <= len(hints):
            return level
    return 1


def hint_for(task_result) -> str:
    """The hint to show under a task: the named mistake's hint, else the task's first hint ('' if none)."""
    level = hint_level(task_result)
    return task_result.task.hints[level - 1] if level else ""


def keep_consistent(task, cases: list, refs, *, stale: bool = False) -> None:
    """Keep a mistake named on a case only if the answer matches that mistake's output on every case where both are known.

    A mistake's sentence speaks of the whole task ("your erosion grew the shapes and your dilation shrank
    them"): an answer that clearly differs from the mistake's output on any case does not make it, whatever
    another case looks like. Two sources say so: a case where the mistakes ran beside the answer
    (``result.unlike``, a failing case or any challenge case), and a passing case whose mistakes' outputs
    ``references build`` stored, where a mistake that fails that case's check is unlike the passing answer (a
    case without them, or a mistake left out of them, rules nothing out; with ``stale``, outcomes stored for a
    catalogue edited since, none does). A case whose named mistake is ruled out is named by the next mistake it
    matches that nothing rules out, else says what it showed before.
    """
    named = [c for c in cases if c.verdict is not None and c.verdict.named and c.before_naming is not None]
    if not named:
        return
    ruled_out: dict = {}  # mistake name -> the case ids where the answer clearly differs from its output
    for c in cases:
        for name in getattr(c, "unlike", None) or ():
            ruled_out.setdefault(name, set()).add(c.case_id)
    passed = {c.case_id for c in cases if str(c.outcome) == "passed"}
    if passed and not task.challenge and not stale:
        _rule_out_by_passing_cases(task, passed, refs, ruled_out)

    for c in named:
        def free(mistake):
            return not (ruled_out.get(mistake.name, set()) - {c.case_id})
        if free(next(m for m, _, _ in c.matches if m.name == c.verdict.named[0])):
            continue
        choice = next((found for found in c.matches if free(found[0])), None)
        if choice is not None:
            _name(c, *choice)
            continue
        c.message, c.verdict.diagnosis, c.verdict.hint = c.before_naming
        c.verdict.named = []
        c.before_naming = None


def _rule_out_by_passing_cases(task, passed: set, refs, ruled_out: dict) -> None:
    from grader import checks
    from grader.checks import CaseContext
    from grader.course.cases import materialize

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
                if isinstance(value, Raised):
                    continue  # an exception's outcome rules nothing out, as in unlike()
                if not check.compare(value, expected, ctx).passed:
                    ruled_out.setdefault(name, set()).add(case.id)
        except Exception:  # noqa: BLE001 - a grader bug: logged; the names stay as they were
            log.exception("checking the named mistakes of %s against its passing cases failed", task.key)
            return
