"""``pixelkata watch``: re-grade a day as soon as its file is saved.

Polling with ``os.stat`` (modification time and size) works everywhere, on Linux, macOS and
Windows alike, including network and virtual file systems where change events never arrive.
One worker pool stays warm for the whole session, so a re-grade only pays for running the day's
cases. A grade runs in a background thread while this one keeps watching for Ctrl-C (or
``should_stop``): stopping kills the workers at once, so it never waits for a learner's endless
loop to reach its time limit.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

from grader.course import load_course
from grader.grading import grade
from grader.course.project import Project
from grader.grading.results import GradeRun
from grader.engine.runner import Runner

#: How often the day files' times and sizes are read (13 stat calls: nothing measurable), and Ctrl-C looked for.
POLL_SECONDS = 0.02
#: An editor may write a file in two steps: a changed file is graded once it held still this long. One caught
#: half-written is graded again as soon as it changes again.
SETTLE_SECONDS = 0.02
# An editor that saves by deleting and writing the file again leaves it missing for a moment:
# a file that disappears is waited for this long before it is graded as missing.
MISSING_GRACE_SECONDS = 1.0


def _stamp(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def changed_days(files: dict, stamps: dict, *, grace: float = MISSING_GRACE_SECONDS) -> list:
    """Days whose module changed since ``stamps`` (updated in place).

    A file that has vanished is looked at again for up to ``grace`` seconds: when it comes back
    (an editor's save), its new content is what changed; only a file still missing after that
    counts as a change (and grades as missing).
    """
    out = []
    for day, path in files.items():
        now = _stamp(path)
        if now != stamps.get(day):
            time.sleep(SETTLE_SECONDS)
            now = _stamp(path)
            deadline = time.monotonic() + grace
            while now is None and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
                now = _stamp(path)
            if now is not None and now != _stamp(path):
                continue  # still being written: next round
            if now == stamps.get(day):
                continue  # it came back as it was
            stamps[day] = now
            out.append(day)
    return out


def day_summary(run: GradeRun, render: Callable) -> list[str]:
    """The day's lines, then the first failure's message and the hint command."""
    lines = list(render(run))
    first = next((t for t in run.tasks if t.attempted and not t.passed), None)
    if first is None:
        first = next((t for t in run.tasks if not t.passed), None)
    if first is not None:
        lines.append(f"Next: {first.name}: {first.message}")
        lines.append(f"Stuck? `pixelkata hint {first.day} {first.name}` shows a hint.")
    elif run.tasks:
        lines.append("Every task of this day passes. On to the next day!")
    return lines


class Stopped(Exception):
    """``should_stop`` said stop while a grade ran."""


def _in_background(work: Callable, runner: Runner, should_stop: Callable[[], bool]):
    """Run ``work()`` in a thread; this thread stays free for Ctrl-C and ``should_stop``.

    On Ctrl-C (KeyboardInterrupt here) or ``should_stop``, the runner's workers are killed, so
    the grade ends within moments whatever the learner's code is doing.
    """
    box: dict = {}

    def target():
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="pixelkata-watch-grade", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(POLL_SECONDS)
            if should_stop():
                raise Stopped()
    except (KeyboardInterrupt, Stopped):
        runner.abort()
        thread.join(1.0)
        raise
    if "error" in box:
        raise box["error"]
    return box.get("value")


def watch(project: Project, *, exercises: Path | None = None, echo: Callable = print,
          clear: Callable = lambda: None, render: Callable = None, workers: int = 2,
          should_stop: Callable[[], bool] = lambda: False, timeout: float | None = None,
          record: bool = True, record_other: bool = False) -> None:
    """Watch the learner's day modules and re-grade each day when its file changes.

    "grading day N…" shows while a grade runs. Each re-grade is shown first, then drawn in the
    report and, with ``record``, kept in the progress store (so recording never delays what the
    learner sees). Like ``grade``, a folder other than the learner's own ``exercises/`` is kept in
    their progress only with ``record_other`` (``--record``).
    Returns when ``should_stop()`` is true; Ctrl-C raises KeyboardInterrupt after the workers
    are killed.
    """
    from grader.learner import terminal

    render = render or (lambda run: terminal.render(run))
    course = load_course()
    exercises = project.exercises_folder(exercises)
    own = exercises.resolve() == project.exercises.resolve()
    files = {d.number: exercises / d.filename for d in course.days}
    stamps = {n: _stamp(p) for n, p in files.items()}
    with Runner(workers) as runner:
        runner.limits()  # start the workers now, not on the first save
        echo(f"Watching {exercises} for changes (Ctrl-C to stop). Save a dayNN file to grade that day.")
        while not should_stop():
            time.sleep(POLL_SECONDS)
            for day in changed_days(files, stamps):
                saved = time.monotonic()
                echo(f"grading day {day}…")
                try:
                    run = _in_background(lambda: grade(project, exercises=exercises, day=day, runner=runner,
                                                       timeout=timeout, keep_images=record),
                                         runner, should_stop)
                except Stopped:
                    return
                clear()
                for line in day_summary(run, render):
                    echo(line)
                took = time.monotonic() - saved
                echo(f"[graded day {day} in {took:.2f} s at {datetime.now():%H:%M:%S}; watching for changes]")
                if record:
                    from grader.learner import report

                    kept = report.save_run(project, run, record=own or record_other)
                    for problem in kept.notes + kept.errors:
                        echo(f"Note: {problem}")
