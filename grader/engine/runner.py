"""Grader side of the worker protocol: run one case of learner code, get plain data back.

A :class:`Runner` keeps a small pool of worker processes of one backend (see
:mod:`grader.engine.backends`): the Linux sandbox, whose worker forks an isolated child per
case, or the portable workers, which run cases in sequence under the grader's wall clock.
Each case gets a fresh folder holding copies of its arguments. :meth:`Runner.run` returns a
:class:`RawRun` describing what happened; it never raises because of anything learner code
did. It raises :class:`GraderFailure` when the grader itself cannot run code here (a worker
that cannot start), naming the reason and the worker's log, which is kept.
"""
from __future__ import annotations

import os
import queue
import shutil
import stat
import tempfile
import threading
import time
from pathlib import Path

from grader.engine import backends, scratch
from grader.engine.jobs import (DEFAULT_TIMEOUT, GraderFailure, Job, PreloadFailed, RawRun,  # noqa: F401
                                WorkerLost, WorkerTimedOut)
from grader.engine.status import Status

#: Where a worker's log is kept when the worker failed (default: pixelkata-logs in the temporary folder).
LOG_DIR_ENV = "PIXELKATA_LOG_DIR"
#: ``PIXELKATA_DAY_CHILD=0``: every case of a day gets a process of its own (the sandbox's day child shares one
#: process among one learner's cases of a day; see the README's security model for what that leaves open).
DAY_CHILD_ENV = "PIXELKATA_DAY_CHILD"


def _own_log_folder() -> Path | None:
    """``pixelkata-logs-<user id>`` in the temporary folder when it is missing or this user's own folder (not a
    link, not writable by others); None when another user made it (they could plant links in it)."""
    uid = os.geteuid() if hasattr(os, "geteuid") else None  # Windows: the temporary folder is the user's own
    folder = Path(tempfile.gettempdir()) / (f"pixelkata-logs-{uid}" if uid is not None else "pixelkata-logs")
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return folder
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or (uid is not None and (st.st_uid != uid or st.st_mode & 0o022)):
        return None
    return folder


def _copy_new(src, target: Path) -> Path:
    """Copy ``src`` to a new file ``target`` (O_EXCL, O_NOFOLLOW: never through a link, never over a file)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "wb") as out, open(src, "rb") as data:
        shutil.copyfileobj(data, out)
    return target


class Runner:
    """A pool of workers that runs :class:`Job` objects, each case isolated as its backend allows.

    Use as a context manager, or call :meth:`close`. Safe to call :meth:`run`
    from several threads at once: each call borrows one worker. ``backend`` is
    "sandbox", "portable" or None (the ``PIXELKATA_BACKEND`` variable, else the
    best this machine allows; see :func:`grader.engine.backends.choose`).
    """

    def __init__(self, workers: int = 1, *, backend: str | None = None, log_dir: Path | None = None):
        self.size = max(1, int(workers))
        self.backend = backends.choose(backend)
        self.log_dir = Path(log_dir) if log_dir else None
        self.scratch = scratch.make()
        scratch.sweep_in_background()  # the scratch folders of graders killed outright
        self.backend.prepare_scratch(self.scratch)
        self._idle: queue.Queue = queue.Queue()
        self._all: list = []
        self._lock = threading.Lock()
        self._counter = 0
        self._failure: GraderFailure | None = None
        self._closing = False
        self._spawner = _Spawner()
        try:
            for slot in range(self.size):
                self._add_worker(slot)
        except BaseException:
            self.close()
            raise

    def _start(self, slot: int):
        """A new worker for ``slot``, listed in the pool (not yet idle)."""
        try:
            w = self._spawner.call(lambda: self.backend.start_worker(self.scratch, slot))
        except OSError as exc:
            # Popen itself failed: no Python to run, or the system refuses another process.
            self._failure = GraderFailure(
                f"the grader could not start a worker process ({_os_reason(exc)}): "
                "this is a set-up problem, not your code; close other programs or check the Python installation.")
            raise self._failure from None
        with self._lock:
            self._all.append(w)
        return w

    def _add_worker(self, slot: int) -> None:
        self._idle.put(self._start(slot))

    def _discard(self, worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _replace(self, worker) -> None:
        self._discard(worker)
        with self._lock:
            if self._closing:
                return
        self._add_worker(worker.slot)

    def _ready(self, worker):
        """``(worker, its ready message)``: the worker given, or a fresh one for its slot when the given
        one died before it was ready. A second worker that cannot start either is a :class:`GraderFailure`
        (one that dies once may have met something passing; two in a row are the set-up's)."""
        if self._failure is not None:
            raise self._failure
        for attempt in (1, 2):
            try:
                return worker, worker.wait_ready()
            except WorkerLost as exc:
                if attempt == 1 and not self._closing:
                    self._discard(worker)
                    worker = self._start(worker.slot)
                    continue
                worker.kill()
                if self._closing:  # stopped meanwhile (Ctrl-C): no set-up failure, no log to keep
                    raise GraderFailure("the grader was stopped while a worker started") from None
                with self._lock:  # two workers failing at once: one failure, one log
                    if self._failure is None:
                        self._failure = GraderFailure(self._start_failure(worker, str(exc)))
                raise self._failure from None

    def _start_failure(self, worker, what: str) -> str:
        kept = self._keep_log(worker)
        reason = what if what and not what.startswith("the worker") else (_last_line(kept) or what)
        where = f"its log is kept at {kept}" if kept else "it left no log"
        if _process_limit(reason):
            advice = ("the system's limit on processes or threads is probably reached: close other programs, or "
                      "raise the limit (ulimit -u), then grade again")
        else:
            advice = "reinstall pixelkata's dependencies (pip install -e .) or see `pixelkata sandbox`"
        return (f"the grader's {self.backend.name} worker could not start ({reason}); {where}. "
                f"This is a set-up problem, not your code: {advice}.")

    def _keep_log(self, worker) -> Path | None:
        """Copy a failed worker's log out of the scratch folder (which is removed on close), into the log folder
        (``log_dir``, ``PIXELKATA_LOG_DIR``, else ``pixelkata-logs-<user id>`` in the temporary folder, used only
        when it is this user's own private folder), else into a new private folder. The copy never follows a
        link and never replaces a file."""
        src = getattr(worker, "log_path", None)
        if src is None or not Path(src).is_file():
            return None
        folder = self.log_dir or (Path(os.environ[LOG_DIR_ENV]) if os.environ.get(LOG_DIR_ENV) else None) \
            or _own_log_folder()
        name = f"worker-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{worker.slot}.log"
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                return _copy_new(src, folder / name)
            except OSError:
                pass
        try:  # the folder is not ours, or cannot be made: a new folder of our own instead
            return _copy_new(src, scratch.make("pixelkata-logs-") / name)
        except OSError:
            return None  # said as "it left no log": the scratch copy goes when the pool closes

    def limits(self) -> list:
        """What the workers report of their protections (see :func:`grader.engine.backends.choose`); ``[]`` once
        the runner is closing (stopped by Ctrl-C: no worker will be idle again)."""
        while True:
            if self._closing:
                return []
            try:
                w = self._idle.get(timeout=0.2)
                break
            except queue.Empty:
                continue
        try:
            w, ready = self._ready(w)
            return ready.get("limits", [])
        finally:
            self._idle.put(w)

    def sandbox_processes(self) -> list:
        """``(slot, pid, start_ticks)`` of every process a case started that still runs (the workers excluded)."""
        with self._lock:
            workers = [w for w in self._all if w.ready]
        return self.backend.processes(workers)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        with self._lock:
            self._closing = True
            workers, self._all = self._all, []
        for w in workers:  # all at once, then each waited for
            stop = getattr(w, "stop", None)
            if stop is not None:
                stop()
        for w in workers:
            w.close()
        # Before the spawner's thread ends: a sandbox zygote it started dies with that thread, and must first
        # wait for the workers it forked (so their CPU time is counted for the grader).
        self.backend.remove_tree(self.scratch)
        self._spawner.stop()

    def abort(self) -> None:
        """Kill every worker now, even in the middle of a case (Ctrl-C): cases that were running end as lost.

        Safe to call from another thread than the ones in :meth:`run`; the runner takes no more cases.
        """
        with self._lock:
            self._closing = True
            workers = list(self._all)
        for w in workers:
            w.kill()

    def run(self, job: Job) -> RawRun:
        """Run ``job`` on whichever worker is idle; how it ended, as plain data."""
        worker = self._take()
        if worker is None:
            return RawRun(status=Status.WORKER_LOST)
        run, worker = self._run_on(worker, job)
        if worker is not None:
            self._idle.put(worker)
        return run

    def idle(self) -> int:
        """How many workers wait for a job right now (another grade sharing the pool keeps some busy)."""
        return self._idle.qsize()

    def lane(self) -> "Lane":
        """One worker held for a sequence of jobs (a day's cases, in order): see :class:`Lane`."""
        return Lane(self)

    def _take(self):
        """An idle worker, ready; None when the runner is closing. Raises :class:`GraderFailure`."""
        if self._closing:
            return None
        worker = self._idle.get()
        if self._closing:
            self._idle.put(worker)
            return None
        try:
            worker, _ = self._ready(worker)
        except GraderFailure:
            self._idle.put(worker)  # the next caller meets the same failure instead of waiting forever
            raise
        return worker

    def _run_on(self, worker, job: Job, day: str | None = None):
        """``(run, worker to go on with)``: ``job`` run on ``worker``, which is replaced when it may not take
        another case (None when no replacement could start: the dead worker is then idle, so the next case
        reports the failure). When this raises, the worker (or its replacement) is back in the pool.

        A case during which the worker itself is lost runs once more, on the fresh worker: the case may be
        the cause (it killed or stopped its parent), or not (the grader's own process that forks the workers
        was killed, the system ended the worker). Only a case that loses that worker too is reported lost."""
        run, worker = self._run_once(worker, job, day)
        if run.status is Status.WORKER_LOST and worker is not None and not self._closing:
            run, worker = self._run_once(worker, job, day)
        return run, worker

    def _run_once(self, worker, job: Job, day: str | None = None):
        """One run of ``job`` on ``worker``: see :meth:`_run_on`."""
        with self._lock:
            self._counter += 1
            n = self._counter
        try:
            worker, _ = self._ready(worker)  # a replacement made after the last case starts here
        except GraderFailure:
            self._idle.put(worker)  # the next caller meets the same failure instead of waiting forever
            raise
        try:
            run, reusable = worker.run_case(job, n, day=day)
        except PreloadFailed as exc:
            if exc.fresh or self._closing:
                self._hand_back(self._renew(worker))
                raise
            # This worker had run cases, and a portable worker runs learner code in itself, which may
            # have spoilt the import (sys.modules["sklearn"] = None): a fresh worker decides.
            fresh = self._renew(worker)
            if fresh is None:
                raise
            return self._run_once(fresh, job, day)
        except WorkerLost as exc:
            run = exc.run or RawRun(status=Status.WORKER_LOST)
            run.worker = worker.slot
            reusable = False
        except BaseException:
            self._hand_back(self._renew(worker) if worker in self._all else None)
            raise
        if not reusable:
            worker = self._renew(worker) if worker in self._all else None
        return run, worker

    def _hand_back(self, worker) -> None:
        if worker is not None:
            self._idle.put(worker)

    def _renew(self, worker):
        """A fresh worker in ``worker``'s slot (not idle yet), or None when the runner is closing; when
        none can start, the dead worker is put back as idle (the next case reports the failure) and None
        is returned."""
        self._discard(worker)
        with self._lock:
            if self._closing:
                return None
        try:
            return self._start(worker.slot)
        except GraderFailure:
            self._idle.put(worker)
            return None


class Lane:
    """One worker of a :class:`Runner` held for a sequence of jobs, run in order: a day's cases.

    In the Linux sandbox the worker runs them in one forked child while they end normally (see
    :mod:`grader.engine.sandbox.worker`); a portable worker runs every case in itself anyway. A worker that
    must be replaced (a case that timed out, crashed or spoilt it) is replaced in place and the lane goes on
    with the fresh one. :meth:`close` (or leaving the ``with`` block) ends the sequence and gives the
    worker back to the pool. ``run`` has :meth:`Runner.run`'s contract, so a lane stands in for its runner.
    """

    def __init__(self, runner: Runner):
        import secrets

        self.runner = runner
        self.size = 1
        self.backend = runner.backend
        self.worker = None
        # Names this sequence to the worker; None: each case in a process of its own.
        self.token = None if os.environ.get(DAY_CHILD_ENV, "").strip() == "0" else secrets.token_hex(8)

    def run(self, job: Job, *, alone: bool = False) -> RawRun:
        """Run ``job`` as the sequence's next case. ``alone`` runs it on the same worker but in a process of
        its own, apart from the day's (the grader's own code, such as the answer catalogue, never shares a
        process with the learner's)."""
        if self.worker is None:
            self.worker = self.runner._take()
            if self.worker is None:
                return RawRun(status=Status.WORKER_LOST)
        worker, self.worker = self.worker, None  # given back by _run_on if it raises
        run, self.worker = self.runner._run_on(worker, job, day=None if alone else self.token)
        return run

    def close(self) -> None:
        worker, self.worker = self.worker, None
        if worker is None:
            return
        if worker in self.runner._all:
            end = getattr(worker, "end_day", None)
            if end is not None and not worker.end_day():
                worker = self.runner._renew(worker)  # a day child that would not end: the worker goes
                if worker is None:
                    return
            self.runner._idle.put(worker)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Spawner:
    """One thread that lives as long as the runner and starts every worker process.

    A Linux worker asks to die with its parent (``PR_SET_PDEATHSIG``), and the kernel takes the
    parent to be the *thread* that started it: a replacement started from a grading thread that
    ends soon after would be killed with it, and the next case would find its worker gone.
    """

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name="pixelkata-spawner", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            work, box, done = job
            try:
                box["value"] = work()
            except BaseException as exc:  # handed back to the caller
                box["error"] = exc
            done.set()

    def call(self, work):
        if threading.current_thread() is self._thread:
            return work()
        box: dict = {}
        done = threading.Event()
        self._jobs.put((work, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def stop(self) -> None:
        self._jobs.put(None)


def _process_limit(reason: str) -> bool:
    """Whether a worker's last words say the system refused another process or thread (EAGAIN)."""
    return any(sign in reason for sign in ("BlockingIOError", "Errno 11", "Resource temporarily unavailable",
                                           "can't start new thread", "fork: retry"))


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.EAGAIN:
        return "the system's process limit is reached"
    if exc.errno == errno.ENOENT:
        return f"{exc.filename or 'the Python interpreter'} does not exist"
    return exc.strerror or str(exc)


def _last_line(log: Path | None) -> str:
    """The last meaningful line of a worker's log (usually the exception that stopped it)."""
    if log is None:
        return ""
    try:
        text = Path(log).read_bytes()[-16384:].decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
