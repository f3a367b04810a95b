"""What the runner and its backends pass around: a :class:`Job` in, a :class:`RawRun` out.

Plain data only, with no process handling, so every backend (the Linux sandbox, the portable
workers) and every reader of results can import it on any platform.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import PixelkataError
from grader.engine.status import Status

DEFAULT_TIMEOUT = 10.0
OUTPUT_CAP = 8 * 1024  # bytes of a case's stdout and stderr kept, in every backend


@dataclass
class Job:
    """One call of one learner function."""

    module: Path  # the learner's .py file
    function: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT  # wall-clock seconds
    memory: int | None = None  # bytes
    files: dict = field(default_factory=dict)  # name in the case's working folder -> source path to copy
    cpu: float | None = None  # CPU seconds; default: the timeout
    hide: tuple = ()  # folders the learner's code must not see (references, solutions)
    # Modules the worker imports once before this case, and keeps (a day's own libraries, e.g. sklearn).
    preload: tuple = ()


@dataclass
class RawRun:
    """What a case did, as seen from outside its process."""

    status: Status
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
    cpu_limit: float | None = None
    maxrss_kb: int | None = None
    left: int = 0  # processes the case left behind (killed after it ended)
    worker: int | None = None  # the pool slot of the worker that ran it

    def __post_init__(self):
        self.status = Status(self.status)  # a plain string ("returned") becomes its member; a stranger raises


class WorkerLost(Exception):
    """The worker stopped answering during a case: it ended, or its pipe closed.

    ``run``, when set, is what can still be said of the case (whether its module was imported).
    """

    run: RawRun | None = None


class WorkerTimedOut(WorkerLost):
    """The worker gave no answer within the case's limit (plus the backend's grace)."""


class GraderFailure(PixelkataError):
    """The grader itself cannot run learner code here (a worker that cannot start, a library missing).

    Never the learner's fault: the command ends with exit code 2 and this one line, which names
    the real reason and where the worker's log is kept.
    """


#: Seconds a worker may take to import a job's ``preload`` modules (scikit-learn takes one to five).
PRELOAD_TIMEOUT = 60.0


class PreloadFailed(GraderFailure):
    """A worker could not import a job's ``preload`` modules. ``fresh`` is False when that worker had run
    cases before: a portable worker runs learner code in itself, which may have spoilt the import, so the
    runner tries once more on a fresh worker before it gives up."""

    def __init__(self, message: str, *, fresh: bool = True):
        super().__init__(message)
        self.fresh = fresh


def preload_failure(backend: str, names, reason: str, *, fresh: bool = True) -> PreloadFailed:
    """The one-line failure when a worker cannot import the modules a day's cases need."""
    return PreloadFailed(
        f"the grader's {backend} worker could not import {', '.join(names)}, which this day's cases need "
        f"({reason}). This is a set-up problem, not your code: reinstall pixelkata's dependencies "
        "(pip install -e .) and grade again.", fresh=fresh)
