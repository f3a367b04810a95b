"""How far each check's threshold sits from the best-scoring wrong answer.

For every case whose check has a score and a threshold (SSIM, pixels, IoU,
challenge tiers...), three kinds of negative control are scored: the input
returned unchanged (a no-op), an all-zeros answer, and every typical wrong
answer on file in tests/controls/. ``rows()`` is used by the tests; run
``python -m tests.margins`` to print the table.

A row is a scored comparison: a no-op is scored only where the input has the reference's shape and dtype
(otherwise the check refuses it before any score, which is no question of margin), and a row that comes
back without a score, or passing, fails.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader import checks
from grader.course.cases import materialize
from grader.checks import CaseContext
from grader.course import load_course
from grader.course.references import References

MARGIN = 0.02


@dataclass
class Row:
    key: str  # day01.resize/shrink
    control: str  # "no-op", "zeros" or the wrong answer's label
    threshold: float
    op: str
    score: float | None  # None: the check gave no score, which fails the row
    passed: bool = False  # the check passed this negative control, which fails the row

    @property
    def gap(self) -> float | None:
        if self.score is None:
            return None
        return self.threshold - self.score if self.op == ">=" else self.score - self.threshold

    @property
    def ok(self) -> bool:
        return not self.passed and self.gap is not None and self.gap >= MARGIN


def threshold_of(task, check) -> tuple[float, str] | None:
    if task.challenge:
        tiers = task.check["tiers"]
        op = task.check.get("op", ">=")
        return float(tiers["bronze"]), op
    if check.kind == "tuple":
        return None
    if check.threshold is None:
        return None
    return float(check.threshold), check.op


def direct_rows(project) -> list[Row]:
    """No-op and zeros controls, scored without running any code."""
    course = load_course()
    refs = References(project.references)
    rows = []
    for task in course.tasks():
        for case in task.cases:
            check = checks.check_for(task, case)
            limit = threshold_of(task, check)
            if limit is None:
                continue
            expected = refs.expected(task, case) if check.needs_reference else None
            args, kwargs, _ = materialize(case, refs)
            ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
            first = ctx.first_image()
            # Checks without a reference (e.g. noise statistics) judge a picture of the input's shape.
            template = expected if check.needs_reference else first
            if not isinstance(template, np.ndarray):
                continue
            key = f"{task.key}/{case.id}"
            if first is not None and first.shape == template.shape and first.dtype == template.dtype:
                rows.append(Row(key, "no-op", *limit, *_score(check, first, expected, ctx)))
            rows.append(Row(key, "zeros", *limit, *_score(check, np.zeros_like(template), expected, ctx)))
    return rows


def _score(check, actual, expected, ctx) -> tuple:
    verdict = check.compare(actual, expected, ctx)
    return verdict.value, verdict.passed


def control_rows(run, control) -> list[Row]:
    """Rows for one graded wrong-answer control: every failing case that got a score."""
    rows = []
    for t in run.tasks:
        for c in t.cases:
            if c.verdict is None or c.verdict.passed or c.verdict.value is None:
                continue  # passing is the controls' test's business; no score: refused before scoring
            check = checks.check_for(t.task, next(x for x in t.task.cases if x.id == c.case_id))
            limit = threshold_of(t.task, check)
            if limit is None and check.kind == "tuple" and c.verdict.threshold is not None:
                # A tuple's verdict carries its first failing item's metric and threshold.
                limit = (float(c.verdict.threshold), c.verdict.op)
            if limit is None:
                continue
            rows.append(Row(f"{t.task.key}/{c.case_id}", control.label, *limit, c.verdict.value, c.verdict.passed))
    return rows


def main() -> None:
    from grader.course.project import Project
    from grader.engine.runner import Runner
    from tests.conftest import ROOT, grade_control
    from tests.controls import all_controls

    project = Project(ROOT)
    rows = direct_rows(project)
    with Runner(2) as runner, tempfile.TemporaryDirectory() as tmp:
        for i, control in enumerate(c for c in all_controls() if c.kind == "wrong"):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            rows += control_rows(grade_control(folder, project, runner, control), control)
    best: dict[str, Row] = {}
    for r in rows:
        if r.score is None:
            continue
        if r.key not in best or (r.gap is not None and r.gap < best[r.key].gap):
            best[r.key] = r
    print(f"{'check':<36}{'threshold':>10}  {'best negative control':<28}{'score':>8}{'gap':>8}")
    for key in sorted({r.key for r in rows}):
        b = best.get(key)
        thr = next(r for r in rows if r.key == key)
        if b is None:
            print(f"{key:<36}{thr.op}{thr.threshold:>8.3f}  {'(all fail before scoring)':<28}{'-':>8}{'-':>8}")
        else:
            print(f"{key:<36}{b.op}{b.threshold:>8.3f}  {b.control:<28}{b.score:>8.3f}{b.gap:>8.3f}")
    bad = [r for r in rows if not r.ok]
    print(f"\n{len(rows)} control scores; {len(bad)} closer than {MARGIN} to their threshold.")


if __name__ == "__main__":
    main()
