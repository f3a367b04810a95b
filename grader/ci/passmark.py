"""The pass mark: what decides the exit status of ``pixelkata grade``.

By default every task the learner attempted must pass (untouched tasks do not
count against them). An instructor can instead require a score with
``--min-score``: points (``12``) or a share of the graded points (``80%``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from grader.errors import PixelkataError
from grader.grading.results import GradeRun
from grader.learner.terminal import points

_SPEC = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class MinScore:
    value: float
    percent: bool

    @classmethod
    def parse(cls, text: str) -> "MinScore":
        m = _SPEC.match(str(text))
        if not m or (m.group(2) and float(m.group(1)) > 100):
            raise PixelkataError(f"--min-score {text!r} is not a score: give points (e.g. 12) or a share of "
                                 "the graded points (e.g. 80%).")
        return cls(float(m.group(1)), bool(m.group(2)))

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else f"{self.value:g} points"

    def required(self, run: GradeRun) -> float:
        if self.percent:
            return round(run.max_points * self.value / 100, 2)
        return self.value

    def met(self, run: GradeRun) -> bool:
        return run.points >= self.required(run)

    def verdict(self, run: GradeRun, *, in_ci: bool = False) -> str:
        """The pass mark's sentence; ``in_ci``: the run is a CI job, where a new push grades again."""
        need = points(self.required(run))
        got = f"{points(run.points)}/{points(run.max_points)} points"
        if self.met(run):
            return f"Score {got} meets the required {need} (--min-score {self})."
        again = "push again" if in_ci else "grade again"
        return (f"Score {got} is below the required {need} (--min-score {self}): "
                f"finish or fix more tasks and {again}.")


def exit_code(run: GradeRun, min_score: MinScore | None) -> int:
    """0 when the run passes: every attempted task passed, or the score reaches ``min_score``; else 1."""
    if min_score is None:
        return run.exit_code()
    return 0 if min_score.met(run) else 1
