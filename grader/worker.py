"""The worker: a separate process that runs learner code, one forked child per case.

The grader starts ``python -m grader.worker`` once per run (or per pool slot).
The worker imports the numeric libraries once, then reads one JSON job per
line on stdin. For each job it forks a child that imports the learner's module,
calls one function and writes what came back into the job's ``out/`` folder as
plain data (see :mod:`grader.values`). The worker itself never runs learner
code; it watches the child's clock, captures a bounded amount of its output,
kills its whole process group when done, and answers with one JSON line on
stdout saying how the child ended. The verdict is reached by the grader, in
another process, from the data alone.
"""
from __future__ import annotations

import json
import os
import select
import signal
import sys
import time
import traceback

from grader import sandbox

# Learner code usually imports these; importing them once here means every
# forked child starts with them loaded.
PRELOAD = (
    "numpy",
    "cv2",
    "skimage",
    "skimage.color",
    "skimage.util",
    "skimage.filters",
    "skimage.feature",
    "skimage.metrics",
    "skimage.morphology",
    "skimage.measure",
    "skimage.exposure",
    "skimage.transform",
    "skimage.io",
    "skimage.draw",
    "skimage.segmentation",
)

OUTPUT_CAP = 8 * 1024  # bytes of stdout/stderr kept per case
GRACE = 0.2  # seconds given to the output pipe to drain after the child exits


def preload() -> list[str]:
    """Import the usual libraries once; returns the ones that failed to import."""
    missing = []
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception:
            missing.append(name)
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:
        pass
    return missing


def main() -> None:
    sandbox.prepare_worker_process()
    missing = preload()
    out = sys.stdout
    # The protocol uses the worker's own stdin/stdout; children never see them.
    _send(out, {"ready": True, "pid": os.getpid(), "missing": missing, "limits": sandbox.describe()})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            job = json.loads(line)
        except ValueError:
            _send(out, {"error": "bad job line"})
            continue
        _send(out, run_job(job, out))


def _send(stream, message: dict) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


def run_job(job: dict, out) -> dict:
    """Fork a child for ``job``, supervise it, and describe how it ended."""
    timeout = float(job.get("timeout", 10.0))
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(read_fd)
            _child(job, write_fd)
        finally:
            os._exit(70)
    os.close(write_fd)
    _send(out, {"started": pid, "id": job.get("id")})

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
        sandbox.reap_descendants()
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
    }
    if os.WIFSIGNALED(status):
        reply["signal"] = os.WTERMSIG(status)
        reply["exit_code"] = None
    else:
        reply["signal"] = None
        reply["exit_code"] = os.WEXITSTATUS(status)
    return reply


def _pidfd_open(pid: int):
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(pid)
    except OSError:
        return None


# ---------------------------------------------------------------- the child


def _child(job: dict, write_fd: int) -> None:
    """Runs in the forked child: set limits, import the learner module, call, store."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(write_fd, 1)
    os.dup2(write_fd, 2)
    os.closerange(3, 65536)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", buffering=1, closefd=False, errors="replace")
    sys.stderr = open(2, "w", buffering=1, closefd=False, errors="replace")
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    case_dir = job["dir"]
    os.chdir(case_dir)
    sandbox.apply_child_limits(job)
    from grader import values

    out_dir = os.path.join(case_dir, "out")

    def finish(result: dict) -> None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        with open(os.path.join(out_dir, "result.json"), "w") as fh:
            json.dump(result, fh)
        os._exit(0)

    from pathlib import Path

    try:
        args, kwargs = values.load(Path(case_dir), "args")
    except Exception as exc:  # our own fault; say so plainly
        finish({"status": "grader_error", "message": f"could not read the case's arguments: {exc}"})

    module_path = job["module"]
    sys.path.insert(0, os.path.dirname(module_path))
    sys.argv = [module_path]
    module, problem = _import_learner(job["module_name"], module_path)
    if problem is not None:
        finish(problem)
    with open(os.path.join(out_dir, "imported"), "w"):
        pass
    func = getattr(module, job["function"], None)
    if not callable(func):
        finish({"status": "missing_function", "function": job["function"]})

    started = time.perf_counter()
    try:
        value = func(*args, **kwargs)
    except NotImplementedError as exc:
        finish({"status": "not_attempted", "message": _safe_str(exc)})
    except BaseException as exc:  # SystemExit and KeyboardInterrupt included
        finish({"status": "raised", "elapsed": time.perf_counter() - started,
                **_exception_info(exc, module_path)})
    elapsed = time.perf_counter() - started
    try:
        tree = values.encode(value, Path(out_dir), prefix="value.")
        payload = json.dumps({"value": tree})
    except BaseException as exc:
        finish({"status": "bad_value", "message": _safe_str(exc), "type": type(value).__name__})
    with open(os.path.join(out_dir, "value.json"), "w") as fh:
        fh.write(payload)
    finish({"status": "returned", "elapsed": elapsed})


def _import_learner(name: str, path: str):
    import importlib.util

    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        return None, {"status": "import_error", "type": type(exc).__name__, "mro": [c.__name__ for c in type(exc).__mro__],
                      "message": _safe_str(exc.msg), "lineno": exc.lineno, "line": (exc.text or "").rstrip("\n"),
                      "traceback": ""}
    except BaseException as exc:
        return None, {"status": "import_error", **_exception_info(exc, path)}
    return module, None


def _safe_str(exc, limit: int = 2000) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "<the exception's message could not be shown>"
    return text[:limit]


def _exception_info(exc: BaseException, learner_path: str) -> dict:
    """The exception with only the learner's own frames in its traceback."""
    grader_dir = os.path.dirname(os.path.abspath(__file__))
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if not os.path.abspath(f.filename).startswith(grader_dir + os.sep)
                  and "importlib._bootstrap" not in f.filename]
        lines = traceback.format_list(frames[-8:])
        tb = "".join(lines)
        learner_line = None
        for f in reversed(frames):
            if os.path.abspath(f.filename) == os.path.abspath(learner_path):
                learner_line = f.lineno
                break
    except BaseException:
        tb, learner_line = "", None
    return {
        "type": type(exc).__name__,
        "mro": [c.__name__ for c in type(exc).__mro__],
        "message": _safe_str(exc),
        "traceback": tb[-6000:],
        "lineno": learner_line,
        "code": exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, (int, str, type(None))) else None,
    }


if __name__ == "__main__":
    main()
