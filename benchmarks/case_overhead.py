"""Per-case cost of the sandbox: Runner.run on a trivial function, and a worker's start-up.

    python -m benchmarks.case_overhead [--cases 200]

Prints the wall time of one case (fork, isolation, limits, import of a tiny
learner module, call, plain-data result, read back, clean-up): median and
minimum, and the CPU time it costs all processes together (grader, worker,
child), which a busy machine disturbs less than wall time; once for cases run
alone (`Runner.run`: in the sandbox, a child per case) and once for cases run
as one day (`Runner.lane`: in the sandbox, one day child for all of them).
Also how long a pool of one worker takes to start, and what a pool of two costs
to start and close in CPU time (both workers' imports; in the sandbox, one zygote's
imports and two forks). Figures only; nothing here asserts a speed.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from grader.engine.runner import Job, Runner


def _cpu() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def measure(module: Path, cases: int, backend: str | None = None, *,
            day: bool = False) -> tuple[float, list, float, list]:
    """(start-up wall time, per-case wall times, CPU seconds of everything, limits); ``day``: on one lane."""
    cpu0 = _cpu()
    started = time.perf_counter()
    with Runner(1, backend=backend) as runner:
        limits = runner.limits()
        startup = time.perf_counter() - started
        arg = np.zeros((64, 64, 3), np.uint8)
        times = []
        with runner.lane() as lane:
            run = lane.run if day else runner.run
            for _ in range(cases):
                t0 = time.perf_counter()
                raw = run(Job(module=module, function="same", args=(arg,)))
                times.append(time.perf_counter() - t0)
                if raw.status != "returned":
                    raise SystemExit(f"unexpected status {raw.status}: {raw.info}")
    return startup, times, _cpu() - cpu0, limits


def start_up(workers: int, backend: str | None = None) -> tuple[float, float]:
    """(wall seconds until every worker of a pool of ``workers`` is ready, CPU seconds of all processes for
    starting and closing it): in the sandbox, the zygote that imports the libraries once included."""
    cpu0 = _cpu()
    started = time.perf_counter()
    with Runner(workers, backend=backend) as runner:
        for worker in list(runner._all):
            worker.wait_ready()
        wall = time.perf_counter() - started
    return wall, _cpu() - cpu0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--backend", choices=["auto", "sandbox", "portable"], default=None,
                        help="the runner backend (default: PIXELKATA_BACKEND, else the automatic choice)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        module = Path(tmp) / "trivial.py"
        module.write_text("def same(x):\n    return x\n")
        startup, _, cpu_idle, _ = measure(module, 0, args.backend)
        figures = {way: measure(module, args.cases, args.backend, day=way == "as one day")
                   for way in ("alone", "as one day")}
    pair_wall, pair_cpu = start_up(2, args.backend)
    print(f"backend: {args.backend or 'automatic'}")
    print(f"worker start-up (pool of 1): {startup * 1000:.0f} ms")
    print(f"pool of 2 ready: {pair_wall * 1000:.0f} ms; CPU time to start and close it, all processes: "
          f"{pair_cpu * 1000:.0f} ms")
    for way, (_, times, cpu_busy, limits) in figures.items():
        ms = [t * 1000 for t in times]
        print(f"one trivial case {way}, {args.cases} runs: median {statistics.median(ms):.2f} ms, "
              f"min {min(ms):.2f} ms, max {max(ms):.2f} ms; "
              f"CPU time per case, all processes: {(cpu_busy - cpu_idle) / args.cases * 1000:.2f} ms")
    if limits and isinstance(limits, list):
        print("protections on: " + ", ".join(p["name"] for p in limits if p["on"]))
        print("protections off: " + (", ".join(p["name"] for p in limits if not p["on"]) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
