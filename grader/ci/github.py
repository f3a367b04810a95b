"""GitHub Actions: the job summary and ``::error`` annotations on the learner's functions.

Annotations point at the line where the learner's function is defined, found
by parsing the file with :mod:`ast`; learner code is never imported here.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path

from grader.grading.results import GradeRun, Outcome
from grader.learner.terminal import points, task_label
from grader.grading.naming import hint_for


def in_actions(env=None) -> bool:
    env = os.environ if env is None else env
    return env.get("GITHUB_ACTIONS", "").lower() == "true"


def function_line(path: Path, name: str) -> int | None:
    """The line of the last top-level ``def name`` in ``path`` (the one Python keeps), or None."""
    try:
        tree = ast.parse(Path(path).read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None
    line = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            line = node.lineno
    return line


def syntax_error_line(path: Path) -> int | None:
    try:
        ast.parse(Path(path).read_bytes(), filename=str(path))
    except SyntaxError as exc:
        return exc.lineno
    except (OSError, ValueError):
        return None
    return None


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(kind: str, message: str, **props) -> str:
    """``::kind key=value,...::message`` with GitHub's escaping."""
    shown = ",".join(f"{k}={_escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind} {shown}::{_escape_data(message)}" if shown else f"::{kind}::{_escape_data(message)}"


def _shown_path(path: Path, workspace: Path) -> str:
    """The file as GitHub names it: relative to the workspace when it lies inside it."""
    path = Path(os.path.abspath(path))
    try:
        return path.relative_to(Path(os.path.abspath(workspace))).as_posix()
    except ValueError:
        return path.as_posix()


def annotations(run: GradeRun, *, workspace: Path) -> list[str]:
    """One ``::error`` per failed, erroring or timed-out task (and per day whose module is broken)."""
    out = []
    for day in run.days:
        module = Path(run.exercises) / day.day.filename
        shown = _shown_path(module, workspace)
        if day.error:
            out.append(workflow_command("error", day.error, file=shown, line=syntax_error_line(module) or 1,
                                        title=f"pixelkata: day {day.day.number} cannot be graded"))
            continue
        for t in day.tasks:
            if t.outcome in (Outcome.PASSED, Outcome.NOT_ATTEMPTED):
                continue
            line = function_line(module, t.task.function)
            hint = f"\nHint: {hint_for(t)}" if t.task.hints else ""
            out.append(workflow_command("error", f"{t.message}{hint}", file=shown, line=line or 1,
                                        title=f"pixelkata: {t.name} {task_label(t)} "
                                              f"({points(t.points)}/{points(t.max_points)} points)"))
    return out


def append_summary(markdown: str, env=None) -> str | None:
    """Append ``markdown`` to ``$GITHUB_STEP_SUMMARY``; returns a warning sentence if it could not."""
    env = os.environ if env is None else env
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return "GITHUB_STEP_SUMMARY is not set, so no job summary was written."
    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(markdown.rstrip("\n") + "\n\n")
    except OSError as exc:
        return f"could not append the job summary to {target} ({exc.strerror}); the grades above still stand."
    return None
