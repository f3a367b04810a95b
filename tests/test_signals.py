"""A grade stopped by Ctrl-C, SIGTERM or SIGHUP (``kill``, a closed terminal) ends at once, even while a
learner's endless loop runs: its workers end, its temporary folder goes, and the exit status names the signal."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.test_watch_stops import ENDLESS_CROP

ROOT = Path(__file__).resolve().parent.parent


def _processes_naming(text: str) -> list[int]:
    """Processes whose command line or working folder names ``text`` (a portable worker is named by neither
    its box nor its scratch folder, but works in the scratch folder)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if text in cmdline or text in cwd:
            found.append(int(pid))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals sent and processes read as on Linux")
@pytest.mark.parametrize("name, last_line", [("SIGINT", "Aborted."), ("SIGTERM", "Stopped by a signal."),
                                             ("SIGHUP", "Stopped by a signal.")])
def test_a_grade_stopped_during_an_endless_loop_ends_at_once_and_leaves_nothing(tmp_path, project, name, last_line):
    project = copy_project(tmp_path, project)
    module = project.exercises / "day01_reading.py"
    module.write_text((ROOT / "solutions" / "day01_reading.py").read_text() + ENDLESS_CROP)
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    proc = subprocess.Popen([sys.executable, "-m", "grader", "grade", "1", "--root", str(project.root),
                             "--timeout", "300"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _processes_naming(str(temp)):
            time.sleep(0.05)
        assert _processes_naming(str(temp)), "no worker started"
        time.sleep(1.5)  # the endless loop is running now
        proc.send_signal(getattr(signal, name))
        out, err = proc.communicate(timeout=30)  # the case could run for 300 s
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + getattr(signal, name)
    assert err.strip().splitlines()[-1] == last_line
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (_processes_naming(str(temp)) or list(temp.iterdir())):
        time.sleep(0.1)
    assert _processes_naming(str(temp)) == []
    assert list(temp.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes read as on Linux")
@pytest.mark.parametrize("backend", ["sandbox", "portable"])
def test_a_grader_killed_outright_leaves_no_worker_running_the_learners_endless_loop(tmp_path, project, backend):
    if backend == "sandbox" and os.environ.get("PIXELKATA_BACKEND") == "portable":
        pytest.skip("this run is the portable backend's")
    project = copy_project(tmp_path, project)
    module = project.exercises / "day01_reading.py"
    module.write_text((ROOT / "solutions" / "day01_reading.py").read_text() + ENDLESS_CROP)
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), PIXELKATA_BACKEND=backend, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    proc = subprocess.Popen([sys.executable, "-m", "grader", "grade", "1", "--root", str(project.root),
                             "--timeout", "300"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _processes_naming(str(temp)):
            time.sleep(0.05)
        assert _processes_naming(str(temp)), "no worker started"
        time.sleep(3)  # the endless loop is running now
    finally:
        proc.kill()  # as kill -9 or a crashed notebook kernel would: nothing of the grader runs after this
        proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _processes_naming(str(temp)):
        time.sleep(0.1)
    left = _processes_naming(str(temp))
    for pid in left:  # never leave them to the rest of the suite
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    assert left == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals sent and processes read as on Linux")
def test_ctrl_c_stops_a_batch_at_once_even_during_a_learners_endless_loop(tmp_path, project):
    submissions = tmp_path / "submissions" / "alice"
    submissions.mkdir(parents=True)
    (submissions / "day01_reading.py").write_text((ROOT / "solutions" / "day01_reading.py").read_text() + ENDLESS_CROP)
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    proc = subprocess.Popen([sys.executable, "-m", "grader", "batch", str(submissions.parent), "--out",
                             str(tmp_path / "out"), "--timeout", "300", "--no-reports"], cwd=project.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _processes_naming(str(temp)):
            time.sleep(0.05)
        assert _processes_naming(str(temp)), "no worker started"
        time.sleep(3)  # the endless loop is running now
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)  # the case could run for 300 s
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _processes_naming(str(temp)):
        time.sleep(0.1)
    assert _processes_naming(str(temp)) == []
