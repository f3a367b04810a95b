"""The sandbox's parts one by one: CPU and memory limits, worker loss, the case folder, hiding, the report.

The hostile corpus (tests/test_hostile.py) attacks the whole; these tests pin
the mechanisms it relies on.
"""
from __future__ import annotations

import os
import signal
import stat
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from grader import grading, values
from grader.engine import backends
from grader.engine.sandbox import isolation as sandbox
from grader.learner import terminal
from grader.cli import main
from grader.grading.results import GradeRun
from grader.engine.runner import Job, Runner
from grader.engine.sandbox.client import _wipe
from tests import protections as promises


def learner(tmp_path: Path, source: str, name: str = "learner") -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    path.chmod(0o644)
    return path


def protection(runner: Runner, name: str) -> dict:
    return next(p for p in runner.limits() if p["name"] == name)


def needs(runner: Runner, name: str) -> None:
    """Skip a test of ``name`` where it is off and not promised; fail where it is promised but off."""
    row = protection(runner, name)
    if row["on"]:
        return
    promise = promises.declared()
    if name in promise.on:
        pytest.fail(f"{name} is promised by {promise.source} but off: {row['detail']}")
    pytest.skip(f"needs {name}, which is off here and not promised ({promise.source}): {row['detail']}")


def test_code_that_ignores_sigxcpu_is_killed_at_the_hard_cpu_limit(runner, tmp_path):
    module = learner(tmp_path, "import signal\n"
                               "def spin():\n"
                               "    signal.signal(signal.SIGXCPU, signal.SIG_IGN)\n"
                               "    while True:\n"
                               "        pass\n")
    raw = runner.run(Job(module=module, function="spin", timeout=30, cpu=1))
    assert raw.status == "crashed" and raw.signal == signal.SIGKILL, raw
    assert raw.cpu > raw.cpu_limit + 0.5  # it outlived the soft limit: the hard one ended it
    assert grading._cpu_limit_hit(raw)


def test_a_tasks_memory_limit_applies_and_is_reported_as_memory(runner, tmp_path):
    module = learner(tmp_path, "import numpy\n"
                               "def hog():\n"
                               "    return numpy.empty(400 << 20, numpy.uint8)\n")
    needs(runner, "memory")
    raw = runner.run(Job(module=module, function="hog", memory=300 << 20))
    assert raw.status == "raised" and "MemoryError" in raw.info["mro"], raw
    assert "MemoryError" in grading._kinds(raw.info)


def test_a_worker_killed_from_outside_is_replaced_and_its_case_run_again_on_the_replacement(tmp_path):
    # Not the case's doing (the system, or the grader's own zygote, killed the worker): its answer is judged.
    module = learner(tmp_path, "import time\ndef slow():\n    time.sleep(2)\n    return 6\n")
    quick = learner(tmp_path, "def quick():\n    return 7\n", name="quick")
    with Runner(1) as runner:
        runner.limits()
        (w,) = runner._all

        def kill_it():
            time.sleep(0.5)
            os.killpg(w.proc.pid, signal.SIGKILL)

        threading.Thread(target=kill_it).start()
        raw = runner.run(Job(module=module, function="slow", timeout=20))
        assert raw.status == "returned" and raw.value == 6
        assert w not in runner._all
        again = runner.run(Job(module=quick, function="quick"))
        assert again.status == "returned" and again.value == 7


def test_the_child_gets_a_scrubbed_environment_and_its_own_fresh_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PIXELKATA_VISIBLE_TO_NOBODY", "secret")
    module = learner(tmp_path, "import os, tempfile\n"
                               "def look():\n"
                               "    return dict(os.environ), os.getcwd(), tempfile.gettempdir(), os.listdir('.')\n")
    with Runner(1) as runner:
        env, cwd, tmp, listing = runner.run(Job(module=module, function="look")).value
    assert "PIXELKATA_VISIBLE_TO_NOBODY" not in env
    assert env["HOME"] == env["TMPDIR"] == cwd == tmp
    assert listing == []
    assert not cwd.startswith(str(tmp_path))


def test_the_case_folder_is_emptied_after_every_case_whatever_the_learner_left(runner, tmp_path):
    module = learner(tmp_path, "import os\n"
                               "def litter():\n"
                               "    path = 'deep'\n"
                               "    for _ in range(300):\n"
                               "        path = os.path.join(path, 'd')\n"
                               "    os.makedirs(path)\n"
                               "    os.makedirs('locked/inner')\n"
                               "    open('locked/inner/f', 'w').close()\n"
                               "    os.chmod('locked/inner', 0)\n"
                               "    os.chmod('locked', 0)\n"
                               "    os.symlink('/etc', 'link-out')\n"
                               "    with open(os.path.join(os.environ['TMPDIR'], 'tmp.bin'), 'wb') as fh:\n"
                               "        fh.write(b'x' * 1000)\n"
                               "    return 1\n")
    raw = runner.run(Job(module=module, function="litter"))
    assert raw.status == "returned", raw.info
    for w in runner._all:
        assert os.listdir(w.box_fd) == [], "a case left files in its worker's box"
    assert os.path.isdir("/etc")


def test_wiping_never_follows_a_link_out_of_the_folder(tmp_path):
    box, outside = tmp_path / "box", tmp_path / "outside"
    box.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    (box / "a" / "b").mkdir(parents=True)
    (box / "a" / "b" / "link").symlink_to(outside)
    (box / "link").symlink_to(outside / "keep.txt")
    (box / "a").chmod(0)
    fd = os.open(box, os.O_RDONLY | os.O_DIRECTORY)
    try:
        _wipe(fd)
    finally:
        os.close(fd)
    assert list(box.iterdir()) == []
    assert (outside / "keep.txt").read_text() == "mine"


def test_a_worker_killed_from_another_thread_never_wipes_the_current_folder(tmp_path, monkeypatch):
    # Ctrl-C in watch kills the workers from the main thread while a grading thread may be about to empty
    # its worker's box: the box's closed descriptor must never stand for another folder (None means "here").
    here = tmp_path / "learners-project"
    (here / "exercises").mkdir(parents=True)
    (here / "exercises" / "day01_reading.py").write_text("mine")
    monkeypatch.chdir(here)
    with Runner(1) as runner:
        runner.limits()
        (w,) = runner._all
        w.kill()
        assert w.wipe_box() is False
        with pytest.raises(OSError):
            w.new_case(1)
    assert sorted(p.name for p in here.iterdir()) == ["exercises"]
    assert (here / "exercises" / "day01_reading.py").read_text() == "mine"


@pytest.mark.parametrize("not_a_folder", [None, -1, True, "."])
def test_wiping_refuses_anything_but_an_open_folder(tmp_path, monkeypatch, not_a_folder):
    (tmp_path / "keep.txt").write_text("mine")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError):
        _wipe(not_a_folder)
    assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.fixture
def open_folder():
    """A temporary folder any user may read, as a course checkout usually is (pytest's own are private)."""
    import shutil
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="pixelkata-test-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_hidden_folders_are_empty_to_the_child_unless_they_hold_its_module(runner, open_folder):
    needs(runner, "references hidden")
    secret = open_folder / "secret"
    secret.mkdir()
    secret.chmod(0o755)
    (secret / "answer.txt").write_text("42")
    (secret / "answer.txt").chmod(0o644)
    probe = ("import os\n"
             f"def peek():\n"
             f"    try:\n"
             f"        return os.listdir({str(secret)!r})\n"
             f"    except OSError as exc:\n"
             f"        return exc.strerror\n")
    outside = learner(open_folder, probe)
    visible = runner.run(Job(module=outside, function="peek")).value
    assert visible == ["answer.txt"], visible  # readable when not hidden: the test means something
    inside = secret / "inside.py"
    inside.write_text(probe)
    inside.chmod(0o644)
    hidden = runner.run(Job(module=outside, function="peek", hide=(secret,))).value
    assert hidden == "Permission denied", hidden
    shown = runner.run(Job(module=inside, function="peek", hide=(secret,))).value
    assert "answer.txt" in shown


def test_a_hard_link_in_a_learners_output_folder_is_refused(tmp_path):
    values.save(np.arange(4, dtype=np.uint8), tmp_path, "value")
    (tmp_path / "elsewhere.npy").hardlink_to(tmp_path / "value.a1.npy")
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with pytest.raises(values.ValueError_, match="hard link"):
            values.load(tmp_path, "value", dir_fd=fd)
    finally:
        os.close(fd)
    assert values.load(tmp_path, "value").tolist() == [0, 1, 2, 3]  # the grader's own files may be linked


def test_every_protection_is_listed_with_how_or_why_not(runner):
    rows = runner.limits()
    assert [r["name"] for r in rows][:3] == ["wall clock", "CPU time", "memory"]
    for r in rows:
        assert set(r) == {"name", "on", "detail", "applies"} and r["detail"]
    assert all(r["name"] not in backends.protections_off(rows) for r in rows if not r["applies"])


def test_pixelkata_sandbox_lists_each_protection(capsys, runner):
    main(["sandbox"])  # returns: exit code 0
    out = capsys.readouterr().out
    assert "Protections around your code" in out and "network" in out and "references hidden" in out
    off = backends.protections_off(runner.limits())
    if off:
        assert f"{len(off)} protection(s) off: run the grader as root" in out and "Every protection is on." not in out
    else:
        assert "Every protection is on." in out and "protection(s) off" not in out


def test_a_grade_run_names_the_protections_that_are_off(solutions_run):
    off = [{"name": "network", "on": False, "detail": "no namespace", "applies": True},
           {"name": "separate user", "on": False, "detail": "not root", "applies": False},
           {"name": "memory", "on": True, "detail": "2 GiB", "applies": True}]
    run = GradeRun(course=solutions_run.course, days=solutions_run.days, exercises=solutions_run.exercises,
                   limits=off)
    last = terminal.render(run)[-1]
    assert "Sandbox: network off" in last and "separate user" not in last
    run.limits = off[2:]
    assert "Sandbox" not in terminal.render(run)[-1]


def test_the_worker_does_not_leave_its_box_writable_to_others(runner):
    for w in runner._all:
        mode = os.fstat(w.box_fd).st_mode
        assert not mode & (stat.S_IWGRP | stat.S_IWOTH)


CLAIM_A_BLOCK = """
import sys
from grader.engine.sandbox import isolation
print(isolation.sandbox_uid(0), isolation.sandbox_uid(63), flush=True)
sys.stdin.read()  # hold the block until told to end
"""


def test_two_graders_on_one_machine_run_cases_as_different_users():
    import fcntl
    import subprocess
    import sys

    mine = sandbox.sandbox_uid(0)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    other = subprocess.Popen([sys.executable, "-c", CLAIM_A_BLOCK], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env=env)
    try:
        first, last = map(int, other.stdout.readline().split())
    finally:
        other.communicate("", timeout=30)
    assert last - first == 63
    assert not first <= mine <= last
    assert (first - 60100) % 64 == 0 and first >= 60100
    # The other grader has ended: its block is free again (the kernel dropped its lock).
    block = (first - 60100) // 64
    path = Path(sandbox.uid_lock_folder()) / f"block-{block}.lock"
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)


def test_a_slot_outside_the_block_is_refused():
    with pytest.raises(ValueError):
        sandbox.sandbox_uid(64)


def test_a_link_in_a_blocks_place_is_skipped_and_a_shared_lock_folder_refused_by_name(tmp_path, monkeypatch):
    folder = tmp_path / "uids"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(sandbox, "uid_lock_folder", lambda: str(folder))
    (folder / "block-0.lock").symlink_to(tmp_path / "elsewhere")
    first, fd = sandbox._claim_uid_block()
    os.close(fd)
    assert first == 60100 + 64  # block 0 is skipped, block 1 taken
    assert not (tmp_path / "elsewhere").exists()  # the link was never followed
    folder.chmod(0o777)
    with pytest.raises(OSError, match="uids is not a folder of this user that only this user may write to: remove it"):
        sandbox._claim_uid_block()
