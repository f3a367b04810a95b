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


def _watch_once(project, exercises, **options) -> list[str]:
    """Start watch on ``exercises``, solve crop in day 1, wait for its grade and the report, stop."""
    lines: list[str] = []
    stop, ready = threading.Event(), threading.Event()

    def echo(line=""):
        lines.append(str(line))
        if str(line).startswith("Watching"):
            ready.set()

    thread = threading.Thread(target=watch, args=(project,), daemon=True,
                              kwargs=dict(exercises=exercises, echo=echo, should_stop=stop.is_set,
                                          render=lambda run: [f"{t.name}: {t.outcome.value}" for t in run.tasks],
                                          **options))
    thread.start()
    assert ready.wait(60)
    module = exercises / "day01_reading.py"
    module.write_text(module.read_text() + "\n\ndef crop(image, x, y, width, height):\n"
                      "    return image[y:y + height, x:x + width]\n")
    deadline = time.monotonic() + 60
    while not any(line.startswith("Note: not recorded") or line.startswith("[graded day 1") and
                  (project.state / "report.html").exists() for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    stop.set()
    thread.join(30)
    assert "crop: passed" in lines, lines
    return lines


def test_watching_another_folder_is_not_recorded_unless_asked(tmp_path, project):
    import shutil

    from grader.learner import progress
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "course", project)
    other = tmp_path / "other"
    shutil.copytree(project.exercises, other)
    lines = _watch_once(project, other)
    assert any(line.startswith("Note: not recorded in your progress:") for line in lines), lines
    db = progress.default_path(project)
    assert not db.exists() or len(progress.load_runs(db)[0]) == 0

    lines = _watch_once(project, other, record_other=True)
    assert not any("not recorded" in line for line in lines), lines
    assert len(progress.load_runs(db)[0]) == 1


def test_watching_a_folder_that_does_not_exist_is_one_usage_error_and_starts_no_workers(tmp_path, project, monkeypatch):
    from grader.learner import watch as watching
    from tests.cli_helpers import run_cli

    started = []
    monkeypatch.setattr(watching, "Runner", lambda *a, **k: started.append(a) or (_ for _ in ()).throw(AssertionError))
    code, out, err = run_cli("watch", "--root", project.root, "--exercises", tmp_path / "nowhere")
    assert code == 2
    assert "Watching" not in out
    assert err.strip().splitlines() == [f"Error: exercises folder {tmp_path / 'nowhere'} does not exist: run from the "
                                        "course folder, or point --exercises at the folder holding your dayNN_*.py files."]
    assert started == []
