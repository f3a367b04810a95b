"""The HTML report: one self-contained file (inline CSS, pictures as data URIs, no scripts).

``save_run`` is what ``pixelkata grade`` calls after grading: it records the
run in the progress store and writes the report, reusing the pictures of
earlier runs that have not changed (:mod:`~grader.learner.report.picture_cache`). ``rerender`` draws the
report again from the store alone (``pixelkata report``).
"""
from __future__ import annotations

import errno
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from grader import __version__
from grader.learner import history
from grader.learner import progress
from grader.errors import PixelkataError
from grader.learner.terminal import points as _pts
from grader.learner.report import picture_cache, pictures
from grader.learner.report.view import build

REPORT_NAME = "report.html"


def default_path(project) -> Path:
    return project.state / REPORT_NAME


@dataclass
class Saved:
    report: Path | None = None
    notes: list = field(default_factory=list)  # things the learner should know (a database moved aside)
    errors: list = field(default_factory=list)  # what could not be done, each a sentence saying what to do

    @property
    def ok(self) -> bool:
        return not self.errors


def save_run(project, run, *, report_path: Path | None = None, db_path: Path | None = None,
             record: bool = True) -> Saved:
    """Record ``run`` in the progress store (unless ``record`` is False), then write the report.

    Never raises for a store or disk problem. An unrecorded run's report shows
    that run alone, without the learner's history around it.
    """
    saved = Saved()
    db = Path(db_path) if db_path is not None else progress.default_path(project)
    standing = None
    help_taken: dict = {}
    if record:
        try:
            with progress.open_store(db) as store:
                saved.notes += store.notes
                store.write(progress.run_record(run, grader_version=__version__))
                standing = history.summarise(store.runs(), run.course)
                help_taken = {"hints_used": store.hints_used(), "reveals": store.reveals()}
        except PixelkataError as exc:
            saved.errors.append(f"{exc} This run was not recorded.")
    else:
        saved.notes.append(f"not recorded in your progress: {run.exercises} is not your own exercises/ folder "
                           "(add --record to keep it). `pixelkata report` draws your own report again.")
    cache = picture_cache.PictureCache(db.with_name(picture_cache.FILE_NAME))  # beside the progress database
    try:
        with pictures.kept_in(cache):
            view = build(run.course, run=run, standing=standing, grader_version=__version__,
                         notes=saved.notes + saved.errors, **help_taken)
    finally:
        cache.close()
    try:
        saved.report = write(report_path, render(view), default=default_path(project))
    except PixelkataError as exc:
        saved.errors.append(str(exc))
    return saved


def rerender(project, course, *, report_path: Path | None = None, db_path: Path | None = None) -> Saved:
    """Write the report from the progress store alone, without grading (raises PixelkataError)."""
    db = Path(db_path) if db_path is not None else progress.default_path(project)
    with progress.open_store(db, create=False) as store:
        runs, notes = store.runs(), list(store.notes)
        help_taken = {"hints_used": store.hints_used(), "reveals": store.reveals()}
    view = build(course, standing=history.summarise(runs, course), grader_version=__version__, notes=notes,
                 **help_taken)
    return Saved(report=write(report_path, render(view), default=default_path(project)), notes=notes)


_ENV = None


def _environment():
    global _ENV
    if _ENV is None:
        try:
            from jinja2 import Environment, PackageLoader, StrictUndefined
        except ImportError as exc:
            raise PixelkataError(f"cannot draw the HTML report: {exc.name or 'jinja2'} failed to import "
                                 f"({type(exc).__name__}: {exc}). Reinstall pixelkata (pip install -e .), "
                                 "then run `pixelkata report` to draw it.") from None

        env = Environment(loader=PackageLoader("grader.learner", "templates"), autoescape=True,
                          undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        env.filters["code"] = code_spans
        env.globals["pts"] = _pts
        _ENV = env
    return _ENV


def render(view) -> str:
    """The report's HTML for a :class:`~grader.learner.report.view.ReportView`."""
    return _environment().get_template("report.html.j2").render(view=view)


_TICKS = re.compile(r"`([^`\n]+)`")


def code_spans(text) -> Markup:
    """Escape ``text`` and show its `backticked` parts as code."""
    return Markup(_TICKS.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def open_in_browser(path: Path, *, wait: float = 3.0) -> bool:
    """Open ``path`` in the desktop's web browser; False when there is none. Prints nothing.

    The opener's own output (``xdg-open`` complaining that no browser or display
    exists) goes nowhere: the caller says what happened in one line.
    """
    import shutil
    import subprocess
    import sys

    target = str(Path(path).resolve())
    if sys.platform == "win32":
        try:
            os.startfile(target)  # noqa: the one way to hand a file to Windows' default program
        except OSError:
            return False
        return True
    if sys.platform == "darwin":
        command = ["open", target]
    else:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return False  # no desktop to show a browser on (ssh, a container, CI)
        command = ["xdg-open", target]
    if shutil.which(command[0]) is None:
        return False
    try:
        opener = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    try:
        return opener.wait(timeout=wait) == 0
    except subprocess.TimeoutExpired:
        return True  # still starting the browser, which is what it is for


def write(path: Path | None, html: str, *, default: Path) -> Path:
    """Write ``html`` to ``path`` (or ``default``) in one step: a reader never sees half a report."""
    target = Path(path).expanduser() if path is not None else default
    folder = target.parent
    if path is None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PixelkataError(f"cannot create {folder} for the report ({exc.strerror}): make the course "
                                 "folder writable, or pass --report PATH.") from None
    elif not folder.is_dir():
        raise PixelkataError(f"cannot write the report to {target}: the folder {folder} does not exist. "
                             "Create it first, or choose another --report path.")
    if target.is_dir():
        raise PixelkataError(f"cannot write the report to {target}: it is a folder. Give a file name, "
                             f"e.g. --report {target / REPORT_NAME}.")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            raise PixelkataError(f"cannot write the report to {target}: no space left on the disk holding "
                                 f"{folder}. Free some space, then run `pixelkata report` to draw it.") from None
        raise PixelkataError(f"cannot write the report to {target} ({exc.strerror or exc}): make {folder} "
                             "writable, or choose another place with --report PATH.") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return target
