"""Hidden variant cases: fresh inputs from a seed, expected outputs from solutions/ on the spot.

A learner who reads the reference pictures can hard-code the visible cases.
For each task, :func:`prepare` derives K extra cases from the visible ones:
every picture argument of a case goes through the same random transform (a
crop, a flip, a rotation by 90 degrees, a brightness change, or another sample
picture of the same kind), and numeric parameters are redrawn only where the
task's manifest declares a safe range::

    [tasks.variants]
    transforms = ["crop", "flip", "rotate", "brightness", "picture"]  # the default: all of them
    ranges = { channel = [0, 2], sigma = [0.5, 2.0], mode = { choices = ["a", "b"] } }

``variants = false`` opts a task out. The reference solution runs on each
variant at once to give its expected output; a variant the solution cannot
handle (it raises, or fails its own check) is drawn again. Variants live in a
temporary folder for one grading and are never written into the course.
"""
from __future__ import annotations

import ast
import dataclasses
import hashlib
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np

from grader import checks
from grader.course.build import same_value, solution_answer
from grader.course.cases import fixed_expected, materialize, truth_input
from grader.checks import CaseContext
from grader.course import Case, Course, CourseError, Task, load_course
from grader.errors import PixelkataError
from grader.grading import grade, parse_day, select
from grader.course.project import Project
from grader.course.references import References, read_array
from grader.grading.results import MARKS, GradeRun, Outcome, TaskResult, tier_for
from grader.engine.runner import Job, Runner
from grader.engine import scratch as scratch_folders

TRANSFORMS = ("crop", "flip", "rotate", "brightness", "picture")
GEOMETRIC = ("crop", "flip", "rotate")  # the only ones that keep a mask a mask
ATTEMPTS = 6  # draws per variant before giving up on it
MIN_SIDE = 24  # a crop never goes below this many pixels a side


@dataclass(frozen=True)
class Range:
    """The values one numeric parameter may take in a variant: ``choices``, or every int or float from
    ``low`` to ``high`` (both included)."""

    kind: str  # "int", "float" or "choices"
    low: float = 0
    high: float = 0
    choices: tuple = ()

    def draw(self, rng: np.random.Generator):
        if self.kind == "choices":
            return self.choices[int(rng.integers(0, len(self.choices)))]
        if self.kind == "int":
            return int(rng.integers(self.low, self.high + 1))
        return round(float(rng.uniform(self.low, self.high)), 4)


@dataclass(frozen=True)
class Spec:
    """A task's variants table, checked."""

    enabled: bool
    transforms: tuple = TRANSFORMS
    ranges: dict = field(default_factory=dict)  # parameter name -> Range


def spec_for(task: Task, parameters: list[str] | None = None) -> Spec:
    """Check a task's ``variants`` setting; ``parameters`` are the solution's parameter names."""
    raw = task.variants
    where = f"{task.key}: variants"
    if raw is False:
        return Spec(False)
    if raw is True or raw is None:
        return Spec(True)
    unknown = set(raw) - {"transforms", "ranges", "enabled"}
    if unknown:
        raise CourseError(f"{where} has unknown keys {sorted(unknown)}; use transforms, ranges or enabled.")
    if raw.get("enabled", True) is False:
        return Spec(False)
    transforms = tuple(raw.get("transforms", TRANSFORMS))
    bad = [t for t in transforms if t not in TRANSFORMS]
    if bad:
        raise CourseError(f"{where} names unknown transforms {bad}; choose from {list(TRANSFORMS)}.")
    ranges = {}
    for name, rng in dict(raw.get("ranges", {})).items():
        if parameters is not None and name not in parameters:
            raise CourseError(f"{where}: range for {name!r}, which is not a parameter of {task.function}() "
                              f"(its parameters: {', '.join(parameters)}).")
        if isinstance(rng, dict) and set(rng) == {"choices"} and isinstance(rng["choices"], list) and rng["choices"]:
            ranges[name] = Range("choices", choices=tuple(rng["choices"]))
        elif (isinstance(rng, list) and len(rng) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                             for x in rng) and rng[0] <= rng[1]):
            kind = "int" if all(isinstance(x, int) for x in rng) else "float"
            ranges[name] = Range(kind, rng[0], rng[1])
        else:
            raise CourseError(f"{where}: range for {name!r} must be [low, high] or {{ choices = [...] }}, "
                              f"not {rng!r}.")
    return Spec(True, transforms, ranges)


def solution_parameters(solution: Path, function: str) -> list[str] | None:
    """The parameter names of ``function`` in a solution module (read, never imported)."""
    try:
        tree = ast.parse(solution.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function:
            a = node.args
            return [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return None


class VariantReferences(References):
    """The course's references, plus the variant inputs and expected outputs held for one grading."""

    def __init__(self, folder: Path, scratch: Path):
        super().__init__(folder)
        self.scratch = scratch
        self.arrays: dict[str, np.ndarray] = {}
        self.paths: dict[str, Path] = {}
        self.values: dict[tuple, object] = {}

    def load_input(self, name: str) -> np.ndarray:
        if name in self.arrays:
            return self.arrays[name]
        return super().load_input(name)

    def input_path(self, name: str) -> Path:
        if name in self.paths:
            return self.paths[name]
        return super().input_path(name)

    def expected(self, task, case):
        return self.values[(task.key, case.id)]

    def mistake_outputs(self, task, case, args, *, with_reference=True):
        return None  # the stored outputs are the visible cases'; a variant's inputs differ

    def add_input(self, name: str, arr: np.ndarray, *, as_file: bool) -> None:
        arr = np.ascontiguousarray(arr)
        arr.setflags(write=False)
        self.arrays[name] = arr
        if as_file:
            target = self.scratch / "inputs" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_picture(target, arr)
            self.paths[name] = target


@dataclass
class VariantSet:
    """K variants per task, ready to grade any learner's modules against."""

    seed: int
    count: int
    course: Course  # the course's days with each task's cases replaced by its variants
    refs: VariantReferences
    skipped: dict  # task key -> why it has no (or fewer) variants
    made: dict  # task key -> number of variants made

    def close(self) -> None:
        shutil.rmtree(self.refs.scratch, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def new_seed() -> int:
    return int(np.random.SeedSequence().entropy % 2**31)


def prepare(project: Project, *, count: int, seed: int, runner: Runner, course: Course | None = None,
            day=None, task: str | None = None, log=None) -> VariantSet:
    """Make ``count`` variants of every selected task and their expected outputs."""
    if count < 1:
        raise PixelkataError("--variants must be at least 1.")
    course = course or load_course()
    selection = select(course, day, task)
    base_refs = References(project.references)
    base_refs.manifest
    scratch = scratch_folders.make("pixelkata-variants-")
    refs = VariantReferences(project.references, scratch)
    pool = _picture_pool(base_refs)
    skipped: dict = {}
    made: dict = {}
    days = []
    try:
        plan = []  # (day, task, spec): the tasks whose variants are made, in course order
        for d in selection.days:
            solution = project.solutions / d.filename
            if not solution.is_file():
                raise PixelkataError(f"hidden variants need the reference solution solutions/{d.filename}: "
                                     "run this in the instructor's copy of the course, which has solutions/.")
            for t in d.tasks:
                if selection.task not in (None, t.name):
                    continue
                spec = spec_for(t, solution_parameters(solution, t.function))
                if not spec.enabled:
                    skipped[t.key] = "the task opts out of variants (variants = false)"
                    continue
                if spec.transforms and not spec.ranges and not any(_kinds_for(c, spec) for c in t.cases):
                    skipped[t.key] = ("its cases are scored against a true answer, which only a flip or a turn (or a "
                                      "crop, for a true picture) can follow, and its variants table allows none")
                    continue
                if not spec.ranges and not any(varies(c) for c in t.cases):
                    skipped[t.key] = ("nothing to vary: its cases take no picture and its manifest declares no "
                                      "parameter ranges")
                    continue
                plan.append((d, t, spec))

        def variants_of(item):
            # Each variant's draws depend only on (seed, task, index, attempt), so tasks run side by side
            # on the runner's workers and make the same variants as one after another.
            d, t, spec = item
            solution = project.solutions / d.filename
            cases = []
            for i in range(count):
                case = _make_variant(t, i, spec, seed, base_refs, refs, pool, runner, solution)
                if case is not None:
                    cases.append(case)
            return cases

        with ThreadPoolExecutor(max_workers=max(1, runner.size)) as threads:
            made_cases = dict(zip((t.key for _, t, _ in plan), threads.map(variants_of, plan)))
        for d in selection.days:
            tasks = []
            for t in d.tasks:
                if t.key not in made_cases:
                    continue
                cases = made_cases[t.key]
                made[t.key] = len(cases)
                if len(cases) < count:
                    skipped[t.key] = (f"only {len(cases)} of {count} variants could be made: the solution rejects "
                                      "the others; narrow the task's variants table")
                if cases:
                    tasks.append(dataclasses.replace(t, cases=tuple(cases)))
            if tasks:
                days.append(dataclasses.replace(d, tasks=tuple(tasks)))
            if log:
                log(f"day {d.number}: {sum(made.get(t.key, 0) for t in d.tasks)} hidden variants made")
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    vcourse = dataclasses.replace(course, days=tuple(days))
    return VariantSet(seed=seed, count=count, course=vcourse, refs=refs, skipped=skipped, made=made)


def grade_variants(project: Project, exercises: Path, vset: VariantSet, runner: Runner, *,
                   day=None, task: str | None = None, timeout: float | None = None,
                   run_untouched: bool = False) -> GradeRun | None:
    """Grade a learner's modules on the variants; None when the selection has none. ``run_untouched`` runs a
    day still equal to its stub too (see :func:`grader.grading.grade`)."""
    if isinstance(day, (list, tuple, set, frozenset)):
        day = [n for n in (parse_day(d, load_course()) for d in day) if vset.course.day(n) is not None]
        if not day:
            return None
    elif day is not None:
        day = parse_day(day, load_course())
        chosen = vset.course.day(day)
        if chosen is None or (task is not None and chosen.task(task) is None):
            return None
    if not vset.course.days:
        return None
    return grade(project, exercises=exercises, course=vset.course, references=vset.refs, runner=runner,
                 day=day, task=task, timeout=timeout, run_untouched=run_untouched)


# ---------------------------------------------------------------- making one variant


def _rng(seed: int, key: str, index: int, attempt: int) -> np.random.Generator:
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little")
    return np.random.default_rng([seed, digest, index, attempt])


def _make_variant(task: Task, index: int, spec: Spec, seed: int, base_refs: References,
                  refs: VariantReferences, pool: list, runner: Runner, solution: Path) -> Case | None:
    base = task.cases[index % len(task.cases)]
    check = checks.check_for(task, base)
    kinds = _kinds_for(base, spec)
    if not kinds and spec.transforms:
        return None
    visible = None
    if check.needs_reference:
        try:
            visible = base_refs.expected(task, base)
        except PixelkataError:
            visible = None
    fallback = None
    parameters = solution_parameters(solution, task.function) or []
    truth_name, fixed = truth_input(base), fixed_expected(base)
    options = {k: v for k, v in base.options.items() if k != "expected"}
    for attempt in range(ATTEMPTS):
        rng = _rng(seed, task.key, index, attempt)
        case_id = f"v{index + 1}"
        prefix = f"variants/{task.key}/{case_id}.{attempt}"
        maker = _Transformer(rng, spec, base_refs, refs, pool, prefix, kinds=kinds)
        args = [maker.spec(a) for a in base.args]
        kwargs = {k: maker.spec(v) for k, v in base.kwargs.items()}
        args, kwargs = _redraw_parameters(rng, spec, args, kwargs, parameters)
        case = Case(id=case_id, args=tuple(args), kwargs=kwargs, options=options)
        # A case scored against a true answer keeps it true: the truth follows the same flip or turn.
        truth = None
        if truth_name is not None:
            truth = maker.follow(base_refs.load_input(truth_name))
            if truth is None:
                continue
        elif fixed is not None:
            truth = fixed
        value = _expected(task, case, check, refs, runner, solution, truth=truth)
        if value is _REJECTED:
            continue
        # A variant whose answer equals the visible one would not catch hard-coding: draw again.
        if check.needs_reference and visible is not None and same_value(value, visible):
            fallback = fallback or (case, value)
            continue
        refs.values[(task.key, case.id)] = value
        return case
    if fallback is not None:
        case, value = fallback
        refs.values[(task.key, case.id)] = value
        return case
    return None


def _kinds_for(case, spec: Spec) -> tuple:
    """The transforms a case allows: a true picture can follow a crop, flip or turn; a fixed answer (a
    name, a count) only a flip or a turn; an answer the solution computes, any transform."""
    if truth_input(case) is not None:
        return tuple(k for k in spec.transforms if k in GEOMETRIC)
    if fixed_expected(case) is not None:
        return tuple(k for k in spec.transforms if k in ("flip", "rotate"))
    return tuple(spec.transforms)


_REJECTED = object()


def varies(case) -> bool:
    """Whether a case has an argument a variant can change (a picture or a missing file name)."""
    def walk(spec):
        if isinstance(spec, list):
            return any(walk(x) for x in spec)
        if isinstance(spec, dict) and len(spec) == 1:
            (key, val), = spec.items()
            return key in ("image", "path", "missing") or (key == "tuple" and walk(list(val)))
        return False

    return walk(list(case.args)) or walk(list(case.kwargs.values()))


def _expected(task, case, check, refs, runner, solution, *, truth=None):
    """The expected answer on a variant, or _REJECTED when the variant is unusable.

    Without a ``truth`` it is the solution's own output; with one, the solution must pass against it.
    """
    try:
        args, kwargs, files = materialize(case, refs)
    except (PixelkataError, CourseError):
        return _REJECTED
    raw = runner.run(Job(module=solution, function=task.function, args=args, kwargs=kwargs,
                         timeout=max(task.timeout, 60.0), files=files, preload=task.preload,
                         memory=(task.memory_mb * 2**20) if task.memory_mb else None))
    ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
    try:
        if not check.needs_reference:
            actual = solution_answer(raw, task.key)
            return None if check.compare(actual, None, ctx).passed else _REJECTED
        if raw.status != "returned":
            return _REJECTED
        if truth is not None:
            return truth if check.compare(raw.value, truth, ctx).passed else _REJECTED
        value = check.reference_from(raw.value)
        return value if check.compare(value, value, ctx).passed else _REJECTED
    except (PixelkataError, checks.CheckError, ValueError, TypeError):
        return _REJECTED


class _Transformer:
    """Rewrites one case's argument specs: every picture goes through one transform, drawn once."""

    def __init__(self, rng, spec: Spec, base_refs: References, refs: VariantReferences, pool: list, prefix: str,
                 *, kinds: tuple | None = None):
        self.rng = rng
        self.spec_ = spec
        self.base_refs = base_refs
        self.refs = refs
        self.pool = pool
        self.prefix = prefix
        kinds = spec.transforms if kinds is None else kinds
        self.kind = str(rng.choice(kinds)) if kinds else None
        self.first_shape = None  # the first picture transformed: a true answer must line up with it
        self.params = {
            "crop": (float(rng.uniform(0.6, 0.9)), float(rng.uniform(0.6, 0.9)), float(rng.random()),
                     float(rng.random())),
            "flip": int(rng.integers(0, 2)),
            "rotate": int(rng.integers(1, 4)),
            "brightness": float(rng.choice([-1, 1]) * rng.uniform(25, 60)),
        }
        self.done: dict = {}  # original input name -> new input name
        self.count = 0

    def spec(self, s):
        if isinstance(s, list):
            return [self.spec(x) for x in s]
        if not isinstance(s, dict) or len(s) != 1:
            return s
        (key, val), = s.items()
        if key in ("image", "path"):
            return {key: self._picture(str(val), as_file=(key == "path"))}
        if key == "missing":
            return {"missing": f"ghost-{int(self.rng.integers(0, 16**6)):06x}{PurePosixPath(str(val)).suffix}"}
        if key == "tuple":
            return {"tuple": [self.spec(x) for x in val]}
        return s

    def _picture(self, name: str, *, as_file: bool) -> str:
        key = (name, as_file)
        if key in self.done:
            return self.done[key]
        original = self.base_refs.load_input(name)
        if self.first_shape is None:
            self.first_shape = original.shape[:2]
        new = self._transform(original, name)
        self.count += 1
        new_name = f"{self.prefix}/{self.count}/{PurePosixPath(name).name}"
        self.refs.add_input(new_name, new, as_file=as_file)
        self.done[key] = new_name
        return new_name

    def follow(self, truth: np.ndarray):
        """The true answer under this variant's (geometric) transform, or None when it cannot follow."""
        if self.kind not in GEOMETRIC or self.first_shape is None:
            return None
        if truth.shape[:2] == self.first_shape:
            return self._transform(truth, "")
        if truth.ndim == 3 and truth.shape[1:3] == self.first_shape:  # a stack of masks, one per plane
            return np.stack([self._transform(plane, "") for plane in truth])
        return None

    def _transform(self, img: np.ndarray, name: str) -> np.ndarray:
        kind = self.kind
        mask_like = img.dtype == np.bool_ or np.unique(img[:: max(1, img.shape[0] // 64),
                                                            :: max(1, img.shape[1] // 64)]).size <= 2
        if mask_like and kind not in GEOMETRIC:
            allowed = [t for t in self.spec_.transforms if t in GEOMETRIC]
            kind = allowed[0] if allowed else None
        if kind == "crop":
            fh, fw, oy, ox = self.params["crop"]
            h, w = img.shape[:2]
            ch, cw = max(min(h, MIN_SIDE), round(h * fh)), max(min(w, MIN_SIDE), round(w * fw))
            y, x = round((h - ch) * oy), round((w - cw) * ox)
            return img[y:y + ch, x:x + cw].copy()
        if kind == "flip":
            return np.flip(img, axis=self.params["flip"]).copy()
        if kind == "rotate":
            return np.rot90(img, k=self.params["rotate"]).copy()
        if kind == "brightness":
            return _brighten(img, self.params["brightness"])
        if kind == "picture":
            return self._other_picture(img, name)
        return img.copy()

    def _other_picture(self, img: np.ndarray, name: str) -> np.ndarray:
        import cv2

        same_kind = [n for n, a in self.pool if n != name and a.ndim == img.ndim and a.dtype == img.dtype
                     and a.shape[2:] == img.shape[2:]]
        if not same_kind:
            return _brighten(img, self.params["brightness"])
        other = self.base_refs.load_input(same_kind[int(self.rng.integers(0, len(same_kind)))])
        h, w = img.shape[:2]
        out = cv2.resize(other, (w, h), interpolation=cv2.INTER_AREA)
        return out.reshape(img.shape) if out.ndim != img.ndim else out


def _brighten(img: np.ndarray, delta: float) -> np.ndarray:
    if img.dtype == np.uint8:
        return np.clip(img.astype(np.int16) + int(round(delta)), 0, 255).astype(np.uint8)
    if img.dtype.kind == "f":
        top = 1.0 if float(np.nanmax(img)) <= 1.0 else 255.0
        return np.clip(img + delta / 255.0 * top, 0, top).astype(img.dtype)
    return img.copy()


def _redraw_parameters(rng, spec: Spec, args: list, kwargs: dict, parameters: list[str]):
    for name, rule in spec.ranges.items():
        value = rule.draw(rng)
        if name in kwargs:
            kwargs[name] = value
        elif name in parameters and parameters.index(name) < len(args):
            args[parameters.index(name)] = value
        else:
            kwargs[name] = value
    return args, kwargs


def _picture_pool(refs: References) -> list:
    """Every uint8 input picture of the course that is not a mask: candidates for 'another picture'."""
    pool = []
    for rel in sorted(refs.manifest["files"]):
        if not rel.startswith("inputs/") or not rel.endswith(".png"):
            continue
        name = rel[len("inputs/"):]
        try:
            arr = refs.load_input(name)
        except PixelkataError:
            continue
        if arr.dtype == np.uint8 and np.unique(arr[::8, ::8]).size > 2:
            pool.append((name, arr))
    return pool


def _write_picture(target: Path, arr: np.ndarray) -> None:
    import cv2

    if target.suffix.lower() == ".npy" or arr.dtype != np.uint8:
        # np.save writes to exactly this name when it already ends in .npy, as course inputs do.
        with open(target, "wb") as fh:
            np.save(fh, arr, allow_pickle=False)
        return
    # Lossless PNG whatever the name says: the learner must read back exactly the variant's pixels.
    ok, buf = cv2.imencode(".png", arr)
    target.write_bytes(buf.tobytes())


# ---------------------------------------------------------------- what the instructor reads


@dataclass
class TaskVariants:
    key: str
    visible: Outcome
    outcome: Outcome | None  # on the variants; None when the task has none
    passed: int = 0
    total: int = 0
    message: str = ""

    @property
    def hard_coded(self) -> bool:
        return may_be_hard_coded(self.visible, self.outcome)


def may_be_hard_coded(visible, variants) -> bool:
    """The rule for flagging a task: it passes its visible cases but not its hidden variants.

    ``visible`` and ``variants`` are the task's outcomes (an :class:`Outcome` or its value, as the gradebook
    stores it); ``variants`` is None when the task had no variants. A task not attempted on the variants is
    flagged too: its visible answer cannot have come from its own module.
    """
    return visible == Outcome.PASSED and variants is not None and variants != Outcome.PASSED


def variants_passed(hidden: TaskResult) -> int:
    """How many of a task's hidden variants its answer passes.

    An ordinary task passes a variant by its check's pass mark; a challenge by reaching a tier (bronze or
    better) on it, as its visible cases are judged.
    """
    if hidden.task.challenge:
        tiers, op = hidden.task.check["tiers"], hidden.task.check.get("op", ">=")
        return sum(1 for c in hidden.cases if c.verdict is not None and c.verdict.value is not None
                   and tier_for(c.verdict.value, tiers, op) is not None)
    return sum(1 for c in hidden.cases if c.outcome is Outcome.PASSED)


def compare(visible: GradeRun, hidden: GradeRun | None) -> dict:
    """{task key: TaskVariants} joining a run on the visible cases with one on the variants."""
    out = {}
    found = {t.task.key: t for t in hidden.tasks} if hidden is not None else {}
    for t in visible.tasks:
        h = found.get(t.task.key)
        if h is None:
            out[t.task.key] = TaskVariants(t.task.key, t.outcome, None)
            continue
        passed = variants_passed(h)
        out[t.task.key] = TaskVariants(t.task.key, t.outcome, h.outcome, passed, len(h.cases), h.message)
    return out


def flag(tv: TaskVariants) -> str:
    return (f"{tv.key} passes its visible cases but fails {tv.total - tv.passed} of {tv.total} hidden variants: "
            "it may be hard-coded to the visible inputs; review it.")


def summary_lines(visible: GradeRun, hidden: GradeRun | None, vset: VariantSet) -> list[str]:
    """The instructor's view of a `grade --variants` run, after the usual report."""
    lines = [f"Hidden variants ({vset.count} per task, seed {vset.seed}):"]
    joined = compare(visible, hidden)
    width = max((len(k) for k in joined), default=10) + 2
    for key, tv in joined.items():
        if tv.outcome is None:
            why = vset.skipped.get(key, "no variants for this task")
            lines.append(f"  - {key:<{width}} no variants: {why}")
            continue
        mark = MARKS[tv.outcome][0]
        line = f"  {mark} {key:<{width}} {tv.passed}/{tv.total} variants passed"
        if tv.outcome is Outcome.NOT_ATTEMPTED:
            line = f"  {mark} {key:<{width}} not attempted"
        elif tv.hard_coded:
            line += " · passes the visible cases only: " + "may be hard-coded"
        elif tv.outcome is not Outcome.PASSED and tv.message:
            line += f" · {tv.message}"
        lines.append(line)
    flagged = [tv for tv in joined.values() if tv.hard_coded]
    lines.append(f"{len(flagged)} task(s) pass the visible cases but not the variants." if flagged
                 else "No task passes the visible cases while failing the variants.")
    return lines


@dataclass
class Checked:
    lines: list  # the instructor's summary, for the terminal
    failed: bool  # an attempted task fails its variants
    hidden: GradeRun | None = None


def grade_with_variants(project: Project, *, count: int, seed: int | None = None, exercises: Path | None = None,
                        day=None, task: str | None = None, timeout: float | None = None, workers: int = 2,
                        runner: Runner | None = None, references: References | None = None,
                        keep_images: bool = False) -> tuple[GradeRun, Checked]:
    """``pixelkata grade --variants K``: the usual grading, then the same modules on K variants per task."""
    seed = new_seed() if seed is None else seed
    own = runner is None
    runner = runner or Runner(workers)
    try:
        run = grade(project, exercises=exercises, day=day, task=task, timeout=timeout, runner=runner,
                    references=references, keep_images=keep_images)
        with prepare(project, count=count, seed=seed, runner=runner, day=day, task=task) as vset:
            hidden_run = grade_variants(project, run.exercises, vset, runner, day=day, task=task, timeout=timeout)
            lines = summary_lines(run, hidden_run, vset)
    finally:
        if own:
            runner.close()
    joined = compare(run, hidden_run)
    failed = any(tv.outcome not in (None, Outcome.PASSED, Outcome.NOT_ATTEMPTED) for tv in joined.values())
    return run, Checked(lines, failed, hidden_run)
