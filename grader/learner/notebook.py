"""Grading from a Jupyter notebook: ``from grader import check``, then ``check(3)``.

``check(day)`` grades that day from the learner's module in exercises/, or
from functions passed in explicitly (``check(1, crop)`` or
``check(1, crop=my_crop)``): their source is written into a copy of the day's
module, so the learner's code still runs in the grader's isolated workers,
never in the notebook's own process. The result shows inline as the same HTML
the report uses, and the run is recorded in the progress store like the CLI's.
"""
from __future__ import annotations

import ast
import builtins
import dis
import html
import inspect
import re
import shutil
import textwrap
from pathlib import Path

from grader.learner import terminal
from grader.course import load_course
from grader.grading import grade, parse_day
from grader.course.project import find_project
from grader.errors import PixelkataError
from grader.engine import scratch as scratch_folders


class NotebookError(PixelkataError, TypeError):
    """A function ``check()`` cannot grade as it is: one line in a notebook, saying what to pass instead.

    A TypeError too, so code that caught the old error still does. IPython shows ``_render_traceback_``'s
    lines in place of a traceback through the grader's own code.
    """

    def _render_traceback_(self) -> list:
        return [f"{type(self).__name__}: {self}"]


class CheckResult:
    """A graded day, shown as HTML in a notebook and as text elsewhere."""

    def __init__(self, run, html_page: str, saved=None):
        self.run = run
        self._html = html_page
        self.saved = saved

    @property
    def points(self) -> float:
        return self.run.points

    @property
    def max_points(self) -> float:
        return self.run.max_points

    @property
    def outcomes(self) -> dict:
        return {t.name: t.outcome.value for t in self.run.tasks}

    def __repr__(self) -> str:
        import click

        return "\n".join(click.unstyle(line) for line in terminal.render(self.run))

    def _repr_html_(self) -> str:
        # The report page in a sandboxed frame: the same template, its CSS kept to itself. The frame
        # starts at an estimate of the graded day's height and, once loaded, takes its page's real height
        # (allow-same-origin lets the notebook read it; the page itself runs no script).
        height = estimate_height(self.run)
        return (f'<iframe srcdoc="{html.escape(self._html, quote=True)}" class="pixelkata-report" '
                'sandbox="allow-same-origin" '
                "onload=\"try{var d=this.contentDocument.documentElement;this.style.height='0px';"
                "this.style.height=(d.scrollHeight+4)+'px'}catch(e){}\" "
                f'style="width:100%;height:{height}px;border:1px solid #ddd;border-radius:6px"></iframe>')


def estimate_height(run) -> int:
    """A first height for the inline frame, in CSS pixels: the header, then each graded task."""
    height = 300
    for t in run.tasks:
        height += 120
        if t.outcome.value not in ("passed",) and any(c.images for c in t.cases):
            height += 170
    return min(height + 60 * max(0, len(run.course.days) - len(run.days)), 4000)


def check(day, *functions, root=None, exercises=None, record: bool | None = None, timeout: float | None = None,
          **named) -> CheckResult:
    """Grade one day (a number such as 3, or "day03") and return the result for display.

    ``record``: keep the run in the progress store. By default only a grade of
    your own exercises/ with no functions passed in is kept, so trying someone
    else's folder or a scratch function never changes your progress.
    """
    from grader.learner import report

    project = find_project(root)
    course = load_course()
    number = parse_day(day, course)
    the_day = course.day(number)
    folder = Path(exercises) if exercises is not None else project.exercises
    own = not (functions or named) and _same_folder(folder, project.exercises)
    tmp = None
    names = [getattr(fn, "__name__", "?") for fn in functions] + list(named)
    try:
        if functions or named:
            tmp = scratch_folders.make("pixelkata-notebook-")
            source = (folder / the_day.filename).read_text() if (folder / the_day.filename).is_file() else ""
            given = [(getattr(fn, "__name__", None), fn) for fn in functions] + list(named.items())
            extra = [(name, _source_of(fn, name)) for name, fn in given]
            text, regions = _module_text(source, extra)
            for name, fn in given:
                _refuse_what_the_copy_cannot_see(fn, name, text, the_day.filename)
            (tmp / the_day.filename).write_text(text)
            run = grade(project, exercises=tmp, day=number, keep_images=True, timeout=timeout)
            _speak_of_the_notebook(run, tmp, folder, the_day.filename, names, regions)
        else:
            run = grade(project, exercises=folder, day=number, keep_images=True, timeout=timeout)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    saved = None
    if own if record is None else record:
        saved = report.save_run(project, run)
    return CheckResult(run, _page(run, number), saved)


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _module_text(source: str, extra: list) -> tuple[str, list]:
    """The graded module: the day file, then each notebook function; and where each function starts.

    Returns the text and ``[(name, first line, last line)]`` of the notebook functions in it (1-based),
    so a line of the module can be told as a line of the learner's own function.
    """
    text = source + "\n\n"
    regions = []
    for name, code in extra:
        start = text.count("\n") + 1
        text += code.rstrip("\n") + "\n"
        regions.append((name, start, text.count("\n")))
        text += "\n\n"
    return text, regions


def _speak_of_the_notebook(run, tmp: Path, folder: Path, filename: str, names: list, regions=()) -> None:
    """Name the learner's notebook functions, not the temporary module they were graded in (deleted by now).

    A line of a notebook function is told as a line of that function (line 1 is its ``def``, or its first
    decorator), never as a line of the temporary module; a line of the day file keeps its own number.
    """
    given = ", ".join(f"{n}()" for n in names)
    notebook = "your notebook"
    rest = f"{folder.name}/{filename}"
    shown = f"{tmp.name}/{filename}"
    paths = "|".join(re.escape(str(p)) for p in {tmp / filename, tmp.resolve() / filename})
    frame = re.compile(r'File "(?:' + paths + r')", line (\d+)')
    path = re.compile(paths)

    def where(line: int) -> tuple[str, int]:
        for name, first, last in regions:
            if first <= line <= last:
                return f"{name}() in {notebook}", line - first + 1
        return rest, line

    def frame_line(m) -> str:
        place, line = where(int(m.group(1)))
        return f'File "{place}", line {line}'

    def message_line(m) -> str:
        place, line = where(int(m.group(1)))
        return f"(line {line} of {place})"

    def fix(text: str, own: bool) -> str:
        # Whole paths first: replacing the folder's name alone would leave "/tmp/" in front.
        text = frame.sub(frame_line, text)
        text = path.sub(f"<{notebook}>", text)
        # A task not given from the notebook is the day file's own ("Write read_image() in
        # exercises/day01_reading.py"): the page's header says which functions came from the notebook.
        return text.replace(shown, notebook if own else rest)

    for day in run.days:
        day.error = fix(day.error, False)
        for t in day.tasks:
            own = t.name in names
            t.message = fix(t.message, own)
            for c in t.cases:
                c.message = re.sub(r"\(line (\d+)\)", message_line, fix(c.message, own))
                c.traceback = fix(c.traceback, own)
            if t.cases and t.message:
                t.message = re.sub(r"\(line (\d+)\)", message_line, t.message)
    run.exercises = Path(f"your notebook's {given}; the rest from {rest}")


def _page(run, number: int | None = None) -> str:
    """The report page of a notebook run: the graded day first, the others after it."""
    from grader import __version__
    from grader.learner import report
    from grader.learner.report.view import build

    view = build(run.course, run=run, grader_version=__version__)
    if number is not None:
        view.days.sort(key=lambda d: d.number != number)
    return report.render(view)


def _source_of(fn, name) -> str:
    """The source of a function defined in a notebook cell or a module, renamed to ``name``.

    Raises :class:`NotebookError` (one line, what to pass instead) for anything but a plain function: a
    method bound to an object, a lambda, a callable object, a function without a source.
    """
    shown = name if isinstance(name, str) else getattr(fn, "__name__", "it")
    plain = "check() grades plain functions, written with def at the top level of a notebook cell"
    if inspect.ismethod(fn):
        owner = type(fn.__self__).__name__
        raise NotebookError(f"{shown} is a method of a {owner} object, and its self cannot be passed to the "
                            f"grader: {plain}; write {shown} as one (no self) and pass that.")
    if not inspect.isfunction(fn):
        what = "a class" if inspect.isclass(fn) else f"a {type(fn).__name__}"
        raise NotebookError(f"{shown} is {what}, not a function: {plain}, then pass that function.")
    if fn.__name__ == "<lambda>":
        raise NotebookError(f"{shown} is a lambda: write it with def at the top level of a notebook cell "
                            f"(def {shown}(...):) and pass that function; check() grades plain functions only.")
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as exc:
        raise NotebookError(f"the source of {fn.__name__} cannot be found ({exc}): define it in a notebook cell "
                            "or a .py file, not interactively in a plain Python prompt.") from None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = ast.Module(body=[], type_ignores=[])
    node = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    if node is None:
        raise NotebookError(f"{shown} is not a plain function: {plain}, then pass that function.")
    # Edited in place, line for line, so that line k of the graded copy is line k of the learner's function:
    # decorators become blank lines, and the def line takes the task's name.
    lines = source.splitlines()
    for d in node.decorator_list:
        for i in range(d.lineno - 1, d.end_lineno):
            if i < node.lineno - 1:
                lines[i] = ""
    def_line = node.lineno - 1
    lines[def_line] = re.sub(r"\bdef\s+" + re.escape(node.name) + r"\b", f"def {shown}", lines[def_line], count=1)
    return "\n".join(lines) + "\n"


def _refuse_what_the_copy_cannot_see(fn, name: str, module_text: str, filename: str) -> None:
    """Refuse a function that uses names its graded copy cannot see, before it is graded.

    Only the function's own source is copied into the day's module: a value from the function around it (a
    closure), or a helper, loop variable or import that lives in the notebook (or in another module) but
    not in the day's module, runs in the notebook and fails with a bare NameError once copied. A name that
    is defined nowhere is left to the grader, which tells it at the learner's own line.
    """
    outer = list(fn.__code__.co_freevars)
    if outer:
        raise NotebookError(
            f"{name}() uses {_listed(outer)} from the code around it (the function that made it, or a loop "
            f"there), which the grader cannot see: only {name}()'s own source is graded. Define {_listed(outer)} "
            f"inside {name}(), and write {name} with def at the top level of a notebook cell.")
    known = _module_names(module_text) | set(dir(builtins))
    if "*" in known:
        return  # the day file imports every name of some module: which ones it sees cannot be told here
    notebook = fn.__globals__
    missing = [n for n in _globals_used(fn.__code__) if n not in known and n in notebook]
    if missing:
        imports = [_import_of(n, notebook[n], fn.__module__) for n in missing]
        shown = "; ".join(i for i in imports if i is not None)
        plain = all(i == f"import {n}" for i, n in zip(imports, missing))
        fix = (f"Import {_listed(missing)} inside {name}(){'' if plain else f' ({shown})'}, or at the top of "
               f"exercises/{filename}."
               if None not in imports else
               f"Define {_listed(missing)} inside {name}() (with any import it needs), or put "
               f"{'it' if len(missing) == 1 else 'them'} in exercises/{filename}.")
        raise NotebookError(
            f"{name}() uses {_listed(missing)}, which your notebook has but the grader cannot see: only "
            f"{name}()'s own source is graded, in a copy of {filename}. {fix}")


def _import_of(name: str, value, home: str):
    """The import statement that gives ``name`` its notebook value, or None when the notebook defines it."""
    if inspect.ismodule(value):
        return f"import {value.__name__}" + ("" if value.__name__ == name else f" as {name}")
    module = getattr(value, "__module__", None)
    if (inspect.isfunction(value) or inspect.isclass(value) or inspect.isbuiltin(value)) \
            and isinstance(module, str) and module != home and module != "__main__":
        real = getattr(value, "__name__", name)
        return f"from {module} import {real}" + ("" if real == name else f" as {name}")
    return None


def _listed(names: list) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _globals_used(code) -> list:
    """The global names a code object (and the functions and comprehensions inside it) reads, in order."""
    out = []
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and isinstance(ins.argval, str):
            out.append(ins.argval)
    for const in code.co_consts:
        if inspect.iscode(const):
            out += _globals_used(const)
    return list(dict.fromkeys(out))


def _module_names(text: str) -> set:
    """The names the graded module defines at its top level: imports, functions, classes, assignments."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()  # a broken day file: the grader says so itself
    names: set = set()

    def visit(body):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.name == "*":
                        names.add("*")
                    names.add(alias.asname or alias.name.split(".")[0])
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    names.add(sub.id)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit([n for n in inner if isinstance(n, ast.stmt)] +
                          [s for h in inner if isinstance(h, ast.ExceptHandler) for s in h.body])

    visit(tree.body)
    return names
