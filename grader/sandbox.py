"""Limits and clean-up around the child process that runs learner code.

Used by :mod:`grader.worker`. Everything here is best effort per platform and
``describe()`` says plainly which protections are on.
"""
from __future__ import annotations

import os
import resource
import signal
import sys

DEFAULT_MEMORY = 2 * 1024**3  # bytes of data segment per case
DEFAULT_FILE_SIZE = 256 * 1024**2  # largest file a case may write
DEFAULT_OPEN_FILES = 256

# Set before the numeric libraries load: one thread each, so results do not
# depend on the machine and process limits do not break their start-up.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
}

_PR_SET_CHILD_SUBREAPER = 36
_state = {"subreaper": False}


def worker_environment(base: dict | None = None) -> dict:
    """A scrubbed environment for the worker: nothing of the grader's secrets."""
    base = os.environ if base is None else base
    keep = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")
    env = {k: base[k] for k in keep if k in base}
    env.update(THREAD_ENV)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    env["MPLBACKEND"] = "Agg"
    return env


def prepare_worker_process() -> None:
    """Runs once in the worker before it imports anything heavy."""
    os.environ.update(THREAD_ENV)
    _state["subreaper"] = _set_subreaper()
    # The worker must not die of the signals a child's group kill might send.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def _set_subreaper() -> bool:
    """Make orphaned descendants (e.g. a ``setsid`` daemon) become our children."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except Exception:
        return False


def apply_child_limits(job: dict) -> None:
    """Resource limits for the child that runs learner code."""
    timeout = float(job.get("timeout", 10.0))
    cpu = int(job.get("cpu_limit") or (timeout + 1))
    _limit(resource.RLIMIT_CPU, cpu, cpu + 1)
    memory = int(job.get("memory") or DEFAULT_MEMORY)
    _limit(getattr(resource, "RLIMIT_DATA", resource.RLIMIT_AS), memory, memory)
    _limit(resource.RLIMIT_FSIZE, DEFAULT_FILE_SIZE, DEFAULT_FILE_SIZE)
    _limit(resource.RLIMIT_CORE, 0, 0)
    _limit(resource.RLIMIT_NOFILE, DEFAULT_OPEN_FILES, DEFAULT_OPEN_FILES)
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:
        pass


def _limit(which, soft: int, hard: int) -> None:
    try:
        cur_soft, cur_hard = resource.getrlimit(which)
        if cur_hard != resource.RLIM_INFINITY:
            hard = min(hard, cur_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass


def kill_group(pid: int) -> None:
    """Kill the process group the child leads (it called ``setsid``)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def reap_descendants(rounds: int = 50) -> int:
    """Kill and reap anything still attached to the worker after a case.

    With the subreaper flag set, a daemon that escaped the child's process
    group (double fork plus ``setsid``) is re-parented to the worker, so it
    shows up here. Returns how many were killed.
    """
    me = os.getpid()
    killed = 0
    for _ in range(rounds):
        pids = _children_of(me)
        if not pids:
            break
        for pid in pids:
            for kill in (lambda p: os.killpg(p, signal.SIGKILL), lambda p: os.kill(p, signal.SIGKILL)):
                try:
                    kill(pid)
                except (ProcessLookupError, PermissionError):
                    pass
            killed += 1
        for pid in pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    # Collect any zombie left over.
    while True:
        try:
            done, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if not done:
            break
    return killed


def describe() -> dict:
    """Which protections this platform gives the worker, and which it does not."""
    linux = sys.platform.startswith("linux")
    return {
        "process_group_kill": True,
        "wall_clock_limit": True,
        "cpu_limit": True,
        "memory_limit": "RLIMIT_DATA" if hasattr(resource, "RLIMIT_DATA") and linux else
                        "off: this platform does not enforce RLIMIT_DATA",
        "orphan_reaping": "on (child subreaper)" if _state["subreaper"] else "off: needs Linux prctl",
    }
