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


class _Split:
    """Wall seconds summed over threads in the runner's cases (``Runner._run_on``: every case, a day's lane
    included), a whole learner, their report and the class outputs."""

    def __init__(self):
        from grader.engine.runner import Runner

        self.seconds: dict = {}
        self._lock = threading.Lock()
        self._patched = [(Runner, "_run_on"), (batch._ClassGrader, "grade_one"), (batch, "write_report"),
                         (batch, "write_outputs")]
        self._real = [getattr(owner, name) for owner, name in self._patched]

    def __enter__(self):
        for (owner, name), real in zip(self._patched, self._real):
            setattr(owner, name, self._timed(name, real))
        return self

    def __exit__(self, *exc):
        for (owner, name), real in zip(self._patched, self._real):
            setattr(owner, name, real)

    def _timed(self, name, real):
        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                with self._lock:
                    self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t
        return timed


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
        with TreeMemory() as memory, _Split() as split:
            started, cpu = time.monotonic(), time.process_time()
            summary = batch.run(project, folder, out, jobs=opts.jobs, variants=opts.variants, seed=opts.seed,
                                reports=not opts.no_reports)
            elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
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
    per = max(summary.graded, 1)
    cores = os.cpu_count() or 1
    print(f"grader process CPU (all its threads, not the workers): {cpu:.1f} s = {cpu / per:.2f} s per learner, "
          f"{100 * cpu / (elapsed * cores):.0f}% of the {cores} cores' time during the batch")
    inside = split.seconds.get("_run_on", 0.0)
    learner_time = split.seconds.get("grade_one", 0.0)
    print(f"per learner: {learner_time / per:.2f} s grading them (wall, in one of {opts.jobs} threads), with "
          f"{inside / per:.2f} s inside its cases' runs (cases run side by side and wait for a free worker, "
          f"so this sum can exceed the learner's time); their report {split.seconds.get('write_report', 0.0) / per:.2f} s; "
          f"the class outputs (similarity, CSV, class.html) {split.seconds.get('write_outputs', 0.0):.1f} s once")
    print(f"second run, nothing changed: {again.unchanged} unchanged, {again.graded} graded, {again_elapsed:.1f} s")
    projected = TARGET_LEARNERS / rate
    print(f"target: {TARGET_LEARNERS} learners in < {TARGET_SECONDS:.0f} s with --jobs 2: "
          f"{projected:.1f} s for {TARGET_LEARNERS} at this rate "
          f"({'met' if projected < TARGET_SECONDS else 'MISSED'} for the {len(days)} day(s) present)")


if __name__ == "__main__":
    main()
