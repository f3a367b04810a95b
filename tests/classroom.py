"""Synthetic classes for batch grading: learners built from the solutions, the stubs and known-wrong answers.

Used by the batch tests and by ``benchmarks/batch.py``. Each learner's day
module is the reference solution, the untouched stub, or the solution with one
task replaced by a typical wrong answer from ``tests/controls/``; a comment
with the learner's name makes every attempted file distinct, as real
submissions are.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader.course import load_course
from tests.controls import all_controls, module_source


@dataclass
class Learner:
    name: str
    days: dict  # day number -> "solution", "stub" or the wrong control's id


def day_source(project, day, kind: str, rng: random.Random) -> tuple[str, str]:
    """(source, label) for one learner's day module."""
    if kind == "stub":
        return (project.exercises / day.filename).read_text(), "stub"
    solution = project.solutions / day.filename
    if kind == "wrong":
        wrong = [c for c in all_controls() if c.day == day.number and c.kind == "wrong"]
        if wrong:
            control = rng.choice(wrong)
            return module_source(solution, control), control.id
    return solution.read_text(), "solution"


def make_class(folder: Path, project, count: int, *, seed: int = 1, mix=(0.5, 0.3, 0.2),
               forms=("exercises", "flat", "zip"), unique: bool = True, days=None) -> list[Learner]:
    """Write ``count`` learners into ``folder``; ``mix`` is the share of solution, wrong and stub days.

    ``days`` limits the days learners attempt (the others stay stubs), to keep tests quick as the course grows.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    learners = []
    for i in range(count):
        name = f"learner{i:03d}"
        files, labels = {}, {}
        for day in load_course().days:
            kind = rng.choices(["solution", "wrong", "stub"], weights=mix)[0]
            if days is not None and day.number not in days:
                kind = "stub"
            source, label = day_source(project, day, kind, rng)
            if unique and label != "stub":
                source += f"\n# {name}\n"
            files[day.filename] = source
            labels[day.number] = label
        write_learner(folder, name, files, forms[i % len(forms)])
        learners.append(Learner(name, labels))
    return learners


def write_learner(folder: Path, name: str, files: dict, form: str) -> Path:
    """One learner's entry: a folder with exercises/, a folder of day files, a zip or a git repository."""
    if form == "zip":
        target = folder / f"{name}.zip"
        with zipfile.ZipFile(target, "w") as zf:
            for fname, source in files.items():
                zf.writestr(f"{name}/exercises/{fname}", source)
        return target
    base = folder / name
    sub = base / "exercises" if form in ("exercises", "git") else base
    sub.mkdir(parents=True, exist_ok=True)
    for fname, source in files.items():
        (sub / fname).write_text(source)
    if form == "git":
        git_commit(base, "work")
    return base


def git_commit(repo: Path, message: str) -> str:
    env_args = ["-c", "user.name=Learner", "-c", "user.email=learner@example.org", "-c", "commit.gpgsign=false"]
    if not (repo / ".git").exists():
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), *env_args, "commit", "-q", "-m", message], check=True)
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()


def copy_day_files(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for day in load_course().days:
        if (src / day.filename).is_file():
            shutil.copy(src / day.filename, dest / day.filename)
