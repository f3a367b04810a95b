"""Running a task's catalogue entries in the workers, many functions per job.

The catalogue's code (``catalogue/dayNN_topic.py``) runs like a learner's module: in the same workers,
on the same materialised arguments. To keep the cost of one case at one job whatever the number of
entries, the day's module is copied with a small dispatcher appended that calls each named function on
its own deep copy of the arguments and returns every outcome in one dict (a value, or the exception's
type, bases and message). :meth:`Entries.run_cases` runs them on several cases of a task in one job (the
proof's way: one job per task instead of one per case).
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

from grader.checks import Raised
from grader.course.catalogue import module_path
from grader.engine.runner import Job, Runner
from grader.engine import scratch as scratch_folders

DISPATCHER = "_catalogue_entries_"
BATCH = "_catalogue_batch_"

_DISPATCH_SOURCE = f'''

def {DISPATCHER}(names, *args, **kwargs):
    import copy
    out = {{}}
    for name in names:
        try:
            out[name] = {{"value": globals()[name](*copy.deepcopy(args), **copy.deepcopy(kwargs))}}
        except Exception as exc:  # each entry's own exception is its outcome
            out[name] = {{"raised": [type(exc).__name__, [c.__name__ for c in type(exc).__mro__], str(exc)]}}
    return out


def {BATCH}(calls):
    return [{DISPATCHER}(names, *args, **kwargs) for names, args, kwargs in calls]
'''


def _run_alone(runner, job: Job):
    """Run a catalogue job. On a day's lane (:meth:`Runner.lane`) it runs on the lane's worker but never in the
    learner's day process: what the learner's cases changed there must not change a mistake's output."""
    lane_run = getattr(runner, "token", None) and runner.run
    return lane_run(job, alone=True) if lane_run else runner.run(job)


class _NotRun:
    """Stands for an entry that could not run at all (the job timed out or crashed)."""

    def __repr__(self) -> str:
        return "<not run>"


NOT_RUN = _NotRun()


def _outcomes(functions: list[str], found: dict) -> dict:
    out = {}
    for fn in functions:
        got = found.get(fn)
        if isinstance(got, dict) and "value" in got:
            out[fn] = got["value"]
        elif isinstance(got, dict) and "raised" in got:
            kind, mro, message = got["raised"]
            out[fn] = Raised(str(kind), list(mro), str(message))
        else:
            out[fn] = NOT_RUN
    return out


class Entries:
    """The catalogue of one course folder, ready to run; close() removes its working copies."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._scratch: Path | None = None
        self._bundles: dict[str, Path] = {}
        self._lock = threading.Lock()
        self._digests: dict[str, bool] = {}  # task key -> whether its stored outcomes are current

    def has(self, day) -> bool:
        return module_path(self.root, day.filename).is_file()

    def stored_stand_in(self, day, task, refs, case, args, check) -> dict | None:
        """The outcomes ``references build`` stored for ``task``'s mistakes on this case, when they are exactly
        what :meth:`run` would give: every mistake of the task has one, and the manifest's digest of what
        made them (the catalogue's code and the references: ``mistake_source_digest``) matches the course as
        it is now. Else None, and the mistakes are run (an edited catalogue, a hidden
        variant, an output too large to store). ``check`` is the case's check. Returns ``{function name:
        outcome}``, as :meth:`run` does.
        """
        stored = refs.mistake_outputs(task, case, args, with_reference=check.needs_reference)
        if not stored or any(m.name not in stored for m in task.mistakes) or not self.stored_current(day, task, refs):
            return None
        return {m.function: stored[m.name] for m in task.mistakes}

    def stored_current(self, day, task, refs) -> bool:
        """Whether the outcomes ``references build`` stored for ``task``'s mistakes were made by the catalogue and
        references as they are now (the manifest's ``mistake_sources`` digest matches); kept per task."""
        from grader.course.build import MISTAKE_SOURCES, mistake_source_digest
        from grader.course.project import Project

        with self._lock:
            known = self._digests.get(task.key)
        if known is None:
            manifest = refs.manifest
            recorded = (manifest.get(MISTAKE_SOURCES) or {}).get(task.key)
            known = recorded is not None and recorded == mistake_source_digest(Project(self.root), day, task,
                                                                               manifest["files"])
            with self._lock:
                self._digests[task.key] = known
        return known

    def _bundle(self, day) -> Path:
        with self._lock:
            if day.filename not in self._bundles:
                if self._scratch is None:
                    self._scratch = scratch_folders.make("pixelkata-catalogue-")
                folder = self._scratch / day.slug
                folder.mkdir()
                target = folder / day.filename
                target.write_text(module_path(self.root, day.filename).read_text() + _DISPATCH_SOURCE)
                self._bundles[day.filename] = target
            return self._bundles[day.filename]

    def run(self, runner: Runner, day, task, functions: list[str], args, kwargs, files: dict, *,
            timeout: float, hide: tuple = ()) -> dict:
        """Each function's output on one call: its value, a :class:`Raised`, or :data:`NOT_RUN`."""
        if not functions:
            return {}
        job = Job(module=self._bundle(day), function=DISPATCHER, args=(list(functions),) + tuple(args),
                  kwargs=dict(kwargs), timeout=timeout * len(functions), files=files, hide=tuple(hide),
                  memory=(task.memory_mb * 2**20) if task.memory_mb else None, preload=task.preload)
        raw = _run_alone(runner, job)
        found = raw.value if raw.status == "returned" and isinstance(raw.value, dict) else {}
        return _outcomes(functions, found)

    def run_cases(self, runner: Runner, day, task, functions: list[str], calls: list, *, timeout: float,
                  hide: tuple = ()) -> list[dict]:
        """:meth:`run` on several cases of ``task``: ``calls`` lists each case's ``(args, kwargs, files)``.

        Cases that copy no file into the case folder share one job (a file one case needs could be one that
        another case must not find); the others run one job each. When the shared job does not return (an
        entry hung or crashed), each of its cases runs again on its own, so that only the guilty case
        loses its outputs.
        """
        out: list = [None] * len(calls)
        shared = [i for i, (_, _, files) in enumerate(calls) if not files]
        if len(shared) > 1 and functions:
            job = Job(module=self._bundle(day), function=BATCH,
                      args=([(list(functions), tuple(calls[i][0]), dict(calls[i][1])) for i in shared],),
                      kwargs={}, timeout=timeout * len(functions) * len(shared), files={}, hide=tuple(hide),
                      memory=(task.memory_mb * 2**20) if task.memory_mb else None, preload=task.preload)
            raw = _run_alone(runner, job)
            if raw.status == "returned" and isinstance(raw.value, list) and len(raw.value) == len(shared):
                for i, found in zip(shared, raw.value):
                    out[i] = _outcomes(functions, found if isinstance(found, dict) else {})
        for i, (args, kwargs, files) in enumerate(calls):
            if out[i] is None:
                out[i] = self.run(runner, day, task, functions, args, kwargs, files, timeout=timeout, hide=hide)
        return out

    def close(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
            self._bundles.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
