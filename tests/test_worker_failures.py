"""A grader failure is never blamed on the learner: exit code 2, one line with the real reason and the kept log.

Each test injects one failure of the grader's own: a library the worker cannot import, a worker
that ends before it is ready, and the system refusing another process. Both backends are tried
where the machine has them.
"""
from __future__ import annotations

import errno
import os
import time
import subprocess
import sys
from pathlib import Path

import pytest

from grader.engine import backends
from grader.engine.runner import GraderFailure, Job, Runner
from tests.cli_helpers import run_cli
from tests.conftest import begin_day, copy_project

GRADER = Path(backends.PACKAGE_ROOT) / "grader"


def _sandbox_loads() -> bool:
    """The Linux sandbox can be imported here (not under a Windows-like Python, nor off Linux)."""
    try:
        backends.linux_sandbox()
    except ImportError:
        return False
    return sys.platform.startswith("linux")


BACKENDS = ["portable"] + (["sandbox"] if _sandbox_loads() else [])


@pytest.fixture
def shadow(tmp_path, monkeypatch):
    """A package root that holds the real grader beside whatever a test adds (a broken library, a sitecustomize)."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "grader").symlink_to(GRADER, target_is_directory=True)
    monkeypatch.setattr(backends, "PACKAGE_ROOT", str(root))
    monkeypatch.setenv("PIXELKATA_LOG_DIR", str(tmp_path / "logs"))
    return root


def broken_cv2(root: Path) -> None:
    (root / "cv2").mkdir()
    (root / "cv2" / "__init__.py").write_text(
        'raise ImportError("libGL.so.1: cannot open shared object file: No such file or directory")\n')


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_library_the_worker_cannot_import_is_a_grader_failure_naming_it_and_its_log(backend, shadow, tmp_path):
    broken_cv2(shadow)
    module = tmp_path / "learner.py"
    module.write_text("def f():\n    return 1\n")
    with pytest.raises(GraderFailure) as err:
        with Runner(1, backend=backend) as runner:
            runner.run(Job(module=module, function="f"))
    message = str(err.value)
    assert message.startswith(f"the grader's {backend} worker could not start (it cannot import cv2 "
                              "(ImportError: libGL.so.1: cannot open shared object file")
    assert "not your code" in message
    assert "\n" not in message
    logs = list((tmp_path / "logs").glob("worker-*.log"))
    assert len(logs) == 1 and f"its log is kept at {logs[0]}" in message


def start_failure(backend: str, shadow: Path, last_words: str) -> str:
    """The GraderFailure's message when every worker ends before it is ready, saying ``last_words``."""
    (shadow / "sitecustomize.py").write_text(
        "import os, sys\n"
        f"sys.stderr.write({last_words + chr(10)!r})\n"
        "sys.stderr.flush()\n"
        "os._exit(1)\n")
    with pytest.raises(GraderFailure) as err:
        with Runner(1, backend=backend) as runner:
            runner.limits()
    return str(err.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_worker_that_ends_before_it_is_ready_names_its_last_words(backend, shadow, tmp_path):
    message = start_failure(backend, shadow, "OSError: [Errno 1] Operation not permitted: unshare refused by the system")
    assert message.startswith(f"the grader's {backend} worker could not start (OSError: [Errno 1] Operation not "
                              "permitted: unshare refused by the system); its log is kept at ")
    (log,) = (tmp_path / "logs").glob("worker-*.log")
    assert "unshare refused by the system" in log.read_text()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_system_refusing_another_process_is_a_grader_failure(backend, monkeypatch):
    def refuse(*args, **kwargs):
        raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))

    monkeypatch.setattr(subprocess, "Popen", refuse)
    with pytest.raises(GraderFailure) as err:
        Runner(1, backend=backend)
    assert str(err.value).startswith("the grader could not start a worker process (the system's process limit "
                                     "is reached): this is a set-up problem, not your code")


def test_pixelkata_grade_exits_2_with_one_line_instead_of_blaming_every_task(shadow, tmp_path, project, monkeypatch):
    broken_cv2(shadow)
    course = copy_project(tmp_path, project)
    begin_day(course, 1)
    code, out, err = run_cli("grade", "1", "--root", course.root)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[0].startswith("Error: the grader's ")
    assert "could not start (it cannot import cv2 (ImportError: libGL.so.1" in lines[0]
    assert "stopped the grader's worker process" not in out + err
    assert "Traceback" not in out + err
    (log,) = (tmp_path / "logs").glob("worker-*.log")
    assert str(log) in lines[0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_worker_replaced_from_a_grading_thread_outlives_that_thread(backend, tmp_path):
    # A Linux worker dies with the thread that started it: replacements must not come from threads that end.
    import threading

    spin = tmp_path / "spin.py"
    spin.write_text("def spin():\n    while True:\n        pass\n\ndef quick():\n    return 7\n")
    with Runner(1, backend=backend) as runner:
        runner.limits()
        results = []

        def grading_thread():
            results.append(runner.run(Job(module=spin, function="spin", timeout=1.0)))
            runner.limits()  # the replacement is up and running before this thread ends

        thread = threading.Thread(target=grading_thread)
        thread.start()
        thread.join()
        time.sleep(0.5)
        assert results[0].status == "timeout"  # the worker was replaced from that thread, now gone
        again = runner.run(Job(module=spin, function="quick"))
        assert again.status == "returned" and again.value == 7


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_worker_killed_from_outside_during_a_case_does_not_fail_that_case(backend, tmp_path):
    # The grader's own process that forks the workers killed, or the system's out-of-memory killer: the case
    # did nothing wrong, so it runs again on a fresh worker and its own answer is judged.
    import threading

    learner = tmp_path / "learner.py"
    learner.write_text("import time\n\ndef slow(x):\n    time.sleep(1.5)\n    return 2 * x\n")
    with Runner(1, backend=backend) as runner:
        runner.limits()
        (worker,) = runner._all
        threading.Timer(0.7, worker.proc.kill).start()
        run = runner.run(Job(module=learner, function="slow", args=(21,), timeout=10.0))
        assert run.status == "returned" and run.value == 42
        assert worker not in runner._all  # it was replaced, not revived


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_worker_refused_a_process_or_thread_says_the_limit_is_reached_not_reinstall(backend, shadow, tmp_path):
    message = start_failure(backend, shadow, "BlockingIOError: [Errno 11] Resource temporarily unavailable")
    assert "the system's limit on processes or threads is probably reached" in message
    assert "reinstall" not in message


def test_a_log_folder_of_another_user_does_not_lose_the_log(tmp_path, monkeypatch, shadow):
    # The shared log folder cannot be written (another user made it): the log goes to a folder of our own.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the log folder should be")
    monkeypatch.setenv("PIXELKATA_LOG_DIR", str(blocked / "logs"))
    (shadow / "sitecustomize.py").write_text("import os\nos._exit(1)\n")
    with pytest.raises(GraderFailure) as err:
        with Runner(1, backend="portable") as runner:
            runner.limits()
    kept = str(err.value).split("its log is kept at ")[1].split("; ")[0].split(". ")[0]
    assert Path(kept).is_file()  # after the pool (and its scratch folder) is gone


def test_a_log_folder_another_user_made_or_a_link_is_never_written_through(tmp_path, monkeypatch):
    from grader.engine import runner as runner_mod

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    uid = os.geteuid() if hasattr(runner_mod.os, "geteuid") else None
    name = f"pixelkata-logs-{uid}" if uid is not None else "pixelkata-logs"
    assert runner_mod._own_log_folder() == tmp_path / name  # missing: made as ours when needed
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / name).symlink_to(tmp_path / "elsewhere")
    assert runner_mod._own_log_folder() is None
    (tmp_path / name).unlink()
    (tmp_path / name).mkdir(mode=0o777)
    os.chmod(tmp_path / name, 0o777)
    if uid is not None:
        assert runner_mod._own_log_folder() is None  # others may write in it: they could plant links
    target = tmp_path / "victim"
    target.write_text("keep")
    link = tmp_path / "planted.log"
    link.symlink_to(target)
    src = tmp_path / "worker.log"
    src.write_text("the log")
    with pytest.raises(OSError):
        runner_mod._copy_new(src, link)
    assert target.read_text() == "keep"
    assert runner_mod._copy_new(src, tmp_path / "copy.log").read_text() == "the log"
