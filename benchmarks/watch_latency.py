"""Time from saving a day file to its results on screen in `pixelkata watch`.

Usage: python -m benchmarks.watch_latency [--runs 7]
Prints each run and the median; the target is 0.2 s for one day. The backend is PIXELKATA_BACKEND's
(or the automatic choice).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from grader.course.project import Project
from grader.learner.watch import watch

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--day", default="day01_reading.py")
    opts = parser.parse_args()
    project = Project(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        exercises = Path(tmp) / "exercises"
        shutil.copytree(project.solutions, exercises)
        shown = []
        stop = threading.Event()
        started = threading.Event()

        def echo(line=""):
            if str(line).startswith("Watching"):
                started.set()
            if str(line).startswith("[graded"):
                shown.append(time.monotonic())

        t = threading.Thread(target=watch, args=(project,), daemon=True,
                             kwargs=dict(exercises=exercises, echo=echo, should_stop=stop.is_set))
        t.start()
        started.wait(60)
        module = exercises / opts.day
        latencies = []
        for i in range(opts.runs):
            time.sleep(1.0)  # the watcher is idle again (it records the previous run after showing it)
            before = len(shown)
            saved = time.monotonic()
            module.write_text(module.read_text() + f"\n# edit {i}\n")
            while len(shown) == before:
                time.sleep(0.002)
            latencies.append(shown[-1] - saved)
            print(f"run {i + 1}: {latencies[-1]:.3f} s from save to results")
        stop.set()
        t.join(10)
    median = statistics.median(latencies)
    print(f"watch latency ({opts.day}): median {median:.3f} s over {opts.runs} runs "
          f"(target < {TARGET} s: {'met' if median < TARGET else 'MISSED'})")


if __name__ == "__main__":
    main()
