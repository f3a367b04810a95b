"""The proof of the answer catalogue: every alternative passes, every mistake fails and is named.

Each entry of a task's catalogue (:mod:`grader.course.catalogue`) runs on every case of the task, in
the same workers as a learner's answer, and its output is judged by the task's check:

- an **alternative** passes every case with a margin (its score at least :data:`MARGIN` past the pass
  mark, or an exact check met); a challenge's alternative reaches a tier and is named as no mistake;
- a **mistake** fails every case where its output differs from the reference solution's, at least
  :data:`MARGIN` short of the pass mark (a challenge's: short of bronze, or named as itself there, which
  withholds the tier), or on shape, dtype or an exact
  check; and the grader names it there (:mod:`grader.grading.naming`) from the outputs of all the task's
  mistakes on that case. A mistake must change the output of at least one case: an input that cannot tell
  it from the right answer needs changing. A mistake judged by statistics alone (random noise) is never
  named, since no stored output equals a learner's: there the check's own message states the cause, and the
  hint the course gives that cause (the check's ``hints`` table, else the case's ``hint``, else the first)
  must be the mistake's own.

``prove()`` runs this on the visible cases and, with ``variants``, on hidden variants; ``check-course``
prints :func:`table` and the tests assert :attr:`Proof.problems` is empty.
"""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import checks
from grader.checks import CaseContext, Raised
from grader.course import Course, load_course
from grader.course.cases import materialize
from grader.course import build
from grader.course.references import References, stores_outcomes
from grader.engine.runner import Job, Runner
from grader.grading import naming
from grader.grading.entries import NOT_RUN, Entries

MARGIN = 0.02  # how far short of the pass mark a mistake must score (and an alternative past it, room allowing)


@dataclass
class Trial:
    """One catalogue entry on one case."""

    key: str  # day04.blend
    case: str  # case id (a variant's id when on a variant)
    kind: str  # "alternative" or "mistake"
    name: str
    passed: bool | None  # None: the entry could not run (it raised, timed out)
    margin: float | None  # distance from the pass mark on the right side (negative: wrong side); None: exact
    named: str | None = None  # for a mistake: what the grader named on its output
    unchanged: bool = False  # a mistake whose output equals the solution's on this case
    score: float | None = None  # a challenge's entry: its score on this case (its tier comes from the mean)
    problem: str = ""


@dataclass
class Proof:
    trials: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def rows(self, course: Course) -> list[tuple]:
        """(task key, #alternatives, #mistakes, worst alternative margin, worst mistake margin, why short) per
        task; "why short" joins the task's ``pinned`` and ``classic_mistakes`` reasons ("" when it has none)."""
        out = []
        for task in course.tasks():
            mine = [t for t in self.trials if t.key == task.key]
            alt = [t.margin for t in mine if t.kind == "alternative" and t.margin is not None]
            mis = [t.margin for t in mine if t.kind == "mistake" and t.margin is not None and not t.unchanged]
            out.append((task.key, len(task.alternatives), len(task.mistakes),
                        min(alt) if alt else None, min(mis) if mis else None, why_short(task)))
        return out


def _pass_mark(task, check, verdict) -> tuple[float | None, str]:
    if task.challenge:
        tiers = task.check["tiers"]
        return float(tiers["bronze"]), task.check.get("op", verdict.op or ">=")
    return verdict.threshold, verdict.op


def _margin(value, mark, op) -> float | None:
    if value is None or mark is None or not np.isfinite(value):
        return None
    return float(value) - mark if op == ">=" else mark - float(value)


def _value(raw):
    if raw.status == "returned":
        return raw.value
    if raw.status == "raised":
        return Raised.from_info(raw.info)
    return NOT_RUN


def prove_task(day, task, refs, runner: Runner, entries: Entries, solutions: Path) -> list[Trial]:
    """Every catalogue entry of ``task`` on every case of it, the entries run in one job where the cases allow."""
    listed = list(task.alternatives) + list(task.mistakes)
    if not listed:
        return []
    calls = [materialize(case, refs) for case in task.cases]
    limit = max(float(case.options.get("timeout", task.timeout)) for case in task.cases)
    outputs = entries.run_cases(runner, day, task, [e.function for e in listed], calls, timeout=limit,
                                hide=(refs.folder,))
    trials = []
    for case, call, out in zip(task.cases, calls, outputs):
        trials += prove_case(day, task, case, refs, runner, entries, solutions, call=call, outputs=out)
    if task.challenge:
        _challenge_mistakes_reach_no_tier(task, trials)
    return trials


def _challenge_mistakes_reach_no_tier(task, trials: list) -> None:
    """A challenge's tier comes from its score alone (the mean over its cases), so a classic mistake whose
    mean reaches bronze would earn a tier: that is the challenge's calibration at fault, put on its first
    case's trial. A mistake that could not run on a case is reported there already."""
    mark = float(task.check["tiers"]["bronze"])
    op = task.check.get("op", ">=")
    for mistake in task.mistakes:
        mine = [t for t in trials if t.kind == "mistake" and t.name == mistake.name]
        scores = [t.score for t in mine]
        if not mine or any(s is None or not np.isfinite(s) for s in scores):
            continue
        mean = float(sum(scores) / len(scores))
        short = _margin(mean, mark, op)
        for t in mine:
            if not t.unchanged and short is not None:
                t.margin = -short  # what decides the tier: the mean's distance below bronze
        if short is not None and -short < MARGIN and all(t.named == mistake.name for t in mine if not t.unchanged):
            for t in mine:
                t.margin = None  # named as itself wherever it differs from the solution: it earns no tier
            continue
        if short is not None and -short < MARGIN and not mine[0].problem:
            over = f" over {len(scores)} cases" if len(scores) > 1 else ""
            mine[0].problem = (f"reaches a tier (score {mean:.4f}{over}, bronze at {mark:g}): a classic mistake "
                               f"must stay at least {MARGIN} short of bronze or be named as itself; raise bronze or "
                               "change the case")


def prove_case(day, task, case, refs, runner: Runner, entries: Entries, solutions: Path, *,
               call: tuple | None = None, outputs: dict | None = None) -> list[Trial]:
    """Every catalogue entry of ``task`` on one case (``outputs``: the entries' outputs there, if run already)."""
    listed = list(task.alternatives) + list(task.mistakes)
    if not listed:
        return []
    args, kwargs, files = call if call is not None else materialize(case, refs)
    limit = float(case.options.get("timeout", task.timeout))
    if outputs is None:
        outputs = entries.run(runner, day, task, [e.function for e in listed], args, kwargs, files,
                              timeout=limit, hide=(refs.folder,))
    check = checks.check_for(task, case)
    expected = refs.expected(task, case) if check.needs_reference else None
    ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
    perfect = _perfect(check, expected, ctx)
    mistake_outputs = {m: naming.as_reference(check, outputs[m.function]) for m in task.mistakes}
    # A grade uses the outcomes the build stored in place of running the mistakes: they must be these.
    stored = entries.stored_stand_in(day, task, refs, case, args, check) if stores_outcomes(check) else None
    solution = []  # the reference solution's output, run once and only when a mistake passes

    def solution_output():
        if not solution:
            raw = runner.run(Job(module=solutions, function=task.function, args=args, kwargs=kwargs, files=files,
                                 timeout=limit, hide=(refs.folder,), preload=task.preload))
            solution.append(_value(raw))
        return solution[0]

    trials = []
    for entry in listed:
        kind = "alternative" if entry in task.alternatives else "mistake"
        value = outputs[entry.function]
        trial = Trial(task.key, case.id, kind, entry.name, None, None)
        trials.append(trial)
        if value is NOT_RUN:
            trial.problem = "could not run (timed out or crashed)"
            continue
        if kind == "mistake" and stored is not None and not _same_outcome(stored[entry.function], value):
            trial.problem = ("gives another outcome than the one `references build` stored for it (which a grade "
                             "uses in its place): is it random without a seed? Fix it, then rebuild the references")
            continue
        verdict = check.compare(value, expected, ctx)
        mark, op = _pass_mark(task, check, verdict)
        trial.margin = _margin(verdict.value, mark, op)
        if kind == "mistake" and trial.margin is not None:
            trial.margin = -trial.margin
        if kind == "alternative" and verdict.value is not None and verdict.value == perfect:
            trial.margin = math.inf  # as good as the reference itself: an exact check met
        if task.challenge:
            trial.passed = _margin(verdict.value, mark, op) is not None and _margin(verdict.value, mark, op) >= 0
        else:
            trial.passed = verdict.passed
        if kind == "alternative":
            if task.challenge and check.needs_reference:
                # A challenge names a matching mistake on every case, passed or not: a correct answer must
                # never be taken for one (it would earn no tier).
                found = naming.name_mistake(check, value, expected, ctx, mistake_outputs, against=verdict)
                if found is not None:
                    trial.named = found[0].name
                    trial.problem = f"is named as the mistake {trial.named}: a correct answer must not match it"
                    continue
            if not trial.passed:
                trial.problem = f"fails: {verdict.message}"
            elif trial.margin is not None and trial.margin < _room(perfect, mark, op):
                trial.problem = (f"passes by only {trial.margin:.4f} (< {_room(perfect, mark, op):.4f}): "
                                 f"{verdict.summary()}")
            continue
        if task.challenge:
            trial.score = verdict.value
        if trial.passed and task.challenge:
            # A challenge's tier comes from its score, the mean over its cases: a mistake may reach bronze on
            # one case when another pulls its mean short (prove_task judges the mean), or be named there, which
            # withholds the tier.
            found = naming.name_mistake(check, value, expected, ctx, mistake_outputs, against=verdict) \
                if check.needs_reference else None
            trial.named = found[0].name if found else None
            continue
        if trial.passed:
            if naming.same_value(value, solution_output()) or not check.needs_reference:
                # The same output as the solution's, or (a random answer judged by its statistics) one
                # this case cannot tell from the right answer: another case must.
                trial.unchanged = True
                trial.margin = None
                continue
            trial.problem = f"passes although its output differs from the solution's: {verdict.summary()}"
            continue
        if trial.margin is not None and trial.margin < MARGIN:
            trial.problem = f"fails by only {trial.margin:.4f} (< {MARGIN}): {verdict.summary()}"
        if not check.needs_reference:
            # A check judged without a reference states the cause in its own message; one judged by statistics
            # alone (random outputs, none stored) never names the mistake, so the hint its cause gets is shown.
            if not stores_outcomes(check):
                shown = verdict.hint or case.options.get("hint") or 1
                if shown != entry.hint:
                    trial.problem = (f"shows hint {shown}, not its own hint {entry.hint}: its check states the cause "
                                     f"{verdict.cause or '(none)'}; give that cause hint {entry.hint} in the check's "
                                     f"`hints` table, or fix the mistake's hint")
            continue
        found = naming.name_mistake(check, value, expected, ctx, mistake_outputs)
        trial.named = found[0].name if found else None
        if trial.named != entry.name:
            twins = [m.name for m in task.mistakes if m.name == trial.named
                     and naming.same_value(outputs[m.function], value)]
            if not twins:
                trial.problem = f"is named {trial.named or 'nothing'} instead"
    return trials


def _same_outcome(stored, value) -> bool:
    """Whether a stored outcome is the very outcome the run gave (an exception: its type and bases, all that is
    stored of it)."""
    if isinstance(stored, Raised) or isinstance(value, Raised):
        return isinstance(stored, Raised) and isinstance(value, Raised) and \
            (stored.type, list(stored.names)) == (value.type, list(value.names))
    return build.same_value(stored, value)


def _room(perfect, mark, op) -> float:
    """The margin an alternative needs: MARGIN, or half the room between the pass mark and a perfect score."""
    if perfect is None or mark is None or not np.isfinite(perfect):
        return MARGIN
    room = (perfect - mark) if op == ">=" else (mark - perfect)
    return min(MARGIN, room / 2) if room > 0 else 0.0


def _perfect(check, expected, ctx):
    """The score of the reference against itself: an answer that reaches it is exact."""
    if expected is None:
        return None
    try:
        return check.compare(expected, expected, ctx).value
    except Exception:  # noqa: BLE001 - a true reference of another form (a name, a count) has no self-score
        return None


def prove(project, runner: Runner, *, course: Course | None = None, refs: References | None = None,
          tasks=None) -> Proof:
    """Run every catalogue entry of every task (or of ``tasks``, keys) on every case of ``course``."""
    course = course or load_course()
    refs = refs or References(project.references)
    order = []
    for day in course.days:
        for task in day.tasks:
            if tasks is not None and task.key not in tasks:
                continue
            order.append((day, task))
    plan = list(order)
    # The longest first, so that a slow task does not start last and keep the other workers waiting.
    plan.sort(key=lambda item: -(len(item[1].cases) * (len(item[1].alternatives) + len(item[1].mistakes))
                                 * (10.0 if item[1].challenge else 1.0)))

    def one(item):
        day, task = item
        return prove_task(day, task, refs, runner, entries, project.solutions / day.filename)

    with Entries(project.root) as entries, ThreadPoolExecutor(max_workers=max(1, runner.size)) as pool:
        found = dict(zip((task.key for _, task in plan), pool.map(one, plan)))
    proof = Proof([t for _, task in order for t in found[task.key]])
    proof.problems = [f"{t.key} case {t.case}: {t.kind} {t.name} {t.problem}" for t in proof.trials if t.problem]
    for task in course.tasks():
        if tasks is not None and task.key not in tasks:
            continue
        for m in task.mistakes:
            mine = [t for t in proof.trials if t.key == task.key and t.name == m.name]
            if mine and all(t.unchanged for t in mine):
                proof.problems.append(f"{task.key}: mistake {m.name} gives the right output on every case: "
                                      "add a case whose input can tell it from the right answer.")
    return proof


MARGIN_SHOWN = 1000.0  # past this, a margin is no measure of closeness (a different shape, a sentinel value)


def _fmt(x) -> str:
    """A margin as the table shows it: "-" (none), "exact", "+0.123", or ">+1000" / "<-1000" past MARGIN_SHOWN."""
    if x is None:
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "exact"
    if x > MARGIN_SHOWN:
        return f">+{MARGIN_SHOWN:g}"
    if x < -MARGIN_SHOWN:
        return f"<-{MARGIN_SHOWN:g}"
    return f"{x:+.3f}"


def why_short(task) -> str:
    """The reasons a task gives for a short catalogue, as the table shows them."""
    parts = []
    if task.pinned:
        parts.append(f"alternatives: {task.pinned}")
    if task.classic_mistakes:
        parts.append(f"mistakes: {task.classic_mistakes}")
    return "; ".join(parts)


def table(rows: list[tuple]) -> list[str]:
    """The catalogue table: task, counts, the worst margin on each side (None: exact checks only), and why a
    short row is short."""
    lines = [f"{'task':<34}{'alternatives':>13}{'mistakes':>10}{'worst alt. margin':>19}{'worst mistake margin':>22}"
             "  why short"]
    for key, n_alt, n_mis, alt, mis, why in rows:
        lines.append(f"{key:<34}{n_alt:>13}{n_mis:>10}{_fmt(alt):>19}{_fmt(mis):>22}  {why}".rstrip())
    return lines


VARIANTS = 2  # hidden variants per task that check-course and the tests prove the catalogue on
SEED = 15  # fixed, so that check-course is repeatable; `python -m tests.variant_sweep` tries others


def prove_with_variants(project, runner: Runner, *, variants: int = VARIANTS, seed: int = SEED,
                        tasks=None, log=None) -> Proof:
    """:func:`prove` on the visible cases and on ``variants`` hidden variants of every task with entries (the
    visible proof runs while the variants are made)."""
    from grader.course import variants as variant_cases  # imports grading: only when asked

    course = load_course()
    with_entries = {t.key for t in course.tasks() if (t.alternatives or t.mistakes)
                    and (tasks is None or t.key in tasks)}
    if not (variants and with_entries):
        return prove(project, runner, course=course, tasks=with_entries)
    days = sorted({int(k[3:5]) for k in with_entries})
    # The visible cases are proven while the hidden variants are made: both keep the same workers busy.
    with ThreadPoolExecutor(max_workers=1) as background:
        visible = background.submit(prove, project, runner, course=course, tasks=with_entries)
        with variant_cases.prepare(project, count=variants, seed=seed, runner=runner, course=course, day=days,
                                   log=log) as vset:
            hidden = prove(project, runner, course=vset.course, refs=vset.refs, tasks=with_entries)
        proof = visible.result()
    for t in hidden.trials:
        t.case = f"variant {t.case}"
    proof.trials += hidden.trials
    proof.problems += [f"{p} (hidden variant, seed {seed})" for p in hidden.problems
                       if "on every case" not in p]
    return proof
