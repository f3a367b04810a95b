"""Grader side of the worker protocol: run one case of learner code, get plain data back.

A :class:`Runner` keeps a small pool of worker processes (see
:mod:`grader.worker`). Each case gets a fresh folder holding copies of its
arguments; the worker forks a child that runs the learner's function there.
:meth:`Runner.run` returns a :class:`RawRun` describing what happened. It never
raises because of anything learner code did.
"""
from __future__ import annotations

import json
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import sandbox, values

# How long the grader waits beyond a case's own limit before it gives up on
# the worker itself (the worker enforces the limit; this is the backstop).
WORKER_GRACE = 5.0
STARTUP_TIMEOUT = 60.0
DEFAULT_TIMEOUT = 10.0


@dataclass
class Job:
    """One call of one learner function."""

    module: Path  # the learner's .py file
    function: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT
    memory: int | None = None
    files: dict = field(default_factory=dict)  # name in the case folder -> source path to copy


@dataclass
class RawRun:
    """What a case did, as seen from outside its process."""

    status: str  # returned, raised, not_attempted, import_error, missing_function,
    #              bad_value, timeout, crashed, no_output, worker_lost, grader_error
    value: object = None
    info: dict = field(default_factory=dict)  # exception details etc.
    elapsed: float | None = None
    cpu: float | None = None
    output: str = ""
    output_bytes: int = 0
    signal: int | None = None
    exit_code: int | None = None
    imported: bool = False
    subclass: str | None = None


class WorkerLost(Exception):
    pass


class _Worker:
    """One worker process and its protocol pipes."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        env = sandbox.worker_environment()
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
        self.log_path = scratch / f"worker-{id(self)}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-s", "-m", "grader.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=str(scratch),
            env=env,
            start_new_session=True,
        )
        self.ready = None
        self.child_pid = None
        self._buf = bytearray()

    def wait_ready(self) -> dict:
        if self.ready is None:
            msg = self._read(STARTUP_TIMEOUT)
            if not msg.get("ready"):
                raise WorkerLost("the worker did not start")
            self.ready = msg
        return self.ready

    def _read(self, timeout: float) -> dict:
        """The worker's next JSON message, read straight from the pipe.

        Reading the raw descriptor (not a buffered file) keeps ``select`` honest:
        a line already pulled into a Python buffer would otherwise sit unseen.
        """
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            newline = self._buf.find(b"\n")
            if newline >= 0:
                line, self._buf = bytes(self._buf[:newline]), self._buf[newline + 1:]
                try:
                    return json.loads(line)
                except ValueError:
                    continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerLost("timeout")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise WorkerLost("eof")
            self._buf += chunk

    def run(self, job_msg: dict, timeout: float) -> dict:
        self.wait_ready()
        try:
            self.proc.stdin.write((json.dumps(job_msg) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerLost("pipe") from exc
        deadline = time.monotonic() + timeout + WORKER_GRACE
        while True:
            msg = self._read(max(0.1, deadline - time.monotonic()))
            if "started" in msg:
                self.child_pid = msg["started"]
                continue
            self.child_pid = None
            return msg

    def kill(self) -> None:
        for pid in (self.child_pid, self.proc.pid):
            if pid:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self.kill()


class Runner:
    """A pool of workers that runs :class:`Job` objects in isolated children.

    Use as a context manager, or call :meth:`close`. Safe to call :meth:`run`
    from several threads at once: each call borrows one worker.
    """

    def __init__(self, workers: int = 1):
        self.size = max(1, int(workers))
        self.scratch = Path(tempfile.mkdtemp(prefix="pixelkata-"))
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._counter = 0
        for _ in range(self.size):
            self._add_worker()

    def _add_worker(self) -> None:
        w = _Worker(self.scratch)
        with self._lock:
            self._all.append(w)
        self._idle.put(w)

    def limits(self) -> dict:
        w = self._idle.get()
        try:
            return w.wait_ready().get("limits", {})
        finally:
            self._idle.put(w)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for w in workers:
            w.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def run(self, job: Job) -> RawRun:
        with self._lock:
            self._counter += 1
            n = self._counter
        case_dir = self.scratch / f"case-{n}"
        (case_dir / "out").mkdir(parents=True)
        try:
            return self._run_in(job, case_dir)
        finally:
            shutil.rmtree(case_dir, ignore_errors=True)

    def _run_in(self, job: Job, case_dir: Path) -> RawRun:
        for name, src in job.files.items():
            shutil.copyfile(src, case_dir / name)
        values.save((tuple(job.args), dict(job.kwargs)), case_dir, "args")
        msg = {
            "id": case_dir.name,
            "dir": str(case_dir),
            "module": str(Path(job.module).resolve()),
            "module_name": Path(job.module).stem,
            "function": job.function,
            "timeout": job.timeout,
            "memory": job.memory,
        }
        worker = self._idle.get()
        try:
            reply = worker.run(msg, job.timeout)
        except WorkerLost as exc:
            worker.kill()
            with self._lock:
                if worker in self._all:
                    self._all.remove(worker)
            self._add_worker()
            status = "timeout" if str(exc) == "timeout" else "worker_lost"
            return RawRun(status=status, elapsed=None, imported=(case_dir / "out" / "imported").exists())
        else:
            self._idle.put(worker)
        return _read_outcome(reply, case_dir / "out")


def _read_outcome(reply: dict, out: Path) -> RawRun:
    run = RawRun(
        status="no_output",
        elapsed=reply.get("elapsed"),
        cpu=reply.get("cpu"),
        output=str(reply.get("output", ""))[: 64 * 1024],
        output_bytes=int(reply.get("output_bytes") or 0),
        signal=reply.get("signal"),
        exit_code=reply.get("exit_code"),
        imported=(out / "imported").exists(),
    )
    if reply.get("timed_out"):
        run.status = "timeout"
        return run
    if run.signal:
        run.status = "crashed"
        return run
    try:
        raw = values._read_regular(out / "result.json", values.MAX_JSON_BYTES)
        result = json.loads(raw)
        if not isinstance(result, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return run
    except (ValueError, values.ValueError_):
        run.status = "no_output"
        return run
    status = str(result.get("status", ""))
    run.info = result
    if status == "returned":
        run.elapsed = result.get("elapsed", run.elapsed)
        try:
            run.value = values.load(out, "value")
            run.subclass = values.subclass_note(out, "value")
        except FileNotFoundError:
            run.status = "no_output"
            return run
        except values.ValueError_ as exc:
            run.status = "bad_value"
            run.info = {"message": str(exc)}
            return run
    if status not in ("returned", "raised", "not_attempted", "import_error", "missing_function",
                      "bad_value", "grader_error"):
        run.status = "no_output"
        return run
    run.status = status
    return run
