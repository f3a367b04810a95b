"""Known answers for every task: typical wrong ones, and correct ones written another way.

Each ``tests/controls/dayNN.py`` declares functions with :func:`wrong` or
:func:`correct`. A control is graded by dropping it into a copy of the
reference solution module in place of the task's function, exactly as a
learner's file would be graded. Wrong answers must fail with a message that
contains ``expect``; correct ones must pass.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

REGISTRY: list["Control"] = []


@dataclass(frozen=True)
class Control:
    day: int
    task: str
    kind: str  # "wrong" or "correct"
    label: str
    source: str  # the function, renamed to the task's function
    expect: str | None = None  # a phrase the failure message must contain (wrong answers)
    outcome: str = "failed"  # a wrong answer that raises is graded "error"

    @property
    def id(self) -> str:
        return f"day{self.day:02d}-{self.task}-{self.label}"


def _register(kind: str, task: str, expect: str | None, label: str | None, outcome: str = "failed"):
    def wrap(fn):
        module = fn.__module__.rsplit(".", 1)[-1]
        day = int(module.removeprefix("day"))
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        node = tree.body[0]
        node.name = task
        node.decorator_list = []
        REGISTRY.append(Control(day=day, task=task, kind=kind, label=label or fn.__name__,
                                source=ast.unparse(tree), expect=expect, outcome=outcome))
        return fn

    return wrap


def wrong(task: str, expect: str | None = None, label: str | None = None, outcome: str = "failed"):
    """A typical wrong answer for ``task``; grading must fail it with ``expect`` in the message.

    ``outcome="error"`` for a wrong answer that raises (the learner's own traceback is shown).
    """
    return _register("wrong", task, expect, label, outcome)


def correct(task: str, label: str | None = None):
    """A correct answer written another way (another library, plain NumPy); it must pass."""
    return _register("correct", task, None, label)


def all_controls() -> list[Control]:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return list(REGISTRY)


def module_source(solution: Path, control: Control) -> str:
    """The solution module with the task's function replaced by the control."""
    return solution.read_text() + "\n\n# --- control: " + control.label + "\n" + control.source + "\n"
