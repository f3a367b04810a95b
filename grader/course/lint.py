"""``pixelkata check-course``: prove the course is sound before it ships.

Every task has a stub and a solution with one signature, a TODO, at least two
hints and its references; every stub grades *not attempted* and every solution
*passes*; nothing stray lies in exercises/, solutions/, reference_images/ or
the manifest folder. The answer catalogue is proven on every case and on hidden
variants (:mod:`grader.grading.proof`), and its table printed: task, number of
alternatives, number of mistakes, and the worst margin on each side.
"""
from __future__ import annotations

import ast
from pathlib import Path

from grader import checks
from grader.course import variants
from grader.course.cases import inputs_used
from grader.course import CourseError, catalogue, load_course, manifest_dir
from grader.errors import PixelkataError
from grader.grading import grade
from grader.grading.proof import prove_with_variants, table
from grader.course.project import Project
from grader.course.references import UNHASHED, References, expected_folder
from grader.grading.results import Outcome
from grader.engine.runner import Runner

MIN_HINTS = 2
MIN_FRACTION = 0.99  # the rounding policy: no pixels check lets more than 1% of a picture differ


def _check_option_problems(course) -> list[str]:
    """Each case whose check cannot be built (an unknown kind, a misspelt or wrong option), naming the task."""
    problems = []
    for task in course.tasks():
        for case in task.cases:
            try:
                checks.check_for(task, case)
            except checks.CheckError as exc:
                problems.append(str(exc))
    return problems


def check_course(project: Project, *, runner: Runner | None = None, log=print) -> list[str]:
    """Every problem found, as sentences; an empty list means the course is sound."""
    course = load_course()
    problems: list[str] = []
    refs = References(project.references)

    listed = {f"day{d.number:02d}.toml" for d in course.days}
    for path in sorted(manifest_dir().glob("day*.toml")):
        if path.name not in listed:
            problems.append(f"grader/course/{path.name} is not listed in course.toml.")

    known_modules = {d.filename for d in course.days}
    for folder in (project.exercises, project.solutions):
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.name == "__pycache__" or path.name.startswith("."):
                continue
            if path.name not in known_modules:
                problems.append(f"{folder.name}/{path.name} belongs to no day of the course (an orphan file).")

    broken = _check_option_problems(course)
    if broken:
        return problems + broken  # every later step builds these checks and would stop at the first
    problems += _catalogue_problems(project, course)
    problems += _stored_mistake_problems(project)
    problems += _stub_digest_problems(project, course)
    problems += _preload_problems(project, course)
    for day in course.days:
        stub_path = project.exercises / day.filename
        sol_path = project.solutions / day.filename
        stub_funcs = _functions(stub_path, problems)
        sol_funcs = _functions(sol_path, problems)
        if stub_funcs is None or sol_funcs is None:
            continue
        names = {t.function for t in day.tasks}
        for extra in sorted(set(stub_funcs) - names):
            if not extra.startswith("_"):
                problems.append(f"exercises/{day.filename} defines {extra}(), which no task grades.")
        for task in day.tasks:
            stub, sol = stub_funcs.get(task.function), sol_funcs.get(task.function)
            where = f"{task.key}"
            if stub is None:
                problems.append(f"{where}: exercises/{day.filename} has no function {task.function}().")
            if sol is None:
                problems.append(f"{where}: solutions/{day.filename} has no function {task.function}().")
            if stub is not None and sol is not None and _signature(stub) != _signature(sol):
                problems.append(f"{where}: the stub's signature ({_signature(stub)}) differs from the "
                                f"solution's ({_signature(sol)}).")
            if sol is not None:
                try:
                    variants.spec_for(task, variants.solution_parameters(sol_path, task.function))
                except CourseError as exc:
                    problems.append(str(exc))
            if stub is not None:
                if not _raises_not_implemented(stub):
                    problems.append(f"{where}: the stub's body must raise NotImplementedError.")
                if "TODO" not in _source(stub_path, stub):
                    problems.append(f"{where}: the stub has no TODO comment marking the learner's edit.")
                if not ast.get_docstring(stub):
                    problems.append(f"{where}: the stub has no docstring.")
            problems += _rounding_problems(task)
            if len([h for h in task.hints if h]) < MIN_HINTS:
                problems.append(f"{where}: needs at least {MIN_HINTS} non-empty hints.")
            if not task.summary:
                problems.append(f"{where}: needs a one-line summary.")
            for case in task.cases:
                try:
                    check = checks.check_for(task, case)
                    if check.needs_reference:
                        refs.expected(task, case)
                    for name in inputs_used(case):
                        refs.input_path(name)
                except checks.CheckError as exc:
                    problems.append(str(exc))  # it names the task and the case already
                except PixelkataError as exc:
                    problems.append(f"{where} case {case.id}: {exc}")

    problems += _stray_references(project, course, refs)
    if problems:
        return problems  # grading on a broken course would only repeat the same problems

    own = runner is None
    runner = runner or Runner(2)
    try:
        log("grading the stubs (every task must be not attempted)...")
        # Run for real: the shortcut for untouched days rests on what this proves.
        stubs = grade(project, exercises=project.exercises, runner=runner, references=refs, run_untouched=True)
        for t in stubs.tasks:
            if t.outcome is not Outcome.NOT_ATTEMPTED:
                problems.append(f"{t.task.key}: the stub grades {t.outcome.value}, not 'not attempted' ({t.message}).")
        log("grading the solutions (every task must pass)...")
        sols = grade(project, exercises=project.solutions, runner=runner, references=refs)
        for t in sols.tasks:
            if not t.passed:
                problems.append(f"{t.task.key}: the solution grades {t.outcome.value} ({t.message}).")
            elif t.task.challenge and t.tier != "gold":
                problems.append(f"{t.task.key}: the reference solution reaches only {t.tier}; it should reach gold.")
        log("proving the answer catalogue (every alternative passes, every mistake fails and is named, "
            "on every case and on hidden variants)...")
        proof = prove_with_variants(project, runner)
        for line in table(proof.rows(course)):
            log(line)
        problems += proof.problems
    finally:
        if own:
            runner.close()
    return problems


def _preload_problems(project: Project, course) -> list[str]:
    """A library the day's solution or catalogue imports must be one the workers preload (their own list,
    or the day's ``preload``): otherwise every case imports it again in a fresh child, which for
    scikit-learn costs over a second a case. Judged by top-level package, from the source alone."""
    import sys

    from grader.engine.preload import PRELOAD

    stdlib = getattr(sys, "stdlib_module_names", frozenset())
    problems = []
    for day in course.days:
        covered = {name.split(".")[0] for name in PRELOAD + day.preload} | {"grader"}
        for path in (project.solutions / day.filename, project.root / catalogue.FOLDER / day.filename):
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (OSError, SyntaxError, ValueError):
                continue  # a missing or broken module is reported elsewhere
            imported = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    imported.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    imported.add(node.module)
            missing = [name for name in sorted(imported) if name.split(".")[0] not in covered | stdlib]
            if missing:
                problems.append(f"{path.parent.name}/{path.name} imports {', '.join(missing)}, which no worker "
                                f"preloads: add {'it' if len(missing) == 1 else 'them'} to preload in "
                                f"grader/course/{day.slug}.toml.")
    return problems


def _pixel_checks(spec: dict):
    """Every `pixels` check in a check spec, items of a tuple included."""
    if not isinstance(spec, dict):
        return
    if spec.get("kind") == "pixels":
        yield spec
    for item in spec.get("items", []) or []:
        yield from _pixel_checks(item)


def _rounding_problems(task) -> list[str]:
    """The rounding policy (docs/ENGINE.md): one tolerance for every picture, set nowhere else."""
    problems = []
    specs = [("its check", task.check)] + [(f"case {c.id}'s check", c.options["check"]) for c in task.cases
                                            if isinstance(c.options.get("check"), dict)]
    for where, spec in specs:
        for check in _pixel_checks(spec):
            if "tolerance" in check:
                problems.append(f"{task.key}: {where} sets a pixels tolerance; the rounding policy is the one "
                                "tolerance for pictures (docs/ENGINE.md): remove it.")
            if float(check.get("min_fraction", 1.0)) < MIN_FRACTION:
                problems.append(f"{task.key}: {where} passes with min_fraction {check['min_fraction']}, below "
                                f"{MIN_FRACTION}: a picture task may let at most 1% of its pixels differ.")
            if "rounding_lean" in check and where == "its check":
                problems.append(f"{task.key}: rounding_lean widens the rounding policy for a whole task; set it "
                                "only on the case where two allowed library calls round differently.")
    return problems


def _stored_mistake_problems(project) -> list[str]:
    """Stored mistake outputs name mistakes in a learner's release: they must come from today's catalogue,
    solutions and references (see :func:`grader.course.build.stale_mistake_outputs`)."""
    from grader.course import build

    return [f"reference_images/{d.where}: {d.problem}" for d in build.stale_mistake_outputs(project)]


def _stub_digest_problems(project, course) -> list[str]:
    """The manifest's stub digests let grading judge an untouched day without running it: they must be the
    stubs' as exercises/ holds them (see :func:`grader.course.build.stale_stub_digests`)."""
    from grader.course import build

    return [f"reference_images/{d.where}: {d.problem}" for d in build.stale_stub_digests(project, course)]


def _catalogue_problems(project: Project, course) -> list[str]:
    """Every listed entry has its function, with the solution's signature; no function is unlisted."""
    problems = []
    folder = project.root / catalogue.FOLDER
    known = {d.filename for d in course.days}
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        if path.name not in known:
            problems.append(f"{catalogue.FOLDER}/{path.name} belongs to no day of the course (an orphan file).")
    for day in course.days:
        for task in day.tasks:
            problems += catalogue.short_problems(task)
            for mistake in task.mistakes:
                problems += [f"{task.key}: mistake {mistake.name}'s `says` {p}."
                             for p in catalogue.sentence_problems(mistake.says)]
        listed = {e.function: t for t in day.tasks for e in (*t.alternatives, *t.mistakes)}
        path = catalogue.module_path(project.root, day.filename)
        if not path.is_file():
            if listed:
                problems.append(f"{day.slug} lists catalogue entries but {catalogue.FOLDER}/{day.filename} is missing.")
            continue
        found = _functions(path, problems) or {}
        sol = _functions(project.solutions / day.filename, []) or {}
        for name, task in sorted(listed.items()):
            fn = found.get(name)
            if fn is None:
                problems.append(f"{task.key}: {catalogue.FOLDER}/{day.filename} has no function {name}() for its "
                                "catalogue entry.")
            elif task.function in sol and _signature(fn) != _signature(sol[task.function]):
                problems.append(f"{task.key}: {name}() takes ({_signature(fn)}), the task's function "
                                f"({_signature(sol[task.function])}).")
        for name in sorted(set(found) - set(listed)):
            if "__" in name and not name.startswith("_"):
                problems.append(f"{catalogue.FOLDER}/{day.filename} defines {name}(), which no catalogue entry "
                                "in the day's manifest lists.")
    return problems


def _functions(path: Path, problems: list) -> dict | None:
    try:
        tree = ast.parse(path.read_text(), str(path))
    except FileNotFoundError:
        problems.append(f"{path.parent.name}/{path.name} is missing.")
        return None
    except SyntaxError as exc:
        problems.append(f"{path.parent.name}/{path.name} line {exc.lineno} has a syntax error: {exc.msg}.")
        return None
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _signature(fn: ast.FunctionDef) -> str:
    return ast.unparse(fn.args)


def _source(path: Path, fn: ast.FunctionDef) -> str:
    lines = path.read_text().splitlines()
    return "\n".join(lines[fn.lineno - 1:fn.end_lineno])


def _raises_not_implemented(fn: ast.FunctionDef) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id == "NotImplementedError":
                return True
    return False


def _stray_references(project: Project, course, refs: References) -> list[str]:
    problems = []
    try:
        files = refs.manifest["files"]
    except PixelkataError as exc:
        return [str(exc)]
    wanted_folders = {expected_folder(t) for t in course.tasks()}
    case_stems = {f"{expected_folder(t)}/{c.id}" for t in course.tasks() for c in t.cases}
    used_inputs = {f"inputs/{n}" for t in course.tasks() for c in t.cases for n in inputs_used(c)}
    for rel in files:
        if rel.startswith("expected/"):
            folder, name = rel.rsplit("/", 1)
            stem = f"{folder}/{name.split('.', 1)[0]}"
            if folder not in wanted_folders or stem not in case_stems:
                problems.append(f"reference_images/{rel} belongs to no case: rebuild with `pixelkata references build`.")
        elif rel.startswith("inputs/") and rel not in used_inputs:
            problems.append(f"reference_images/{rel} is used by no case: drop its generator or use it.")
    for path in sorted(project.references.rglob("*")):
        rel = path.relative_to(project.references).as_posix()
        if path.is_file() and rel not in files and rel not in UNHASHED:
            problems.append(f"reference_images/{rel} is not in the manifest (a stray file).")
    return problems
