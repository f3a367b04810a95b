"""The hostile corpus: submissions that attack the grader, each with its expected outcome.

Every file in ``tests/hostile/`` is one Day 1 submission: the reference
solution module with the file's code appended (so it redefines one function,
or misbehaves at import). Its header says what it does and how it must end::

    # hostile: what it tries (or "# control:" for a correct answer that must pass)
    # task: the Day 1 task graded
    # expect: passed | failed | error | timed out
    # phrase: text the message must contain (optional)
    # if-off <protection>: the outcome where that protection is off here (optional)
    # if-portable: the outcome in the portable backend, where it differs by design (optional)
    # requires: <protection> (optional: skipped where that protection is off)
    # timeout: seconds per case (optional, default 10, the tasks' own limit)
    # check: progress untouched | marker absent | no connection (optional extra checks)

Protections are named as in :func:`grader.engine.sandbox.isolation.describe`. What to expect of an
entry comes from the machine's declared promise (:mod:`tests.protections`), never from ``describe()``: a
protection promised but off makes the entries that need it fail; an entry whose outcome depends on a
protection the promise says nothing about is skipped, with that reason. In the code,
``__COURSE__``, ``__PORT__``, ``__MARKER__`` and ``__SECRET_NAME__`` are
replaced by the graded course's folder, a loopback port the harness listens
on, a file an executed payload would create, and the name of an environment
variable set on the grader.

Run it as a script to print the figures (``--json`` for machine-readable
results)::

    python -m tests.hostile_corpus [--quick] [--json] [--promise declared|no-namespaces]
"""
from __future__ import annotations

import argparse
import heapq
import json
import os
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from grader.engine import backends
from grader.engine.jobs import OUTPUT_CAP
from grader.grading import grade
from grader.course.project import Project
from grader.grading.results import Outcome
from grader.engine.runner import Runner
from tests import protections as promises

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "hostile"
SECRET_NAME = "PIXELKATA_HOSTILE_SECRET"
DEFAULT_TIMEOUT = 10.0
OUTCOMES = {o.value: o for o in Outcome}


@dataclass
class Entry:
    name: str
    kind: str  # "hostile" or "control"
    summary: str
    task: str
    expect: Outcome
    phrase: str = ""
    if_off: list = field(default_factory=list)  # [(protection, Outcome)]
    requires: list = field(default_factory=list)
    timeout: float = DEFAULT_TIMEOUT
    checks: list = field(default_factory=list)
    source: str = ""
    if_portable: Outcome | None = None

    def expected(self, off: set, backend: str = "sandbox") -> Outcome:
        if backend == "portable" and self.if_portable is not None:
            return self.if_portable
        for protection, outcome in self.if_off:
            if protection in off:
                return outcome
        return self.expect

    def missing(self, off: set) -> list:
        return [p for p in self.requires if p in off]

    def depends_on(self) -> list:
        """The protections this entry's outcome depends on (its if-off and requires lines)."""
        return list(dict.fromkeys([p for p, _ in self.if_off] + list(self.requires)))


def load_entries(folder: Path = CORPUS) -> list[Entry]:
    entries = []
    for path in sorted(folder.glob("*.py")):
        entries.append(parse_entry(path))
    return entries


def quick(entries: list[Entry]) -> list[Entry]:
    """The entries that do not run into their time limit, and one that does."""
    return [e for e in entries if e.expect is not Outcome.TIMED_OUT or e.name == "resource_infinite_loop"]


def parse_entry(path: Path) -> Entry:
    text = path.read_text()
    header = {}
    if_off, requires, checks = [], [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        key, value = key.strip(), value.strip()
        if key.startswith("if-off "):
            if_off.append((key[len("if-off "):].strip(), OUTCOMES[value]))
        elif key == "requires":
            requires.append(value)
        elif key == "check":
            checks.append(value)
        elif key == "if-portable":
            header["if-portable"] = OUTCOMES[value]
        else:
            header[key] = value
    kind = "control" if "control" in header else "hostile"
    for needed in ("task", "expect"):
        if needed not in header:
            raise ValueError(f"{path.name}: the header has no '# {needed}:' line")
    return Entry(name=path.stem, kind=kind, summary=header.get(kind, ""), task=header["task"],
                 expect=OUTCOMES[header["expect"]], phrase=header.get("phrase", ""), if_off=if_off,
                 requires=requires, timeout=float(header.get("timeout", DEFAULT_TIMEOUT)), checks=checks,
                 source=text, if_portable=header.get("if-portable"))


@dataclass
class CaseRecord:
    entry: str
    status: str
    wall: float
    timeout: float
    output_kept: int
    output_bytes: int
    left: int
    slot: int | None
    end_ticks: int
    survivors: list = field(default_factory=list)


@dataclass
class EntryResult:
    entry: Entry
    expected: Outcome | None
    outcome: Outcome | None = None
    message: str = ""
    skipped: str = ""
    exception: str = ""
    problems: list = field(default_factory=list)  # failed extra checks

    @property
    def ok(self) -> bool:
        """It ran and ended as expected (a skipped entry is not ok: it proved nothing)."""
        if self.skipped:
            return False
        return (not self.exception and self.outcome is self.expected and not self.problems
                and (not self.entry.phrase or self.entry.phrase in self.message
                     or self.outcome is not self.entry.expect))


class WatchedRunner(Runner):
    """A runner that records every case and, one second after it ends, looks for processes it left."""

    def __init__(self, workers: int, backend: str | None = None):
        super().__init__(workers, backend=backend)
        self.current = ""
        self.records: list[CaseRecord] = []
        self._due: list = []
        self._cv = threading.Condition()
        self._stop = False
        self._ours: set = set()  # every worker launcher this runner has had
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def _run_on(self, worker, job, day=None):
        # Every case passes here, whether run alone (Runner.run) or as one of a day's (Runner.lane).
        self._ours.update(w.proc.pid for w in list(getattr(self, "_all", [])) if getattr(w, "proc", None))
        started = time.monotonic()
        raw, worker = super()._run_on(worker, job, day)
        wall = time.monotonic() - started
        record = CaseRecord(entry=self.current, status=raw.status, wall=wall, timeout=job.timeout,
                            output_kept=len(raw.output.encode("utf-8", "replace")), output_bytes=raw.output_bytes,
                            left=raw.left, slot=raw.worker, end_ticks=self.backend.now_ticks())
        with self._cv:
            self.records.append(record)
            heapq.heappush(self._due, (time.monotonic() + 1.0, id(record), record))
            self._cv.notify()
        return raw, worker

    def _watch(self) -> None:
        while True:
            with self._cv:
                while not self._due and not self._stop:
                    self._cv.wait()
                if not self._due and self._stop:
                    return
                due, _, record = self._due[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._cv.wait(wait)
                    continue
                heapq.heappop(self._due)
            # Processes of the same worker that started before the case ended
            # (two clock ticks of margin) can only be its leftovers.
            record.survivors = [pid for slot, pid, start in self.sandbox_processes()
                                if slot == record.slot and start < record.end_ticks - 2 and not self._foreign(pid)]

    def _foreign(self, pid: int) -> bool:
        """Whether ``pid`` belongs to another grader on this machine (its sandbox users have the same ids).

        It does when its ancestors hold none of our workers but another grader's worker launcher: a
        grader process started by a process that is no grader process (another test run), rather than by
        init (where an escaped process of ours ends up) or by a grader process (a fork of ours).
        """
        chain, up = [], pid
        while up > 1 and len(chain) < 64:
            if up in self._ours:
                return False
            try:
                with open(f"/proc/{up}/cmdline", "rb") as fh:
                    grader = b"grader.engine" in fh.read()
                with open(f"/proc/{up}/stat") as fh:
                    text = fh.read()
                parent = int(text[text.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                return False
            chain.append((up, grader, parent))
            up = parent
        kinds = {p: g for p, g, _ in chain}
        return any(g and parent > 1 and not kinds.get(parent, False) for p, g, parent in chain[1:])

    def settle(self) -> None:
        """Wait until every case's one-second check has run."""
        while True:
            with self._cv:
                if not self._due:
                    return
            time.sleep(0.05)

    def close(self) -> None:
        self.settle()
        with self._cv:
            self._stop = True
            self._cv.notify()
        super().close()


@dataclass
class CorpusRun:
    results: list
    records: list
    protections: list
    connections: int
    backend: str
    duration: float
    promise: promises.Promise = None

    def off(self) -> set:
        return set(backends.protections_off(self.protections))

    def figures(self) -> dict:
        graded = [r for r in self.results if not r.skipped]
        timed_out = [c for c in self.records if c.status in ("timeout",) or
                     (c.status == "crashed" and c.wall >= c.timeout)]
        longest = max(timed_out, key=lambda c: c.wall - c.timeout, default=None)
        largest = max(self.records, key=lambda c: c.output_kept, default=None)
        return {
            "hostile submissions graded": sum(1 for r in graded if r.entry.kind == "hostile"),
            "correct controls graded": sum(1 for r in graded if r.entry.kind == "control"),
            "skipped (a protection they need is off or not promised here)": [r.entry.name for r in self.results
                                                                             if r.skipped],
            "promised protections that are off": promises.missing(self.promise, self.protections)
            if self.promise is not None else [],
            "cases run": len(self.records),
            "false passes": [r.entry.name for r in graded if r.entry.kind == "hostile"
                             and r.outcome is Outcome.PASSED and r.expected is not Outcome.PASSED],
            "passes let through by a protection that is off here": [
                r.entry.name for r in graded
                if r.entry.kind == "hostile" and r.outcome is Outcome.PASSED and r.expected is Outcome.PASSED],
            "correct controls failed": [r.entry.name for r in graded
                                        if r.entry.kind == "control" and r.outcome is not Outcome.PASSED],
            "grader exceptions": [r.entry.name for r in graded if r.exception],
            "unexpected outcomes": [f"{r.entry.name}: {r.outcome} (expected {r.expected}) {r.message[:120]}"
                                    for r in graded if not r.ok],
            "sandbox processes alive 1 s after a case": sum(len(c.survivors) for c in self.records),
            "processes killed by the clean-up after their case": sum(c.left for c in self.records),
            "longest timed-out case": (f"{longest.wall:.2f} s against a limit of {longest.timeout:g} s "
                                       f"+ 1 s = {longest.timeout + 1:g} s ({longest.entry})") if longest else "none",
            "longest timed-out case over limit + 1 s": (longest.wall - longest.timeout - 1.0) if longest else None,
            "largest captured output": (f"{largest.output_kept:,} bytes kept of {largest.output_bytes:,} printed, "
                                        f"against a cap of {OUTPUT_CAP:,} bytes ({largest.entry})")
            if largest else "none",
            "largest captured output bytes": largest.output_kept if largest else 0,
            "connections that reached the test's port": self.connections,
        }


class _Listener:
    """A loopback port that counts the connections it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.count = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(1)
        self.sock.close()


def make_course() -> Project:
    """A world-readable copy of the course, as a clean clone would be, with a progress record to protect."""
    root = Path(tempfile.mkdtemp(prefix="pixelkata-hostile-"))
    root.chmod(0o755)
    for name in ("exercises", "solutions", "reference_images"):
        shutil.copytree(ROOT / name, root / name)
    state = root / ".pixelkata"
    state.mkdir()
    (state / "progress.db").write_bytes(b"the learner's honest progress")
    (root / "entries").mkdir()
    (root / "markers").mkdir()
    return Project(root)


def module_for(entry: Entry, project: Project, port: int) -> Path:
    solution = (ROOT / "solutions" / "day01_reading.py").read_text()
    code = (entry.source.replace("__COURSE__", str(project.root))
            .replace("__PORT__", str(port))
            .replace("__MARKER__", str(project.root / "markers" / entry.name))
            .replace("__SECRET_NAME__", SECRET_NAME))
    folder = project.root / "entries" / entry.name
    folder.mkdir(parents=True, exist_ok=True)
    module = folder / "day01_reading.py"
    module.write_text(solution + "\n\n# ---- the submission ----\n" + code)
    return folder


def run_corpus(entries: list[Entry] | None = None, *, workers: int = 2, log=None,
               promise: promises.Promise | None = None, backend: str | None = None) -> CorpusRun:
    """Grade every entry with a fresh pool of ``backend``'s workers; never raises for what an entry does.

    ``promise`` (default: the one this environment declares) decides what each entry must end as.
    """
    entries = load_entries() if entries is None else entries
    promise = promise or promises.declared()
    started = time.monotonic()
    project = make_course()
    listener = _Listener()
    secret = secrets.token_hex(8)
    # Set on the grader: no child may see it. Only a variable the process
    # started with shows in /proc/<pid>/environ, so the script form
    # (`python -m tests.hostile_corpus`, as the tests run it) gets it from its parent.
    previous = os.environ.get(SECRET_NAME)
    os.environ[SECRET_NAME] = previous or secret
    try:
        runner = WatchedRunner(workers, backend)
        try:
            protections = runner.limits()
            results = []
            for entry in entries:
                results.append(_grade_entry(entry, project, runner, listener, promise))
                if log:
                    r = results[-1]
                    mark = "skip" if r.skipped else ("ok" if r.ok else "MISMATCH")
                    log(f"{mark:8} {entry.name}: {r.outcome} {r.skipped or r.message[:100]}")
        finally:
            runner.close()
        records = runner.records
        backend_name = runner.backend.name
    finally:
        if previous is None:
            os.environ.pop(SECRET_NAME, None)
        else:
            os.environ[SECRET_NAME] = previous
        listener.close()
        shutil.rmtree(project.root, ignore_errors=True)
    return CorpusRun(results=results, records=records, protections=protections, connections=listener.count,
                     backend=backend_name, duration=time.monotonic() - started, promise=promise)


def _grade_entry(entry: Entry, project: Project, runner: WatchedRunner, listener: _Listener,
                 promise: promises.Promise) -> EntryResult:
    off = promise.off
    result = EntryResult(entry=entry, expected=entry.expected(off, runner.backend.name))
    missing = entry.missing(off)
    if missing:
        result.skipped = f"needs {', '.join(missing)}, which is off here ({promise.source})"
        return result
    unknown = promise.unknown(entry.depends_on())
    if unknown:
        result.skipped = (f"its outcome depends on {', '.join(unknown)}, which this machine does not promise "
                          f"({promise.source}; {promises.REQUIRE_ENV}=all requires every protection)")
        return result
    folder = module_for(entry, project, listener.port)
    progress = (project.state / "progress.db").read_bytes()
    connections = listener.count
    runner.current = entry.name
    try:
        run = grade(project, exercises=folder, day=1, task=entry.task, runner=runner, timeout=entry.timeout)
        (task,) = run.tasks
        result.outcome = task.outcome
        result.message = task.message
    except BaseException as exc:  # the grader must never raise for learner code
        result.exception = "".join(traceback.format_exception(exc))[-3000:]
        return result
    if "progress untouched" in entry.checks and "read-only files" in promise.on:
        state = sorted(p.name for p in project.state.iterdir())
        if (project.state / "progress.db").read_bytes() != progress or state != ["progress.db"]:
            result.problems.append(f"the course's .pixelkata/ was written: {state}")
    if "marker absent" in entry.checks and (project.root / "markers" / entry.name).exists():
        result.problems.append("the payload ran in the grader: its marker file exists")
    if "no connection" in entry.checks and "network" in promise.on and listener.count != connections:
        result.problems.append("a connection reached the test's port although the network is off")
    return result


def report(run: CorpusRun) -> list[str]:
    lines = [f"Hostile corpus: {len(run.results)} entries in {run.duration:.1f} s ({run.backend} backend)"]
    for key, value in run.figures().items():
        if isinstance(value, list):
            lines.append(f"  {key}: {len(value)}" + (f" ({', '.join(value)})" if value else ""))
        elif isinstance(value, float):
            lines.append(f"  {key}: {value:+.2f} s")
        else:
            lines.append(f"  {key}: {value}")
    if run.promise is not None:
        lines.append(f"Promised: {', '.join(sorted(run.promise.on))} ({run.promise.source})")
    lines.append("Protections on this machine (as this user):")
    for p in run.protections:
        lines.append(f"  {'on ' if p['on'] else 'OFF'} {p['name']}: {p['detail']}")
    return lines


def main(argv=None) -> int:
    if SECRET_NAME not in os.environ and argv is None:
        # Only a variable this process started with shows in /proc/<pid>/environ, where the entry that reads
        # the grader's secrets looks: start again with one, as tests/test_hostile.py starts this script.
        os.environ[SECRET_NAME] = secrets.token_hex(8)
        os.execv(sys.executable, [sys.executable, "-m", "tests.hostile_corpus", *sys.argv[1:]])
    parser = argparse.ArgumentParser(description="Grade the hostile corpus and print its figures.")
    parser.add_argument("--quick", action="store_true",
                        help="leave out the entries that run into their time limit, but one")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the figures")
    parser.add_argument("--verbose", "-v", action="store_true", help="print each entry as it is graded")
    parser.add_argument("--promise", choices=("declared", "no-namespaces"), default="declared",
                        help=f"what to expect: the promise {promises.REQUIRE_ENV} declares (the default), or the "
                             "Linux sandbox's without namespaces (for a run with PIXELKATA_NAMESPACES=0)")
    parser.add_argument("--backend", choices=backends.NAMES, default=None,
                        help="the runner backend (default: PIXELKATA_BACKEND, else the best this machine allows)")
    args = parser.parse_args(argv)
    entries = load_entries()
    if args.quick:
        entries = quick(entries)
    if args.backend:
        os.environ[backends.BACKEND_ENV] = args.backend  # the declared promise follows the backend too
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    promise = (promises.without_namespaces(as_root=as_root) if args.promise == "no-namespaces"
               else promises.declared(as_root=as_root))
    run = run_corpus(entries, log=(lambda s: print(s, file=sys.stderr)) if args.verbose else None, promise=promise,
                     backend=args.backend)
    if args.json:
        doc = {
            "backend": run.backend,
            "figures": run.figures(),
            "protections": run.protections,
            "promise": run.promise.as_json(),
            "results": [{"name": r.entry.name, "kind": r.entry.kind, "outcome": r.outcome and r.outcome.value,
                         "expected": r.expected and r.expected.value, "ok": r.ok, "skipped": r.skipped,
                         "message": r.message, "exception": r.exception, "problems": r.problems}
                        for r in run.results],
        }
        print(json.dumps(doc))
    else:
        print("\n".join(report(run)))
    figures = run.figures()
    bad = figures["unexpected outcomes"] or figures["grader exceptions"] or \
        figures["sandbox processes alive 1 s after a case"] or figures["promised protections that are off"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
