"""The portable worker: runs cases of learner code one after another, in itself, without fork.

The grader starts ``python -m grader.engine.portable.worker --launch``: a small launcher that
starts the worker proper and waits for it, so the worker's parent is not the grader (a case that
signals or stops "its parent" hits the launcher, and the grader sees it and starts afresh). The
worker imports numpy, OpenCV and scikit-image once, says it is ready, then reads one JSON job per
line (or a request to import a day's own libraries, such as scikit-learn, once and keep them). For each job it changes into the case's ``work/`` folder, imports the learner's module from
the case's copy under its real file name, calls one function and writes what came back into
``out/`` as plain data (:mod:`grader.values`, never pickle), then answers with one JSON line.

Learner output never reaches the protocol: during a case, file descriptors 1 and 2 point at the
worker's stderr pipe, which the grader drains and caps; the protocol uses private copies of the
original stdin and stdout. Time-outs, memory and clean-up are the grader's business
(:mod:`grader.engine.portable.client`): it kills this whole process tree when a case runs too long
and starts a fresh worker. Everything is UTF-8.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time

from grader.engine import preload as _preload
from grader.engine.folders import give_back
from grader.engine.import_clock import ImportClock, restore_imports
from grader.engine.preload import drop_working_folder_from_path, preload, safe_str as _safe_str
from grader.engine.preload import exception_info as _exception_info, safe_type as _safe_type
from grader.engine.preload import holds, pin
from grader.engine.status import Status

_exit = os._exit
_json_dumps = json.dumps
_open = open


def launch(argv: list[str]) -> int:
    """The launcher: start the worker proper with our own stdin, stdout and stderr, wait, pass on its exit code."""
    cmd = [sys.executable, "-s", "-m", "grader.engine.portable.worker", *argv]
    try:
        # The standard handles are passed on by number: on Windows, where Popen inherits no handle it is
        # not given, this is what hands the grader's pipes down to the worker.
        proc = subprocess.Popen(cmd, stdin=0, stdout=1, stderr=2)
    except OSError as exc:
        print(f"the launcher could not start the worker: {exc}", file=sys.stderr, flush=True)
        return 70
    grader = _grader_process()
    while True:
        try:
            code = proc.wait(timeout=GRADER_CHECK)
            break
        except subprocess.TimeoutExpired:
            if not _alive(grader):
                # The grader was killed (kill -9, a crashed notebook kernel) and cannot stop this worker any
                # more: a learner's endless loop would run on for ever. The worker and what it started go.
                _kill_tree(proc.pid)
                return 0
        except KeyboardInterrupt:  # Ctrl-C reaches the whole console group: the grader decides
            continue
    # The grader reads how the worker ended from here (the protocol pipe is ours too).
    try:
        os.write(1, (json.dumps({"ended": code}) + "\n").encode())
    except OSError:
        pass
    return 0


#: Seconds between the launcher's looks at whether the grader that started it is still running.
GRADER_CHECK = 0.5


def _grader_process():
    """The process that started this launcher (the grader), as a psutil handle; None where it cannot be known."""
    try:
        import psutil

        return psutil.Process().parent()
    except Exception:
        return None


def _alive(grader) -> bool:
    """Whether ``grader`` still runs: the same process (psutil compares its start time, so a reused pid is not
    taken for it), not a zombie. An unknown grader counts as alive."""
    if grader is None:
        return True
    import psutil

    try:
        return grader.is_running() and grader.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except Exception:  # not ours to ask (access denied): only a gone grader is certain
        return True


def _kill_tree(pid: int) -> None:
    """Kill the worker ``pid`` and every process it started, as the grader kills a case's tree (its helpers,
    imported only now: the launcher stays small while the grader lives)."""
    import psutil

    from grader.engine.portable.client import _descendants, _kill_all

    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    _kill_all([root] + _descendants(root))


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m grader.engine.portable.worker")
    parser.add_argument("--launch", action="store_true", help="start the worker proper as a child and wait for it")
    opts, rest = parser.parse_known_args(argv)
    if opts.launch:
        sys.exit(launch(rest))
    drop_working_folder_from_path()
    # The protocol keeps private copies of stdin and stdout; fd 0 reads nothing and fds 1 and 2
    # both go to stderr, which the grader drains as the case's output.
    proto_in = io.open(os.dup(0), "rb", buffering=0)
    proto_out = io.open(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdin = io.TextIOWrapper(io.open(0, "rb", closefd=False), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.open(1, "wb", closefd=False), encoding="utf-8", errors="replace",
                                  line_buffering=True)
    sys.stderr = io.TextIOWrapper(io.open(2, "wb", closefd=False), encoding="utf-8", errors="replace",
                                  line_buffering=True)
    missing = preload()
    import linecache  # noqa: F401  (used by every case; imported once here)
    import types  # noqa: F401

    from grader import values  # noqa: F401

    import gc

    # What is loaded now lives as long as the worker: keeping it out of the garbage collector's
    # passes spares every case a walk over the libraries' objects (a case building a large
    # nested list would otherwise spend seconds in collections).
    gc.freeze()
    global _BASELINE
    _BASELINE = _Baseline()
    send = _sender(proto_out)
    send({"ready": True, "pid": os.getpid(), "missing": missing})
    reader = _lines(proto_in)
    for line in reader:
        try:
            job = json.loads(line)
        except ValueError:
            send({"error": "bad job line"})
            continue
        if _preload.is_request(job):
            # A day's own libraries (scikit-learn), imported once and kept for every later case.
            send(_preload.answer(job))
            gc.freeze()
            _BASELINE.take()  # the day's libraries are part of what later cases must find unchanged
            continue
        reply = run_job(job)
        send(reply)


def _sender(stream):
    def send(message: dict) -> None:
        stream.write((_json_dumps(message) + "\n").encode("utf-8"))

    return send


def _lines(stream):
    buf = b""
    while True:
        chunk = stream.read(65536)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.strip():
                yield line.decode("utf-8")


def run_job(job: dict) -> dict:
    """Run one case in this process; the reply says how it ended (the value is in ``out/``)."""
    case_dir = job["dir"]
    work = os.path.join(case_dir, "work")
    out_dir = os.path.join(case_dir, "out")
    saved = (os.getcwd(), list(sys.path), list(sys.argv), dict(os.environ))
    settings = _settings()
    started = time.monotonic()
    try:
        result, value = _call(job, work, out_dir)
        restore_imports()  # a hook the learner's module set when it loaded must not reach our imports below
        try:
            status = _store(result, value, out_dir)
        except (OSError, MemoryError):
            # The learner's module holds what the report needs (open files, memory): let it go, then try again;
            # it may also have taken its folders' permissions away: they are given back first.
            give_back(out_dir)
            sys.modules.pop(job.get("module_name", ""), None)
            import gc

            gc.collect()
            try:
                status = _store(result, value, out_dir)
            except (OSError, MemoryError):
                status = Status.NO_OUTPUT.value
    finally:
        restore_imports()
        sys.modules.pop(job.get("module_name", ""), None)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        cwd, path, argv, env = saved
        try:
            os.chdir(cwd)
        except OSError:
            pass
        sys.path[:], sys.argv[:] = path, argv
        os.environ.clear()
        os.environ.update(env)
        restored = _restore_settings(settings)
        # The end of this case's output: the grader stops counting it here.
        try:
            os.write(2, ("\n" + job.get("end", "")).encode("utf-8") + b"\n")
        except OSError:
            pass
    reply = {"id": job.get("id"), "status": status, "elapsed": round(time.monotonic() - started, 4)}
    spoilt = _BASELINE.changed() if _BASELINE is not None else []
    if not restored:
        spoilt.append("the warning filters or NumPy's error settings")
    if spoilt:
        reply["spoilt"] = spoilt  # the grader starts a fresh worker: no later case may meet this case's changes
    return reply


def _settings() -> tuple:
    """Process-wide settings a case may change and a later case would trip over: the warning filters
    (``simplefilter("error")``), NumPy's error handling (``seterr(all="raise")``), the recursion limit."""
    import warnings

    try:
        import numpy as np

        errors = np.geterr()
    except Exception:
        errors = None
    return list(warnings.filters), errors, sys.getrecursionlimit()


def _restore_settings(saved: tuple) -> bool:
    """Put the settings back; False when they could not be (the worker is then retired)."""
    import warnings

    filters, errors, recursion = saved
    try:
        warnings.filters[:] = filters
        warnings._filters_mutated()
        if errors is not None:
            import numpy as np

            np.seterr(**errors)
        sys.setrecursionlimit(recursion)
        return True
    except Exception:
        return False


class _Baseline:
    """The worker's shared state as it was before any case ran: which modules are loaded, and what the
    libraries a learner patches (NumPy, OpenCV, scikit-image, SciPy, Pillow, scikit-learn, builtins, the
    grader's own modules) hold under each name.

    Every case runs in this one process, so a case that replaces ``cv2.resize``, deletes
    ``sys.modules["sklearn.neighbors"]`` or swaps a builtin would otherwise change what later cases (another
    learner's, in ``pixelkata batch``) meet. :meth:`changed` names what a case replaced or removed of them;
    names a library adds or fills by itself as it is used (lazily loaded submodules, private caches, ``None``
    placeholders) are not watched.
    """

    WATCHED = ("builtins", "numpy", "cv2", "skimage", "scipy", "PIL", "sklearn", "grader")

    def __init__(self):
        self.take()

    def take(self) -> None:
        self.settings = _preload.library_settings()
        self.modules = dict(sys.modules)
        self.pinned = pin(self.modules)
        self.attrs = []  # (module name, its namespace, the pin of its public names)
        for name, mod in self.modules.items():
            if mod is not None and name.split(".", 1)[0] in self.WATCHED and not name.startswith("grader.engine.portable"):
                try:
                    space = vars(mod)
                except TypeError:
                    continue
                # Public names that hold something: a library fills private caches and None
                # placeholders by itself as it is used, and that is not a learner's change.
                kept = {k: v for k, v in space.items()
                        if v is not None and (not k.startswith("_") or name == "builtins")}
                if kept:
                    self.attrs.append((name, space, pin(kept)))

    def changed(self, limit: int = 3) -> list[str]:
        """What a case replaced or removed, by identity (never ``==``: a learner's object may claim to equal
        anything); one pass in C per module, and the names are looked for only where something changed."""
        found = _preload.settings_changed(self.settings)[:limit]
        current = sys.modules
        if not holds(current, self.pinned):
            for name, mod in self.modules.items():
                if current.get(name) is not mod:
                    found.append(f"sys.modules[{name!r}]")
                    if len(found) >= limit:
                        return found
        for name, space, pinned in self.attrs:
            if not holds(space, pinned):
                _, keys, was = pinned
                found.append(next((f"{name}.{k}" for k, v in zip(keys, was) if space.get(k, _NOTHING) is not v), name))
                if len(found) >= limit:
                    return found
        return found


_BASELINE: _Baseline | None = None


def _call(job: dict, work: str, out_dir: str):
    from pathlib import Path

    from grader import values

    os.chdir(work)
    os.environ.update({"HOME": work, "TMPDIR": work, "TEMP": work, "TMP": work, "USERPROFILE": work})
    try:
        args, kwargs = values.load(Path(job["dir"]), "args")
    except Exception as exc:  # our own fault; say so plainly
        return {"status": Status.GRADER_ERROR.value, "message": f"could not read the case's arguments: {exc}"}, _NOTHING
    shown = job.get("module_file") or job["module"]
    sys.path.insert(0, os.path.dirname(shown))
    sys.argv[:] = [shown]
    module, problem = _import_learner(job["module_name"], job["module"], shown)
    if problem is not None:
        return problem, _NOTHING
    with _open(os.path.join(out_dir, "imported"), "w"):
        pass
    func = getattr(module, job["function"], None)
    if not callable(func):
        return {"status": Status.MISSING_FUNCTION.value, "function": job["function"]}, _NOTHING
    imports = ImportClock()
    imports.install()
    started = time.perf_counter()
    try:
        value = func(*args, **kwargs)
    except NotImplementedError as exc:
        return {"status": Status.NOT_ATTEMPTED.value, "message": _safe_str(exc)}, _NOTHING
    except BaseException as exc:  # SystemExit and KeyboardInterrupt included
        elapsed = time.perf_counter() - started
        imports.uninstall()  # describing the exception imports; the learner may have broken importing
        return {"status": Status.RAISED.value, "elapsed": elapsed, **imports.report(),
                **_exception_info(exc, shown)}, _NOTHING
    finally:
        imports.uninstall()
    return {"status": Status.RETURNED.value, "elapsed": time.perf_counter() - started, **imports.report()}, value


_NOTHING = object()


def _store(result: dict, value, out_dir: str) -> str:
    from pathlib import Path

    from grader import values

    if value is not _NOTHING:
        try:
            tree = values.encode(value, Path(out_dir), prefix="value.")
            with _open(os.path.join(out_dir, "value.json"), "w", encoding="utf-8") as fh:
                fh.write(_json_dumps({"value": tree}))
        except (OSError, MemoryError):
            raise
        except BaseException as exc:
            result = {"status": Status.BAD_VALUE.value, "message": _safe_str(exc), "type": _safe_type(value)}
    with _open(os.path.join(out_dir, "result.json"), "w", encoding="utf-8") as fh:
        fh.write(_json_dumps(result))
    return str(result.get("status", ""))


_COMPILED: dict = {}  # (file name, source) -> code: a day's cases compile their module once


def _import_learner(name: str, path: str, shown: str):
    """Run the learner's module from the case's own copy, under its real file name."""
    import linecache
    import types

    try:
        with _open(path, "rb") as fh:
            source = fh.read()
        key = (shown, source)
        code = _COMPILED.get(key)
        if code is None:
            code = compile(source, shown, "exec", dont_inherit=True)
            _COMPILED.clear()  # one module at a time is enough: cases come day by day
            _COMPILED[key] = code
        linecache.cache[shown] = (len(source), None, source.decode("utf-8", "replace").splitlines(True), shown)
        module = types.ModuleType(name)
        module.__file__ = shown
        sys.modules[name] = module
        exec(code, module.__dict__)
    except SyntaxError as exc:
        return None, {"status": Status.IMPORT_ERROR.value, "type": type(exc).__name__,
                      "mro": [c.__name__ for c in type(exc).__mro__], "message": _safe_str(exc.msg),
                      "lineno": exc.lineno, "line": (exc.text or "").rstrip("\n"), "traceback": ""}
    except BaseException as exc:
        return None, {"status": Status.IMPORT_ERROR.value, **_exception_info(exc, shown)}
    return module, None


if __name__ == "__main__":
    main()
