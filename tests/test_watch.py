"""Watch mode re-grades the day whose file was saved, and only that day."""
from __future__ import annotations

import threading
import time

from grader.learner.watch import watch


def test_saving_a_day_file_regrades_that_day_and_names_the_next_step(tmp_path, project):
    from tests.conftest import copy_project

    project = copy_project(tmp_path, project)
    exercises = project.exercises
    lines: list[str] = []
    stop = threading.Event()
    ready = threading.Event()

    def echo(line=""):
        lines.append(str(line))
        if str(line).startswith("Watching"):
            ready.set()

    thread = threading.Thread(target=watch, args=(project,), daemon=True,
                              kwargs=dict(exercises=exercises, echo=echo, should_stop=stop.is_set,
                                          render=lambda run: [f"{t.name}: {t.outcome.value}" for t in run.tasks]))
    thread.start()
    assert ready.wait(60)
    module = exercises / "day01_reading.py"
    module.write_text(module.read_text() + "\n\ndef crop(image, x, y, width, height):\n"
                      "    return image[y:y + height, x:x + width]\n")
    deadline = time.monotonic() + 60
    while not any(line.startswith("[graded day 1") for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(30)
    assert any(line.startswith("[graded day 1") for line in lines), lines
    assert "crop: passed" in lines
    assert any(line.startswith("Stuck? `pixelkata hint 1 ") for line in lines)
    assert not any("day 2" in line for line in lines)
    deadline = time.monotonic() + 10
    while not (project.state / "progress.db").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (project.state / "progress.db").exists()  # the re-grade was recorded like a `grade` run
