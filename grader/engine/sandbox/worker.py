"""The worker: a separate process that runs learner code, one forked child per case.

The grader starts ``python -m grader.engine.sandbox.worker`` once per run (or per pool slot).
The worker imports the numeric libraries once (and a day's own, such as scikit-learn, when the
grader first asks for them), then reads one JSON job per line on stdin. For each job it forks a child that imports the learner's module,
calls one function and writes what came back into the job's ``out/`` folder as
plain data (see :mod:`grader.values`). The worker itself never runs learner
code; it watches the child's clock, captures a bounded amount of its output,
kills its whole process group when done, and answers with one JSON line on
stdout saying how the child ended. The verdict is reached by the grader, in
another process, from the data alone.
"""
from __future__ import annotations

import errno
import gc
import json
import os
import select
import signal
import sys
import time

from grader.engine import preload as _preload
from grader.engine.folders import give_back
from grader.engine.import_clock import ImportClock, restore_imports
from grader.engine.preload import drop_working_folder_from_path, preload, safe_str as _safe_str
from grader.engine.preload import exception_info as _exception_info, safe_type as _safe_type
from grader.engine import jobs, proctree
from grader.engine.sandbox import isolation as sandbox
from grader.engine.status import Status

# The child's own bookkeeping uses these bindings, taken before any learner code
# runs: a learner who monkeypatches os or json cannot stop its report that way.
_exit = os._exit
_getpid = os.getpid
_closerange = os.closerange
_json_dumps = json.dumps
_json_loads = json.loads
_open = open
_encode = None  # grader.values.encode, bound when the worker starts
_BASELINE = None  # the libraries as loaded, before any case: taken when the worker starts (preload.Baseline)
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)

OUTPUT_CAP = jobs.OUTPUT_CAP  # bytes of stdout/stderr kept per case
GRACE = 0.2  # seconds given to the output pipe to drain after the child exits


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m grader.engine.sandbox.worker")
    parser.add_argument("--box", default=None, help="the folder that holds this worker's case folders")
    parser.add_argument("--uid", type=int, default=None, help="the user children run as when started by root")
    opts = parser.parse_args(argv)
    drop_working_folder_from_path()
    # First, before the heavy imports: namespaces (this may fork a launcher that never returns here).
    sandbox.enter_worker(opts.box, opts.uid)
    missing = preload()
    # The child uses these; importing them once here keeps them out of every case.
    import linecache  # noqa: F401
    import types  # noqa: F401

    from grader import values

    global _encode, _BASELINE
    _encode = values.encode
    # What a day child checks after each case, taken once here (no learner code ever runs in the worker)
    # rather than in every day child: each child inherits it.
    _BASELINE = _preload.Baseline()
    # Objects that exist now are never freed in a child: keeping them out of the
    # garbage collector's reach spares the copy-on-write faults a collection would cause.
    gc.freeze()
    out = sys.stdout
    # The protocol uses the worker's own stdin/stdout; children never see them.
    _send(out, {"ready": True, "pid": os.getpid(), "missing": missing, "limits": sandbox.describe(),
                "box": opts.box, "private_box": sandbox.box_is_private(),
                "pid_namespace": sandbox.has_pid_namespace(), "uid": sandbox.child_uid()})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            job = json.loads(line)
        except ValueError:
            _send(out, {"error": "bad job line"})
            continue
        if isinstance(job, dict) and "end_day" in job:
            _send(out, {"ended": True, "left": _end_day()})
            continue
        if _preload.is_request(job):
            # A day's own libraries (scikit-learn), imported here once so every later child inherits them.
            loaded = len(sys.modules)
            _send(out, _preload.answer(job))
            if len(sys.modules) != loaded:
                _end_day()  # a live day child lacks them: the day's next case forks one that has them
                _BASELINE.extend()  # the day's libraries are part of what later cases must find unchanged
            gc.freeze()
            continue
        _send(out, run_job(job, out))


def _send(stream, message: dict) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


def run_job(job: dict, out) -> dict:
    """Fork a child for ``job``, supervise it, and describe how it ended."""
    timeout = float(job.get("timeout", 10.0))
    sandbox.hide(job.get("hide") or (), keep=job.get("module_file"))
    token = job.get("day")
    if token and job.get("alone"):
        _ONE_BY_ONE.add(str(token))  # a case run again alone: the rest of its day too
    if token and token not in _ONE_BY_ONE:
        return _run_in_day(job, out, str(token))
    _end_day()  # no day child lives beside a case of its own
    compiled = _compiled(job)
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    try:
        pid = os.fork()
    except OSError as exc:  # the system's own limit, before any learner code ran: the grader's problem
        os.close(read_fd)
        os.close(write_fd)
        return {"id": job.get("id"), "fork_failed": f"{exc.strerror or exc}"}
    if pid == 0:  # the child: never returns
        try:
            os.close(read_fd)
            _child(job, write_fd, compiled)
        finally:
            _exit(70)
    os.close(write_fd)
    # Inside a PID namespace the child's number means nothing to the grader.
    _send(out, {"started": None if sandbox.has_pid_namespace() else pid, "id": job.get("id")})

    captured = bytearray()
    total = 0
    status = rusage = exited_at = None
    timed_out = False
    pipe_open = True
    deadline = started + timeout
    pidfd = _pidfd_open(pid)
    try:
        while True:
            now = time.monotonic()
            if status is None:
                if now >= deadline:
                    timed_out = True
                    sandbox.kill_group(pid)
                    _, status, rusage = os.wait4(pid, 0)
                    exited_at = now
                else:
                    done, st, ru = os.wait4(pid, os.WNOHANG)
                    if done:
                        status, rusage, exited_at = st, ru, now
                        # Whatever the child left running in its group goes with it.
                        sandbox.kill_group(pid)
            if status is not None:
                if not pipe_open or now - exited_at >= GRACE:
                    break
                wait_for = GRACE - (now - exited_at)
            elif pidfd is not None:
                wait_for = deadline - now
            else:
                wait_for = min(0.005, deadline - now)
            fds = [read_fd] if pipe_open else []
            if pidfd is not None and status is None:
                fds.append(pidfd)
            if not fds:
                time.sleep(max(0.0, wait_for))
                continue
            ready = select.select(fds, [], [], max(0.0, wait_for))[0]
            if read_fd in ready:
                chunk = os.read(read_fd, 65536)
                if not chunk:
                    pipe_open = False
                else:
                    total += len(chunk)
                    room = OUTPUT_CAP - len(captured)
                    if room > 0:
                        captured += chunk[:room]
    finally:
        if status is None:
            sandbox.kill_group(pid)
            _, status, rusage = os.wait4(pid, 0)
        left = sandbox.end_case(pid)
        os.close(read_fd)
        if pidfd is not None:
            os.close(pidfd)
    elapsed = (exited_at or time.monotonic()) - started
    reply = {
        "id": job.get("id"),
        "elapsed": round(elapsed, 4),
        "cpu": round(rusage.ru_utime + rusage.ru_stime, 4) if rusage else None,
        "maxrss_kb": rusage.ru_maxrss if rusage else None,
        "timed_out": timed_out,
        "output": captured.decode("utf-8", "replace"),
        "output_bytes": total,
        "left": left,  # processes the case left running, killed after it ended
    }
    return {**reply, **_how_it_ended(status)}


# ------------------------------------------------------------ a day in one child


class _Day:
    """The live day child: its pid, its pipes (jobs in, case reports out, its output) and what it is for."""

    def __init__(self, token: str, memory, pid: int, ctl: int, status: int, output: int):
        self.token, self.memory, self.pid = token, memory, pid
        self.ctl, self.status, self.output = ctl, status, output
        self.pidfd = _pidfd_open(pid)
        self.buf = b""
        self.cases = 0
        # The child's memory at the fork (the same pages as the worker's): resident, and the data size
        # RLIMIT_DATA counts (np.zeros of 1 GB is not resident, yet counts against a later case's limit).
        self.memory0 = _memory_kb("self")


_DAY: _Day | None = None
#: Days that met an abnormal end (or a case that spoilt the day child): their other cases run one per child.
_ONE_BY_ONE: set = set()
CPU_POLL = 0.25  # seconds between the worker's looks at a day child's CPU time


def _start_day(job: dict, token: str):
    """Fork the day child for ``token``; None when the system refuses another process."""
    global _DAY
    pipes = []
    try:
        for _ in range(3):
            pipes.append(os.pipe())
        pid = os.fork()
    except OSError:
        for r, w in pipes:
            os.close(r)
            os.close(w)
        return None
    (ctl_r, ctl_w), (st_r, st_w), (out_r, out_w) = pipes
    if pid == 0:  # the day child: never returns
        try:
            for fd in (ctl_w, st_r, out_r):
                os.close(fd)
            _day_child(job, ctl_r, st_w, out_w)
        finally:
            _exit(70)
    for fd in (ctl_r, st_w, out_w):
        os.close(fd)
    _DAY = _Day(token, job.get("memory"), pid, ctl_w, st_r, out_r)
    return _DAY


def _end_day() -> int:
    """End the day child (idle between cases) and everything it started; returns what it left beside itself."""
    global _DAY
    day, _DAY = _DAY, None
    if day is None:
        return 0
    sandbox.kill_group(day.pid)
    try:
        os.kill(day.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        os.wait4(day.pid, 0)
    except ChildProcessError:
        pass
    left = sandbox.end_case(day.pid)
    for fd in (day.ctl, day.status, day.output, day.pidfd):
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
    return left


def _proc_cpu(pid: int) -> float | None:
    """CPU seconds ``pid`` has used (user and system, its threads included), read from ``/proc``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return None


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _others(day_pid: int) -> int:
    """Processes of the sandbox other than the day child (what a case left running, or a zombie)."""
    return sum(1 for p in proctree.descendant_pids(os.getpid()) if p != day_pid)


def _run_in_day(job: dict, out, token: str) -> dict:
    """Run ``job`` in the day child for ``token`` (started on the day's first case). A case that ends in any
    other way than a stored result (a time-out, a crash, a signal, an exit, the memory or CPU limit), or
    leaves a process, a thread or a changed library behind, ends the day child: its report is the one a
    case gets in a child of its own, and the day's later cases each get a child of their own."""
    global _DAY
    day = _DAY
    if day is not None and (day.token != token or day.memory != job.get("memory")):
        _end_day()
        day = None
    if day is None:
        day = _start_day(job, token)
        if day is None:
            return {"id": job.get("id"), "fork_failed": "the system refused another process"}
    day.cases += 1
    timeout = float(job.get("timeout", 10.0))
    cpu_limit = sandbox.case_cpu(job)
    started = time.monotonic()
    cpu0 = _proc_cpu(day.pid) or 0.0
    try:
        os.write(day.ctl, (json.dumps(job) + "\n").encode())
    except OSError:
        pass  # the child is gone: seen below as an abnormal end
    _send(out, {"started": None if sandbox.has_pid_namespace() else day.pid, "id": job.get("id")})

    captured = bytearray()
    total = 0

    def take(chunk: bytes) -> None:
        nonlocal total, captured
        total += len(chunk)
        room = OUTPUT_CAP - len(captured)
        if room > 0:
            captured += chunk[:room]

    done = None
    status = rusage = None
    timed_out = False
    reports_open = True
    deadline = started + timeout
    next_poll = started + CPU_POLL
    while True:
        now = time.monotonic()
        if now >= deadline:
            timed_out = True
            break
        if now >= next_poll:
            next_poll = now + CPU_POLL
            used = _proc_cpu(day.pid)
            if used is not None and used - cpu0 > cpu_limit + 1:
                break  # past the case's hard CPU limit: killed below, as the kernel would
        fds = [day.output] + ([day.status] if reports_open else []) + ([day.pidfd] if day.pidfd is not None else [])
        wait = min(deadline, next_poll) - now
        if day.pidfd is None:
            wait = min(wait, 0.005)
        ready = select.select(fds, [], [], max(0.0, wait))[0]
        if day.output in ready:
            chunk = os.read(day.output, 65536)
            if chunk:
                take(chunk)
        if day.status in ready:
            chunk = os.read(day.status, 65536)
            day.buf += chunk
            if b"\n" in day.buf:
                line, day.buf = day.buf.split(b"\n", 1)
                try:
                    done = json.loads(line)
                except ValueError:
                    done = {}
                break
            if not chunk:
                reports_open = False
        if day.pidfd is None or day.pidfd in ready or not reports_open:
            got, st, ru = os.wait4(day.pid, os.WNOHANG)
            if got:
                status, rusage = st, ru
                break
    finished = time.monotonic()
    if done is not None and done.get("done") == job.get("id"):
        # Everything it printed is in the pipe by now (its report came after): take what is left.
        os.set_blocking(day.output, False)
        try:
            while True:
                chunk = os.read(day.output, 65536)
                if not chunk:
                    break
                take(chunk)
        except BlockingIOError:
            pass
        finally:
            os.set_blocking(day.output, True)
        others = _others(day.pid)
        spoilt = list(done.get("spoilt") or ())
        if any(now is not None and was is not None and now - was > RSS_MARGIN_KB
               for now, was in zip(_memory_kb(day.pid), day.memory0)):
            spoilt.append("memory kept")
        try:
            threads = len(os.listdir(f"/proc/{day.pid}/task"))
        except OSError:
            threads = 0
        used = _proc_cpu(day.pid)
        if others or threads != 1 or spoilt:
            left = _end_day()
            _ONE_BY_ONE.add(token)
        else:
            left = 0
        reply = _reply(job, finished - started, None if used is None else used - cpu0,
                       _hwm(day.pid) if _DAY is not None else None, False, captured, total, left, 0)
        reply["day_child"] = day.pid if _DAY is not None else None
        return reply
    # An abnormal end (or a report that is not this case's): the day child goes, with everything it started,
    # as a case's own child would. An earlier case may be the cause (a limit it lowered, a descriptor it moved,
    # the loop it took over), so the grader runs this case again alone before it blames anyone.
    _ONE_BY_ONE.add(token)
    peak = _hwm(day.pid) if status is None else None  # this case's own peak, while the child still lives
    if status is None:
        sandbox.kill_group(day.pid)
        try:
            os.kill(day.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        _, status, rusage = os.wait4(day.pid, 0)
    else:
        sandbox.kill_group(day.pid)
        # Output still in the pipe, as a case's own child gets GRACE to drain it.
        end = time.monotonic() + GRACE
        while True:
            left_t = end - time.monotonic()
            if left_t <= 0 or not select.select([day.output], [], [], left_t)[0]:
                break
            chunk = os.read(day.output, 65536)
            if not chunk:
                break
            take(chunk)
    _DAY = None
    left = sandbox.end_case(day.pid)
    for fd in (day.ctl, day.status, day.output, day.pidfd):
        if fd is not None:
            os.close(fd)
    cpu = (rusage.ru_utime + rusage.ru_stime - cpu0) if rusage else None
    reply = _reply(job, finished - started, cpu, peak if peak is not None else (rusage.ru_maxrss if rusage else None),
                   timed_out, captured, total, left, status)
    reply["day_ended"] = True
    return reply


def _hwm(pid: int, field: str = "VmHWM:"):
    """``pid``'s peak resident memory in KiB (VmHWM; the day child resets it before each case), or ``field``."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _memory_kb(pid) -> tuple:
    """(resident, data) memory of ``pid`` in KiB (VmRSS, VmData); None for what cannot be read."""
    found = {}
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith((b"VmRSS:", b"VmData:")):
                    found[line[:6]] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return found.get(b"VmRSS:"), found.get(b"VmData")


#: Resident memory a day child may keep above its level at the fork before it is ended (KiB): what a case
#: leaves in Python's or NumPy's heap, or hoards on purpose (``sys._x = bytearray(...)``), would count against
#: a later case's memory limit. Importing a day's libraries and the allocator's caches stay well below.
RSS_MARGIN_KB = 256 * 1024


def _reply(job: dict, elapsed: float, cpu, maxrss, timed_out: bool, captured, total: int, left: int, status) -> dict:
    reply = {
        "id": job.get("id"),
        "elapsed": round(elapsed, 4),
        "cpu": round(cpu, 4) if cpu is not None else None,
        "maxrss_kb": maxrss,
        "timed_out": timed_out,
        "output": bytes(captured).decode("utf-8", "replace"),
        "output_bytes": total,
        "left": left,
    }
    return {**reply, **_how_it_ended(status)}


def _how_it_ended(status: int) -> dict:
    """``signal`` and ``exit_code`` of a child's wait status: one of them is None."""
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status), "exit_code": None}
    return {"signal": None, "exit_code": os.WEXITSTATUS(status)}


_COMPILED: dict = {}


def _compiled(job: dict):
    """The learner module's source and code object, compiled once per worker and content.

    Compiling runs none of the learner's code, so it is safe here; every case's
    child then executes the code object instead of compiling the same source
    again. Anything unusual (unreadable, a syntax error) is left to the child,
    which reports it the usual way.
    """
    shown = job.get("module_file") or job["module"]
    try:
        with open(job["module"], "rb") as fh:
            source = fh.read()
    except OSError:
        return None
    key = (shown, source)
    if key not in _COMPILED:
        try:
            _COMPILED.clear()  # one module at a time is enough: cases come day by day
            _COMPILED[key] = compile(source, shown, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    return source, _COMPILED[key]


def _pidfd_open(pid: int):
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(pid)
    except OSError:
        return None


# ---------------------------------------------------------------- the child


def _child(job: dict, write_fd: int, compiled=None) -> None:
    """Runs in the forked child: isolate, import the learner module, call, store."""
    _isolate(write_fd)
    sandbox.enter_child(job, home=os.path.join(job["dir"], "work"))
    _case(job, compiled, _stored_and_exit)


def _isolate(write_fd: int, keep: tuple = ()) -> None:
    """The child's own session and descriptors: stdin empty, stdout and stderr into ``write_fd``, and only
    ``keep`` (moved to 3, 4, ...) beside them."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(write_fd, 1)
    os.dup2(write_fd, 2)
    moved = [os.dup(fd) for fd in keep]  # above 2 and above every kept number, so 3.. are free to take
    for target, fd in enumerate(moved, start=3):
        os.dup2(fd, target)
    os.closerange(3 + len(keep), 65536)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", buffering=1, closefd=False, errors="replace")
    sys.stderr = open(2, "w", buffering=1, closefd=False, errors="replace")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)


def _stored_and_exit(status: int) -> None:
    _exit(status)


def _case(job: dict, compiled, ended, kept: int = 0) -> None:
    """Import the learner's module, call the function, store what came back into ``out/``; then
    ``ended(0)``, or ``ended(code)`` when the result could not be stored (the per-case child exits with
    it; the day child exits too, unless it is 0)."""
    case_dir = job["dir"]
    work = os.path.join(case_dir, "work")
    out_dir = os.path.join(case_dir, "out")
    os.chdir(work)
    from grader import values

    me = _getpid()

    def finish(result: dict, value=_NOTHING) -> None:
        """Store the value (if any) and the result, then end the case. Never returns."""
        if _getpid() != me:  # a process the learner forked: only the child itself reports
            _exit(0)
        restore_imports()  # the learner's code may have replaced or broken them; ours import below
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        # The learner's code is over: what it holds of memory, descriptors or disk must not stop the report.
        sandbox.use_memory_reserve()
        _closerange(3 + kept, 65536)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file over the size limit fails instead of killing
        for attempt in (1, 2):
            try:
                _store(result, value, out_dir)
                _LAST["type"] = result.get("type")
                _LAST["status"] = result.get("status")
                raise _Ended(0)
            except MemoryError:
                raise _Ended(sandbox.EXIT_OUT_OF_MEMORY) from None
            except PermissionError:
                if attempt == 2:
                    break
                give_back(out_dir)  # the learner took its own folders' permissions away: give them back
            except OSError as exc:
                if attempt == 2 or exc.errno not in _DISK_FULL:
                    break
                _make_room(work, out_dir)  # the learner filled its folder: its scratch files go first
            except _Ended:
                raise
            except BaseException:
                break
        raise _Ended(70)

    from pathlib import Path

    try:
        try:
            args, kwargs = values.load(Path(case_dir), "args")
        except Exception as exc:  # our own fault; say so plainly
            finish({"status": Status.GRADER_ERROR.value, "message": f"could not read the case's arguments: {exc}"})

        shown = job.get("module_file") or job["module"]
        sys.path.insert(0, os.path.dirname(shown))
        sys.argv = [shown]
        module, problem = _import_learner(job["module_name"], job["module"], shown, compiled)
        if problem is not None:
            finish(problem)
        with open(os.path.join(out_dir, "imported"), "w"):
            pass
        func = getattr(module, job["function"], None)
        if not callable(func):
            finish({"status": Status.MISSING_FUNCTION.value, "function": job["function"]})

        imports = ImportClock()
        imports.install()
        started = time.perf_counter()
        try:
            value = func(*args, **kwargs)
        except NotImplementedError as exc:
            finish({"status": Status.NOT_ATTEMPTED.value, "message": _safe_str(exc)})
        except BaseException as exc:  # SystemExit and KeyboardInterrupt included
            elapsed = time.perf_counter() - started
            restore_imports()
            sandbox.use_memory_reserve()
            try:
                info = _exception_info(exc, shown)
            except MemoryError:
                raise _Ended(sandbox.EXIT_OUT_OF_MEMORY) from None
            finish({"status": Status.RAISED.value, "elapsed": elapsed, **imports.report(), **info})
        finish({"status": Status.RETURNED.value, "elapsed": time.perf_counter() - started, **imports.report()},
               value)
    except _Ended as end:
        if _getpid() != me:
            _exit(0)
        code = end.code
    except BaseException:  # our own code broke (the learner's exceptions are caught above)
        if _getpid() != me:
            _exit(0)
        code = 70
    ended(code)


_LAST: dict = {}  # the last case's exception type, for the day child


class _Ended(BaseException):
    """How a case ends in the child, once its result is stored (or could not be): the exit code."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


# ---------------------------------------------------------------- the day child


def _day_child(first: dict, ctl_fd: int, status_fd: int, write_fd: int) -> None:
    """A child that runs a day's cases in sequence: isolated once, then one case per line read from the
    worker (fd 3), each reported on fd 4 as ``{"done": id, "spoilt": [...]}`` once its result is stored.

    After each case it puts back what the learner may have changed of the process (working folder,
    ``sys.path``, ``sys.argv``, the environment, signal handlers and timers, NumPy's error handling, the
    warning filters, the umask, the recursion limit) and
    names, as ``spoilt``, whatever it cannot put back (a library name or a function's code replaced, a module
    removed or forged, a thread or a descriptor left open or moved, a limit changed, an import hook or a gc
    callback added): the worker
    then ends this child and runs the rest of the day one case per child.

    It does not keep a case's code from running later: an object a case keeps alive may run a finaliser
    during a later case, an audit hook (which cannot be removed) runs in every later case, and a case may
    take this loop over and answer later jobs itself. What it reaches
    is the same learner's later cases of this day, never the grader's judging (another process, plain data);
    see the README's security model.
    """
    _isolate(write_fd, keep=(ctl_fd, status_fd))
    ctl, status = 3, 4
    sandbox.enter_child(first, home=os.path.join(first["dir"], "work"), cpu=False)
    import numpy as np
    import resource

    baseline = _BASELINE if _BASELINE is not None else _preload.Baseline()
    import warnings


    umask = os.umask(0o022)
    os.umask(umask)
    saved = (list(sys.path), os.environ.copy(), np.geterr(), sys.getrecursionlimit(),
             (sorted(os.listdir("/proc/self/fd")), _fd_identity()), _rlimits(resource),
             (warnings, list(warnings.filters), umask), _hooks())
    write, read, listdir = os.write, os.read, os.listdir
    buf = b""
    while True:
        while b"\n" not in buf:
            chunk = read(ctl, 65536)
            if not chunk:
                _exit(0)
            buf += chunk
        line, buf = buf.split(b"\n", 1)
        job = _json_loads(line)
        work = os.path.join(job["dir"], "work")
        os.environ.update({"HOME": work, "TMPDIR": work})
        sandbox.case_limits(job)
        _clear_peak()
        code = []
        _LAST.clear()
        _case(job, _compiled(job), code.append, kept=2)
        if code[0] != 0:
            _exit(code[0])
        spoilt = _put_back(job, saved, baseline, np, resource, listdir)
        if _LAST.get("type") == "MemoryError":
            spoilt.append("memory")  # what it left of the heap would weigh on the next case
        if _LAST.get("status") == Status.GRADER_ERROR.value:
            spoilt.append("a grader error")  # the case is run again alone: the day child may be the cause
        try:
            write(status, (_json_dumps({"done": job.get("id"), "spoilt": spoilt}) + "\n").encode())
        except OSError:  # the case closed the report's pipe: the worker reads the stored result as a child's
            _exit(0)
        if spoilt:
            _exit(0)


def _rlimits(resource) -> tuple:
    """Every ``RLIMIT_*`` the day child has: hard limits all, soft limits all but CPU and the memory limit (the
    grader sets those two before each case). A case that lowered any of them (RLIMIT_DATA, RLIMIT_STACK,
    RLIMIT_CPU's hard limit...) would fail the later cases, so any change ends the day child."""
    kinds = sorted({getattr(resource, n) for n in dir(resource) if n.startswith("RLIMIT_")})
    set_per_case = {resource.RLIMIT_CPU, getattr(resource, "RLIMIT_DATA", resource.RLIMIT_AS)}
    found = []
    for kind in kinds:
        try:
            soft, hard = resource.getrlimit(kind)
        except (ValueError, OSError):
            continue
        found.append((kind, hard, None if kind in set_per_case else soft))
    return tuple(found)


def _hooks() -> tuple:
    """Where code a case leaves behind would run in later cases: import hooks, garbage collector callbacks, the
    interpreter's hooks (each compared by identity), and the digit limit of int/str conversion."""
    held = (*sys.meta_path, None, *sys.path_hooks, None, *gc.callbacks, None,
            sys.excepthook, sys.displayhook, sys.unraisablehook, sys.breakpointhook)
    # Identities, not ==: a learner's object may claim to equal anything. The saved tuple keeps the originals
    # alive, so no new object can take one of their identities.
    return tuple(map(id, held)), getattr(sys, "get_int_max_str_digits", lambda: None)(), held


def _fd_identity(fds=(0, 1, 2, 3, 4)) -> tuple:
    """What the day child's standard and protocol descriptors are (device, inode, status flags), not only
    their numbers: ``os.dup2(4, 1)`` keeps every number open but sends a later case's output to the report pipe."""
    import fcntl

    found = []
    for fd in fds:
        try:
            st = os.fstat(fd)
            found.append((fd, st.st_dev, st.st_ino, fcntl.fcntl(fd, fcntl.F_GETFL)))
        except OSError:
            found.append((fd, None, None, None))
    return tuple(found)


def _clear_peak() -> None:
    """Reset the day child's peak resident memory (VmHWM), so the worker reads each case's own peak."""
    try:
        fd = os.open("/proc/self/clear_refs", os.O_WRONLY)
    except OSError:
        return
    try:
        os.write(fd, b"5")
    except OSError:
        pass
    finally:
        os.close(fd)


def _put_back(job: dict, saved: tuple, baseline, np, resource, listdir) -> list:
    """After a case in the day child: restore the process state a case may change; what cannot be restored."""
    path, environ, errors, recursion, (fds, identity), limits, (warnings, filters, umask), hooks = saved
    sys.modules.pop(job.get("module_name", ""), None)
    try:
        # The case's garbage in reference cycles goes now (a fraction of a millisecond: the worker's own objects
        # are frozen), so a finaliser it holds runs within this case, before the checks below, never later.
        gc.collect()
        warnings.filters[:] = filters  # warnings.simplefilter("error") would turn a later case's warning into a failure
        warnings._filters_mutated()
        os.umask(umask)
        for which in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
            signal.setitimer(which, 0)
        for sig in range(1, signal.NSIG):
            if sig not in (signal.SIGKILL, signal.SIGSTOP, signal.SIGXFSZ):
                try:
                    signal.signal(sig, signal.SIG_DFL)
                except (OSError, ValueError):
                    pass
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
        sys.path[:] = path
        sys.argv = [""]
        os.environ.clear()
        os.environ.update(environ)
        np.seterr(**errors)
        sys.setrecursionlimit(recursion)
        sys.stdout = open(1, "w", buffering=1, closefd=False, errors="replace")
        sys.stderr = open(2, "w", buffering=1, closefd=False, errors="replace")
        spoilt = baseline.changed()
        if sorted(listdir("/proc/self/fd")) != fds or _fd_identity() != identity:
            spoilt.append("open files")
        if len(listdir("/proc/self/task")) != 1:
            spoilt.append("threads")
        if _rlimits(resource) != limits:
            spoilt.append("limits")
        if sys.gettrace() is not None or sys.getprofile() is not None:
            spoilt.append("a trace function")
        if _hooks()[:2] != hooks[:2]:
            spoilt.append("a hook")  # learner code that would run in later cases (an import hook, a gc callback...)
        return spoilt
    except BaseException:
        return ["the day child's state"]


_NOTHING = object()


def _store(result: dict, value, out_dir: str) -> None:
    from pathlib import Path

    if value is not _NOTHING:
        try:
            tree = (_encode or _values_encode())(value, Path(out_dir), prefix="value.")
            payload = _json_dumps({"value": tree})
            with _open(os.path.join(out_dir, "value.json"), "w") as fh:
                fh.write(payload)
        except MemoryError:
            raise
        except OSError as exc:
            if exc.errno in _DISK_FULL:
                raise
            result = {"status": Status.BAD_VALUE.value, "message": _safe_str(exc), "type": _safe_type(value)}
        except BaseException as exc:
            result = {"status": Status.BAD_VALUE.value, "message": _safe_str(exc), "type": _safe_type(value)}
    with _open(os.path.join(out_dir, "result.json"), "w") as fh:
        fh.write(_json_dumps(result))


def _values_encode():
    from grader import values

    return values.encode


def _make_room(*folders: str) -> None:
    import shutil

    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass


def _import_learner(name: str, path: str, shown: str, compiled=None):
    """Run the learner's module from the case's own copy, under its real file name.

    Compiling the copy with the original name keeps tracebacks and ``__file__``
    pointing at the learner's file; the source goes into ``linecache`` so
    tracebacks show lines even where the original is out of sight.
    """
    import linecache
    import types

    try:
        if compiled is not None:
            source, code = compiled
        else:
            with open(path, "rb") as fh:
                source = fh.read()
            code = compile(source, shown, "exec", dont_inherit=True)
        linecache.cache[shown] = (len(source), None, source.decode("utf-8", "replace").splitlines(True), shown)
        module = types.ModuleType(name)
        module.__file__ = shown
        sys.modules[name] = module
        exec(code, module.__dict__)
    except SyntaxError as exc:
        return None, {"status": Status.IMPORT_ERROR.value, "type": type(exc).__name__, "mro": [c.__name__ for c in type(exc).__mro__],
                      "message": _safe_str(exc.msg), "lineno": exc.lineno, "line": (exc.text or "").rstrip("\n"),
                      "traceback": ""}
    except BaseException as exc:
        sandbox.use_memory_reserve()
        return None, {"status": Status.IMPORT_ERROR.value, **_exception_info(exc, shown)}
    return module, None


# ------------------------------------------------------------ the zygote: workers forked ready-made


def zygote() -> None:
    """``python -m grader.engine.sandbox.worker --zygote SCRATCH``: import the libraries once, then fork each worker.

    A grader's workers each imported NumPy, OpenCV and scikit-image themselves (about half a second of CPU
    each). The zygote imports them once, enters no namespace and runs no learner code: on each request read
    from its socket (fd 0; ``{"box", "uid", "cwd"}`` with the worker's stdin, stdout and log descriptors
    passed alongside) it forks a process that becomes a worker exactly as one started afresh would
    (:func:`main`: its own session, namespaces, limits), and answers with that process's pid. A fork has a
    single thread whatever the parent had, as ``unshare(CLONE_NEWUSER)`` needs. The zygote dies with the
    grader, reaps its workers (so their CPU time is counted for the grader), and at the end of its input
    kills what is left of them and exits.
    """
    import socket

    drop_working_folder_from_path()
    os.environ.update(sandbox.THREAD_ENV)
    sandbox.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    preload()
    import linecache  # noqa: F401
    import types  # noqa: F401

    from grader import values  # noqa: F401

    gc.freeze()
    control = socket.socket(fileno=os.dup(0))
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.close(devnull)
    forked: set = set()

    def reap(*_):
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if not pid:
                return
            forked.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(control, 65536, 3)
        except OSError:
            data, fds = b"", []
        if not data:
            break
        try:
            request = json.loads(data)
            if len(fds) != 3:
                raise ValueError("three descriptors expected")
            pid = os.fork()
        except (ValueError, OSError) as exc:
            for fd in fds:
                os.close(fd)
            try:
                control.send(json.dumps({"error": str(exc)}).encode())
            except OSError:
                break
            continue
        if pid == 0:  # the worker-to-be: never returns
            code = 70
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                os.setsid()
                for target, fd in enumerate(fds):
                    os.dup2(fd, target)
                os.closerange(3, 65536)
                sys.stdin = open(0, "r", closefd=False)
                sys.stdout = open(1, "w", closefd=False)
                sys.stderr = open(2, "w", buffering=1, closefd=False, errors="replace")
                os.chdir(request["cwd"])
                argv = ["--box", str(request["box"])]
                if request.get("uid") is not None:
                    argv += ["--uid", str(int(request["uid"]))]
                main(argv)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                except BaseException:
                    pass
                _exit(code)
        forked.add(pid)
        for fd in fds:
            os.close(fd)
        # A pidfd of the worker goes with the answer: the grader signals and waits for exactly this process,
        # whatever pid the system hands out once it is reaped here.
        try:
            pidfd = [os.pidfd_open(pid)]
        except (AttributeError, OSError):
            pidfd = []
        try:
            socket.send_fds(control, [json.dumps({"pid": pid}).encode()], pidfd)
        except OSError:
            break
        finally:
            for fd in pidfd:
                os.close(fd)
    # The grader is done: whatever is left of the workers goes, and is waited for.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for pid in list(forked):
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    _exit(0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--zygote"]:  # then the pool's scratch folder, named so its processes can be told apart
        zygote()
    else:
        main()
