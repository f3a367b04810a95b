"""The terminal view of a grading run: one line per task, a summary per day and overall.

Colour goes through ``click.style``; ``click.echo`` drops it when stdout is
not a terminal.
"""
from __future__ import annotations

import re

import click

from grader.grading.naming import hint_for
from grader.grading.results import MARKS, GradeRun, Outcome, TaskResult, plural, tasks_passed
from grader.engine.backends import protections_off

TIER_COLOURS = {"gold": "yellow", "silver": "white", "bronze": "red"}
METRIC_MIN_WIDTH = 32  # characters: the metric column, at its narrowest
METRIC_WIDTH = 48  # characters: the widest the metric column grows to


def points(x: float) -> str:
    return f"{x:g}" if float(x) == int(x) else f"{x:.2f}".rstrip("0")


def render(run: GradeRun, *, show_hints: bool = True, fold: bool = False) -> list[str]:
    """The lines to print for ``run`` (styled; click.echo strips styles off a pipe).

    With ``fold``, a day nobody has started is one line (its task count and the
    command that grades it), except the first such day, shown in full as the
    next thing to do: a first grade of the whole course is a page, not a wall.
    """
    lines: list[str] = []
    width = max((len(t.name) for t in run.tasks), default=10) + 2
    # The metric column fits the run's longest metric (up to METRIC_WIDTH); a longer one still keeps two spaces
    # before the points, so the two never run together.
    metric_width = min(max([METRIC_MIN_WIDTH] + [len(t.metric_text) for t in run.tasks]), METRIC_WIDTH)
    next_day = next((d for d in run.days if _untouched(d)), None)
    folded = []
    for day in run.days:
        d = day.day
        theme = f" ({d.theme})" if d.theme else ""
        if fold and _untouched(day) and day is not next_day:
            folded.append(day)
            lines.append(click.style(f"Day {d.number} · {d.title}{theme}", bold=True)
                         + click.style(f" · {_contents(day)} not started: `pixelkata grade {d.number}`",
                                       dim=True))
            continue
        if folded and lines and lines[-1] != "":
            lines.append("")
        lines.append(click.style(f"Day {d.number} · {d.title}{theme}", bold=True))
        problem, trace = day_problem(day)
        if problem:
            lines.append("  " + click.style("! ", fg="magenta") + problem)
            lines += ["      " + click.style(line, dim=True) for line in trace]
        for t in day.tasks:
            lines += _task_lines(t, width, show_hints=show_hints and not problem, said=problem,
                                 metric_width=metric_width)
        graded = day.graded_tasks
        parts = [tasks_passed(day.passed, len(graded))] if graded else []  # `grade 7 restore`: no tasks graded
        ch = day.challenge
        if ch is not None:
            parts.append(f"challenge: {task_label(ch)}")
        parts.append(f"{points(day.points)}/{points(day.max_points)} points")
        summary = f"  Day {d.number}: " + " · ".join(parts)
        lines.append(click.style(summary, dim=True))
        lines.append("")
    if folded:
        if lines[-1] != "":
            lines.append("")
        lines.append(click.style(f"{len(folded)} days not started are shown on one line each: "
                                 "`pixelkata grade --all` shows every task.", dim=True))
    lines.append(click.style(f"Total: {points(run.points)}/{points(run.max_points)} points · {run.tally()}",
                             bold=True))
    off = protections_off(run.limits)
    if run.backend == "portable":
        # Say which backend ran: a learner on Windows or macOS is told it is not the Linux sandbox.
        lines.append(click.style("Ran in portable mode, not the Linux sandbox: "
                                 + (f"{', '.join(off)} not protected; " if off else "")
                                 + "`pixelkata sandbox` says why.", dim=True))
    elif off:
        lines.append(click.style(f"Sandbox: {', '.join(off)} off on this machine; "
                                 "`pixelkata sandbox` says why.", dim=True))
    return lines


def _contents(day) -> str:
    """ "6 tasks and its challenge": a day's tasks, counted apart from its challenge as everywhere else."""
    text = plural(len(day.graded_tasks), "task")
    return text + " and its challenge" if day.challenge is not None else text


def _untouched(day) -> bool:
    return not day.error and all(t.outcome is Outcome.NOT_ATTEMPTED for t in day.tasks)


_CASE_PREFIX = re.compile(r"^case [A-Za-z0-9_-]+: ")


def _bare(message: str) -> str:
    return _CASE_PREFIX.sub("", message or "", count=1)


def day_problem(day) -> tuple[str, list]:
    """What stopped a whole day, said once: ``(sentence, last traceback lines)``, or ``("", [])``.

    That is the day's own error (its file is missing or has a syntax error), or
    an error every task of the day ended with alike (the module could not be
    imported, or its top level never finished), which grading copies into
    each task.
    """
    if day.error:
        return day.error, []
    if len(day.tasks) < 2:
        return "", []
    said = {_bare(t.message) for t in day.tasks}
    if len(said) != 1 or not all(t.outcome in (Outcome.ERROR, Outcome.TIMED_OUT) for t in day.tasks):
        return "", []
    worst = day.tasks[0].worst_case()
    trace = worst.traceback.rstrip().splitlines()[-6:] if worst is not None and worst.traceback else []
    return said.pop(), trace


def render_protections(limits: list) -> list[str]:
    """The lines of `pixelkata sandbox`: every protection, on or off, and why."""
    if not limits:
        return ["The worker did not start, so no protection could be checked: run `pixelkata grade` to see why."]
    import os

    # Only a POSIX Python can tell root from an ordinary user: elsewhere, claim neither.
    geteuid = getattr(os, "geteuid", None)
    who = "" if geteuid is None else f" (the grader runs as {'root' if geteuid() == 0 else 'an ordinary user'})"
    width = max(len(p["name"]) for p in limits) + 2
    lines = [click.style(f"Protections around your code on this machine{who}:", bold=True)]
    for p in limits:
        if not p.get("applies", True):
            mark = click.style("–", fg="bright_black")
        elif p["on"]:
            mark = click.style("✔", fg="green")
        else:
            mark = click.style("✘", fg="red")
        lines.append(f"  {mark} {p['name']:<{width}}{p['detail']}")
    off = protections_off(limits)
    if off:
        lines.append(f"{len(off)} protection(s) off: run the grader as root in a Linux container or VM, or on "
                     "a Linux with user namespaces, to turn them on (see the README's Security model).")
    else:
        lines.append("Every protection is on.")
    return lines


def task_mark(t: TaskResult) -> tuple[str, str]:
    """The mark and its colour: the outcome's, or a star in the tier's colour for a challenge."""
    if t.task.challenge and t.tier:
        return "★", TIER_COLOURS[t.tier]
    return MARKS[t.outcome]


def task_label(t: TaskResult) -> str:
    """The outcome in words; an attempted challenge shows its tier instead (one that raised or timed out
    shows that, like any task: it has no score to tier)."""
    if t.task.challenge and t.attempted and t.outcome not in (Outcome.ERROR, Outcome.TIMED_OUT):
        return t.tier or "no tier yet"
    return t.outcome.value


def task_message(t: TaskResult) -> str:
    """The task's sentence; a challenge below gold adds the classic mistakes its cases show.

    A challenge's message is its tier note, so the diagnosis its cases carry would
    otherwise never be seen (in the terminal, the report or the progress store). A message that ends with
    the metric shown beside it ("... (error 242 million times the tolerance)") ends without it: each view
    shows the task's metric on its own line or column, and one figure is said once.
    """
    message = t.message
    metric = t.metric_text
    if metric and message.endswith(f" ({metric})"):
        message = message[:-len(metric) - 3]
    if t.task.challenge and t.tier != "gold":
        named = []
        for c in t.cases:
            diagnosis = c.verdict.diagnosis if c.verdict is not None else None
            if diagnosis and diagnosis not in named and diagnosis not in message:
                named.append(diagnosis)
        if named:
            message = f"{message} {' '.join(named)}".strip()
    return message


def _task_lines(t: TaskResult, width: int, *, show_hints: bool, said: str = "",
                metric_width: int = 32) -> list[str]:
    mark, colour = task_mark(t)
    label = task_label(t)
    metric = t.metric_text
    head = (f"  {click.style(mark, fg=colour)} {t.name:<{width}}{label:<15}"
            f"{metric:<{metric_width}}  {points(t.points):>5}/{points(t.max_points)}")
    out = [head.rstrip()]
    if said and _bare(t.message) == said:
        return out  # said once at the top of the day
    message = task_message(t)
    if t.outcome is Outcome.PASSED and not t.task.challenge:
        if message:  # a passing task can still carry a note, e.g. that it is very slow
            out.append("      " + message)
        return out
    if message:
        out.append("      " + message)
    if t.outcome in (Outcome.ERROR, Outcome.TIMED_OUT):
        worst = t.worst_case()
        if worst is not None and worst.traceback:
            tb = worst.traceback.rstrip().splitlines()[-6:]
            out += ["      " + click.style(line, dim=True) for line in tb]
    if show_hints and t.task.hints and t.outcome is not Outcome.PASSED:
        out.append("      " + click.style("Hint: ", fg="cyan") + hint_for(t))
    return out
