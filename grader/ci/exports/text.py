"""The terminal view as plain text, for a file or a pipe."""
from __future__ import annotations

import click

from grader.learner import terminal
from grader.grading.results import GradeRun


def to_text(run: GradeRun, *, show_hints: bool = True) -> str:
    return "\n".join(click.unstyle(line) for line in terminal.render(run, show_hints=show_hints)) + "\n"
