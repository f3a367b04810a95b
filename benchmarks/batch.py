"""Throughput and memory of `pixelkata batch` on a synthetic class.

Usage: python -m benchmarks.batch [--learners 100] [--jobs 2] [--variants 0] [--mix 0.5,0.3,0.2] [--no-reports]

Builds a class from the reference solutions, the untouched stubs and the
known-wrong answers in tests/controls/ (each attempted file made distinct by a
comment naming its learner, as real files are), grades it with the batch
command's library function, and prints learners per second, the peak memory
of the grader process and of the whole process tree, and a second run with
nothing changed. The target is 100 learners of the full course in under 60 s
with --jobs 2; the figure covers only the days the course has today.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

from grader.classroom import batch
from grader.course import load_course
from grader.course.project import Project
from tests.classroom import make_class

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
TARGET_LEARNERS = 100


class TreeMemory:
    """Samples the proportional set size (PSS) of this process and all its descendants."""

    def __init__(self, every: float = 0.1):
        self.every = every
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in _tree(os.getpid())))
            self._stop.wait(self.every)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def distinct_day_modules(folder: Path) -> int:
    """How many different day files the class holds (identical ones are graded once)."""
    import zipfile

    seen = set()
    for path in folder.rglob("*"):
        if path.suffix == ".py":
            seen.add(hashlib.sha256(path.read_bytes()).hexdigest())
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    if name.endswith(".py"):
                        seen.add(hashlib.sha256(zf.read(name)).hexdigest())
    return len(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=TARGET_LEARNERS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--variants", type=int, default=0)
    parser.add_argument("--mix", default="0.5,0.3,0.2", help="shares of solution, wrong and untouched days")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-reports", action="store_true", help="skip the learners' HTML reports")
    opts = parser.parse_args()
    mix = tuple(float(x) for x in opts.mix.split(","))
    project = Project(ROOT)
    course = load_course()
    days = [d.number for d in course.days]
    cases = sum(len(t.cases) for t in course.tasks())
    with tempfile.TemporaryDirectory(prefix="pixelkata-bench-") as tmp:
        folder = Path(tmp) / "submissions"
        make_class(folder, project, opts.learners, seed=opts.seed, mix=mix)
        distinct = distinct_day_modules(folder)
        out = Path(tmp) / "out"
        with TreeMemory() as memory:
            started = time.monotonic()
            summary = batch.run(project, folder, out, jobs=opts.jobs, variants=opts.variants, seed=opts.seed,
                                reports=not opts.no_reports)
            elapsed = time.monotonic() - started
        again_started = time.monotonic()
        again = batch.run(project, folder, out, jobs=opts.jobs, variants=opts.variants, seed=opts.seed,
                          reports=not opts.no_reports)
        again_elapsed = time.monotonic() - again_started
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rate = summary.graded / elapsed
    print(f"course: day(s) {', '.join(map(str, days))} present ({len(list(course.tasks()))} tasks, {cases} cases "
          f"per learner); mix solution/wrong/untouched = {opts.mix}; {distinct} distinct day files")
    flags = f"--jobs {opts.jobs}" + (f" --variants {opts.variants}" if opts.variants else "") + \
        (" --no-reports" if opts.no_reports else "")
    print(f"batch {flags}: "
          f"{summary.graded} learners in {elapsed:.1f} s = {rate:.2f} learners/s ({60 * rate:.0f} per minute)")
    print(f"peak memory: grader process {self_peak:.0f} MiB RSS, largest worker {child_peak:.0f} MiB RSS, "
          f"whole process tree {memory.peak_kib / 1024:.0f} MiB PSS")
    print(f"second run, nothing changed: {again.unchanged} unchanged, {again.graded} graded, {again_elapsed:.1f} s")
    projected = TARGET_LEARNERS / rate
    print(f"target: {TARGET_LEARNERS} learners in < {TARGET_SECONDS:.0f} s with --jobs 2: "
          f"{projected:.1f} s for {TARGET_LEARNERS} at this rate "
          f"({'met' if projected < TARGET_SECONDS else 'MISSED'} for the {len(days)} day(s) present)")


if __name__ == "__main__":
    main()
