"""A sandbox pool's workers are forked from one zygote that imported the libraries once.

Each forked worker must be what a worker started afresh is (its own session, namespaces, limits, every
protection), end with the pool, and have its CPU time counted for the grader; a pool whose zygote is gone
goes on with workers started afresh.
"""
from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

import psutil
import pytest

from grader.engine.runner import Job, Runner
from grader.engine.sandbox.client import SandboxWorker
from tests.test_worker_failures import BACKENDS

pytestmark = pytest.mark.skipif("sandbox" not in BACKENDS, reason="the Linux sandbox does not load here")

LEARNER = '''
import os
import time


def where():
    return os.getpid(), os.getsid(0) == os.getpid()


def spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds
'''


def learner(tmp_path: Path) -> Path:
    path = tmp_path / "zygote_learner.py"
    path.write_text(LEARNER)
    path.chmod(0o644)
    return path


def parent_of(pid: int) -> int:
    return psutil.Process(pid).ppid()


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_pools_workers_are_forked_from_one_zygote_and_keep_every_protection(tmp_path):
    module = learner(tmp_path)
    with Runner(2, backend="sandbox") as pool:
        workers = list(pool._all)
        limits = [[(p["name"], p["on"]) for p in w.wait_ready()["limits"]] for w in workers]
        zygote = pool.backend._zygote
        assert zygote is not None
        assert b"--zygote" in Path(f"/proc/{zygote.proc.pid}/cmdline").read_bytes()
        assert [parent_of(w.proc.pid) for w in workers] == [zygote.proc.pid] * 2
        assert len({w.proc.pid for w in workers}) == 2
        # The same protections on as in a worker that imported the libraries itself.
        fresh = SandboxWorker(pool.scratch, 5)
        try:
            assert limits == [[(p["name"], p["on"]) for p in fresh.wait_ready()["limits"]]] * 2
        finally:
            fresh.close()
        ran = pool.run(Job(module=module, function="where"))
    assert ran.status == "returned", ran.info
    assert ran.value[1] is True  # the case's process leads its own session, as in any worker


def test_the_zygote_and_its_workers_end_with_the_pool_and_their_cpu_is_counted(tmp_path):
    module = learner(tmp_path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with Runner(1, backend="sandbox") as pool:
        (worker,) = pool._all
        worker.wait_ready()
        pids = [pool.backend._zygote.proc.pid, worker.proc.pid]
        assert pool.run(Job(module=module, function="spin", args=(2.0,))).value == 2.0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert not any(running(pid) for pid in pids)
    assert pool.backend._zygote is None
    # The case's two seconds ran in a grandchild of the zygote (more than the zygote itself uses): they reach
    # the grader only if every process on the way was waited for.
    assert (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime) >= 2.0


def test_when_the_zygote_is_gone_the_pool_goes_on_with_workers_started_afresh(tmp_path):
    module = learner(tmp_path)
    with Runner(1, backend="sandbox") as pool:
        (worker,) = pool._all
        worker.wait_ready()
        zygote = pool.backend._zygote.proc
        zygote.send_signal(signal.SIGKILL)  # its workers die with it
        zygote.wait()
        first = pool.run(Job(module=module, function="where"))  # its worker is gone: run again on a fresh one
        again = pool.run(Job(module=module, function="where"))
        (replacement,) = pool._all
        assert replacement.proc.pid != worker.proc.pid
        assert parent_of(replacement.proc.pid) == os.getpid()  # started afresh, not by the zygote
    assert first.status == "returned", first.info
    assert again.status == "returned", again.info


def test_without_pidfds_the_pools_workers_are_started_afresh(tmp_path, monkeypatch):
    monkeypatch.delattr(signal, "pidfd_send_signal")  # as on Linux before 5.3: no safe way to signal a fork
    module = learner(tmp_path)
    with Runner(1, backend="sandbox") as pool:
        (worker,) = pool._all
        ran = pool.run(Job(module=module, function="where"))
        assert pool.backend._zygote is None
        assert parent_of(worker.proc.pid) == os.getpid()
    assert ran.status == "returned", ran.info
