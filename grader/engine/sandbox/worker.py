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
from grader.engine.import_clock import ImportClock, restore_imports
from grader.engine.preload import drop_working_folder_from_path, preload, safe_str as _safe_str
from grader.engine.preload import exception_info as _exception_info, safe_type as _safe_type
from grader.engine import jobs
from grader.engine.sandbox import isolation as sandbox
from grader.engine.status import Status

# The child's own bookkeeping uses these bindings, taken before any learner code
# runs: a learner who monkeypatches os or json cannot stop its report that way.
_exit = os._exit
_getpid = os.getpid
_closerange = os.closerange
_json_dumps = json.dumps
_open = open
_encode = None  # grader.values.encode, bound when the worker starts
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

    global _encode
    _encode = values.encode
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
        if _preload.is_request(job):
            # A day's own libraries (scikit-learn), imported here once so every later child inherits them.
            _send(out, _preload.answer(job))
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
    if os.WIFSIGNALED(status):
        reply["signal"] = os.WTERMSIG(status)
        reply["exit_code"] = None
    else:
        reply["signal"] = None
        reply["exit_code"] = os.WEXITSTATUS(status)
    return reply


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
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(write_fd, 1)
    os.dup2(write_fd, 2)
    os.closerange(3, 65536)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", buffering=1, closefd=False, errors="replace")
    sys.stderr = open(2, "w", buffering=1, closefd=False, errors="replace")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)

    case_dir = job["dir"]
    work = os.path.join(case_dir, "work")
    out_dir = os.path.join(case_dir, "out")
    os.chdir(work)
    sandbox.enter_child(job, home=work)
    from grader import values

    me = _getpid()

    def finish(result: dict, value=_NOTHING) -> None:
        """Store the value (if any) and the result, then end the child. Never returns."""
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
        _closerange(3, 65536)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file over the size limit fails instead of killing
        for attempt in (1, 2):
            try:
                _store(result, value, out_dir)
                _exit(0)
            except MemoryError:
                _exit(sandbox.EXIT_OUT_OF_MEMORY)
            except OSError as exc:
                if attempt == 2 or exc.errno not in _DISK_FULL:
                    break
                _make_room(work, out_dir)  # the learner filled its folder: its scratch files go first
            except BaseException:
                break
        _exit(70)

    from pathlib import Path

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
            _exit(sandbox.EXIT_OUT_OF_MEMORY)
        finish({"status": Status.RAISED.value, "elapsed": elapsed, **imports.report(), **info})
    finish({"status": Status.RETURNED.value, "elapsed": time.perf_counter() - started, **imports.report()}, value)


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


if __name__ == "__main__":
    main()
