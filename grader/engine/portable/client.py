"""Grader side of the portable backend: one warm worker per slot, the wall clock, the memory ceiling, the kill.

:class:`PortableWorker` starts ``python -m grader.engine.portable.worker --launch`` (a launcher and
the worker proper below it) and talks to it through pipes read by threads, which works the same on
Windows, macOS and Linux. While a case runs, the grader looks every :data:`POLL` seconds at the
clock, at the memory of the worker's process tree, and at the launcher; at the case's limit or the
ceiling it kills the whole tree with psutil, and the runner starts a fresh worker. After every case
it kills whatever the case started that still runs. The case's output (the worker's stderr) is
drained by a thread and capped at :data:`OUTPUT_CAP` bytes, so it survives a killed worker.
"""
from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from grader import values
from grader.engine import proctree
from grader.engine.folders import give_back, owner_may_enter, remove_tree
from grader.engine.jobs import OUTPUT_CAP, PRELOAD_TIMEOUT, RawRun, WorkerLost, WorkerTimedOut, preload_failure
from grader.engine.status import Status, from_child

STARTUP_TIMEOUT = 60.0
POLL = 0.05  # seconds between looks at a running case
GRACE = 0.2  # seconds given to the output pipe to drain after a case's answer
LOG_CAP = 256 * 1024  # bytes of the worker's own stderr kept in its log
DEFAULT_MEMORY = 2 * 1024**3  # bytes a case may add to the worker's memory, unless the task sets memory_mb
THREAD_ENV = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}
# What a worker needs of the grader's environment to start on each platform (nothing of its secrets).
_KEEP = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT", "SystemRoot", "WINDIR", "COMSPEC",
         "PATHEXT", "TEMP", "TMP", "TMPDIR", "LOCALAPPDATA", "APPDATA", "USERPROFILE", "HOME",
         "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE")


def worker_environment(package_root: str, base: dict | None = None) -> dict:
    """A scrubbed environment for a portable worker: UTF-8, one thread per library, the grader importable."""
    base = os.environ if base is None else base
    env = {k: base[k] for k in _KEEP if k in base}
    env.update(THREAD_ENV)
    # The grader's own PYTHONPATH follows the package root (a stand-in sitecustomize, for one).
    inherited = [p for p in base.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([package_root] + [p for p in inherited if p != package_root])
    env.update({"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "PYTHONUNBUFFERED": "1",
                "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg"})
    return env


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; False, never an error, where a case took away the permission to look."""
    try:
        os.stat(path)
        return True
    except (OSError, ValueError):
        return False


class _Remover:
    """Removes finished case folders in a background thread, off the path of the next case."""

    def __init__(self):
        self._paths: queue.Queue = queue.Queue()
        self._thread = None
        self._lock = threading.Lock()

    def remove(self, path: Path) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()
        self._paths.put(path)

    def _run(self) -> None:
        while True:
            path = self._paths.get()
            remove_tree(path)
            self._paths.task_done()

    def wait(self) -> None:
        self._paths.join()


_REMOVER = _Remover()


class _Capture:
    """One case's output: the first OUTPUT_CAP bytes and the count, until the worker's end mark."""

    def __init__(self, end: bytes):
        self.end = end
        self.kept = bytearray()
        self.total = 0
        self.done = threading.Event()


class PortableWorker:
    """One portable worker (a launcher and the worker proper), its pipes and its folder for cases."""

    def __init__(self, scratch: Path, slot: int, *, package_root: str, log_path: Path | None = None):
        self.scratch = scratch
        self.slot = slot
        self.box = scratch / f"w{slot}"
        owner_may_enter(scratch)  # a case runs as you here: it may have taken their permissions away
        self.box.mkdir(exist_ok=True)
        owner_may_enter(self.box)
        self.log_path = log_path or scratch / f"worker-{slot}-{id(self)}.log"
        self._log = open(self.log_path, "wb")
        self._log_bytes = 0
        cmd = [sys.executable, "-s", "-m", "grader.engine.portable.worker", "--launch"]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(scratch),
            env=worker_environment(package_root),
            # Ctrl-C in the grader's terminal is the grader's to handle: the workers are killed, not interrupted.
            start_new_session=sys.platform != "win32",
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
        )
        self.ready = None
        self.pid = None  # the worker proper (the launcher's child)
        self._worker = self._launcher = None  # their psutil handles, once ready
        self.uid = None
        self.pid_namespace = False
        self._messages: queue.Queue = queue.Queue()
        self._capture: _Capture | None = None
        self._capture_lock = threading.Lock()
        self.preloaded: set = set()  # modules this worker was asked to import beyond its own preload
        self.cases_run = 0
        threading.Thread(target=self._read_protocol, daemon=True).start()
        threading.Thread(target=self._read_output, daemon=True).start()

    # ------------------------------------------------------------ pipes

    def _read_protocol(self) -> None:
        buf = b""
        stream = self.proc.stdout
        while True:
            try:
                chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                self._messages.put(None)
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                try:
                    msg = values.loads(line.decode("utf-8"))
                except ValueError:
                    continue
                if isinstance(msg, dict):
                    self._messages.put(msg)

    def _read_output(self) -> None:
        stream = self.proc.stderr
        tail = b""
        while True:
            try:
                chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                with self._capture_lock:
                    if self._capture is not None:
                        self._capture.done.set()
                return
            with self._capture_lock:
                cap = self._capture
                if cap is None or cap.done.is_set():
                    self._to_log(chunk)
                    continue
                data = tail + chunk
                at = data.find(cap.end)
                if at < 0:
                    # Keep a tail as long as the mark, in case the mark is split between two reads.
                    keep = len(cap.end)
                    body, tail = (data[:-keep], data[-keep:]) if len(data) > keep else (b"", data)
                    self._count(cap, body)
                    continue
                body = data[:at]
                if body.endswith(b"\n"):
                    body = body[:-1]  # the newline the worker writes before its mark
                self._count(cap, body)
                tail = b""
                cap.done.set()
                self._to_log(data[at + len(cap.end):].lstrip(b"\n"))

    @staticmethod
    def _count(cap: _Capture, body: bytes) -> None:
        cap.total += len(body)
        room = OUTPUT_CAP - len(cap.kept)
        if room > 0:
            cap.kept += body[:room]

    def _to_log(self, chunk: bytes) -> None:
        if not chunk or self._log.closed or self._log_bytes >= LOG_CAP:
            return
        chunk = chunk[:LOG_CAP - self._log_bytes]
        self._log_bytes += len(chunk)
        try:
            self._log.write(chunk)
            self._log.flush()
        except (OSError, ValueError):
            pass

    def _next(self, timeout: float) -> dict:
        try:
            msg = self._messages.get(timeout=max(0.0, timeout))
        except queue.Empty:
            raise WorkerTimedOut("no answer in time") from None
        if msg is None:
            self._messages.put(None)  # stays ended for every later reader
            raise WorkerLost("the worker ended")
        return msg

    # ------------------------------------------------------------ life

    def wait_ready(self) -> dict:
        if self.ready is None:
            try:
                msg = self._next(STARTUP_TIMEOUT)
            except WorkerTimedOut:
                raise WorkerLost(f"the worker did not start within {STARTUP_TIMEOUT:g} s") from None
            except WorkerLost:
                self._wait_output()
                raise WorkerLost("the worker ended before it was ready") from None
            if "ended" in msg:
                self._wait_output()
                raise WorkerLost(f"the worker ended before it was ready (exit code {msg['ended']})")
            if not msg.get("ready"):
                raise WorkerLost("the worker did not start")
            if msg.get("missing"):
                raise WorkerLost(f"it cannot import {msg['missing'][0]}")
            self.pid = msg.get("pid")
            try:
                self._worker = psutil.Process(self.pid)
                self._launcher = psutil.Process(self.proc.pid)
            except psutil.Error:
                raise WorkerLost("the worker ended before it was ready") from None
            msg["limits"] = describe()
            self.ready = msg
        return self.ready

    def _wait_output(self) -> None:
        """Give the stderr reader a moment to put a dying worker's last words in the log."""
        deadline = time.monotonic() + 1.0
        while self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)

    def tree(self) -> list:
        """The launcher and every process below it, as psutil processes."""
        try:
            top = psutil.Process(self.proc.pid)
            return [top] + top.children(recursive=True)
        except psutil.Error:
            return []

    def case_processes(self) -> list:
        """What runs below the worker proper: processes a case started."""
        if self._worker is None:
            return []
        return _descendants(self._worker)

    def kill(self) -> None:
        _kill_all(self.tree())
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        with self._capture_lock:
            if not self._log.closed:
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

    # ------------------------------------------------------------ a case

    def preload(self, names) -> None:
        """Have the worker import ``names`` before the next case, once: every later case finds them loaded.

        This happens outside any case's clock and memory allowance. An import error, a worker that ends
        or takes longer than :data:`PRELOAD_TIMEOUT` is the set-up's: a :class:`GraderFailure`.
        """
        wanted = [name for name in names if name not in self.preloaded]
        if not wanted:
            return
        fresh = not self.cases_run  # no learner code has run in this worker yet
        deadline = time.monotonic() + PRELOAD_TIMEOUT
        try:
            self.proc.stdin.write((json.dumps({"preload": wanted}) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
            while True:
                reply = self._next(deadline - time.monotonic())
                if "preloaded" in reply or "ended" in reply:
                    break
        except WorkerTimedOut:
            raise preload_failure("portable", wanted, f"it took over {PRELOAD_TIMEOUT:g} s", fresh=fresh) from None
        except (WorkerLost, OSError, ValueError):
            reply = {"ended": None}
        if "ended" in reply:
            raise preload_failure("portable", wanted, "the worker ended while importing them", fresh=fresh)
        if reply.get("missing"):
            raise preload_failure("portable", wanted, "; ".join(reply["missing"]), fresh=fresh)
        self.preloaded.update(wanted)

    def run_case(self, job, n: int, day: str | None = None) -> tuple[RawRun, bool]:
        """Run ``job`` as case number ``n``; returns how it ended and whether this worker may take another case."""
        self.preload(job.preload)
        self.cases_run += 1
        case = self.box / f"case-{n}-{secrets.token_hex(4)}"
        try:
            owner_may_enter(self.scratch)  # an earlier case may have taken their permissions away
            owner_may_enter(self.box)
            for sub in ("out", "work"):
                (case / sub).mkdir(parents=True)
            for name, src in job.files.items():
                shutil.copyfile(src, case / "work" / name)
            module = Path(job.module).resolve()
            shutil.copyfile(module, case / module.name)
            values.save((tuple(job.args), dict(job.kwargs)), case, "args")
        except OSError as exc:
            remove_tree(case)
            return RawRun(status=Status.GRADER_ERROR, info={"message": f"could not prepare the case's folder ({exc})"},
                          worker=self.slot), True
        try:
            run, reusable = self._run_in(job, case, module)
        finally:
            _REMOVER.remove(case)
        return run, reusable

    def _run_in(self, job, case: Path, module: Path) -> tuple[RawRun, bool]:
        end = f"\0pixelkata-end-{secrets.token_hex(8)}\0".encode()
        cap = _Capture(end)
        with self._capture_lock:
            self._capture = cap
        msg = {"id": case.name, "dir": str(case), "module": str(case / module.name), "module_file": str(module),
               "module_name": module.stem, "function": job.function, "end": end.decode()}
        limit = int(job.memory or DEFAULT_MEMORY)
        rss0, vms0 = self._memory()
        started = time.monotonic()
        deadline = started + float(job.timeout)
        try:
            self.proc.stdin.write((json.dumps(msg) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (OSError, ValueError):
            return self._lost(job, case, cap, Status.WORKER_LOST), False
        reply = None
        status = None
        exit_code = None
        while reply is None:
            try:
                msg = self._next(min(POLL, deadline - time.monotonic()))
            except WorkerTimedOut:
                now = time.monotonic()
                if now >= deadline:
                    status = Status.TIMEOUT
                elif _grew(self._memory(), rss0, vms0) > limit:
                    status = Status.OUT_OF_MEMORY
                elif self._launcher_tampered():
                    # The launcher ended on its own when the worker ended: its last word says how.
                    exit_code = self._last_word() if self.proc.poll() is not None else None
                    status = Status.WORKER_LOST if exit_code is None else _ended_status(exit_code)
                if status is not None:
                    break
                continue
            except WorkerLost:  # both launcher and worker are gone, without a word
                status = Status.WORKER_LOST
                break
            if "ended" in msg:  # the launcher's report: the worker proper ended during the case
                exit_code = msg.get("ended")
                status = _ended_status(exit_code)
                break
            if msg.get("id") == case.name:
                reply = msg
        elapsed = time.monotonic() - started
        if status is not None:
            return self._lost(job, case, cap, status, elapsed, exit_code), False
        cap.done.wait(GRACE)
        left = _kill_all(self.case_processes())
        if self._launcher_tampered():
            # The case signalled or stopped the worker's launcher: what it returned is not graded.
            return self._lost(job, case, cap, Status.WORKER_LOST, elapsed), False
        run = self._outcome(reply, case, cap, elapsed)
        run.left = left
        # A case that could not even leave its result behind may have spoilt the worker, and one that changed
        # the libraries or modules every case shares (the worker names them) has: start afresh either way.
        return run, run.status is not Status.NO_OUTPUT and not reply.get("spoilt")

    def _memory(self) -> tuple[int, int]:
        """The worker proper's resident and virtual memory in bytes ((0, 0) once it is gone).

        Virtual memory counts what was allocated but not yet touched (``numpy.empty``), as the Linux
        sandbox's RLIMIT_DATA does; on Windows psutil's ``vms`` is the committed (pagefile) size.
        """
        try:
            info = self._worker.memory_info()
            return info.rss, info.vms
        except (psutil.Error, AttributeError):
            return 0, 0

    def _last_word(self, timeout: float = 1.0):
        """The exit code the launcher reported for the worker before it ended, or None."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = self._next(deadline - time.monotonic())
            except WorkerLost:  # WorkerTimedOut included
                return None
            if "ended" in msg:
                return msg.get("ended")

    def _launcher_tampered(self) -> bool:
        if self.proc.poll() is not None:
            return True
        try:
            return self._launcher.status() == psutil.STATUS_STOPPED
        except (psutil.Error, AttributeError):
            return True

    def _lost(self, job, case: Path, cap: _Capture, status: Status, elapsed: float | None = None,
              exit_code: int | None = None) -> RawRun:
        """A case that ended the worker, or had to be killed: what can still be said of it."""
        _kill_all(self.tree())
        cap.done.wait(GRACE)
        with self._capture_lock:
            self._capture = None
        run = RawRun(status=status, elapsed=elapsed if status is not Status.TIMEOUT else None,
                     imported=_exists(case / "out" / "imported"), output=cap.kept.decode("utf-8", "replace"),
                     output_bytes=cap.total, worker=self.slot, cpu_limit=float(job.timeout))
        if status is Status.CRASHED and exit_code is not None:
            run.signal = -exit_code if exit_code < 0 else None
            run.exit_code = exit_code if exit_code >= 0 else None
        elif status is Status.NO_OUTPUT:
            run.exit_code = exit_code
        return run

    def _outcome(self, reply: dict, case: Path, cap: _Capture, elapsed: float) -> RawRun:
        with self._capture_lock:
            self._capture = None
        give_back(case / "out")  # a case running as you may have locked its folders, or another lane's
        run = RawRun(status=Status.NO_OUTPUT, elapsed=reply.get("elapsed", elapsed),
                     output=cap.kept.decode("utf-8", "replace"), output_bytes=cap.total,
                     imported=_exists(case / "out" / "imported"), worker=self.slot)
        out = case / "out"
        try:
            result = values.loads(values._read_regular(out / "result.json", values.MAX_JSON_BYTES))
            if not isinstance(result, dict):
                raise ValueError("not an object")
        except (OSError, ValueError, values.ValueError_):
            return run
        status = from_child(result.get("status"))
        run.info = result
        if status is None:
            return run
        if status is Status.RETURNED:
            run.elapsed = result.get("elapsed", run.elapsed)
            try:
                run.value = values.load(out, "value")
                run.subclass = values.subclass_note(out, "value")
            except FileNotFoundError:
                return run
            except values.ValueError_ as exc:
                run.status = Status.BAD_VALUE
                run.info = {"message": str(exc)}
                return run
        run.status = status
        return run


def _grew(now: tuple[int, int], rss0: int, vms0: int) -> int:
    rss, vms = now
    return max(rss - rss0, vms - vms0)


def _ended_status(code) -> Status:
    """How a worker that ended during a case ended: killed by a signal or a crash, or an exit of its own."""
    if not isinstance(code, int):
        return Status.WORKER_LOST
    if code < 0:
        return Status.CRASHED  # POSIX: the negative signal number
    if sys.platform == "win32" and code >= 0xC0000000:
        return Status.CRASHED  # an NTSTATUS such as an access violation
    return Status.NO_OUTPUT


def _kill_all(procs) -> int:
    """Kill every process in ``procs`` (psutil processes) and wait for them; returns how many were alive."""
    alive = []
    for proc in procs:
        try:
            proc.kill()
            alive.append(proc)
        except psutil.NoSuchProcess:
            pass
        except psutil.Error:
            alive.append(proc)
    deadline = time.monotonic() + 3.0
    waiting = list(alive)
    while waiting and time.monotonic() < deadline:
        # A killed process that is not ours stays a zombie until its parent (or init) reaps it: gone enough.
        waiting = [p for p in waiting if _running(p)]
        if waiting:
            time.sleep(0.005)
    return len(alive)


def _running(proc) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _descendants(proc) -> list:
    """Every process below ``proc``. On Linux read from /proc/<pid>/task/*/children, which is much
    quicker than psutil's scan of every process; elsewhere psutil's own walk."""
    if proctree.has_proc(proc.pid):
        found = []
        for pid in proctree.descendant_pids(proc.pid):
            try:
                found.append(psutil.Process(pid))
            except psutil.Error:
                continue
        return found
    try:
        return proc.children(recursive=True)
    except psutil.Error:
        return []


def now_ticks() -> int:
    """The clock :func:`leftover_processes` gives start times in (hundredths of a second since the epoch)."""
    return int(time.time() * 100)


def leftover_processes(workers) -> list:
    """``(slot, pid, start_ticks)`` for every process below a ready worker proper (what its cases left)."""
    found = []
    for w in workers:
        for proc in w.case_processes():
            if not _running(proc):
                continue  # killed, waiting for its parent to collect it
            try:
                found.append((w.slot, proc.pid, int(proc.create_time() * 100)))
            except psutil.Error:
                continue
    return found


def describe() -> list[dict]:
    """Every protection the portable backend gives, in the Linux sandbox's names and order."""

    def p(name, on, detail, applies=True):
        return {"name": name, "on": on, "detail": detail, "applies": applies}

    return [
        p("wall clock", True, "each case is stopped at its time limit (10 s unless the task sets another): "
                              "the grader kills the worker's whole process tree and starts a fresh worker"),
        p("CPU time", False, "portable mode watches the wall clock only"),
        p("memory", True, f"the grader looks at the worker's memory every {POLL:g} s and stops a case that grows "
                          f"it by more than {DEFAULT_MEMORY // 2**20} MiB unless the task sets memory_mb (memory "
                          "touched faster than that can overshoot between two looks; processes the case starts "
                          "are not counted)"),
        p("processes", False, "portable mode does not limit how many processes or threads a case starts"),
        p("separate user", False, "does not apply: portable mode runs your code as you", False),
        p("signals", False, "your code runs as you and can signal your other processes; a worker it stops or "
                            "kills is replaced and the case is not graded"),
        p("process secrets", False, "your code runs as you and can read what you can of your other processes"),
        p("clean-up", False, "after every case the grader kills what the case started that still runs below "
                             "the worker, but a process that leaves the tree (a double-forked daemon, or a "
                             "grandchild whose parent ended) is not found"),
        p("references hidden", False, "your code can read reference_images/ and solutions/: portable mode has "
                                      "no mount namespace"),
        p("read-only files", False, "your code can write wherever you can: portable mode has no read-only view"),
        p("disk", False, "each case gets a fresh folder, removed after it, but what it writes is not limited"),
        p("network", False, "your code can use the network: portable mode has no network namespace"),
        p("environment", True, "scrubbed: the grader's environment variables are not passed on"),
        p("output", True, "8 KiB of stdout and stderr kept per case; returned arrays read without pickle, "
                          "links or files over 256 MiB"),
    ]
