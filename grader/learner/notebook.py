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
import html
import inspect
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

from grader.learner import terminal
from grader.course import load_course
from grader.grading import grade, parse_day
from grader.course.project import find_project


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
    names = [fn.__name__ for fn in functions] + list(named)
    try:
        if functions or named:
            tmp = Path(tempfile.mkdtemp(prefix="pixelkata-notebook-"))
            source = (folder / the_day.filename).read_text() if (folder / the_day.filename).is_file() else ""
            extra = [(fn.__name__, _source_of(fn, fn.__name__)) for fn in functions]
            extra += [(name, _source_of(fn, name)) for name, fn in named.items()]
            text, regions = _module_text(source, extra)
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
    combined = f"{rest} with your notebook's {given}"
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
        return text.replace(shown, notebook if own else combined)

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


def _source_of(fn, name: str) -> str:
    """The source of a function defined in a notebook cell or a module, renamed to ``name``."""
    if not callable(fn):
        raise TypeError(f"check() takes functions; {name!r} is a {type(fn).__name__}")
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as exc:
        raise TypeError(f"the source of {fn.__name__} cannot be found ({exc}): define it in a notebook cell "
                        "or a .py file, not interactively in a plain Python prompt.") from None
    tree = ast.parse(source)
    node = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    if node is None:
        raise TypeError(f"{name} is not a plain function (a lambda or a callable object cannot be graded)")
    # Edited in place, line for line, so that line k of the graded copy is line k of the learner's function:
    # decorators become blank lines, and the def line takes the task's name.
    lines = source.splitlines()
    for d in node.decorator_list:
        for i in range(d.lineno - 1, d.end_lineno):
            if i < node.lineno - 1:
                lines[i] = ""
    def_line = node.lineno - 1
    lines[def_line] = re.sub(r"\bdef\s+" + re.escape(node.name) + r"\b", f"def {name}", lines[def_line], count=1)
    return "\n".join(lines) + "\n"
