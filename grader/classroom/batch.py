"""Grading a whole class: ``pixelkata batch SUBMISSIONS --out DIR``.

Each learner's day modules, and nothing else, are copied out of their entry
(see :mod:`grader.classroom.submissions`) into a fresh folder and graded there with the
instructor's own course, references and worker pool, exactly as
``pixelkata grade`` grades. A day that a learner did not hand in is graded
from the course's own stub, so it shows as not attempted.

Every learner is recorded in ``gradebook.db`` in one transaction as soon as
they are graded. A learner already recorded with the same content hash and the
same settings is not graded again, so a second run grades only what changed,
and a run killed at any point and started again grades each learner exactly
once. An untouched day (byte-identical to the stub, or not handed in) is
graded once per run and its result shared.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from grader import __version__
from grader.classroom import classreport
from grader.classroom import gradebook
from grader.classroom import similarity
from grader.classroom import submissions
from grader.course import variants as hidden
from grader.course import Course, load_course, manifest_dir
from grader.errors import PixelkataError
from grader.grading import grade
from grader.classroom.gradebook import CaseRow, Gradebook, Record, TaskRow
from grader.course.project import Project
from grader.course.references import References, sha256
from grader.grading.results import GradeRun, Outcome
from grader.engine.runner import Runner
from grader.engine import scratch as scratch_folders

REPORTS = "reports"


@dataclass
class Summary:
    """What one batch run did."""

    out: Path
    learners: int = 0
    graded: int = 0
    unchanged: int = 0
    refused: int = 0
    errors: int = 0
    flagged: int = 0
    similar_pairs: int = 0
    seed: int | None = None
    duration: float = 0.0
    problems: list = field(default_factory=list)  # (learner, sentence) for refused entries and our own errors


def settings_for(project: Project, course: Course, *, variants: int, seed: int | None, ref: str | None,
                 timeout: float | None) -> dict:
    """Everything besides the learner's code that a grade depends on; a change re-grades everyone."""
    h = hashlib.sha256()
    for path in sorted(manifest_dir().glob("*.toml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for day in course.days:
        stub = project.exercises / day.filename
        h.update(day.filename.encode() + b"\0" + (stub.read_bytes() if stub.is_file() else b""))
    manifest = project.references / "manifest.json"
    return {
        "grader": __version__,
        "course": course.version,
        "course_files": h.hexdigest()[:16],
        "references": sha256(manifest)[:16] if manifest.is_file() else "",
        "variants": variants,
        "seed": seed if variants else None,
        "ref": ref,
        "timeout": timeout,
    }


def fingerprint(settings: dict) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def run(project: Project, submissions_dir: Path, out: Path, *, jobs: int = 2, ref: str | None = None,
        variants: int = 0, seed: int | None = None, shard: str | None = None, timeout: float | None = None,
        reports: bool = True, runner: Runner | None = None, on_start=None, on_done=None, log=None) -> Summary:
    """Grade every entry of ``submissions_dir`` (or one shard of them) into ``out``.

    ``on_start(pending_count)`` is called once the work is known, ``on_done(learner)``
    after each learner is recorded (for a progress bar). A ``runner`` passed in is
    used as it is (``jobs`` is then its size) and left open.
    """
    started = time.monotonic()
    course = load_course()
    out = Path(out)
    if out.resolve() == Path(submissions_dir).resolve():
        raise PixelkataError("--out must not be the submissions folder itself: pass another folder, e.g. --out grades.")
    # An output folder kept among the submissions is not a learner.
    entries = [e for e in submissions.discover(Path(submissions_dir)) if e.path.resolve() != out.resolve()]
    entries = submissions.shard(entries, shard)
    out.mkdir(parents=True, exist_ok=True)
    References(project.references).manifest  # a broken course stops here, before any learner
    summary = Summary(out=out)
    with Gradebook(out / gradebook.DB_NAME) as book:
        if variants:
            seed = seed if seed is not None else int(book.meta("seed") or hidden.new_seed())
            book.set_meta("seed", str(seed))
            summary.seed = seed
        settings = settings_for(project, course, variants=variants, seed=seed, ref=ref, timeout=timeout)
        settings_hash = fingerprint(settings)
        names = [d.filename for d in course.days]
        subs = [submissions.read(e, names, ref=ref) for e in entries]
        recorded = book.recorded()
        pending = [s for s in subs if recorded.get(s.learner) != (s.content_hash, settings_hash)]
        summary.learners = len(subs)
        summary.unchanged = len(subs) - len(pending)
        run_id = book.start_run({**settings, "shard": shard, "jobs": jobs})
        if on_start:
            on_start(len(pending))
        try:
            _grade_pending(project, course, book, pending, run_id, settings_hash, summary, out=out, jobs=jobs,
                           variants=variants, seed=seed, timeout=timeout, reports=reports, runner=runner,
                           on_done=on_done, log=log)
        finally:
            # Whatever happened, the outputs show everyone recorded so far.
            write_outputs(book, course, project, out)
            book.finish_run(run_id, graded=summary.graded, unchanged=summary.unchanged)
        summary.similar_pairs = len(book.similarity())
        summary.flagged = sum(1 for s in book.submissions() if json.loads(s["flags"] or "[]"))
    summary.duration = time.monotonic() - started
    return summary


def _grade_pending(project, course, book, pending, run_id, settings_hash, summary, *, out, jobs, variants, seed,
                   timeout, reports, runner, on_done, log) -> None:
    refused = [s for s in pending if s.problem]
    gradable = [s for s in pending if not s.problem]
    for sub in refused:
        book.record(Record(sub.learner, sub.entry.path.name, sub.entry.kind, sub.content_hash, settings_hash,
                           status="refused", problem=sub.problem, revision=sub.revision), run_id)
        summary.refused += 1
        summary.graded += 1
        summary.problems.append((sub.learner, sub.problem))
        if on_done:
            on_done(sub.learner)
    if not gradable:
        return
    scratch = scratch_folders.make("pixelkata-batch-")
    own_runner = runner is None
    runner = runner or Runner(jobs)
    jobs = runner.size
    vset = None
    try:
        if variants:
            vset = hidden.prepare(project, count=variants, seed=seed, runner=runner, course=course, log=log)
        grader = _ClassGrader(project, course, runner, vset, scratch, timeout=timeout,
                              reports_dir=(out / REPORTS) if reports else None)
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="pixelkata-batch") as pool:
            queue = list(enumerate(gradable))
            running: dict[Future, object] = {}
            try:
                _grade_queue(pool, grader, queue, running, jobs, settings_hash, book, run_id, summary, on_done)
            except KeyboardInterrupt:
                # Ctrl-C (or SIGTERM, turned into it): the cases running now are killed before the pool waits
                # for its learners, so a learner's endless loop is not waited out; those learners stay ungraded.
                queue.clear()
                runner.abort()
                raise
    finally:
        if own_runner:
            runner.close()
        if vset is not None:
            vset.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _grade_queue(pool, grader, queue, running, jobs, settings_hash, book, run_id, summary, on_done) -> None:
    """Grade the learners in ``queue`` on ``pool``, a few at a time, recording each as it finishes."""
    # Keep only a few learners in flight: the rest wait their turn, so memory stays flat.
    while queue or running:
        while queue and len(running) < jobs + 1:
            i, sub = queue.pop(0)
            running[pool.submit(grader.grade_one, i, sub, settings_hash)] = sub
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for fut in done:
            sub = running.pop(fut)
            rec = fut.result()  # grade_one turns everything but a course-wide problem into a record
            book.record(rec, run_id)
            summary.graded += 1
            if rec.status == "error":
                summary.errors += 1
                summary.problems.append((rec.learner, rec.problem))
            if on_done:
                on_done(sub.learner)


class _ClassGrader:
    """Grades learners on a shared worker pool, sharing the results of untouched days."""

    def __init__(self, project, course, runner, vset, scratch, *, timeout, reports_dir):
        self.project = project
        self.course = course
        self.runner = runner
        self.vset = vset
        self.scratch = scratch
        self.timeout = timeout
        self.reports_dir = reports_dir
        self.refs = _SharedReferences(project.references)
        self.versions = self.refs.versions()
        self.limits = runner.limits()
        self.positions = {t.key: i for i, t in enumerate(course.tasks())}
        self.stubs = {d.filename: (project.exercises / d.filename).read_bytes()
                      for d in course.days if (project.exercises / d.filename).is_file()}
        self._cache: dict[str, Future] = {}
        self._lock = threading.Lock()

    def grade_one(self, index: int, sub: submissions.Submission, settings_hash: str) -> Record:
        started = time.monotonic()
        folder = self.scratch / f"s{index}"
        try:
            modules = {**{k: v for k, v in self.stubs.items()}, **sub.modules}
            exercises = submissions.Submission(sub.entry, modules).write(folder)
            visible_days, hidden_days = [], []
            for day in self.course.days:
                shown, secret = self._day(day, modules, exercises)
                visible_days.append(shown)
                if secret is not None:
                    hidden_days.append(secret)
            run = GradeRun(course=self.course, days=visible_days, exercises=exercises, versions=self.versions,
                           limits=self.limits)
            run.duration = time.monotonic() - started
            hidden_run = GradeRun(course=self.vset.course, days=hidden_days, exercises=exercises) \
                if self.vset is not None else None
            rec = build_record(sub, run, hidden_run, settings_hash, self.positions)
            rec.duration = round(run.duration, 3)
            if self.reports_dir is not None:
                # The report names the learner's entry, not the temporary folder it was graded in.
                shown = sub.entry.path.name + (f" at {sub.revision[:12]}" if sub.revision else "")
                rec.report = write_report(dataclasses.replace(run, exercises=Path(shown)), self.reports_dir,
                                          sub.learner)
            return rec
        except PixelkataError:
            raise
        except Exception as exc:
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            return Record(sub.learner, sub.entry.path.name, sub.entry.kind, sub.content_hash, settings_hash,
                          status="error", revision=sub.revision, modules=dict(sub.modules),
                          problem=f"pixelkata failed while grading this submission ({detail}): please report "
                                  "this bug; the rest of the class was graded.")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _day(self, day, modules: dict, exercises: Path):
        """A day's result (visible, hidden): graded here, or shared by a learner with the same module."""
        key = day_key(day, modules)
        with self._lock:
            fut = self._cache.get(key)
            owner = fut is None
            if owner:
                fut = self._cache[key] = Future()
        if owner:
            try:
                shown = grade(self.project, exercises=exercises, day=day.number, runner=self.runner,
                              timeout=self.timeout, course=self.course, references=self.refs,
                              keep_images=self.reports_dir is not None).days[0]
                secret = None
                if self.vset is not None:
                    hidden_run = hidden.grade_variants(self.project, exercises, self.vset, self.runner,
                                                       day=day.number, timeout=self.timeout)
                    secret = hidden_run.days[0] if hidden_run is not None else None
                fut.set_result((shown, secret))
                if not _untouched(shown):
                    # Only untouched days stay for later learners: attempted ones carry pictures and maps
                    # that would fill memory, and a learner's own work is graded as theirs.
                    with self._lock:
                        self._cache.pop(key, None)
            except BaseException as exc:
                fut.set_exception(exc)
                with self._lock:
                    self._cache.pop(key, None)
                raise
        return fut.result()


def _untouched(day_result) -> bool:
    return not day_result.error and all(t.outcome is Outcome.NOT_ATTEMPTED for t in day_result.tasks)


class _SharedReferences(References):
    """The course's references, each expected output decoded once per batch instead of once per learner."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self._expected: dict = {}

    def expected(self, task, case):
        key = (task.key, case.id)
        with self._lock:
            if key in self._expected:
                return self._expected[key]
        value = super().expected(task, case)
        _read_only(value)
        with self._lock:
            self._expected[key] = value
        return value


def _read_only(value) -> None:
    """Shared between learners, so nothing may change it in place."""
    import numpy as np

    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _read_only(v)
    elif isinstance(value, dict):
        for v in value.values():
            _read_only(v)


def day_key(day, modules: dict) -> str:
    """What a day's result depends on: its module, and any other day module its source names."""
    source = modules.get(day.filename, b"")
    h = hashlib.sha256(f"{day.number}\0".encode() + source)
    for name in sorted(modules):
        stem = name[:-3] if name.endswith(".py") else name
        if name != day.filename and stem.encode() in source:
            h.update(b"\0" + name.encode() + b"\0" + modules[name])
    return h.hexdigest()


def build_record(sub, run: GradeRun, hidden_run: GradeRun | None, settings_hash: str, positions: dict) -> Record:
    """The gradebook rows for one learner's grading (visible cases, and hidden variants if any)."""
    rec = Record(sub.learner, sub.entry.path.name, sub.entry.kind, sub.content_hash, settings_hash,
                 status="graded", revision=sub.revision, points=run.points, max_points=run.max_points,
                 modules=dict(sub.modules))
    secret = {t.task.key: t for t in hidden_run.tasks} if hidden_run is not None else {}
    graded = [t for t in run.tasks if not t.task.challenge]
    rec.tasks_passed = sum(1 for t in graded if t.passed)
    rec.tasks_total = len(graded)
    if hidden_run is not None:
        rec.variants_passed = sum(hidden.variants_passed(t) for t in hidden_run.tasks)
        rec.variants_total = sum(len(t.cases) for t in hidden_run.tasks)
    for day in run.days:
        for t in day.tasks:
            h = secret.get(t.task.key)
            row = TaskRow(day=t.day, task=t.name, position=positions.get(t.task.key, 10**6), challenge=t.task.challenge,
                          outcome=t.outcome.value, points=t.points, max_points=t.max_points, score=t.score,
                          tier=t.tier, metric=t.metric_text, message=t.message,
                          diagnosis=next((c.verdict.diagnosis for c in t.cases
                                          if c.verdict is not None and c.verdict.diagnosis), None))
            if h is not None:
                row.variants_passed = hidden.variants_passed(h)
                row.variants_total = len(h.cases)
                row.variants_outcome = h.outcome.value
            rec.tasks.append(row)
            rec.cases += [_case_row(t, c, hidden=False) for c in t.cases]
            if h is not None:
                rec.cases += [_case_row(h, c, hidden=True) for c in h.cases]
            if row.hard_coded:
                tv = hidden.TaskVariants(t.task.key, t.outcome, h.outcome, row.variants_passed, row.variants_total)
                rec.flags.append(hidden.flag(tv))
    return rec


def _case_row(t, c, *, hidden: bool) -> CaseRow:
    v = c.verdict
    return CaseRow(day=t.day, task=t.name, case_id=c.case_id, hidden=hidden, outcome=c.outcome.value,
                   metric=v.metric if v else None, value=v.value if v else None,
                   threshold=v.threshold if v else None, op=v.op if v else None, message=c.message,
                   diagnosis=v.diagnosis if v else None, elapsed=c.elapsed)


def write_report(run: GradeRun, folder: Path, learner: str) -> str:
    """The learner's own HTML report, the one `pixelkata grade` writes for them; returns its path in the output."""
    from grader.learner import report
    from grader.learner.report.view import build

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{safe_name(learner)}.html"
    view = build(run.course, run=run, grader_version=__version__)
    report.write(target, report.render(view), default=target)
    return f"{REPORTS}/{target.name}"


def safe_name(learner: str) -> str:
    """A file name for a learner that cannot leave its folder."""
    keep = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in learner).strip(".")
    return keep or "learner"


def write_outputs(book: Gradebook, course: Course, project: Project, out: Path) -> None:
    """Similarity flags, gradebook.csv and class.html, all from the database."""
    stubs = {d.filename: (project.exercises / d.filename).read_text(errors="replace")
             for d in course.days if (project.exercises / d.filename).is_file()}
    days = {d.filename: d.number for d in course.days}
    book.set_similarity(similarity.similar_pairs(book.modules(), stubs, days))
    gradebook.write_csv(book, course, out / gradebook.CSV_NAME)
    classreport.write(book, course, out / classreport.FILE_NAME)


def summary_lines(summary: Summary) -> list[str]:
    """What a batch run says when it ends."""
    s = summary
    lines = [f"{s.learners} learner(s): {s.graded} graded now, {s.unchanged} unchanged since the last run"
             + (f", {s.refused} could not be graded" if s.refused else "")
             + (f", {s.errors} hit a grader error" if s.errors else "") + f" ({s.duration:.1f} s)."]
    for learner, problem in s.problems:
        lines.append(f"  ! {learner}: {problem}")
    if s.seed is not None:
        lines.append(f"hidden variants seed: {s.seed} (kept in the gradebook; pass --seed to choose another).")
    if s.flagged:
        lines.append(f"{s.flagged} learner(s) flagged for passing visible cases but failing hidden variants.")
    if s.similar_pairs:
        lines.append(f"{s.similar_pairs} pair(s) of learners with near-identical code to review (class.html).")
    out = s.out
    lines.append(f"wrote {out / gradebook.CSV_NAME}, {out / gradebook.DB_NAME} and {out / classreport.FILE_NAME}.")
    return lines


def merge(project: Project, dirs: list, out: Path) -> list[str]:
    """``pixelkata gradebook merge``: join shard outputs into one gradebook, class report and reports folder."""
    out = Path(out)
    sources = [Path(d) for d in dirs]
    for d in sources:
        if not (d / gradebook.DB_NAME).is_file():
            raise PixelkataError(f"{d} has no {gradebook.DB_NAME}: pass the --out folders of `pixelkata batch` runs.")
        if d.resolve() == out.resolve():
            raise PixelkataError(f"--out {out} is also one of the folders to merge: pass a new folder.")
    out.mkdir(parents=True, exist_ok=True)
    course = load_course()
    lines = []
    seeds = set()
    with Gradebook(out / gradebook.DB_NAME) as book:
        for d in sources:
            with Gradebook(d / gradebook.DB_NAME) as shard_book:
                taken = book.import_from(shard_book)
                if shard_book.meta("seed"):
                    seeds.add(shard_book.meta("seed"))
            for learner in taken:
                report = d / REPORTS / f"{safe_name(learner)}.html"
                if report.is_file():
                    (out / REPORTS).mkdir(exist_ok=True)
                    shutil.copy2(report, out / REPORTS / report.name)
            lines.append(f"{d}: {len(taken)} learner(s) taken")
        if len(seeds) == 1:
            book.set_meta("seed", seeds.pop())
        elif len(seeds) > 1:
            lines.append(f"note: the shards used different hidden-variant seeds ({', '.join(sorted(seeds))}); pass "
                         "the same --seed to every shard so that every learner meets the same variants.")
        write_outputs(book, course, project, out)
        total = len(book.submissions())
        pairs = len(book.similarity())
    lines.append(f"{total} learner(s) in {out / gradebook.DB_NAME}; {pairs} similar pair(s) to review; "
                 f"wrote {out / gradebook.CSV_NAME} and {out / classreport.FILE_NAME}.")
    return lines
