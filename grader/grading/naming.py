"""Naming a failed answer by the catalogued mistake it matches.

When an answer fails a case, each of the task's catalogued mistakes is run on the same inputs (at grade
time, in the same workers, the way hidden variants get their expected outputs) and the answer is compared
with each mistake's output by the task's own check, with the mistake's output in the reference's place.
The closest mistake the check accepts names the failure: its sentence becomes the message and its hint is
the hint shown. An answer may also carry one of the whole-picture slips of :mod:`grader.checks.diagnosis`
on top (0..1 floats, floats left in 0..255, red and blue swapped): those are undone first, and both
causes are named. An answer that holds a mistake's very values in another representation (float32 where the
mistake returns float64, whole numbers as floats, an extra trailing axis of 1) is that mistake alone, named before
any compound reading is tried (:func:`same_mistake`). The general diagnosis stays beneath, for answers that match
no catalogued mistake.
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
    found = ranked_mistakes(check, actual, ctx, outputs, against=against, expected=expected)
    return found[0] if found else None


def ranked_mistakes(check, actual, ctx, outputs: dict, *, against: Verdict | None = None,
                    memo: dict | None = None, expected=None) -> list:
    """Every catalogued mistake ``actual`` matches on this case, the closest first, as ``name_mistake`` returns one.

    The answer as it is comes before any compound reading (a slip undone); an exact match before a close one, and
    a mistake's very values in another representation (:func:`same_mistake`, which needs ``expected``, the case's
    reference) count as exact. ``memo`` keeps each comparison for :func:`unlike` on the same case and outputs
    (see :func:`_compare`).
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
        if output is NOT_RUN:
            continue
        if same_value(actual, output):
            found[mistake] = ((-2, -float("inf")), None)  # the very output of a mistake: nothing matches better
        elif _makes(check, actual, mistake, output, expected, ctx, memo):
            found[mistake] = ((-1, -float("inf")), None)  # its values in another representation: next best
    for order, (slip, undo) in enumerate(_candidates(actual)):
        for mistake, output in outputs.items():
            if output is NOT_RUN or mistake in found:
                continue
            verdict = _compare(check, actual, output, ctx, slip, undo, mistake, memo, expected)
            if verdict is None or not _close_enough(getattr(ctx, "task", None), verdict, check) \
                    or (floor is not None and _closeness(verdict) <= floor):
                continue
            found[mistake] = ((order, -_closeness(verdict)), slip)
        if found:
            break  # the answer as it is wins over any compound reading
    best = sorted(found.items(), key=lambda kv: kv[1][0])
    return [(m, slip, (_GENERAL[slip].sentence if slip else None)) for m, (_, slip) in best]


def _compare(check, actual, output, ctx, slip, undo, mistake, memo: dict | None = None,
             expected=None) -> Verdict | None:
    """The answer (its slip undone) compared with a mistake's output; None when they cannot be compared.

    With ``memo`` (one dict per answer, case and set of outputs), each mistake and reading is compared once.
    """
    if memo is None:
        return _compare_once(check, actual, output, ctx, slip, undo, mistake, expected)
    key = (mistake.name, slip)
    if key not in memo:
        memo[key] = _compare_once(check, actual, output, ctx, slip, undo, mistake, expected, memo)
    return memo[key]


def _compare_once(check, actual, output, ctx, slip, undo, mistake, expected=None, memo=None) -> Verdict | None:
    if not _alike(actual, output):
        return None  # only like is compared with like: other kinds of value match only exactly
    try:
        if slip is None:
            # An answer in another representation than the mistake's output, where that is no fault of its own
            # (see same_mistake), is compared as the mistake's output is written: the check's dtype and shape
            # tests would otherwise fail it on the representation alone.
            trial = actual
            if isinstance(actual, np.ndarray) and isinstance(output, np.ndarray) \
                    and (actual.dtype != output.dtype or actual.shape != output.shape):
                recast = _recast(actual, output)
                if recast is not None and not _own_fault(check, actual, output, expected, ctx, memo):
                    trial = recast
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


def unlike(check, actual, ctx, outputs: dict, *, memo: dict | None = None, expected=None) -> set:
    """The names of the mistakes whose output on this case ``actual`` clearly differs from.

    A mistake whose output is known (it ran and returned a value) is unlike the answer when no reading of the
    answer (as it is, or with a whole-picture slip undone) comes near it (:func:`_clearly_apart`; a value of
    another kind is unlike unless it is the very same, or the same in another representation:
    :func:`same_mistake`, against ``expected``, the case's reference). A mistake whose output is unknown rules
    nothing out.
    """
    if not check.needs_reference:
        return set()
    task = getattr(ctx, "task", None)
    out = set()
    for mistake, output in outputs.items():
        if output is NOT_RUN or output is None or isinstance(output, Raised) \
                or _makes(check, actual, mistake, output, expected, ctx, memo):
            continue
        close = False
        for slip, undo in _candidates(actual):
            verdict = _compare(check, actual, output, ctx, slip, undo, mistake, memo, expected)
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


# --- One mistake in another representation ----------------------------------------------------------------
#
# An answer may hold a catalogued mistake's very values in another representation: float32 where the mistake
# returns float64 (skimage and OpenCV keep float32 inputs in float32), whole numbers as floats or as another
# integer type, a trailing axis of 1 ((H, W, 1) for (H, W)). No value a person would see differs, so the answer
# makes that mistake, and naming it "the mistake and a slip" would give a second, wrong reason. The one
# exception is a representation that is a fault of its own, which the mistake's output does not share: floats
# where the mistake (and the task) return uint8 fail the task even with the right values, so fixing the mistake
# would not fix them; that is a slip worth its own sentence (the compound readings, e.g. ``float_255``), or,
# where no slip names it, the check's own message about the representation. Whether a representation is such a
# fault is the check's to say: the reference written in the answer's representation must pass it. A difference
# the mistake's output shares (its dtype or shape already differs from the reference's) is the mistake's own:
# its sentence says what to return instead.

# Float values this many units in the last place apart (of the array's largest magnitude) are equal: float32
# arithmetic of a few steps lands that near float64's; catalogued mistakes are far more apart than that.
ULPS = 16


def _numeric(a) -> bool:
    return isinstance(a, np.ndarray) and a.dtype.kind in "biuf"


def _reshaped(a: np.ndarray, shape: tuple) -> np.ndarray | None:
    """``a`` in ``shape`` when the two differ by at most one trailing axis of length 1, else None."""
    if a.shape == tuple(shape):
        return a
    if a.shape == tuple(shape) + (1,) or a.shape + (1,) == tuple(shape):
        return a.reshape(shape)
    return None


def _same_values(a, b) -> bool:
    """Whether ``a`` and ``b`` hold the same values whatever their representation (tuples and lists item by item).

    Arrays: numbers of any dtype and shapes apart by a trailing axis of 1; floats equal within one unit in the last
    place of the narrower float type and :data:`ULPS` more (of float32 at most), relative to the largest magnitude
    of either; integers, booleans and whole floats exactly. Anything else: :func:`same_value`.
    """
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (_numeric(a) and _numeric(b)):
            return same_value(a, b)
        a = _reshaped(a, b.shape)
        if a is None:
            return False
        if a.dtype.kind != "f" or b.dtype.kind != "f":
            return bool(np.array_equal(a, b))
        finite = np.isfinite(b)
        if not np.array_equal(np.isfinite(a), finite):
            return False
        if not finite.all():
            if not np.array_equal(a[~finite], b[~finite], equal_nan=True):
                return False
            a, b = a[finite], b[finite]
        if not a.size:
            return True
        eps = max(np.finfo(a.dtype).eps, np.finfo(b.dtype).eps)  # the narrower type's
        scale = max(float(np.abs(a).max()), float(np.abs(b).max()))
        # One unit for the cast to the narrower type, ULPS more for arithmetic done in it (at most float32's: a
        # float16 answer is its values cast once, never many steps of float16 arithmetic).
        tolerance = scale * (eps + ULPS * min(eps, np.finfo(np.float32).eps))
        return bool(np.abs(np.subtract(a, b, dtype=np.float64)).max() <= tolerance)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same_values(x, y) for x, y in zip(a, b))
    return same_value(a, b)


def _recast(a: np.ndarray, like: np.ndarray) -> np.ndarray | None:
    """``a`` written in ``like``'s dtype and shape, when that changes no value (a float's precision aside); else None.

    Floats to floats of any width; integers and booleans to any number type that holds them exactly; floats to
    integers only when every value is a whole number the integer type holds.
    """
    if not (_numeric(a) and _numeric(like)):
        return None
    shaped = _reshaped(a, like.shape)
    if shaped is None:
        return None
    with np.errstate(all="ignore"):
        out = shaped.astype(like.dtype)
    if a.dtype.kind == "f" and like.dtype.kind == "f":
        return out
    return out if bool(np.array_equal(out, shaped)) else None


def _in_answers_form(actual, output, reference):
    """The reference written in the answer's representation wherever the answer's differs from a mistake's output
    and the output's does not from the reference's (what the mistake does not account for), as ``(value, key)``;
    ``key`` names those differences, () when there are none. None when the reference cannot be so written."""
    if isinstance(actual, np.ndarray) and isinstance(output, np.ndarray):
        if not isinstance(reference, np.ndarray):
            return None
        value, key = reference, ()
        if actual.dtype != output.dtype and output.dtype == reference.dtype:
            with np.errstate(all="ignore"):
                value = value.astype(actual.dtype)
            key += ("dtype", actual.dtype.str)
        if actual.shape != output.shape and output.shape == reference.shape:
            value = _reshaped(value, actual.shape)
            if value is None:
                return None
            key += ("shape", actual.shape)
        return value, key
    if isinstance(actual, (list, tuple)) and isinstance(output, (list, tuple)):
        if type(reference) is not type(actual) or len(reference) != len(actual) or len(output) != len(actual):
            return None
        parts = [_in_answers_form(a, o, r) for a, o, r in zip(actual, output, reference)]
        if any(p is None for p in parts):
            return None
        return type(reference)(p[0] for p in parts), sum(((i,) + p[1] for i, p in enumerate(parts) if p[1]), ())
    return reference, ()


def _own_fault(check, actual, output, expected, ctx, memo: dict | None = None) -> bool:
    """Whether the answer's representation is a fault of its own beside a mistake's output (see above): the check
    fails the reference written in the answer's representation where the mistake's output keeps the reference's.
    True when it cannot be told (no reference, or a check that cannot compare the reference so written)."""
    if expected is None:
        return True
    try:
        written = _in_answers_form(actual, output, expected)
    except Exception:  # noqa: BLE001 - a reference of an unforeseen form: logged, and nothing is excused
        log.exception("writing the reference in the answer's representation failed")
        return True
    if written is None:
        return True
    value, key = written
    if not key:
        return False  # every difference is one the mistake's output shares with the answer
    memo_key = ("representation", repr(key))
    if memo is not None and memo_key in memo:
        return memo[memo_key]
    try:
        fault = not _close_enough(getattr(ctx, "task", None), check.compare(value, expected, ctx), check)
    except Exception:  # noqa: BLE001 - a grader bug: logged, and the representation is not excused
        log.exception("judging the reference in the answer's representation failed")
        fault = True
    if memo is not None:
        memo[memo_key] = fault
    return fault


def same_mistake(check, actual, output, expected, ctx, memo: dict | None = None) -> bool:
    """Whether ``actual`` is a catalogued mistake's ``output`` itself: the very same value, or the same values in
    another representation (:func:`_same_values`) that is no fault of its own (:func:`_own_fault`) beside the case's
    reference ``expected``. An answer holding the reference's own values is never one (the mistake does not
    show on this case, and the answer is right but for its representation). Without ``expected``: the very same
    value only."""
    if same_value(actual, output):
        return True
    if expected is None or not _same_values(actual, output) or _same_values(actual, expected):
        return False
    return not _own_fault(check, actual, output, expected, ctx, memo)


def _makes(check, actual, mistake, output, expected, ctx, memo: dict | None) -> bool:
    """:func:`same_mistake` for one of the task's mistakes, kept in ``memo`` (see :func:`_compare`)."""
    if memo is None:
        return same_mistake(check, actual, output, expected, ctx)
    key = (mistake.name, "same mistake")
    if key not in memo:
        memo[key] = same_mistake(check, actual, output, expected, ctx, memo)
    return memo[key]


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
    result.unlike = unlike(check, actual, ctx, refs, memo=memo, expected=expected)
    found = ranked_mistakes(check, actual, ctx, refs, against=verdict, memo=memo, expected=expected)
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
    """Which hint goes under a task (1 is the first): the named mistake's or the one the course gives the cause a
    check's message states (``Verdict.hint`` either way), else a failed case's own ``hint``, else 1; 0 when the
    task has none.

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
    """The hint to show under a task, the one :func:`hint_level` chooses ('' if the task has none)."""
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
