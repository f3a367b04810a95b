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
        return "\n".join(terminal.render(self.run))

    def _repr_html_(self) -> str:
        # The report page in a sandboxed frame: the same template, its CSS kept to itself.
        return (f'<iframe srcdoc="{html.escape(self._html, quote=True)}" sandbox '
                'style="width:100%;height:640px;border:1px solid #ddd;border-radius:6px"></iframe>')


def check(day, *functions, root=None, exercises=None, record: bool = True, timeout: float | None = None,
          **named) -> CheckResult:
    """Grade one day (a number such as 3, or "day03") and return the result for display."""
    from grader.learner import report

    project = find_project(root)
    course = load_course()
    number = parse_day(day, course)
    the_day = course.day(number)
    folder = Path(exercises) if exercises is not None else project.exercises
    tmp = None
    try:
        if functions or named:
            tmp = Path(tempfile.mkdtemp(prefix="pixelkata-notebook-"))
            source = (folder / the_day.filename).read_text() if (folder / the_day.filename).is_file() else ""
            extra = [_source_of(fn, fn.__name__) for fn in functions]
            extra += [_source_of(fn, name) for name, fn in named.items()]
            (tmp / the_day.filename).write_text(source + "\n\n" + "\n\n".join(extra) + "\n")
            folder = tmp
        run = grade(project, exercises=folder, day=number, keep_images=True, timeout=timeout)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    saved = None
    if record:
        saved = report.save_run(project, run)
        page = saved.report.read_text() if saved.report is not None else _page(run)
    else:
        page = _page(run)
    return CheckResult(run, page, saved)


def _page(run) -> str:
    from grader import __version__
    from grader.learner import report
    from grader.learner.report.view import build

    return report.render(build(run.course, run=run, grader_version=__version__))


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
    node.name = name
    node.decorator_list = []
    return ast.unparse(node)
