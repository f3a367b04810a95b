"""The sentences for each way a case can end other than with a value to judge.

One function per worker status (``STATUS_MESSAGES``), each returning the outcome and the sentence a
learner reads, plus the traceback to show where there is one. The judging of a returned value lives
in :mod:`grader.grading.judging`.
"""
from __future__ import annotations

import signal as _signal

from grader.grading.results import Outcome
from grader.engine.runner import RawRun
from grader.engine.status import Status

# Imports that old tutorials use and current libraries no longer have.
KNOWN_IMPORT_FIXES = {
    "greycomatrix": "scikit-image renamed greycomatrix to graycomatrix: "
                    "use `from skimage.feature import graycomatrix, graycoprops`.",
    "greycoprops": "scikit-image renamed greycoprops to graycoprops: "
                   "use `from skimage.feature import graycomatrix, graycoprops`.",
    "compare_ssim": "skimage.measure.compare_ssim is now skimage.metrics.structural_similarity.",
}


def status_message(status: Status, raw: RawRun, task, *, fn: str, shown: str, limit: float) -> tuple:
    """``(outcome, message, traceback)`` for a case that ended with ``status`` rather than a value."""
    info = raw.info or {}
    handler = STATUS_MESSAGES.get(status)
    if handler is None:
        return Outcome.ERROR, f"the grader could not run {fn} ({info.get('message', status)}): please report this bug.", ""
    return handler(raw, task, info, fn, shown, limit)


def _not_attempted(raw, task, info, fn, shown, limit):
    return Outcome.NOT_ATTEMPTED, not_attempted_message(task, shown), ""


def _raised(raw, task, info, fn, shown, limit):
    message, tb = _raised_message(fn, info, task)
    return Outcome.ERROR, message, tb


def _out_of_memory(raw, task, info, fn, shown, limit):
    return Outcome.ERROR, _memory_message(fn, task), ""


def _import_error(raw, task, info, fn, shown, limit):
    return Outcome.ERROR, _import_message(shown, info), str(info.get("traceback", ""))


def _missing_function(raw, task, info, fn, shown, limit):
    return Outcome.ERROR, (f"{shown} has no function {fn}: keep the stub's function with exactly this name "
                           "and fill in its body."), ""


def _bad_value(raw, task, info, fn, shown, limit):
    return Outcome.FAILED, (f"{fn} returned a value the grader cannot read ({info.get('message', '')}): "
                            "return a NumPy array or a plain value."), ""


def _timeout(raw, task, info, fn, shown, limit):
    if raw.status is Status.CRASHED:  # stopped by the CPU time limit, not the clock
        message = (f"{fn} used up its {raw.cpu_limit:g} s of CPU time ({_signal_name(raw.signal)}): look "
                   "for a loop that never ends, or work spread over threads or processes.")
    elif raw.imported:
        message = (f"{fn} did not finish within {limit:g} s: look for a loop that never ends, or a "
                   "Python loop over every pixel that one NumPy or OpenCV call could do at once.")
    else:
        message = (f"importing {shown} took longer than {limit:g} s: move slow or endless code out "
                   "of the module's top level, into the functions.")
    return Outcome.TIMED_OUT, message, ""


def _crashed(raw, task, info, fn, shown, limit):
    return Outcome.ERROR, _crash_message(fn, raw, task), ""


def _no_output(raw, task, info, fn, shown, limit):
    return Outcome.ERROR, (f"{fn} ended its own process before returning (os._exit or a similar exit), "
                           "so there is nothing to grade: return the result instead."), ""


def _worker_lost(raw, task, info, fn, shown, limit):
    return Outcome.ERROR, (f"{fn} stopped the grader's worker process (did it kill or stop its parent?): "
                           "nothing it did was graded."), ""


STATUS_MESSAGES = {
    Status.NOT_ATTEMPTED: _not_attempted,
    Status.RAISED: _raised,
    Status.OUT_OF_MEMORY: _out_of_memory,
    Status.IMPORT_ERROR: _import_error,
    Status.MISSING_FUNCTION: _missing_function,
    Status.BAD_VALUE: _bad_value,
    Status.TIMEOUT: _timeout,
    Status.CRASHED: _crashed,
    Status.NO_OUTPUT: _no_output,
    Status.WORKER_LOST: _worker_lost,
}


def not_attempted_message(task, shown: str) -> str:
    what = task.summary or task.title
    return f"Write {task.function}() in {shown}: {what[:1].lower()}{what[1:]}"


def _raised_message(fn: str, info: dict, task) -> tuple[str, str]:
    kind = str(info.get("type", "an exception"))
    msg = str(info.get("message", ""))
    tb = str(info.get("traceback", ""))
    if kind == "SystemExit":
        return (f"{fn} called sys.exit({info.get('code')!r}) : return the result instead of "
                "ending the program.").replace(" :", ":"), tb
    if "MemoryError" in _kinds(info):
        return _memory_message(fn, task), tb
    if kind == "KeyboardInterrupt":
        return f"{fn} raised KeyboardInterrupt: remove the code that raises it.", tb
    if kind == "RecursionError":
        return f"{fn} recursed too deeply (RecursionError): use a loop or a library call instead.", tb
    where = f" (line {info['lineno']})" if info.get("lineno") else ""
    text = f"{fn} raised {kind}{where}: {msg}".rstrip(": ")
    if kind in ("ImportError", "ModuleNotFoundError", "AttributeError"):  # e.g. skimage.feature.greycomatrix
        fix = _known_import_fix(msg)
        if fix:
            text += f". {fix}"
    return text, tb


def _import_message(shown: str, info: dict) -> str:
    kind = str(info.get("type", "an error"))
    msg = str(info.get("message", ""))
    if kind == "SyntaxError":
        return f"{shown} line {info.get('lineno')} has a syntax error ({msg}): {str(info.get('line', '')).strip()}"
    if kind == "SystemExit":
        return f"{shown} calls sys.exit() when it is imported: remove that call from the module's top level."
    text = f"{shown} could not be imported: {kind}: {msg}"
    if not text.endswith((".", "!", "?")):
        text += "."  # the advice that follows is a sentence of its own
    fix = _known_import_fix(msg)
    if fix:
        text += f" {fix}"
    elif kind in ("ImportError", "ModuleNotFoundError"):
        text += " Check the import line's spelling, and that the package is installed."
    return text


def _known_import_fix(msg: str) -> str:
    for name, fix in KNOWN_IMPORT_FIXES.items():
        if name in msg:
            return fix
    return ""


def _kinds(info: dict) -> set:
    """The exception's class and base class names (numpy raises a MemoryError subclass)."""
    return {str(info.get("type", ""))} | {str(k) for k in info.get("mro", []) or []}


def _memory_message(fn: str, task) -> str:
    mb = task.memory_mb or 2048
    return (f"{fn} used too much memory (the limit is {mb} MiB per case): avoid huge intermediate "
            "arrays, e.g. work in uint8 or float32 instead of float64 copies.")


def _cpu_limit_hit(raw: RawRun) -> bool:
    """Whether the kernel stopped the child for its CPU time (SIGXCPU, or SIGKILL at the hard limit)."""
    if raw.signal == getattr(_signal, "SIGXCPU", -1):
        return True
    return (raw.signal == getattr(_signal, "SIGKILL", -1) and raw.cpu is not None
            and raw.cpu_limit is not None and raw.cpu >= raw.cpu_limit - 0.05)


def _crash_message(fn: str, raw: RawRun, task) -> str:
    sig = raw.signal
    name = _signal_name(sig)
    if sig == getattr(_signal, "SIGSEGV", -1):
        return (f"{fn} crashed the Python interpreter ({name}, a segmentation fault): "
                "check arrays passed to OpenCV (dtype, shape, contiguity) or any ctypes use.")
    if sig == getattr(_signal, "SIGXFSZ", -1):
        return f"{fn} wrote a file larger than the limit ({name}): do not write big files while grading."
    limit = (task.memory_mb or 2048) * 1024
    if raw.maxrss_kb and raw.maxrss_kb >= 0.9 * limit:
        return _memory_message(fn, task)
    if sig == getattr(_signal, "SIGKILL", -1):
        return (f"{fn} was killed ({name}), most likely because the machine ran out of memory: "
                "avoid huge intermediate arrays.")
    return f"{fn} crashed the Python interpreter ({name})."


def _signal_name(sig) -> str:
    try:
        return _signal.Signals(sig).name
    except (ValueError, TypeError):
        return f"signal {sig}"
