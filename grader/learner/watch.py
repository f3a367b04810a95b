"""``pixelkata watch``: re-grade a day as soon as its file is saved.

Polling with ``os.stat`` (modification time and size) works everywhere,
including network and virtual file systems where change events never arrive.
One worker pool stays warm for the whole session, so a re-grade only pays for
running the day's cases.
"""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Callable

from grader.course import load_course
from grader.grading import grade
from grader.course.project import Project
from grader.grading.results import GradeRun
from grader.engine.runner import Runner

POLL_SECONDS = 0.05
SETTLE_SECONDS = 0.03  # an editor may write a file in two steps: wait until it holds still


def _stamp(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def changed_days(files: dict, stamps: dict) -> list:
    """Days whose module changed since ``stamps`` (updated in place)."""
    out = []
    for day, path in files.items():
        now = _stamp(path)
        if now != stamps.get(day):
            time.sleep(SETTLE_SECONDS)
            now = _stamp(path)
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


def watch(project: Project, *, exercises: Path | None = None, echo: Callable = print,
          clear: Callable = lambda: None, render: Callable = None, workers: int = 2,
          should_stop: Callable[[], bool] = lambda: False, timeout: float | None = None,
          record: bool = True) -> None:
    """Watch the learner's day modules and re-grade each day when its file changes.

    Each re-grade is shown first, then recorded in the progress store and the
    report (so recording never delays what the learner sees).
    """
    from grader.learner import terminal

    render = render or (lambda run: terminal.render(run))
    course = load_course()
    exercises = Path(exercises) if exercises is not None else project.exercises
    files = {d.number: exercises / d.filename for d in course.days}
    stamps = {n: _stamp(p) for n, p in files.items()}
    with Runner(workers) as runner:
        runner.limits()  # start the workers now, not on the first save
        echo(f"Watching {exercises} for changes (Ctrl-C to stop). Save a dayNN file to grade that day.")
        while not should_stop():
            time.sleep(POLL_SECONDS)
            for day in changed_days(files, stamps):
                saved = time.monotonic()
                run = grade(project, exercises=exercises, day=day, runner=runner, timeout=timeout,
                            keep_images=record)
                clear()
                for line in day_summary(run, render):
                    echo(line)
                took = time.monotonic() - saved
                echo(f"[graded day {day} in {took:.2f} s at {datetime.now():%H:%M:%S}; watching for changes]")
                if record:
                    from grader.learner import report

                    kept = report.save_run(project, run)
                    for problem in kept.notes + kept.errors:
                        echo(f"Note: {problem}")

