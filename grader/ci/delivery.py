"""Where a grading run goes: the terminal, output files, GitHub Actions, and the exit status.

``plan()`` checks every output option before anything is graded (an unknown
format or a path that cannot be written is a one-line error, exit 2), and
``Plan.deliver()`` writes the run in each requested format afterwards.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from grader.ci import exports
from grader.ci import github
from grader.ci import gitrefs
from grader.ci import passmark
from grader.learner import terminal
from grader.errors import PixelkataError
from grader.course.project import Project
from grader.grading.results import GradeRun


NAMES = {"text": "text results", "json": "JSON results", "junit": "JUnit XML results",
         "gradescope": "Gradescope results", "markdown": "Markdown summary"}


@dataclass(frozen=True)
class Target:
    fmt: str
    path: Path | None  # None: standard output


@dataclass
class Plan:
    targets: list = field(default_factory=list)
    min_score: passmark.MinScore | None = None
    changed_since: str | None = None
    references_from: str | None = None

    @property
    def stdout_format(self) -> str | None:
        return next((t.fmt for t in self.targets if t.path is None), None)

    def days(self, project: Project, day, exercises: Path | None):
        """What to grade: ``day`` as given, or the days whose exercise file changed since a ref."""
        if self.changed_since is None:
            return day
        if day is not None:
            raise PixelkataError("give either a DAY or --changed-since, not both.")
        from grader.course import load_course

        return gitrefs.changed_days(load_course(), project, exercises or project.exercises, self.changed_since)

    def references(self, project: Project):
        """A context giving the References to grade against (None: the project's own folder)."""
        if self.references_from is None:
            return contextlib.nullcontext(None)
        return gitrefs.references_at(project, self.references_from)

    def deliver(self, run: GradeRun, *, show_hints: bool = True, fold: bool = False, env=None) -> int:
        """Write ``run`` everywhere it was asked for; returns the exit status.

        ``fold`` shows each day not started as one line in the terminal text (the files are never folded).
        """
        env = os.environ if env is None else env
        to_stdout = self.stdout_format
        for t in self.targets:
            if t.path is None and t.fmt == "text":
                for line in terminal.render(run, show_hints=show_hints, fold=fold):
                    click.echo(line)
            elif t.path is None:
                click.echo(for_stream(t.fmt, exports.render(t.fmt, run, show_hints=show_hints), sys.stdout),
                           file=sys.stdout, nl=False)
            else:
                write(t.path, exports.render(t.fmt, run, show_hints=show_hints))
                click.echo(f"Wrote the {NAMES[t.fmt]} to {t.path}.", err=True)
        # Notes go to stderr when stdout carries JSON or XML, so the document stays parseable.
        notes_to_err = to_stdout not in (None, "text")
        if self.changed_since is not None and not run.days:
            click.echo(f"No day's exercise file changed since {self.changed_since}: nothing was graded.",
                       err=notes_to_err)
        if self.min_score is not None:
            in_ci = github.in_actions(env) or (env.get("CI") or "").lower() in ("true", "1")
            click.echo(self.min_score.verdict(run, in_ci=in_ci), err=notes_to_err)
        if github.in_actions(env):
            from grader.ci.exports.markdown import to_markdown

            warning = github.append_summary(to_markdown(run), env)
            if warning:
                click.echo(github.workflow_command("warning", warning), err=notes_to_err)
            workspace = Path(env.get("GITHUB_WORKSPACE") or Path.cwd())
            for line in github.annotations(run, workspace=workspace):
                click.echo(line, err=notes_to_err)
        return passmark.exit_code(run, self.min_score)


def split_formats(values) -> list[str]:
    """``--format json,junit --format text`` -> ["json", "junit", "text"], checked, without repeats."""
    out: list[str] = []
    for value in values or ():
        for name in str(value).split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name not in exports.FORMATS:
                raise PixelkataError(f"unknown format {name!r}: choose from {', '.join(exports.FORMATS)} "
                                     "(e.g. --format json).")
            if name not in out:
                out.append(name)
    return out


def plan(*, formats=(), output=None, json=None, junit=None, gradescope=None, markdown=None, min_score=None,
         changed_since=None, references_from=None) -> Plan:
    """Check the output options and decide where each format goes."""
    chosen = split_formats(formats) or ["text"]
    direct = {"json": json, "junit": junit, "gradescope": gradescope, "markdown": markdown}
    targets: list[Target] = []
    if output is not None:
        # --output takes the one format named besides the text on the terminal.
        machine = [f for f in chosen if f != "text"] or ["text"]
        if len(machine) > 1:
            raise PixelkataError(f"--output takes one format, but {', '.join(machine)} were asked for: use "
                                 "--json FILE, --junit FILE, --gradescope FILE or --markdown FILE for each.")
        if "text" in chosen and machine != ["text"]:
            targets.append(Target("text", None))
        targets.append(Target(machine[0], Path(output)))
    elif len(chosen) > 1:
        raise PixelkataError(f"only one format can go to the terminal, but {', '.join(chosen)} were asked for: "
                             "add --output FILE for the other, or use --json FILE, --junit FILE and the like.")
    else:
        targets.append(Target(chosen[0], None))
    for fmt, path in direct.items():
        if path is not None:
            targets.append(Target(fmt, Path(path)))
    paths = [t.path for t in targets if t.path is not None]
    for p in paths:
        if paths.count(p) > 1:
            raise PixelkataError(f"{p} is named for two outputs: give each format its own file.")
        check_writable(p)
    return Plan(targets=targets,
                min_score=passmark.MinScore.parse(min_score) if min_score is not None else None,
                changed_since=changed_since, references_from=references_from)


def check_writable(path: Path) -> None:
    """Refuse, before grading, a path that cannot be written: a folder, a missing or read-only parent."""
    if path.is_dir():
        raise PixelkataError(f"cannot write results to {path}: it is a folder; name a file, e.g. {path}/results.json.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise PixelkataError(f"cannot write results to {path}: the folder {parent} does not exist; create it "
                             f"first (mkdir -p {parent}).")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise PixelkataError(f"cannot write results to {path}: permission denied; choose a writable place.")


def write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PixelkataError(f"cannot write results to {path} ({exc.strerror}): choose a writable place.") from None


def for_stream(fmt: str, text: str, stream) -> str:
    """A document as ``stream`` can carry it without losing a character: as it is where the stream's encoding writes
    it all (UTF-8), else JSON with non-ASCII characters escaped (``\\u00e9``) and XML with character references
    (``&#233;``), both read back as the same text; other formats as they are (the stream writes "?" for what it
    cannot). ``stream`` is a text stream such as ``sys.stdout`` (Windows' cp1252 when output is redirected)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeError, LookupError):
        pass
    if fmt in ("json", "gradescope"):
        return json.dumps(json.loads(text), indent=2) + "\n"
    if fmt == "junit":
        return text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return text
