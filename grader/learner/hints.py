"""Hints, one level at a time, and reference solutions only after a pass.

Which task a bare ``pixelkata hint`` means comes from the progress store: the
first task, in course order, whose latest grade is not a pass. Every hint
level shown and every solution viewed is recorded there, so the report can
show how much help a result took.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from grader.learner import history
from grader.learner import progress
from grader.course import settings
from grader.errors import PixelkataError
from grader.grading import select


@dataclass
class HintShown:
    task: object  # grader.course.Task
    level: int
    total: int
    text: str

    @property
    def last(self) -> bool:
        return self.level >= self.total


def standing(project, course) -> history.Standing | None:
    """The learner's standing from the progress store, or None before any grading."""
    path = progress.default_path(project)
    if not path.exists():
        return None
    runs, _ = progress.load_runs(path)
    return history.summarise(runs, course)


def pick_task(course, standing_now, day=None, task: str | None = None):
    """The task meant: the one named, or the first not yet passing (in course order)."""
    chosen = select(course, day, task)  # unknown days and tasks are usage errors, as for `grade`
    latest = standing_now.latest if standing_now else {}
    for d in chosen.days:
        for t in d.tasks:
            if chosen.task not in (None, t.name):
                continue
            if chosen.task is not None:
                return t
            rec = latest.get((d.number, t.name))
            if rec is None or rec.outcome != "passed":
                return t
    return None


def next_hint(project, course, day=None, task: str | None = None) -> HintShown | None:
    """Show the next hint level of the task meant, and record it; None when every task passes."""
    chosen = pick_task(course, standing(project, course), day, task)
    if chosen is None:
        return None
    if not chosen.hints:
        raise PixelkataError(f"{chosen.key} has no hints in this course.")
    with progress.open_store(progress.default_path(project)) as store:
        used = store.hints_used().get((chosen.day, chosen.name), 0)
        level = min(used + 1, len(chosen.hints))
        store.add_hint(chosen.day, chosen.name, level)
    return HintShown(chosen, level, len(chosen.hints), chosen.hints[level - 1])


def after_last_hint(project, course, task) -> str:
    """What follows a task's last hint: where the reference solution is, only when this copy can show it."""
    if settings.solutions_allowed(project) and (project.solutions / course.day(task.day).filename).is_file():
        return (f"That was the last hint. Once the task passes, `pixelkata solution {task.day} {task.name}` "
                "shows the reference solution.")
    return "That was the last hint: if you are still stuck, ask your instructor."


def solution_source(project, course, task) -> str:
    """The reference solution of ``task``: its function's source from solutions/."""
    if not settings.solutions_allowed(project):
        raise PixelkataError("the instructor has turned solutions off for this course "
                             "(pixelkata.toml: solutions = false): ask them for help instead.")
    path = project.solutions / course.day(task.day).filename
    if not path.is_file():
        raise PixelkataError("this copy of the course ships without its solutions/ folder, so there is no "
                             "solution to show: ask your instructor.")
    source = path.read_text()
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == task.function:
            lines = source.splitlines()
            return "\n".join(lines[node.lineno - 1:node.end_lineno]) + "\n"
    raise PixelkataError(f"solutions/{path.name} has no function {task.function}(): the course is incomplete.")


def record_reveal(project, task, *, passed: bool) -> None:
    with progress.open_store(progress.default_path(project)) as store:
        store.add_reveal(task.day, task.name, passed=passed)

