"""Grading: run every selected case of learner code and judge what came back.

``grade()`` is the one entry point every front end uses (the CLI, the
notebook helper, batch grading). Learner code runs only inside the
:class:`~grader.engine.runner.Runner`'s workers; the verdict is reached here, from
plain data, by the task's check. :mod:`~grader.grading.results` holds the record shapes every
view is drawn from. Grading may import the course, the engine's runner and the checks, never
:mod:`grader.learner`, :mod:`grader.classroom` or :mod:`grader.ci`.
"""
from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader import checks
from grader.course.cases import materialize
from grader.checks import CaseContext
from grader.course import Course, Day, Task, load_course
from grader.errors import PixelkataError
from grader.course.project import Project
from grader.course.references import References, stores_outcomes
from grader.course import stubs
from grader.grading.results import CaseResult, DayResult, GradeRun, Outcome, aggregate
from grader.engine import backends
from grader.engine.preload import PRELOAD
from grader.engine.runner import Job, RawRun, Runner
from grader.course import catalogue
from grader.grading.entries import Entries
from grader.grading.naming import keep_consistent, name_failure
from grader.engine.status import MODULE_STOPPERS, Status
from grader.grading.judging import answer, judge  # judge stays reachable as grading.judge (the benchmark times it)
from grader.grading.messages import KNOWN_IMPORT_FIXES, _cpu_limit_hit, _kinds, not_attempted_message  # noqa: F401

@dataclass
class Selection:
    days: list  # Day objects, in course order
    task: str | None = None


def select(course: Course, day: str | int | None = None, task: str | None = None) -> Selection:
    """Resolve what to grade; unknown days and tasks are usage errors.

    ``day`` may be a list of days (e.g. the days a pull request touched); an empty list grades nothing.
    """
    if isinstance(day, (list, tuple, set, frozenset)):
        if task is not None:
            raise PixelkataError("name one day before the task, e.g. `pixelkata grade 1 crop`.")
        numbers = {parse_day(d, course) for d in day}
        return Selection([d for d in course.days if d.number in numbers])
    if day is None:
        if task is not None:
            raise PixelkataError("name a day before the task, e.g. `pixelkata grade 1 crop`.")
        return Selection(list(course.days))
    number = parse_day(day, course)
    chosen = course.day(number)
    if task is not None and chosen.task(task) is None:
        names = ", ".join(t.name for t in chosen.tasks)
        raise PixelkataError(f"day {number} has no task {task!r}; its tasks are: {names}.")
    return Selection([chosen], task)


def parse_day(text, course: Course) -> int:
    raw = str(text).strip().lower()
    digits = raw[3:] if raw.startswith("day") else raw
    numbers = [d.number for d in course.days]
    span = f"{numbers[0]} to {numbers[-1]}" if numbers else "none"
    try:
        if not (digits.isascii() and digits.isdigit()):  # int() would also take "1_3" and other scripts' digits
            raise ValueError(digits)
        number = int(digits)
    except ValueError:
        raise PixelkataError(f"{text!r} is not a day: give a number such as 1 or day01 "
                             f"(this course has days {span}; see `pixelkata list`).") from None
    if course.day(number) is None:
        raise PixelkataError(f"there is no day {number}: this course has days {span} (see `pixelkata list`).")
    return number


def grade(project: Project, *, exercises: Path | None = None, day=None, task: str | None = None,
          runner: Runner | None = None, workers: int = 2, timeout: float | None = None,
          keep_images: bool = False, course: Course | None = None,
          references: References | None = None, run_untouched: bool = False) -> GradeRun:
    """Grade the learner's modules in ``exercises`` (default: the project's exercises/).

    ``day`` is None (every day), a day (``1``, ``"1"`` or ``"day01"``) or a list of days; ``task`` names one
    task of that one day. ``runner`` reuses a worker pool (else one of ``workers`` workers is made and closed);
    ``timeout`` overrides every task's seconds per case; ``keep_images`` keeps each case's pictures for the
    HTML report; ``course`` and ``references`` replace the installed course (hidden variants use this).

    A day whose file is still the course's stub as shipped (its digest is the one the reference manifest
    records, :func:`untouched_days`) is not run: each case is judged from the run a stub gives (it raises
    NotImplementedError), so it reads exactly as a run would, without a worker. ``run_untouched`` runs it
    anyway (``check-course`` and the tests prove on real runs that every stub grades not attempted).

    Returns a :class:`~grader.grading.results.GradeRun`: every selected task with its outcome, points and
    message, whatever the learner's code did. Raises :class:`~grader.errors.PixelkataError` for a usage or
    set-up problem (an unknown day or task, no exercises folder, missing or modified references) and
    :class:`~grader.checks.CheckError` when a task's check options are wrong (the course's fault, never the
    learner's).
    """
    course = course or load_course()
    selection = select(course, day, task)
    exercises = project.exercises_folder(exercises)
    refs = references or References(project.references)
    refs.manifest  # a missing or broken manifest is a set-up error before anything runs
    started = time.monotonic()
    untouched = set() if run_untouched else untouched_days(selection.days, exercises, refs)
    runs_code = any(d.number not in untouched for d in selection.days)
    own_runner = runner is None
    # Nothing to run (every selected day untouched): no pool of our own is started.
    runner = runner or (Runner(workers) if runs_code else None)
    entries = Entries(project.root)
    try:
        hide = (refs.folder, project.solutions, project.root / catalogue.FOLDER)
        run = _grade_days(course, selection, exercises, refs, runner, timeout, keep_images, hide, entries,
                          untouched=untouched)
        # The workers' protections, where learner code ran; nothing waits for a worker when none did.
        run.limits = runner.limits() if runs_code else []
        run.backend = runner.backend.name if runner is not None else backends.choose().name
    finally:
        entries.close()
        if own_runner and runner is not None:
            runner.close()
    run.duration = time.monotonic() - started
    run.versions = refs.versions()
    return run


def untouched_days(days, exercises: Path, refs: References) -> set[int]:
    """The numbers of ``days`` whose file in ``exercises`` is byte for byte the course's stub as shipped (CRLF line
    endings read as LF): its :func:`~grader.course.stubs.stub_digest` is the one the reference manifest records.
    Empty for references built before the digests were recorded."""
    files = stubs.untouched(exercises, refs.stub_digests(), [day.filename for day in days])
    return {day.number for day in days if day.filename in files}


#: What a worker reports for a stub's function: it raised NotImplementedError (message-less, as every stub's
#: ``raise NotImplementedError``) after its module was imported.
STUB_RUN = {"status": Status.NOT_ATTEMPTED.value, "message": ""}


class _StubRunner:
    """Stands in for the runner on an untouched day: the learner's own function (a job of that day's file) gets
    the :class:`RawRun` a worker gives for a stub, without running anything; any other job (the grader's own,
    such as the answer catalogue, which a case not attempted never asks for) goes to the real runner."""

    def __init__(self, runner, module: Path):
        self.runner = runner
        self.module = module

    def run(self, job: Job, **kwargs) -> RawRun:
        if Path(job.module) == self.module:
            return RawRun(status=Status.NOT_ATTEMPTED, info=dict(STUB_RUN), imported=True)
        return self.runner.run(job, **kwargs)

    def __getattr__(self, name):
        return getattr(self.runner, name)


def _grade_days(course, selection, exercises, refs, runner, timeout, keep_images, hide=(), entries=None, *,
                untouched: set = frozenset()) -> GradeRun:
    plan = []  # (day, task, case)
    day_errors = {}
    for day in selection.days:
        module = exercises / day.filename
        problem = module_problem(module, exercises)
        if problem:
            day_errors[day.number] = problem
        tasks = [t for t in day.tasks if selection.task in (None, t.name)]
        for t in tasks:
            for c in t.cases:
                plan.append((day, t, c))
    for _, t, c in plan:
        # A course file's broken check is found before any learner code runs, and always at the same (first)
        # case, whichever worker would have reached it first.
        checks.check_for(t, c)

    broken: dict[int, CaseResult] = {}
    lock = threading.Lock()

    def one(item, on):
        day, task, case = item
        if day.number in day_errors:
            return CaseResult(case.id, Outcome.ERROR, day_errors[day.number])
        with lock:
            known = broken.get(day.number)
        if known is not None:
            return CaseResult(case.id, known.outcome, known.message, traceback=known.traceback)
        result, module_broken = grade_case(day, task, case, exercises / day.filename, refs, on,
                                           timeout=timeout, keep_images=keep_images, hide=hide,
                                           entries=entries)
        if module_broken:
            with lock:
                broken.setdefault(day.number, result)
        return result

    case_results: list = [None] * len(plan)

    # An untouched day's cases are judged here, beside the lanes, from the run a stub gives: no worker, no day
    # child, no preload import for them, and no place in the units the workers share.
    aside = [i for i, (day, _, _) in enumerate(plan) if day.number in untouched and day.number not in day_errors]
    stand_ins = {d.number: _StubRunner(runner, exercises / d.filename) for d in selection.days if d.number in untouched}

    stopping = threading.Event()  # the lanes were interrupted (Ctrl-C): the untouched days are not waited for

    def judge_untouched() -> None:
        for i in aside:
            if stopping.is_set():
                return
            case_results[i] = one(plan[i], stand_ins[plan[i][0].number])

    def run_unit(unit: list[int]) -> None:
        # One worker for the whole unit: the day's module and its own libraries are loaded once.
        lane = runner.lane() if hasattr(runner, "lane") else None
        try:
            for i in unit:
                case_results[i] = one(plan[i], lane or runner)
        finally:
            if lane is not None:
                lane.close()

    skipped = set(aside)
    running = [i for i in range(len(plan)) if i not in skipped]
    units = [[running[j] for j in unit] for unit in plan_units([plan[i] for i in running], refs, runner.size)] \
        if running else []

    def run_units() -> None:
        # One day alone (watch, `grade 3`) on a pool whose workers are all free: every worker takes a lane and
        # the next case of the day in turn, so the day ends as early as the pool allows. On a pool other grades
        # share (batch), the day stays one unit: a second lane would only cost a second day child.
        idle = runner.idle() if hasattr(runner, "idle") else runner.size
        shared = SPLIT_ONE_DAY and runner.size > 1 and len(units) == 1 and len(units[0]) > 1 and idle >= runner.size
        lanes = min(runner.size, len(units[0]) if shared else len(units))
        if lanes > 1:
            todo: queue.SimpleQueue = queue.SimpleQueue()
            for unit in units:
                for piece in ([[i] for i in unit] if shared else [unit]):
                    todo.put(piece)

            def drain() -> None:
                lane = runner.lane() if hasattr(runner, "lane") else None
                try:
                    while True:
                        try:
                            piece = todo.get_nowait()
                        except queue.Empty:
                            return
                        for i in piece:
                            case_results[i] = one(plan[i], lane or runner)
                finally:
                    if lane is not None:
                        lane.close()

            with ThreadPoolExecutor(max_workers=lanes) as pool:
                try:
                    for f in [pool.submit(drain) for _ in range(lanes)]:
                        f.result()
                except KeyboardInterrupt:
                    _abort(runner)  # before the pool waits for its lanes
                    raise
        else:
            try:
                for unit in units:
                    run_unit(unit)
            except KeyboardInterrupt:
                _abort(runner)
                raise

    if not aside:
        if units:
            run_units()  # (no units: nothing selected, e.g. --changed-since with no day file changed)
    elif not units:
        judge_untouched()
    else:
        with ThreadPoolExecutor(max_workers=1) as beside:
            judged = beside.submit(judge_untouched)
            try:
                run_units()
            except BaseException:
                stopping.set()
                raise
            judged.result()

    days = []
    i = 0
    for day in selection.days:
        tasks = [t for t in day.tasks if selection.task in (None, t.name)]
        task_results = []
        for t in tasks:
            n = len(t.cases)
            # Outcomes stored for a catalogue edited since (the instructor's copy before a rebuild) rule nothing out.
            stale = bool(t.mistakes) and entries is not None and entries.has(day) and \
                not entries.stored_current(day, t, refs)
            keep_consistent(t, case_results[i:i + n], refs, stale=stale)
            task_results.append(aggregate(t, case_results[i:i + n]))
            i += n
        days.append(DayResult(day=day, tasks=task_results, error=day_errors.get(day.number, "")))
    return GradeRun(course=course, days=days, exercises=exercises)


#: Whether one day alone (``watch``, ``grade 3``) is shared by every worker of a pool whose workers are all
#: idle, case by case, each on its own lane (measured: faster than the day as one unit).
SPLIT_ONE_DAY = True
CASE_OVERHEAD = 0.025  # seconds a case costs beyond its function (worker, judging), for planning only
PRELOAD_COST = 1.0  # seconds a worker takes to import a day's own libraries (scikit-learn), for planning only


def _abort(runner) -> None:
    """Ctrl-C (or SIGTERM, turned into it) while cases run: kill the cases running now, so every lane ends at
    once instead of waiting out a learner's endless loop. The runner takes no more cases after this: only an
    interrupt comes here, never an error of ours (a modified reference), which leaves the pool to its owner."""
    abort = getattr(runner, "abort", None)
    if abort is not None:
        abort()


def plan_units(plan: list, refs, workers: int) -> list[list[int]]:
    """The plan's cases (indices into ``plan``, in order) cut into units, each run on one worker in order.

    A unit is a day: its module is imported by one worker and its ``preload`` libraries (scikit-learn)
    by that worker only. Days that need the same ``preload`` share one unit when it stays within a
    worker's fair share of the whole, so one worker imports them. Units come longest first (estimated
    from the references' solution times), so a queue of them keeps every worker busy to the end.
    """
    by_day: dict = {}
    for i, (day, task, case) in enumerate(plan):
        by_day.setdefault(day.number, []).append(i)

    def cost(unit: list[int]) -> float:
        total = 0.0
        loads = set()
        for i in unit:
            day, task, case = plan[i]
            total += (refs.solution_time(task, case) or 0.0) + CASE_OVERHEAD
            loads.update(_libraries([task]))
        return total + PRELOAD_COST * bool(loads)

    units = list(by_day.values())
    if workers > 1 and len(units) > 1:
        share = sum(cost(u) for u in units) / workers
        groups: dict = {}
        for u in units:
            key = _libraries(plan[i][1] for i in u)
            if key:
                groups.setdefault(key, []).append(u)
        for members in groups.values():
            if len(members) > 1 and cost([i for u in members for i in u]) <= share:
                merged = sorted(i for u in members for i in u)
                units = [u for u in units if u not in members] + [merged]
    return sorted(units, key=cost, reverse=True)


def _libraries(tasks) -> tuple:
    """The top-level packages a unit's tasks preload (``sklearn`` for ``sklearn.svm``) that workers do not import
    by themselves: what costs the import."""
    every = {name.split(".")[0] for name in PRELOAD}
    return tuple(sorted({name.split(".")[0] for t in tasks for name in (t.preload or ())} - every))


def module_problem(module: Path, exercises: Path) -> str:
    """Why a learner module cannot be run at all (missing file, syntax error), or ''."""
    shown = _shown(module, exercises)
    if not module.is_file():
        return (f"{shown} is missing: restore it from the course (for example "
                f"`git checkout -- {shown}`) and fill in its functions.")
    try:
        source = module.read_bytes()
    except OSError as exc:
        return f"{shown} cannot be read ({exc.strerror}): check its permissions."
    try:
        compile(source, str(module), "exec", dont_inherit=True)
    except SyntaxError as exc:
        line = (exc.text or "").strip()
        where = f" line {exc.lineno}" if exc.lineno else ""
        return f"{shown}{where} has a syntax error ({exc.msg}): {line}" if line else \
            f"{shown}{where} has a syntax error ({exc.msg}): fix it and grade again."
    except ValueError as exc:  # e.g. null bytes
        return f"{shown} is not a Python source file ({exc}): restore it from the course."
    return ""


def _shown(module: Path, exercises: Path) -> str:
    return f"{exercises.name}/{module.name}"


def grade_case(day: Day, task: Task, case, module: Path, refs: References, runner: Runner, *,
               timeout: float | None = None, keep_images: bool = False,
               hide: tuple = (), entries: Entries | None = None) -> tuple[CaseResult, bool]:
    """Run and judge one case. Returns the result and whether the module itself is broken.

    ``hide`` lists folders (references, solutions) the learner's code must not see. With ``entries`` (the
    course's answer catalogue), a failed answer is compared with the task's catalogued mistakes, run on
    the same inputs, and the one it matches names the failure.
    """
    check = checks.check_for(task, case)
    expected = refs.expected(task, case) if check.needs_reference else None
    args, kwargs, files = materialize(case, refs)
    limit = float(case.options.get("timeout", timeout or task.timeout))
    job = Job(module=module, function=task.function, args=args, kwargs=kwargs, timeout=limit,
              memory=(task.memory_mb * 2**20) if task.memory_mb else None, files=files,
              hide=tuple(hide) or (refs.folder,), preload=task.preload)
    raw = runner.run(job)
    ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
    result = judge(task, case, check, raw, expected, ctx, module=module, limit=limit)
    # A case judged by statistics alone (random noise) names its mistake in its own message: nothing to run.
    if task.mistakes and result.verdict is not None and (task.challenge or not result.verdict.passed) \
            and stores_outcomes(check):
        outputs = None
        if entries is not None and entries.has(day):
            # What the build stored stands in for a run when it is exactly what the run would give.
            found = entries.stored_stand_in(day, task, refs, case, args, check) or \
                entries.run(runner, day, task, [m.function for m in task.mistakes], args, kwargs, files,
                            timeout=limit, hide=tuple(hide) or (refs.folder,))
            outputs = {m: found.get(m.function) for m in task.mistakes}
        else:
            # A release has no catalogue/ to run: the outcomes `references build` stored for the visible
            # cases stand in (a hidden variant has none, and gets the general diagnosis only).
            stored = refs.mistake_outputs(task, case, args, with_reference=check.needs_reference)
            if stored:
                outputs = {m: stored[m.name] for m in task.mistakes if m.name in stored}
        if outputs:
            name_failure(result, check, answer(check, raw), expected, ctx, outputs)
    # Only a function that ran has a speed of its own: an import error or a slow module top level is not it.
    ran = raw.status in (Status.RETURNED, Status.RAISED) and raw.info
    result.note = slow_note(task, (raw.info or {}).get("elapsed") if ran else None, refs.solution_time(task, case),
                            imports=float((raw.info or {}).get("import_seconds") or 0.0),
                            slow_imports=tuple((raw.info or {}).get("slow_imports") or ()))
    if keep_images:
        result.images = _images(ctx, expected, raw, result)
    # Nothing of the module ran to completion: its other cases would end the same way.
    module_broken = not raw.imported and raw.status in MODULE_STOPPERS
    return result, module_broken


SLOW_SECONDS = 1.0  # below this nobody waits long enough to care
SLOW_FACTOR = 20.0


def slow_note(task, elapsed: float | None, solution: float | None, *, imports: float = 0.0,
              slow_imports: tuple = ()) -> str:
    """A sentence when the learner's function is far slower than the reference solution, else ''.

    ``elapsed`` is the call's time; ``imports`` the part of it spent importing
    modules for the first time (named in ``slow_imports``), which is not the
    function's own work and is never blamed on a loop.
    """
    if elapsed is None:
        return ""
    work = max(0.0, float(elapsed) - imports)
    if work < SLOW_SECONDS:
        return ""
    if solution is not None and work < SLOW_FACTOR * max(solution, 1e-3):
        return ""
    theirs = f"; the reference solution takes {solution:.2g} s" if solution is not None else ""
    apart = (f" (not counting {imports:.1f} s importing {', '.join(slow_imports)})"
             if slow_imports and imports >= 0.05 else "")
    return (f"{task.function}() took {work:.1f} s{apart}{theirs}: a Python loop over pixels is the usual "
            "reason; let NumPy or OpenCV work on whole arrays.")


def _images(ctx: CaseContext, expected, raw: RawRun, result: CaseResult) -> dict:
    out = {}
    first = ctx.first_image()
    if first is not None:
        out["input"] = first
    if isinstance(expected, np.ndarray) and expected.ndim >= 2:
        out["expected"] = expected
    if isinstance(raw.value, np.ndarray) and raw.value.ndim >= 2:
        out["yours"] = raw.value
    if result.verdict is not None:
        out.update(result.verdict.maps)
    return out
