"""Mutation testing of the judging core, and its score.

    python -m tests.mutation            # mutate, run the fast tests on every mutant, print the score
    python -m tests.mutation --report   # the score and the survivors of the last run, without running

mutmut (its settings are ``[tool.mutmut]`` in pyproject.toml) copies the project into ``mutants/``, makes
one small change at a time (a ``>=`` turned into ``>``, a number changed, a call dropped) in the judging
core: the check interface (``meets``, ``Verdict``, ``make_check``, ``array_problem`` in
``grader/checks/__init__.py``), SSIM and the pixel checks (``grader/checks/pictures.py``), partial credit
(``grader/checks/credit.py``), outcome aggregation and tiers (``grader/grading/results.py``), the reference
guards (``References.expected``/``verified``) and the gradebook merge (``Gradebook.import_from``). For each mutant it runs the tests that reach the changed
function, chosen from the fast subset in ``[tool.mutmut]``. A mutant the tests catch is killed; one that
survives is a change of behaviour no test notices. The score is killed / (killed + survived); time-outs
count as killed, mutants no test reaches as survivors.

Not part of ``.ci/run``: it takes several minutes. Look at every survivor (``mutmut show NAME``): kill it
with a test, or note why it is equivalent (README, "Mutation testing").
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The functions whose mutants are run: those that decide a verdict, a score, points or a merge, and not
#: the ones that only word a message (the shape and dtype advice, where a picture differs).
PATTERNS = ["grader.checks.x_meets*", "grader.checks.x*Verdict*", "grader.checks.x_make_check*",
            "grader.checks.x_check_for*", "grader.checks.x_array_problem*",
            "grader.checks.credit.x_partial_credit*", "grader.checks.credit.x_floor_score*",
            "grader.checks.pictures.*", "grader.grading.results.*",
            "grader.course.references.x*References*expected*", "grader.course.references.x*References*verified*",
            "grader.course.references.x_case_fingerprint*", "grader.classroom.gradebook.x*Gradebook*import_from*"]
KILLED = {"killed", "timeout"}
SURVIVED = {"survived", "no tests"}


def mutmut() -> list[str]:
    exe = Path(sys.executable).with_name("mutmut")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "mutmut"]


def selected(name: str) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(name, p) for p in PATTERNS)


def results() -> dict[str, str]:
    """{mutant name: status} of every mutant of the last run that the patterns select."""
    out = subprocess.run(mutmut() + ["results", "--all", "true"], cwd=ROOT, capture_output=True, text=True)
    found = {}
    for line in out.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and selected(name):
            found[name] = status.strip()
    return found


def score_lines(found: dict[str, str]) -> list[str]:
    by = {}
    for status in found.values():
        by[status] = by.get(status, 0) + 1
    killed = sum(n for s, n in by.items() if s in KILLED)
    survived = sum(n for s, n in by.items() if s in SURVIVED)
    lines = [f"mutants: {len(found)} (" + ", ".join(f"{s} {n}" for s, n in sorted(by.items())) + ")"]
    if killed + survived:
        lines.append(f"mutation score: {killed / (killed + survived):.1%} ({killed} killed of {killed + survived})")
    survivors = sorted(n for n, s in found.items() if s in SURVIVED)
    if survivors:
        lines.append("survivors (mutmut show NAME):")
        lines += [f"  {n}" for n in survivors]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Mutation testing of the judging core (mutmut).")
    parser.add_argument("--report", action="store_true", help="print the last run's score and survivors only")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2, help="mutants run side by side")
    args = parser.parse_args(argv)
    if not args.report:
        run = subprocess.run(mutmut() + ["run", "--max-children", str(args.max_children), *PATTERNS], cwd=ROOT)
        if run.returncode not in (0, 1):
            return run.returncode
    found = results()
    if not found:
        print("no mutation results: run `python -m tests.mutation` first", file=sys.stderr)
        return 2
    print("\n".join(score_lines(found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
