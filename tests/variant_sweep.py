"""Are the hidden variants fair? Grade every control on the variants of many seeds.

Every ``@correct`` control (a right answer written another way) must pass every
variant; a failure means a transform or a range of that task asks something the
task statement leaves open, and the task's ``[tasks.variants]`` table should be
narrowed (see docs/ENGINE.md). Wrong answers that pass all variants are listed
too: they are caught by the visible cases, but the list shows what variants add.

Usage: python -m tests.variant_sweep [--seeds 8] [--count 3] [--day N]
"""
from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from pathlib import Path

from grader.course import variants
from grader.course import load_course
from grader.course.project import Project
from grader.grading.results import Outcome
from grader.engine.runner import Runner
from tests.controls import all_controls, module_source

ROOT = Path(__file__).resolve().parent.parent


def sweep(project: Project, *, seeds, count: int, day=None, runner: Runner) -> tuple[dict, dict]:
    """({control id: [(seed, message)]} for correct answers failing, {control id: [seed]} for wrong ones passing)."""
    course = load_course()
    controls = [c for c in all_controls() if day is None or c.day == day]
    unfair, missed = defaultdict(list), defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            with variants.prepare(project, count=count, seed=seed, runner=runner, day=day) as made:
                for c in controls:
                    if made.course.day(c.day) is None or made.course.day(c.day).task(c.task) is None:
                        continue
                    folder = Path(tmp) / f"{seed}-{c.id}" / "exercises"
                    folder.mkdir(parents=True)
                    d = course.day(c.day)
                    (folder / d.filename).write_text(module_source(project.solutions / d.filename, c))
                    hidden = variants.grade_variants(project, folder, made, runner, day=c.day, task=c.task)
                    (t,) = hidden.tasks
                    if c.kind == "correct" and t.outcome is not Outcome.PASSED:
                        unfair[c.id].append((seed, t.message))
                    elif c.kind == "wrong" and t.outcome is Outcome.PASSED:
                        missed[c.id].append(seed)
    return dict(unfair), dict(missed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--day", type=int, default=None)
    opts = parser.parse_args()
    with Runner(2) as runner:
        unfair, missed = sweep(Project(ROOT), seeds=range(1, opts.seeds + 1), count=opts.count, day=opts.day,
                               runner=runner)
    print(f"{opts.seeds} seeds x {opts.count} variants per task")
    print(f"correct answers failing a variant: {len(unfair)}")
    for cid, fails in sorted(unfair.items()):
        seed, message = fails[0]
        print(f"  ✘ {cid}: {len(fails)} seed(s), e.g. seed {seed}: {message[:160]}")
    print(f"wrong answers passing every variant: {len(missed)}")
    for cid, seeds in sorted(missed.items()):
        print(f"  · {cid}: {len(seeds)} seed(s)")


if __name__ == "__main__":
    main()
