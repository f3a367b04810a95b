"""A grade or a batch stopped by Ctrl-C, SIGTERM or SIGHUP (``kill``, a closed terminal) ends at once, even
while a learner's endless loop runs: its workers end, its temporary folder goes, and the exit status names the
signal. A grader killed outright (``kill -9``) leaves no worker running that loop."""
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

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="signals sent and processes read as on Linux")


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


def _endless(tmp_path: Path, project, **env) -> tuple:
    """(a course copy whose day 1 crop() loops for ever, the temporary folder its grader will use, the
    environment that points the grader there)."""
    project = copy_project(tmp_path, project)
    module = project.exercises / "day01_reading.py"
    module.write_text((ROOT / "solutions" / "day01_reading.py").read_text() + ENDLESS_CROP)
    temp = tmp_path / "temp"
    temp.mkdir()
    environ = dict(os.environ, TMPDIR=str(temp), **env, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    return project, temp, environ


def _loop_running(temp: Path, seconds: float) -> None:
    """Wait until a worker of the grader using ``temp`` runs, then ``seconds`` more: the endless loop runs."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _processes_naming(str(temp)):
        time.sleep(0.05)
    assert _processes_naming(str(temp)), "no worker started"
    time.sleep(seconds)


def _left_running(temp: Path) -> list[int]:
    """What still runs of the grader that used ``temp`` after up to 10 s; killed, so the suite goes on."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _processes_naming(str(temp)):
        time.sleep(0.1)
    left = _processes_naming(str(temp))
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return left


def _stopped(proc: subprocess.Popen, temp: Path, name: str) -> tuple:
    """Send ``name`` to ``proc`` while its learner's loop runs; its (stdout, stderr), within 30 s."""
    try:
        _loop_running(temp, 1.5)
        proc.send_signal(getattr(signal, name))
        return proc.communicate(timeout=30)  # the case could run for 300 s
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("name, last_line", [("SIGINT", "Aborted."), ("SIGTERM", "Stopped by a signal."),
                                             ("SIGHUP", "Stopped by a signal.")])
def test_a_grade_stopped_during_an_endless_loop_ends_at_once_and_leaves_nothing(tmp_path, project, name, last_line):
    project, temp, env = _endless(tmp_path, project)
    proc = subprocess.Popen([sys.executable, "-m", "grader", "grade", "1", "--root", str(project.root),
                             "--timeout", "300"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = _stopped(proc, temp, name)
    assert proc.returncode == 128 + getattr(signal, name)
    assert err.strip().splitlines()[-1] == last_line
    assert "Traceback" not in err
    assert _left_running(temp) == []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and list(temp.iterdir()):
        time.sleep(0.1)
    assert list(temp.iterdir()) == []


def test_ctrl_c_stops_a_batch_at_once_even_during_a_learners_endless_loop(tmp_path, project):
    project, temp, env = _endless(tmp_path, project)
    learner = tmp_path / "submissions" / "alice"
    learner.mkdir(parents=True)
    (project.exercises / "day01_reading.py").replace(learner / "day01_reading.py")
    proc = subprocess.Popen([sys.executable, "-m", "grader", "batch", str(learner.parent), "--out",
                             str(tmp_path / "out"), "--timeout", "300", "--no-reports"], cwd=project.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = _stopped(proc, temp, "SIGINT")
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert _left_running(temp) == []


@pytest.mark.parametrize("backend", ["sandbox", "portable"])
def test_a_grader_killed_outright_leaves_no_worker_running_the_learners_endless_loop(tmp_path, project, backend):
    if backend == "sandbox" and os.environ.get("PIXELKATA_BACKEND") == "portable":
        pytest.skip("this run is the portable backend's")
    project, temp, env = _endless(tmp_path, project, PIXELKATA_BACKEND=backend)
    proc = subprocess.Popen([sys.executable, "-m", "grader", "grade", "1", "--root", str(project.root),
                             "--timeout", "300"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _loop_running(temp, 3)
    finally:
        proc.kill()  # as kill -9 or a crashed notebook kernel would: nothing of the grader runs after this
        proc.wait()
    assert _left_running(temp) == []
