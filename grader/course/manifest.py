"""The course as data: days, tasks and cases, read from the TOML manifest.

``course.toml`` lists the days in course order; each ``dayNN.toml`` lists that
day's tasks in order, each with its cases, its check and its hints. Nothing
else in the grader knows what the course contains.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from grader.course import catalogue
from grader.engine.preload import MODULE_NAME

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

FORMAT = 1
TIERS = ("bronze", "silver", "gold")


class CourseError(Exception):
    """The manifest itself is malformed (an author's mistake, not a learner's)."""


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # per-case check options (override the task's)


@dataclass(frozen=True)
class Task:
    day: int
    name: str  # also the function the learner writes
    title: str
    summary: str  # one line: what to do
    points: float
    hints: tuple
    check: dict  # {"kind": ..., options...}
    cases: tuple
    challenge: bool = False
    timeout: float = 10.0
    memory_mb: int | None = None
    output_order: str = "bgr"  # how the report shows colour outputs: "bgr" (OpenCV) or "rgb"
    # Hidden variant settings (see grader/course/variants.py): False opts the task out,
    # a table names safe parameter ranges and the picture transforms allowed.
    variants: object = True
    # The answer catalogue (grader/course/catalogue.py): other correct answers and classic mistakes.
    alternatives: tuple = ()
    mistakes: tuple = ()
    # Modules the workers import once before this task's cases run: its day's ``preload`` list.
    preload: tuple = ()
    pinned: str = ""  # why fewer than catalogue.MIN_ALTERNATIVES alternatives ("" when not short)
    classic_mistakes: str = ""  # why fewer than catalogue.MIN_MISTAKES mistakes

    @property
    def function(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"day{self.day:02d}.{self.name}"

    def tiers(self) -> dict | None:
        return self.check.get("tiers") if self.challenge else None


@dataclass(frozen=True)
class Day:
    number: int
    module: str  # learner module name, e.g. "day01_reading"
    title: str
    theme: str
    goals: str
    tasks: tuple
    # Libraries this day's cases import beyond the workers' own (grader/engine/preload.py), e.g.
    # scikit-learn: a worker imports them once, on the first case that needs them, and keeps them.
    preload: tuple = ()

    @property
    def slug(self) -> str:
        return f"day{self.number:02d}"

    @property
    def filename(self) -> str:
        return f"{self.module}.py"

    def task(self, name: str) -> Task | None:
        for t in self.tasks:
            if t.name == name:
                return t
        return None


@dataclass(frozen=True)
class Course:
    format: int
    title: str
    version: str
    days: tuple

    def day(self, number: int) -> Day | None:
        for d in self.days:
            if d.number == number:
                return d
        return None

    def tasks(self):
        for d in self.days:
            yield from d.tasks


def manifest_dir() -> Path:
    return Path(str(resources.files("grader.course")))


@functools.lru_cache(maxsize=4)
def load_course(folder: str | None = None) -> Course:
    """Read the course manifest (the packaged one unless ``folder`` is given)."""
    base = Path(folder) if folder else manifest_dir()
    index = _read_toml(base / "course.toml")
    fmt = index.get("format")
    if fmt != FORMAT:
        raise CourseError(f"course.toml has format {fmt!r}; this grader reads format {FORMAT}. "
                          "Update pixelkata (pip install -U -e .).")
    days = tuple(_load_day(base / name) for name in index.get("days", []))
    numbers = [d.number for d in days]
    if numbers != sorted(set(numbers)):
        raise CourseError(f"course.toml lists days out of order or twice: {numbers}")
    return Course(format=fmt, title=str(index.get("title", "pixelkata")),
                  version=str(index.get("version", "0")), days=days)


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CourseError(f"course manifest {path.name} is missing from {path.parent}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CourseError(f"{path.name} is not valid TOML: {exc}") from None


_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _load_day(path: Path) -> Day:
    raw = _read_toml(path)
    where = path.name
    try:
        number = int(raw["day"])
        module = str(raw["module"])
        title = str(raw["title"])
    except (KeyError, ValueError) as exc:
        raise CourseError(f"{where}: needs day, module and title ({exc})") from None
    preload = _preload_list(raw.get("preload", []), where)
    tasks = []
    seen = set()
    for t in raw.get("tasks", []):
        task = _load_task(number, t, where, preload)
        if task.name in seen:
            raise CourseError(f"{where}: task {task.name!r} appears twice")
        seen.add(task.name)
        tasks.append(task)
    return Day(number=number, module=module, title=title, theme=str(raw.get("theme", "")),
               goals=str(raw.get("goals", "")).strip(), tasks=tuple(tasks), preload=preload)


def _preload_list(raw, where: str) -> tuple:
    """A day's ``preload``: a list of module names (``"sklearn.svm"``), each imported by the workers."""
    if not isinstance(raw, list) or not all(isinstance(n, str) and MODULE_NAME.match(n) for n in raw):
        raise CourseError(f"{where}: preload = {raw!r} must be a list of module names, e.g. [\"sklearn.svm\"]")
    return tuple(dict.fromkeys(raw))


def _hints_table_problem(hints, n_hints: int) -> str | None:
    """Why a check's ``hints`` table (cause to hint number) is wrong, as one line, or None (also when absent).

    The numbers are the manifest's to check, since only the task knows how many hints it has; which causes a
    check kind states is :func:`grader.checks.make_check`'s (loading the checks here would load OpenCV).
    """
    if hints is None:
        return None
    if not isinstance(hints, dict) or not hints:
        return f"`hints` must be a table from cause to hint number, e.g. {{ spread = 2 }}, not {hints!r}"
    for cause, level in hints.items():
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= n_hints:
            return f"`hints` gives {cause} = {level!r}: give the number (1 to {n_hints}) of one of the task's hints"
    return None


def _load_task(day: int, t: dict, where: str, preload: tuple = ()) -> Task:
    name = str(t.get("name", ""))
    if not _NAME.match(name):
        raise CourseError(f"{where}: task name {name!r} must be a Python function name")
    check = dict(t.get("check") or {})
    if "kind" not in check:
        raise CourseError(f"{where}: task {name!r} has no check kind")
    challenge = bool(t.get("challenge", False))
    if challenge:
        tiers = check.get("tiers")
        if not isinstance(tiers, dict) or set(tiers) != set(TIERS):
            raise CourseError(f"{where}: challenge {name!r} needs tiers bronze, silver and gold")
    cases = []
    raw_cases = t.get("cases") or []
    if not raw_cases:
        raise CourseError(f"{where}: task {name!r} has no cases")
    for i, c in enumerate(raw_cases, start=1):
        cid = str(c.get("id", i))
        if not re.match(r"^[A-Za-z0-9_-]+$", cid):
            raise CourseError(f"{where}: case id {cid!r} of {name!r} must be letters, digits, - or _")
        options = {k: v for k, v in c.items() if k not in ("id", "args", "kwargs")}
        cases.append(Case(id=cid, args=tuple(c.get("args", [])), kwargs=dict(c.get("kwargs", {})),
                          options=options))
    if len({c.id for c in cases}) != len(cases):
        raise CourseError(f"{where}: task {name!r} has two cases with one id")
    for c in cases:
        level = c.options.get("hint")
        if level is not None and (not isinstance(level, int) or isinstance(level, bool)
                                  or not 1 <= level <= len(t.get("hints", []))):
            raise CourseError(f"{where}: case {c.id} of {name!r} has hint = {level!r}: give the number of one of "
                              f"the task's {len(t.get('hints', []))} hints")
    for spec, whose in [(check, "its check")] + [(c.options["check"], f"case {c.id}'s check") for c in cases
                                                 if isinstance(c.options.get("check"), dict)]:
        problem = _hints_table_problem(spec.get("hints"), len(t.get("hints", [])))
        if problem:
            raise CourseError(f"{where}: task {name!r}: {whose}: {problem}")
    output_order = str(t.get("output_order", "bgr"))
    if output_order not in ("bgr", "rgb"):
        raise CourseError(f"{where}: task {name!r} has output_order {output_order!r}; use \"bgr\" or \"rgb\"")
    hints = tuple(str(h).strip() for h in t.get("hints", []))
    try:
        alternatives, mistakes = catalogue.parse(name, t.get("alternatives"), t.get("mistakes"), len(hints))
        pinned, classic = catalogue.reasons(name, t.get("pinned"), t.get("classic_mistakes"))
    except catalogue.CatalogueError as exc:
        raise CourseError(f"{where}: {exc}") from None
    return Task(
        day=day,
        name=name,
        title=str(t.get("title", name)),
        summary=str(t.get("summary", "")).strip(),
        points=float(t.get("points", 1)),
        hints=hints,
        check=check,
        cases=tuple(cases),
        challenge=challenge,
        timeout=float(t.get("timeout", 10.0)),
        memory_mb=t.get("memory_mb"),
        output_order=output_order,
        variants=_variants_table(t.get("variants", True), name, where),
        alternatives=alternatives,
        mistakes=mistakes,
        preload=preload,
        pinned=pinned,
        classic_mistakes=classic,
    )


def _variants_table(raw, name: str, where: str):
    """``variants = false`` or a ``[tasks.variants]`` table; its contents are checked by grader.course.variants."""
    if isinstance(raw, (bool, dict)):
        return raw
    raise CourseError(f"{where}: task {name!r} has variants = {raw!r}; use false or a [tasks.variants] table")
