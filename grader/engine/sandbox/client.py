"""Grader side of the Linux sandbox: start a sandbox worker, hand it one case, read back how it ended.

:class:`SandboxWorker` is one ``python -m grader.engine.sandbox.worker`` process and its box (the
folder holding its case). The runner (:mod:`grader.engine.runner`) keeps a pool of them and never
sees anything POSIX-only: the pipes are read with ``select``, case folders are reached through open
directory descriptors (so nothing a case renames can redirect the grader), and processes are killed
by group.
"""
from __future__ import annotations

import errno
import json
import os
import secrets
import select
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

from grader import values
from grader.engine.folders import owner_may_enter
from grader.engine.jobs import PRELOAD_TIMEOUT, GraderFailure, RawRun, WorkerLost, WorkerTimedOut, preload_failure
from grader.engine.sandbox import isolation
from grader.engine.status import Status, from_child

# How long the grader waits beyond a case's own limit before it gives up on
# the worker itself (the worker enforces the limit; this is the backstop for a
# worker that was stopped or killed, so a timed-out case still ends within its
# limit plus a second).
WORKER_GRACE = 0.6
STARTUP_TIMEOUT = 60.0
_SAFE_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
#: The folder that holds the ``grader`` package: a worker's ``PYTHONPATH``.
PACKAGE_ROOT = os.path.dirname(isolation.GRADER_DIR)


class SandboxWorker:
    """One sandbox worker process, its protocol pipes and its box (the folder holding its case)."""

    def __init__(self, scratch: Path, slot: int, *, package_root: str = PACKAGE_ROOT, log_path: Path | None = None,
                 zygote: "Zygote | None" = None):
        self.scratch = scratch
        self.slot = slot
        self.box = scratch / f"w{slot}"
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        # A case that ran as the grader's own user (no separate user) may have taken the permissions away
        # from the folders a new worker needs (``os.chmod(box, 0)``): give them back first.
        owner_may_enter(scratch)
        self.box.mkdir(exist_ok=True)
        owner_may_enter(self.box)
        if root:
            # Without a mount namespace, the child's own user must reach its case folder.
            self.box.chmod(0o711)
        env = isolation.worker_environment()
        env["PYTHONPATH"] = package_root
        self.log_path = log_path or scratch / f"worker-{slot}-{id(self)}.log"
        self._log = open(self.log_path, "wb")
        uid = isolation.sandbox_uid(slot) if root else None
        self.proc = None
        if zygote is not None:
            # Forked ready-made from the pool's zygote (the libraries already imported), else started afresh.
            try:
                self.proc = zygote.start(self.box, uid, scratch, self._log.fileno())
            except OSError:
                self.proc = None
        if self.proc is None:
            cmd = [sys.executable, "-s", "-m", "grader.engine.sandbox.worker", "--box", str(self.box)]
            if uid is not None:
                cmd += ["--uid", str(uid)]
            self.proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                cwd=str(scratch),
                env=env,
                start_new_session=True,
            )
        self.ready = None
        self.child_pid = None
        self.uid = None
        self.pid_namespace = False
        self.box_fd = None
        self._box_mode = 0o755
        # Held while the box's descriptor is used or closed: kill() may come from another thread (Ctrl-C),
        # and a closed descriptor's number, or None, would point the wipe at another folder.
        self._box_lock = threading.Lock()
        self._buf = bytearray()
        self.preloaded: set = set()  # modules this worker was asked to import beyond its own preload
        self.cases_run = 0
        self._stopping = False
        self.day_child = None  # the worker's day child between cases, as the worker numbers it
        self._day_ended = False  # the last reply said the day child ended abnormally
        self._inner: list = []

    def wait_ready(self) -> dict:
        if self.ready is None:
            try:
                msg = self._read(STARTUP_TIMEOUT)
            except WorkerTimedOut:
                raise WorkerLost(f"the worker did not start within {STARTUP_TIMEOUT:g} s") from None
            except WorkerLost:
                raise WorkerLost("the worker ended before it was ready") from None
            if not msg.get("ready"):
                raise WorkerLost("the worker did not start")
            if msg.get("missing"):
                raise WorkerLost(f"it cannot import {msg['missing'][0]}")
            self.uid = msg.get("uid")
            self.pid_namespace = bool(msg.get("pid_namespace"))
            # A private box lives in the worker's mount namespace; the grader
            # reaches it through the launcher's root. Opened once, so nothing a
            # child renames later can redirect the grader.
            base = self.box
            if msg.get("private_box"):
                base = Path(f"/proc/{self.proc.pid}/root") / str(self.box).lstrip("/")
            try:
                self.box_fd = os.open(base, _SAFE_DIR & ~getattr(os, "O_NOFOLLOW", 0))
                self._box_mode = stat.S_IMODE(os.fstat(self.box_fd).st_mode)
            except OSError as exc:
                raise WorkerLost(f"the worker's case folder cannot be reached ({exc.strerror})") from None
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
                    return values.loads(line)
                except ValueError:
                    continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerTimedOut("no answer in time")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise WorkerLost("eof")
            self._buf += chunk

    def new_case(self, n: int) -> tuple[str, int]:
        """A fresh case folder in the box: (its path as the child sees it, an open descriptor of it).

        A day child (a sandbox process) may be alive meanwhile, so nothing here trusts a name in the box:
        the folder's name is unguessable and made by ``mkdir`` (which fails on anything already there),
        every folder is opened without following a link, and :meth:`_put` creates each file afresh. The
        case's ``out`` and ``work`` are handed to the child's user only after the grader's writes.
        """
        name = f"case-{n}-{secrets.token_hex(16)}"
        with self._box_lock:
            if self.box_fd is None:
                raise OSError(errno.EBADF, "the worker's box is closed")
            self._restore_box_mode()
            os.mkdir(name, 0o755, dir_fd=self.box_fd)
            case_fd = os.open(name, _SAFE_DIR, dir_fd=self.box_fd)
        try:
            os.fchmod(case_fd, 0o755)
            for sub in ("out", "work"):
                os.mkdir(sub, 0o700, dir_fd=case_fd)
        except BaseException:
            os.close(case_fd)
            raise
        return str(self.box / name), case_fd

    def _hand_over(self, case_fd: int) -> None:
        """Give the case's ``out`` and ``work`` folders to the child's user, once the grader has written."""
        if self.uid is None:
            return
        for sub in ("out", "work"):
            fd = os.open(sub, _SAFE_DIR, dir_fd=case_fd)
            try:
                os.fchown(fd, self.uid, self.uid)
            finally:
                os.close(fd)

    def _restore_box_mode(self) -> None:
        """Put the box's permissions back as they were when the worker started. A case running as the box's
        owner (an ordinary user's grading, where the case has no user of its own) may change them; the next
        case, or the wipe, would then be refused, and the grader blamed. Called with the box's lock held."""
        if stat.S_IMODE(os.fstat(self.box_fd).st_mode) != self._box_mode:
            os.fchmod(self.box_fd, self._box_mode)

    def wipe_box(self) -> bool:
        """Empty the box after a case; False when it could not be emptied."""
        with self._box_lock:
            if self.box_fd is None:  # killed meanwhile: the box goes with the scratch folder
                return False
            try:
                self._restore_box_mode()
                _wipe(self.box_fd)
                return True
            except (OSError, RecursionError):
                return False

    def run(self, job_msg: dict, timeout: float) -> dict:
        try:
            self.proc.stdin.write((json.dumps(job_msg) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerLost("pipe") from exc
        deadline = time.monotonic() + timeout + WORKER_GRACE
        while True:
            msg = self._read(max(0.05, deadline - time.monotonic()))
            if "started" in msg:
                self.child_pid = msg["started"]
                continue
            self.child_pid = None
            self.day_child = msg.get("day_child")
            return msg

    def is_day_child(self, pid: int) -> bool:
        """Whether ``pid`` (as this process sees it) is the worker's live day child."""
        day = self.day_child
        return day is not None and isolation.innermost_pid(pid) == day

    def end_day(self) -> bool:
        """End the day child of the lane that held this worker (see :meth:`run_case`'s ``day``); False when the
        worker did not answer (the caller replaces it)."""
        if self.ready is None:
            return True
        try:
            self.proc.stdin.write(b'{"end_day": true}\n')
            self.proc.stdin.flush()
            reply = self._read(5.0)
        except (WorkerLost, OSError, ValueError):  # ValueError: the pool closed its pipe meanwhile
            return False
        self.day_child = None
        return bool(reply.get("ended"))

    def preload(self, names) -> None:
        """Have the worker import ``names`` before its next fork, once: every later case inherits them.

        No learner code runs meanwhile, so any failure (an import error, a worker that ends or takes
        longer than :data:`PRELOAD_TIMEOUT`) is the set-up's: a :class:`GraderFailure`.
        """
        wanted = [name for name in names if name not in self.preloaded]
        if not wanted:
            return
        fresh = not self.cases_run  # no learner code has run in this worker yet
        try:
            self.proc.stdin.write((json.dumps({"preload": wanted}) + "\n").encode())
            self.proc.stdin.flush()
            reply = self._read(PRELOAD_TIMEOUT)
        except WorkerTimedOut:
            raise preload_failure("sandbox", wanted, f"it took over {PRELOAD_TIMEOUT:g} s", fresh=fresh) from None
        except (WorkerLost, OSError):
            raise preload_failure("sandbox", wanted, "the worker ended while importing them", fresh=fresh) from None
        if reply.get("missing") or "preloaded" not in reply:
            raise preload_failure("sandbox", wanted, "; ".join(reply.get("missing") or ["no answer"]), fresh=fresh)
        self.preloaded.update(wanted)

    def run_case(self, job, n: int, day: str | None = None) -> tuple[RawRun, bool]:
        """Run ``job`` as case number ``n``; returns how it ended and whether this worker may take another case."""
        self.preload(job.preload)
        self.cases_run += 1
        if day:
            run, reusable = self._one_case(job, n, day, alone=False)
            if run is not None and not self._day_ended and run.status not in _RUN_AGAIN:
                return run, reusable
            if run is not None and run.status is Status.TIMEOUT:
                # An endless loop is a beginner's everyday slip: running it again alone would make them wait
                # its whole limit twice. The worker has ended the day child; the rest of the day runs one child
                # per case.
                return run, reusable
            # The day child ended abnormally, reported a grader error or no result, or an earlier case of the
            # day spoilt this one's folder: any earlier case of the day may be the cause (a limit it lowered, a
            # descriptor it moved, memory it kept, the loop it took over). The day child is gone (the worker
            # ends it for a case run alone); the case runs again alone, in a fresh folder, and that run decides.
            if not self.end_day():  # first, so nothing of the day runs while the new folder is filled
                return run or RawRun(status=Status.WORKER_LOST, worker=self.slot), False
            again, fine = self._one_case(job, n, day, alone=True)
            return again, reusable and fine
        return self._one_case(job, n, None, alone=False)

    def _one_case(self, job, n: int, day: str | None, alone: bool) -> tuple[RawRun | None, bool]:
        """One run of ``job`` in a fresh case folder; (None, ...) when a day's case folder could not be prepared."""
        self._day_ended = False
        try:
            child_dir, case_fd = self.new_case(n)
        except OSError as exc:
            if day and not alone:
                return None, self.wipe_box()
            # A box that cannot take a new case (full, or left in a bad state): start afresh.
            return RawRun(status=Status.GRADER_ERROR,
                          info={"message": f"could not prepare the case's folder ({exc})"}), False
        try:
            run = self._run_in(job, child_dir, case_fd, day, alone)
        except WorkerLost:
            raise
        except _NotPrepared as exc:
            if day and not alone:  # a day child (learner code) may have put something in the folder
                run = None
            else:
                return RawRun(status=Status.GRADER_ERROR,
                              info={"message": f"could not prepare the case's folder ({exc.__cause__})"}), False
        finally:
            os.close(case_fd)
        return run, self.wipe_box()

    def _run_in(self, job, child_dir: str, case_fd: int, day: str | None = None, alone: bool = False) -> RawRun:
        module = Path(job.module).resolve()
        try:
            work = os.open("work", _SAFE_DIR, dir_fd=case_fd)
            try:
                for name, src in job.files.items():
                    _put(src, name, work)
            finally:
                os.close(work)
            values.save((tuple(job.args), dict(job.kwargs)), None, "args", dir_fd=case_fd)
            _put(module, module.name, case_fd)
            self._hand_over(case_fd)
        except OSError as exc:
            raise _NotPrepared() from exc
        cpu_limit = float(job.cpu) if job.cpu else float(job.timeout)
        msg = {
            "id": os.path.basename(child_dir),
            "dir": child_dir,
            "module": os.path.join(child_dir, module.name),
            "module_file": str(module),
            "module_name": module.stem,
            "function": job.function,
            "timeout": job.timeout,
            "cpu_limit": cpu_limit,
            "memory": job.memory,
            "hide": [str(Path(p).resolve()) for p in job.hide],
        }
        if day:
            msg["day"] = day
            if alone:
                msg["alone"] = True
        try:
            reply = self.run(msg, job.timeout)
        except WorkerLost as exc:
            imported = _exists(case_fd, "out", "imported")
            status = Status.TIMEOUT if isinstance(exc, WorkerTimedOut) else Status.WORKER_LOST
            exc.run = RawRun(status=status, elapsed=None, imported=imported, cpu_limit=cpu_limit, worker=self.slot)
            raise
        if reply.get("fork_failed"):
            raise GraderFailure(f"the grader's sandbox worker could not start a process for the case "
                                f"({reply['fork_failed']}): the system's process limit is probably reached; "
                                "close other programs and grade again (this is not your code's fault).")
        self._day_ended = bool(reply.get("day_ended"))
        run = _read_outcome(reply, case_fd)
        run.cpu_limit = -(-cpu_limit // 1)  # the rlimit is whole seconds, rounded up
        run.worker = self.slot
        return run



    def kill(self) -> None:
        if not self.pid_namespace:
            # Without a PID namespace, whatever the case started outlives the worker unless killed here.
            for _, pid, _ in isolation.sandbox_processes({self.proc.pid: (self.uid, False)}):
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        # A forked worker is reaped by its zygote: its group is only signalled while it still runs.
        gone = isinstance(self.proc, _Forked) and self.proc.poll() is not None
        for pid in (self.child_pid if not self.pid_namespace else None, None if gone else self.proc.pid):
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
        self._close_fds()

    def _close_fds(self) -> None:
        with self._box_lock:
            if self.box_fd is not None:
                os.close(self.box_fd)
                self.box_fd = None
        if not self._log.closed:
            self._log.close()

    def stop(self) -> None:
        """Start ending the worker without waiting (:meth:`close` waits): a pool stops all its workers first,
        so their namespaces are torn down side by side."""
        if self._stopping:
            return
        self._stopping = True
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        # Inside namespaces the worker is the launcher's child: killed first, it is reaped by the launcher,
        # which then exits by itself (so the CPU both used is still counted for the grader, as a clean
        # exit's would be). close() then kills and reaps the launcher whatever happened.
        self._inner = isolation.children_of(self.proc.pid) if self.pid_namespace else []
        for pid in self._inner:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def close(self) -> None:
        """End the worker now. It holds nothing to save (its box goes with the scratch folder), so it is
        killed with everything of its sandbox rather than asked to exit and waited for: the caller does
        not wait for an interpreter's shutdown, and no case process outlives the pool."""
        self.stop()
        if self._inner:
            _wait_exit(self.proc, 1.0)
        self.kill()


class Zygote:
    """The grader's side of a pool's zygote (:func:`grader.engine.sandbox.worker.zygote`): a process that imports
    the libraries once and forks each worker of the pool ready-made, instead of each worker importing them.

    Started by the backend on a pool's first worker and ended with the pool (:meth:`close`). Requests and
    answers are records on a Unix socket; each worker's pipes and log go with its request, and each answer
    brings back a pidfd of the forked worker, so the grader signals and waits for exactly that process.
    """

    def __init__(self, scratch: Path, package_root: str = PACKAGE_ROOT):
        import socket

        # Without pidfds (Linux before 5.3) the grader could not signal a forked worker safely: raises
        # OSError, and the pool's workers are started afresh instead.
        if not hasattr(signal, "pidfd_send_signal") or not hasattr(os, "pidfd_open"):
            raise OSError(errno.ENOSYS, "this Python has no pidfds")
        os.close(os.pidfd_open(os.getpid()))
        self.scratch = scratch
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = isolation.worker_environment()
        env["PYTHONPATH"] = package_root
        self.log_path = scratch / "zygote.log"
        try:
            with open(self.log_path, "wb") as log:
                self.proc = subprocess.Popen(
                    # The scratch folder on the command line (the forked workers keep it) names the pool's
                    # processes, as a worker started afresh is named by its box.
                    [sys.executable, "-s", "-m", "grader.engine.sandbox.worker", "--zygote", str(scratch)],
                    stdin=theirs, stdout=subprocess.DEVNULL, stderr=log, cwd=str(scratch), env=env,
                    start_new_session=True,
                )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self._sock = ours
        self._lock = threading.Lock()
        self._waiting: list = []  # workers whose answer has not been read yet, in the order they were asked for

    def start(self, box: Path, uid: int | None, cwd: Path, log_fd: int) -> "_Forked":
        """Ask for a worker with ``box``, ``uid`` and its log on ``log_fd``; its pid comes with first use."""
        import socket

        request = json.dumps({"box": str(box), "uid": uid, "cwd": str(cwd)}).encode()
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        try:
            with self._lock:
                if self.proc.poll() is not None:
                    raise OSError(errno.ESRCH, "the zygote has ended")
                socket.send_fds(self._sock, [request], [stdin_r, stdout_w, log_fd])
                forked = _Forked(self, open(stdin_w, "wb"), open(stdout_r, "rb"))
                self._waiting.append(forked)
        except BaseException:
            for fd in (stdin_w, stdout_r):
                os.close(fd)
            raise
        finally:
            os.close(stdin_r)
            os.close(stdout_w)
        return forked

    def answer(self, forked: "_Forked", timeout: float = STARTUP_TIMEOUT) -> None:
        """Read answers until ``forked``'s has come (its pid and pidfd); a zygote that ended answers nothing."""
        import socket

        deadline = time.monotonic() + timeout
        with self._lock:
            while forked in self._waiting:
                left = deadline - time.monotonic()
                try:
                    ready = left > 0 and select.select([self._sock], [], [], left)[0]
                    data, fds, _, _ = socket.recv_fds(self._sock, 4096, 1) if ready else (b"", [], 0, None)
                except OSError:
                    data, fds = b"", []
                if not data:  # ended, or no answer in time: nobody waiting will get one
                    for fd in fds:
                        os.close(fd)
                    for waiting in self._waiting:
                        waiting._settle(None, None)
                    self._waiting.clear()
                    return
                try:
                    pid = json.loads(data).get("pid")
                except ValueError:
                    pid = None
                self._waiting.pop(0)._settle(pid if isinstance(pid, int) else None, fds[0] if fds else None)

    def close(self) -> None:
        """End the zygote: it kills what is left of its workers, waits for them and exits (then reaped here, so
        the CPU time of every worker it forked is counted for the grader)."""
        try:
            self._sock.shutdown(2)
        except OSError:
            pass
        self._sock.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class _Forked:
    """A worker the zygote forked, seen as the :class:`subprocess.Popen` of a worker started afresh is: ``pid``,
    ``stdin``, ``stdout``, ``kill()``, ``wait()``, ``poll()``. Signals and waits go through the worker's pidfd,
    so a pid the system has given to another process since is never signalled."""

    def __init__(self, zygote: Zygote, stdin, stdout):
        self._zygote = zygote
        self.stdin, self.stdout = stdin, stdout
        self._pid = self._pidfd = None
        self._settled = False
        self.returncode = None

    def _settle(self, pid, pidfd) -> None:
        self._pid, self._pidfd, self._settled = pid, pidfd, True

    @property
    def pid(self):
        if not self._settled:
            self._zygote.answer(self)
        return self._pid

    def poll(self):
        if self.pid is None or self._pidfd is None or select.select([self._pidfd], [], [], 0)[0]:
            self.returncode = -signal.SIGKILL if self.returncode is None else self.returncode
        return self.returncode

    def wait(self, timeout: float | None = None):
        if self.pid is not None and self._pidfd is not None and not select.select([self._pidfd], [], [], timeout)[0]:
            raise subprocess.TimeoutExpired("sandbox worker", timeout)
        return self.poll()

    def kill(self) -> None:
        if self.pid is None or self._pidfd is None:
            return
        try:
            signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass

    def __del__(self):
        if self._pidfd is not None:
            try:
                os.close(self._pidfd)
            except OSError:
                pass
            self._pidfd = None


def _wait_exit(proc, timeout: float) -> None:
    """Wait until ``proc`` has ended, at most ``timeout`` seconds, woken by its pidfd rather than by polling."""
    if isinstance(proc, _Forked):
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        return
    opener = getattr(os, "pidfd_open", None)
    try:
        fd = opener(proc.pid) if opener else None
    except OSError:
        fd = None
    if fd is None:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        return
    try:
        select.select([fd], [], [], timeout)
    finally:
        os.close(fd)


def _wipe(dir_fd: int) -> None:
    """Remove everything inside the folder open as ``dir_fd``, never following a link.

    Sub-folders are moved up to the top before they are emptied, so a deep
    tree costs neither recursion nor more than two open descriptors. Anything but an open
    descriptor is refused: ``None`` would mean the current folder to every call below.
    """
    if not isinstance(dir_fd, int) or isinstance(dir_fd, bool) or dir_fd < 0:
        raise ValueError(f"_wipe needs an open folder descriptor, not {dir_fd!r}")
    hoisted = 0
    while True:
        names = os.listdir(dir_fd)
        if not names:
            return
        for name in names:
            try:
                st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            except FileNotFoundError:
                continue
            if not stat.S_ISDIR(st.st_mode):
                os.unlink(name, dir_fd=dir_fd)
                continue
            try:
                sub = os.open(name, _SAFE_DIR, dir_fd=dir_fd)
            except PermissionError:
                # A day child may be alive: the folder is made readable through a descriptor of the very
                # entry (a link put in its place meanwhile is never followed, and is refused below).
                _chmod_entry(name, dir_fd)
                sub = os.open(name, _SAFE_DIR, dir_fd=dir_fd)
            try:
                for inner in os.listdir(sub):
                    if stat.S_ISDIR(os.stat(inner, dir_fd=sub, follow_symlinks=False).st_mode):
                        hoisted += 1
                        try:
                            os.rename(inner, f".wipe-{hoisted}", src_dir_fd=sub, dst_dir_fd=dir_fd)
                        except PermissionError:
                            # Moving a folder needs write permission on it (its ".." changes); a case running
                            # as its owner may have taken that away.
                            _chmod_entry(inner, sub)
                            os.rename(inner, f".wipe-{hoisted}", src_dir_fd=sub, dst_dir_fd=dir_fd)
                    else:
                        os.unlink(inner, dir_fd=sub)
            finally:
                os.close(sub)
            os.rmdir(name, dir_fd=dir_fd)


def _chmod_entry(name: str, dir_fd: int) -> None:
    """``chmod 700`` the folder ``name`` in ``dir_fd`` without following a link put in its place."""
    path_fd = os.open(name, getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_NOFOLLOW", 0), dir_fd=dir_fd)
    try:
        if not stat.S_ISDIR(os.fstat(path_fd).st_mode):
            raise PermissionError(errno.EACCES, f"{name} is no longer a folder")
        os.chmod(f"/proc/self/fd/{path_fd}", 0o700)
    finally:
        os.close(path_fd)


class _NotPrepared(Exception):
    """A case folder the grader could not fill (the cause is chained)."""


#: How a case of a day may end when something an earlier case did is the cause: run again alone before judging.
_RUN_AGAIN = frozenset({Status.GRADER_ERROR, Status.NO_OUTPUT})


def _put(src, name: str, dir_fd: int) -> None:
    """Copy ``src`` to a new file ``name`` in the folder open as ``dir_fd``: created afresh, never through a
    link (:func:`grader.values.create`), so nothing in the box can redirect the write."""
    with open(src, "rb") as fh, values.create(None, name, dir_fd) as dest:
        shutil.copyfileobj(fh, dest, 1 << 20)


def _exists(case_fd: int, folder: str, name: str) -> bool:
    try:
        fd = os.open(folder, _SAFE_DIR, dir_fd=case_fd)
    except OSError:
        return False
    try:
        os.stat(name, dir_fd=fd, follow_symlinks=False)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _remove_tree(path: Path) -> None:
    owner_may_enter(path)
    try:
        fd = os.open(path, _SAFE_DIR)
    except OSError:
        return
    try:
        _wipe(fd)
    except (OSError, RecursionError):
        pass
    finally:
        os.close(fd)
    shutil.rmtree(path, ignore_errors=True)


def _read_outcome(reply: dict, case_fd: int) -> RawRun:
    """Judge nothing: turn the worker's reply and the files in ``out/`` into a :class:`RawRun`."""
    run = RawRun(
        status=Status.NO_OUTPUT,
        elapsed=reply.get("elapsed"),
        cpu=reply.get("cpu"),
        output=str(reply.get("output", ""))[: 64 * 1024],
        output_bytes=int(reply.get("output_bytes") or 0),
        signal=reply.get("signal"),
        exit_code=reply.get("exit_code"),
        imported=_exists(case_fd, "out", "imported"),
        maxrss_kb=reply.get("maxrss_kb"),
        left=int(reply.get("left") or 0),
    )
    if reply.get("timed_out"):
        run.status = Status.TIMEOUT
        return run
    if run.signal:
        run.status = Status.CRASHED
        return run
    try:
        out = os.open("out", _SAFE_DIR, dir_fd=case_fd)
    except OSError:
        return run
    try:
        return _read_result(run, out)
    finally:
        os.close(out)


def _read_result(run: RawRun, out: int) -> RawRun:
    try:
        raw = values._read_regular("result.json", values.MAX_JSON_BYTES, dir_fd=out)
        result = values.loads(raw)
        if not isinstance(result, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        if run.exit_code == isolation.EXIT_OUT_OF_MEMORY:
            run.status = Status.OUT_OF_MEMORY
        return run
    except (ValueError, values.ValueError_):
        run.status = Status.NO_OUTPUT
        return run
    status = from_child(result.get("status"))
    run.info = result
    if status is None:
        run.status = Status.NO_OUTPUT
        return run
    if status is Status.RETURNED:
        run.elapsed = result.get("elapsed", run.elapsed)
        try:
            run.value = values.load(Path("out"), "value", dir_fd=out)
            run.subclass = values.subclass_note(Path("out"), "value", dir_fd=out)
        except FileNotFoundError:
            run.status = Status.NO_OUTPUT
            return run
        except values.ValueError_ as exc:
            run.status = Status.BAD_VALUE
            run.info = {"message": str(exc)}
            return run
    run.status = status
    return run
