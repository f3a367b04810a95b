"""Comparisons: how one case's output is judged against its reference.

Each check kind is a class registered under the name the manifest uses
(``check = { kind = "ssim", min = 0.98 }``). A check gets the learner's value,
the reference value and the case's context, and returns a :class:`Verdict`.
Checks never see learner code, only plain data. The package also holds SSIM
(:mod:`~grader.checks.ssim`), the classic-mistake diagnosis (:mod:`~grader.checks.diagnosis`) and
partial credit (:mod:`~grader.checks.credit`). It imports only :mod:`grader.values`: never the
engine, the course, grading or any view.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from grader.values import Unsupported

log = logging.getLogger(__name__)

REGISTRY: dict[str, type] = {}


def register(cls):
    REGISTRY[cls.kind] = cls
    return cls


@dataclass
class Verdict:
    passed: bool
    message: str = ""  # why it failed (a sentence), or a short note for a pass
    metric: str | None = None  # e.g. "SSIM"
    value: float | None = None
    threshold: float | None = None
    op: str = ">="  # how value compares with threshold to pass
    credit: float | None = None  # share of the case's points earned; None means 1 on pass else 0
    diagnosis: str | None = None  # a named classic mistake, with its fix
    named: list = field(default_factory=list)  # the catalogued mistakes named (grader.grading.naming)
    hint: int | None = None  # which of the task's hints (1-based) fixes the named mistake or the diagnosed cause
    cause: str | None = None  # the cause the check's own message diagnosed (one of its kind's ``causes``)
    maps: dict = field(default_factory=dict)  # pictures for the report (e.g. the SSIM map)
    table: list = field(default_factory=list)  # (label, expected, yours) rows for numbers
    detail: str = ""  # the measurements behind a score (e.g. "PSNR 27.1 dB, SSIM 0.84"), shown with a challenge's tier

    def earned(self) -> float:
        if self.credit is not None:
            return float(min(1.0, max(0.0, self.credit)))
        return 1.0 if self.passed else 0.0

    def summary(self) -> str:
        """The metric against its tolerance in words a beginner reads: the one text every view shows.

        ``SSIM 0.912 < 0.980``; a share of pixels as a percentage (``pixels equal 97.0% < 100.0%``);
        an error over what is allowed as how many times it is (``error 242 million times the tolerance``).
        "" when there is no value to show. The exact figures stay in ``value`` and ``threshold`` for the
        machine formats (JSON, the gradebook).
        """
        if self.metric is None or self.value is None:
            return ""
        if self.metric in ERROR_RATIOS:
            return _error_ratio(self.metric, self.value, self.threshold)
        if self.metric == "equal" and self.threshold == 1.0:
            return "equal" if self.value >= 1.0 else "not equal"
        share = _is_share(self.metric)
        if self.threshold is None:
            return f"{self.metric} {percent(self.value) if share else _fmt(self.value)}"
        ok = meets(self.value, self.threshold, self.op)
        shown = self.op if ok else {">=": "<", "<=": ">", "==": "!="}[self.op]
        shown = {">=": "≥", "<=": "≤"}.get(shown, shown)
        if share:
            value, threshold = apart(self.value, self.threshold, 1, percent=True)
        else:
            value, threshold = _fmt(self.value), _fmt(self.threshold)
            if not ok and value == threshold:  # "0.900 < 0.900" would contradict itself
                value, threshold = apart(self.value, self.threshold)
        return f"{self.metric} {value} {shown} {threshold}"

    def exact(self) -> str:
        """The metric's exact figures, for an instructor beside :meth:`summary`'s words:
        ``error/tolerance 241519522.91861665 (passes at ≤ 1)``; "" when there is no value."""
        if self.metric is None or self.value is None:
            return ""
        text = f"{self.metric} {float(self.value):.17g}"
        if self.threshold is None:
            return text
        return f"{text} (passes at {({'>=': '≥', '<=': '≤'}).get(self.op, self.op)} {float(self.threshold):.17g})"


#: Metrics that are an error divided by the error allowed (pass at 1 or less), with how they read in words:
#: what the error is called and what it is measured against ("error 1.3 times the tolerance").
ERROR_RATIOS = {
    "error/tolerance": ("error", "the tolerance"),
    "relative error/allowed": ("relative error", "its limit"),
}

#: Metrics that are a share of pixels, written as percentages as their checks' sentences write them ("3.0% of
#: the pixels differ"); any metric named "pixels ..." is one too. Scores on their own 0..1 scale (SSIM, IoU,
#: Dice, F1, AP, accuracy) are not: their sentences and tiers write them so ("accuracy 0.800, needs 0.900").
SHARES = frozenset({"drawn pixels matching"})


def _is_share(metric: str) -> bool:
    return metric in SHARES or metric.startswith("pixels ")


def _error_ratio(metric: str, value: float, threshold: float | None) -> str:
    """An error over the error allowed, in words: "error 242 million times the tolerance", "error 1.3 times
    the tolerance", "error 42% of the tolerance", "error within the tolerance" (under 1% of it)."""
    noun, bound = ERROR_RATIOS[metric]
    ratio = float(value) / threshold if threshold not in (None, 0) else float(value)
    if not np.isfinite(ratio):  # an answer holding NaN or infinity, or a statistic that could not be measured
        return f"{noun} could not be measured"
    if ratio > 1.0:
        return f"{noun} {times(ratio)} times {bound}"
    if ratio < 0.01:
        return f"{noun} within {bound}"
    return f"{noun} {percent(ratio, 0)} of {bound}"


def times(x: float) -> str:
    """A factor above 1 as a person reads it: "1.3", "1.0004" (digits until it differs from 1), "12.3", "1,234",
    "242 million", "3.94 billion", "1.2 trillion"; "over 1,000 trillion" beyond that.

    Raises nothing; NaN or infinity is the caller's to word.
    """
    x = float(x)
    if x < 1000:
        for d in range(3, 13):
            text = f"{x:.{d}g}"
            if float(text) != 1.0 or x == 1.0:
                break
        else:
            return "just over 1"
        return text if "e" not in text else f"{x:,.0f}"
    if x < 1e6:
        return f"{x:,.0f}"
    for scale, word in ((1e6, "million"), (1e9, "billion"), (1e12, "trillion")):
        mantissa = float(f"{x / scale:.3g}")
        if mantissa < 1000:
            return f"{mantissa:g} {word}"
    return "over 1,000 trillion"


#: The comparisons a verdict or a tier may use: the value must be at least, at most or exactly the threshold.
OPS = (">=", "<=", "==")


def meets(value: float, threshold: float, op: str) -> bool:
    """Whether ``value`` passes ``threshold`` under ``op`` (one of :data:`OPS`).

    None, NaN and infinite values never pass. Raises :class:`CheckError` for any other ``op``
    (a typo in a manifest must not quietly become a test for equality).
    """
    if op not in OPS:
        raise CheckError(f"unknown comparison {op!r}: use one of {', '.join(OPS)}")
    if value is None or not np.isfinite(value):
        return False
    if op == ">=":
        return bool(value >= threshold)
    if op == "<=":
        return bool(value <= threshold)
    return bool(value == threshold)


def apart(value: float, threshold: float, digits: int = 3, *, percent: bool = False) -> tuple[str, str]:
    """``value`` and ``threshold`` written with ``digits`` decimals, or more until they differ when they do.

    The one rule for every message that sets a measure against its mark: "F1 0.950, needs at least 0.950"
    reads as a pass, so a failing 0.9496 is written "0.9496" against "0.9500". ``percent`` writes both as
    percentages ("95%", "95.4%"). At most 12 decimals; equal numbers stay equal.
    """
    scale, unit = (100.0, "%") if percent else (1.0, "")
    v, t = float(value) * scale, float(threshold) * scale
    for d in range(digits, 13):
        a, b = f"{v:.{d}f}{unit}", f"{t:.{d}f}{unit}"
        if a != b or v == t or not (np.isfinite(v) and np.isfinite(t)):
            return a, b
    return a, b


def written(value: float, marks, digits: int = 3, *, percent: bool = False) -> str:
    """``value`` written by :func:`apart`'s rule against every mark it is shown beside.

    A measure shown near several bounds (a challenge's score and its bronze, silver and gold; a PSNR and the
    tier bounds a sentence names) gets the digits that tell it from each of them: 25.9977 dB beside a bound of
    26 is "25.998", never "26.00". ``marks`` may hold None (skipped).
    """
    shown = apart(value, value, digits, percent=percent)[0]
    for mark in marks:
        if mark is None:
            continue
        candidate = apart(value, float(mark), digits, percent=percent)[0]
        if len(candidate) > len(shown):
            shown = candidate
    return shown


def percent(fraction: float, digits: int = 1) -> str:
    """A share (0..1) as a percentage with ``digits`` decimals, more where rounding would say 0% or 100%.

    One pixel in 7,700 is "0.01%", never "0.0%"; 7,699 of 7,700 is "99.99%", never "100.0%". Exactly 0
    and 1 stay "0.0%" and "100.0%"; a share under a millionth of a percent is "under 0.000001%".
    """
    f = float(fraction)
    for d in range(digits, 8):
        text = f"{f * 100:.{d}f}"
        if (0 < f and float(text) == 0) or (f < 1 and float(text) == 100):
            continue
        return text + "%"
    return "under 0.000001%" if f < 0.5 else "over 99.999999%"


def count_share(n: int, total: int, noun: str = "pixel") -> str:
    """``n`` of ``total`` things with their share: "1 of 7,700 pixels (0.01%)", "1,240 of 7,700 pixels (16.1%)"."""
    return f"{n:,} of {total:,} {noun}{'' if total == 1 else 's'} ({percent(n / total if total else 0.0)})"


def marks_of(ctx, *more) -> list:
    """The marks a case's score is read against: ``more`` (the check's own), and the tiers of a challenge."""
    task = getattr(ctx, "task", None)
    tiers = (task.check.get("tiers") or {}) if task is not None and getattr(task, "challenge", False) else {}
    return [m for m in more if m is not None] + [float(t) for t in tiers.values()]


def _fmt(x) -> str:
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if 1e4 <= abs(x) < 1e15:  # 12,345 and 242,000,000 read better than 1.23e+04 and 2.42e+08
        return f"{x:,.0f}"
    if x != 0 and (abs(x) >= 1e15 or abs(x) < 1e-3):
        return f"{x:.3g}"
    return f"{x:.3f}"


@dataclass
class Raised:
    """What the learner's code raised, for checks that expect an exception."""

    type: str
    names: list  # the exception class and its bases, e.g. ["FileNotFoundError", "OSError", ...]
    message: str

    @classmethod
    def from_info(cls, info: dict | None) -> "Raised":
        """The exception a worker reported (its ``type``, ``mro`` and ``message``), as a check compares it."""
        info = info or {}
        return cls(str(info.get("type")), list(info.get("mro", [])), str(info.get("message", "")))


@dataclass
class CaseContext:
    task: object  # grader.course.Task
    case: object  # grader.course.Case
    args: tuple = ()  # the materialised arguments the function was called with
    kwargs: dict = field(default_factory=dict)

    @property
    def call(self) -> str:
        return f"{self.task.function}()"

    def first_image(self):
        for a in list(self.args) + list(self.kwargs.values()):
            if isinstance(a, np.ndarray) and a.ndim >= 2:
                return a
        return None


class Check:
    """Base class. Subclasses set ``kind`` and implement :meth:`compare`."""

    kind = ""
    accepts: tuple = ()  # the option names the kind understands; make_check refuses any other
    #: The causes a failure's own message can diagnose, each with what it means. A kind with causes also
    #: accepts the option ``hints``: a table from cause to the number of the task's hint about it, which the
    #: course sets (``hints = { spread = 2 }``): :func:`make_check` refuses a cause the kind never states, and
    #: the manifest a number that is not one of the task's hints.
    causes: dict = {}
    needs_reference = True
    accepts_exceptions = False  # True: an exception is an answer, not an error
    diagnosable = False  # True: a failed picture is checked for the classic mistakes (grader.checks.diagnosis)
    counts_in_message = False  # True: a failure's message says how many pixels differ, and by how much at most
    metric = ""
    op = ">="

    def __init__(self, options: dict):
        self.options = dict(options)
        self.threshold = None

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:  # pragma: no cover
        """Judge one case's output.

        ``actual`` is what the learner's function returned, as plain data from the worker
        (:mod:`grader.values`: a NumPy array, a number, a string, a list or tuple of those, None, an
        :class:`~grader.values.Unsupported` for a value that could not cross, or a :class:`Raised` when the
        check ``accepts_exceptions``). ``expected`` is the stored reference (what :meth:`reference_from`
        made of the solution's value), or None when ``needs_reference`` is False. ``ctx`` gives the task, the
        case and the arguments of the call.

        Returns a :class:`Verdict`: ``passed``, a sentence saying why, and the metric against its threshold.
        Any value the learner can return yields a verdict, never an exception. Raises :class:`CheckError`
        only when the check's own options or the case's set-up are wrong (a course error, never the
        learner's).
        """
        raise NotImplementedError

    def reference_from(self, value):
        """What to store as the reference, given the solution's value."""
        return value

    def diagnosed(self, verdict: Verdict, cause: str | None) -> Verdict:
        """``verdict`` marked with the ``cause`` its message states, and the hint the course gives that cause.

        The hint comes from the check's ``hints`` option (cause to hint number); a cause the course maps to
        no hint leaves ``verdict.hint`` unset, so the task's own fallback applies. Returns ``verdict``.
        """
        if cause is None:
            return verdict
        if cause not in self.causes:
            # A grader bug, not the course's and not the learner's: the message stands, the task's own hint shows.
            log.error("%s check diagnosed a cause it does not list: %r", self.kind, cause)
            return verdict
        verdict.cause = cause
        level = (self.options.get("hints") or {}).get(cause)
        if level is not None:
            verdict.hint = int(level)
        return verdict


def case_param(options: dict, ctx: CaseContext, name: str, default=None):
    """A parameter of the task: the check's own option if set, else the call's keyword argument."""
    if name in options:
        return options[name]
    if ctx is not None and name in ctx.kwargs:
        return ctx.kwargs[name]
    return default


class CheckError(Exception):
    """A manifest's check options are wrong: a course error, reported to its author, never to the learner."""


def make_check(spec: dict) -> Check:
    """The check a manifest's ``check = { kind = ..., ... }`` table describes.

    ``spec`` is that table as a dict: ``kind`` names a registered kind (:data:`REGISTRY`), the other keys are
    the kind's options (e.g. ``min``). The dict is not modified. Returns a new instance of the kind's
    class. Raises :class:`CheckError` when ``spec`` has no ``kind``, names an unknown kind, or the kind
    rejects its options (e.g. ``min = "high"``); the message names the fix.
    """
    if not isinstance(spec, dict):
        raise CheckError(f"a check must be a table such as {{ kind = \"ssim\", min = 0.98 }}, not {spec!r}")
    spec = dict(spec)
    kind = spec.pop("kind", None)
    if kind is None:
        raise CheckError(f"a check needs a kind; known kinds: {', '.join(sorted(REGISTRY))}")
    cls = REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise CheckError(f"unknown check kind {kind!r}; known kinds: {', '.join(sorted(REGISTRY))}")
    if "hints" in spec:
        problem = _hints_problem(kind, cls, spec["hints"])
        if problem:
            raise CheckError(problem)
    unknown = sorted(set(spec) - set(cls.accepts) - {"hints"})
    if unknown:
        # A misspelt option (min_fractoin) would otherwise be ignored and its default used in silence.
        known = ", ".join(sorted(cls.accepts)) or "none"
        raise CheckError(f"{kind} check: unknown option{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(repr(k) for k in unknown)}; it accepts: {known}")
    try:
        return cls(spec)
    except CheckError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as exc:  # an option of the wrong shape
        raise CheckError(f"{kind} check: its options {spec!r} are not valid ({type(exc).__name__}: {exc})") from None


def _hints_problem(kind: str, cls, hints) -> str | None:
    """Why a check's ``hints`` option names causes its kind cannot state, as one line, or None.

    (Whether each number is one of the task's hints is the manifest's to say: a check does not know them.)
    """
    if not cls.causes:
        return f"a {kind} check states no causes, so it takes no `hints` table"
    if not isinstance(hints, dict) or not hints:
        example = f"{{ {next(iter(cls.causes))} = 2 }}"
        return f"{kind} check: `hints` must be a table from cause to hint number, e.g. {example}"
    unknown = [c for c in hints if c not in cls.causes]
    if unknown:
        return (f"{kind} check: `hints` names {unknown[0]!r}, a cause it never states; its causes: "
                f"{', '.join(cls.causes)}")
    return None


#: Keys of a challenge's check table that belong to its scoring, not to the comparison.
SCORING_KEYS = ("tiers", "op")


def check_for(task, case) -> Check:
    """The check for one case: the task's, unless the case overrides it.

    Raises :class:`CheckError` naming the task and the case (``day01.read_image case haori: ...``) when the
    check's options are wrong, so that every command that meets it points the author at the line to fix.
    """
    spec = dict(case.options.get("check") or task.check)
    where = f"{getattr(task, 'key', task)} case {getattr(case, 'id', case)}"
    if "tiers" in spec and not getattr(task, "challenge", False):
        # Dropped in silence, they would look like scoring that never happens.
        raise CheckError(f"{where}: tiers belong to a challenge, and this task is not one: add challenge = true "
                         "to the task, or remove its tiers")
    for key in SCORING_KEYS if getattr(task, "challenge", False) else ():
        spec.pop(key, None)  # tiers and a challenge's op belong to the task's scoring, not to the comparison
    try:
        return make_check(spec)
    except CheckError as exc:
        raise CheckError(f"{where}: {exc}") from None


# --- shared helpers for array outputs ---------------------------------------------


def describe(value) -> str:
    """A short description of a returned value, for messages."""
    if isinstance(value, np.ndarray):
        return f"{tuple(value.shape)} {value.dtype}"
    if isinstance(value, Unsupported):
        return f"a {value.type_name}"
    if value is None:
        return "None"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, np.generic):
        return f"a numpy {value.dtype} number"
    return f"a {type(value).__name__}"


def array_problem(actual, expected: np.ndarray, *, what: str = "picture", dtype_strict: bool = True) -> str | None:
    """Why ``actual`` cannot be compared with ``expected``, or None if it can.

    Shape and dtype come first, as a sentence that names the usual fix.
    """
    want = f"{tuple(expected.shape)} {expected.dtype}"
    if actual is None:
        return f"returned None where a {what} of {want} was expected: did you forget to `return` it?"
    if isinstance(actual, Unsupported):
        return f"returned a {actual.type_name}, which {actual.reason}: return a NumPy array of {want}."
    if isinstance(actual, (list, tuple)):
        return (f"returned a {type(actual).__name__} where a NumPy array of {want} was expected: "
                f"wrap it with np.array(...) or return the array itself.")
    if not isinstance(actual, np.ndarray):
        return f"returned {describe(actual)} where a NumPy array of {want} was expected."
    got = f"{tuple(actual.shape)} {actual.dtype}"
    if actual.dtype.kind == "f" and actual.size and not np.all(np.isfinite(actual)):
        bad = int(np.size(actual) - np.count_nonzero(np.isfinite(actual)))
        return f"your {what} contains {bad} NaN or infinite values: check for a division by zero or a log of 0."
    if actual.shape != expected.shape:
        return f"expected {want}, got {got}: {_shape_advice(actual.shape, expected.shape)}"
    if dtype_strict and actual.dtype != expected.dtype:
        return f"expected {want}, got {got}: {_dtype_advice(actual, expected.dtype)}"
    return None


def _shape_advice(got: tuple, want: tuple) -> str:
    if len(got) == len(want) and len(got) >= 2 and (got[1], got[0]) + got[2:] == want:
        return ("height and width are swapped. NumPy shapes and indexes put rows (y) first: (height, width, ...); "
                "OpenCV sizes and points put x first: cv2.resize takes dsize as (width, height).")
    if len(want) == 2 and len(got) == 3 and got[:2] == want:
        return "a colour picture came back where a grayscale one (no channel axis) was asked for."
    if len(want) == 3 and len(got) == 2 and got == want[:2]:
        return "a grayscale picture came back where a colour one (3 channels) was asked for."
    if len(got) == len(want) == 3 and got[:2] == want[:2]:
        return f"the number of channels differs ({got[2]} instead of {want[2]})."
    return "the size differs; check the crop, resize or padding."


def _dtype_advice(actual: np.ndarray, want: np.dtype) -> str:
    if want == np.uint8 and actual.dtype.kind == "f":
        hi = float(np.nanmax(actual)) if actual.size else 0.0
        lo = float(np.nanmin(actual)) if actual.size else 0.0
        if hi <= 1.0 and lo >= -1e-9:
            return ("this looks like a 0..1 float picture (as scikit-image returns): scale it to 0..255 with "
                    "skimage.util.img_as_ubyte(...), or (x * 255).round().astype(np.uint8).")
        return ("these are float values; round and convert them with np.clip(x, 0, 255).round().astype(np.uint8) "
                "(clip first if they may leave 0..255).")
    if want == np.uint8:
        return "convert with np.clip(x, 0, 255).astype(np.uint8)."
    if want.kind == "f":
        return f"convert with .astype(np.{want.name}) before any step that would round or clip."
    return f"convert with .astype(np.{want.name})."


# Registering the built-in kinds.
from grader.checks import pictures as _pictures  # noqa: E402,F401
from grader.checks import masks as _masks  # noqa: E402,F401
from grader.checks import scalars as _scalars  # noqa: E402,F401
from grader.checks import ink as _ink  # noqa: E402,F401
from grader.checks import edges as _edges  # noqa: E402,F401
from grader.checks import noise as _noise  # noqa: E402,F401
from grader.checks import quality as _quality  # noqa: E402,F401
from grader.checks import classify as _classify  # noqa: E402,F401
from grader.checks import texture as _texture  # noqa: E402,F401
from grader.checks import regions as _regions  # noqa: E402,F401
from grader.checks import points as _points  # noqa: E402,F401
from grader.checks import outline as _outline  # noqa: E402,F401
from grader.checks import detections as _detections  # noqa: E402,F401
from grader.checks import heldout as _heldout  # noqa: E402,F401
from grader.checks import relative as _relative  # noqa: E402,F401
