"""A whole-course grade at another commit and at this checkout, side by side: `python -m benchmarks.compare REV`.

Usage: python -m benchmarks.compare REV [--backend sandbox|portable] [--runs 6] [--learner solutions|stubs|core]

This machine's speed changes from day to day (and with whatever else runs), so a figure is only comparable
with one taken beside it. REV is checked out in a temporary git worktree; each round runs
`pixelkata grade --exercises solutions` once at REV and once here, CLI started cold, in turn, with this
checkout's Python and libraries. `--learner stubs` grades the untouched stubs instead (a first grade), and
`--learner core` a learner who finished days 1-9 with the bonus days untouched. The first round warms both up
and is left out; the medians of the rest are printed: wall time, and the CPU time of the grader and its
workers together (Linux and macOS).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.__main__ import _children_cpu, _core_folder

ROOT = Path(__file__).resolve().parent.parent


#: --learner: the exercises folder graded, made in a copy of the course; and how the result is named.
LEARNERS = {
    "solutions": (lambda course: course / "solutions", "Whole course, every day solved"),
    "stubs": (lambda course: course / "exercises", "Whole course, every day the untouched stub"),
    "core": (_core_folder, "Whole course, days 1-9 done and the bonus days untouched"),
}


def _grade(root: Path, course: Path, folder: Path, backend: str) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(root), PIXELKATA_BACKEND=backend)
    cpu, started = _children_cpu(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "grader", "grade", "--root", str(course), "--exercises",
                           str(folder)], cwd=root, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"grading {folder.name} at {root} failed:\n{proc.stdout[-1500:]}{proc.stderr[-1500:]}")
    return wall, _children_cpu() - cpu


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the commit to compare this checkout with")
    parser.add_argument("--backend", default="sandbox" if sys.platform.startswith("linux") else "portable")
    parser.add_argument("--runs", type=int, default=6, help="rounds, the first left out (default 6)")
    parser.add_argument("--learner", choices=sorted(LEARNERS), default="solutions",
                        help="what is graded: every day solved (the default), the stubs, or days 1-9 done")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="pixelkata-compare-"))
    other = scratch / "rev"
    try:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(other), args.rev], check=True)
        sides = {args.rev: other, "this checkout": ROOT}
        courses, graded = {}, {}
        make, title = LEARNERS[args.learner]
        for name, root in sides.items():
            course = courses[name] = scratch / f"course-{len(courses)}"
            for folder in ("exercises", "solutions", "reference_images"):
                shutil.copytree(root / folder, course / folder)
            graded[name] = make(course)
        figures: dict = {name: [] for name in sides}
        for i in range(args.runs):
            for name, root in sides.items():
                figure = _grade(root, courses[name], graded[name], args.backend)
                if i:
                    figures[name].append(figure)
        try:
            load = "load average %.2f %.2f %.2f" % os.getloadavg()
        except OSError:
            load = "load average unknown"
        print(f"{title}, {args.backend} backend, {args.runs - 1} rounds side by side ({load}):")
        for name, runs in figures.items():
            print(f"  {name:<16} wall median {statistics.median(w for w, _ in runs):.2f} s, CPU median "
                  f"{statistics.median(c for _, c in runs):.2f} s   ("
                  + ", ".join(f"{w:.2f}/{c:.2f}" for w, c in runs) + ")")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False,
                       capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
