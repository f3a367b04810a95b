"""``pixelkata release OUTDIR``: write the learner's copy of the course.

Only what a learner needs is copied, from an explicit list: the stubs, the
inputs and references, the grader, the README, the packaging and the learner's
CI workflow. ``solutions/`` is left out unless ``keep_solutions`` (a
self-study edition); tests (whose controls hold correct answers), benchmarks,
instructor-only notes (``docs/instructor/``, ``*.instructor.md``, and README
blocks between ``<!-- instructor-only -->`` and ``<!-- /instructor-only -->``)
never ship. Hidden variants are made at grading time and never exist on disk,
so there are none to leave out. The copy gets a ``pixelkata.toml`` holding the
instructor's switch for the ``solution`` command (``[course] solutions``, read by
:mod:`grader.course.settings`) and a note of what was released when.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from grader.course import settings as course_settings
from grader.errors import PixelkataError
from grader.course.project import Project

# What a released copy holds, relative to the course root. Anything not listed never ships.
RELEASED = ("exercises", "reference_images", "grader", "docs", "README.md", "pyproject.toml", ".gitignore",
            "LICENSE", "LICENSE.md", "LICENSE.txt", ".github/workflows/grade.yml")
SKIPPED_NAMES = {"__pycache__", ".pixelkata", ".pytest_cache", ".DS_Store"}
INSTRUCTOR_DIRS = {"docs/instructor"}
# The markers count only on lines of their own, so prose may mention them.
INSTRUCTOR_BLOCK = re.compile(r"^[ \t]*<!-- instructor-only -->[ \t]*\n.*?^[ \t]*<!-- /instructor-only -->[ \t]*(\n|\Z)",
                              re.S | re.M)


@dataclass
class Released:
    out: Path
    files: int = 0
    solutions: bool = False  # solutions/ shipped
    solution_command: bool = False  # `pixelkata solution` allowed in the copy
    edition: str = "learner"  # or "self-study"
    left_out: list = field(default_factory=list)


def release(project: Project, out: Path, *, keep_solutions: bool = False, solution_command: bool | None = None,
            check: bool = True, force: bool = False, log=None) -> Released:
    """Write the learner's copy of ``project`` to ``out``."""
    root = project.root.resolve()
    out = Path(out).expanduser().resolve()
    if solution_command is None:
        solution_command = keep_solutions
    if solution_command and not keep_solutions:
        raise PixelkataError("--solution-command needs --keep-solutions: a copy without solutions/ has no "
                             "solutions to show.")
    if keep_solutions and not project.solutions.is_dir():
        raise PixelkataError(f"{project.solutions} does not exist, so --keep-solutions has nothing to keep: "
                             "release from the instructor's copy of the course.")
    _check_target(root, out, force)
    from grader.course import build

    # Always, even with check=False (it takes no grading): stale stored outputs would name, in the learner's
    # copy, mistakes an answer does not make.
    stale = build.stale_mistake_outputs(project)
    if stale:
        raise PixelkataError(f"the catalogued mistakes' stored outputs are stale for {len(stale)} task(s) (the first, "
                             f"reference_images/{stale[0].where}: {stale[0].problem}), then commit and release again.")
    # Likewise the stubs' digests (the copy's grading recognises an untouched day by them).
    stale = build.stale_stub_digests(project)
    if stale:
        raise PixelkataError(f"the stubs' digests in reference_images/{stale[0].where} are stale ({len(stale)} "
                             f"problem(s), the first: {stale[0].problem}), then commit and release again.")
    if check:
        from grader.course import lint

        problems = lint.check_course(project, log=log or (lambda *a: None))
        if problems:
            raise PixelkataError(f"the course is not ready to ship ({len(problems)} problem(s), the first: "
                                 f"{problems[0]}). Run `pixelkata check-course`, fix them, and release again.")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    report = Released(out=out, solutions=keep_solutions)
    parts = list(RELEASED) + (["solutions"] if keep_solutions else [])
    for rel in parts:
        src = root / rel
        if src.is_dir():
            report.files += _copy_tree(src, out / rel, rel)
        elif src.is_file():
            _copy_file(src, out / rel, rel)
            report.files += 1
    for name in sorted(p.name for p in root.iterdir()):
        if name not in {r.split("/")[0] for r in parts} and name not in (".git",) and name not in SKIPPED_NAMES:
            report.left_out.append(name)
    report.edition = "self-study" if keep_solutions else "learner"
    report.solution_command = bool(solution_command)
    (out / course_settings.SETTINGS_FILE).write_text(
        settings_text(solutions=report.solution_command, edition=report.edition,
                      released=datetime.now(timezone.utc).isoformat(timespec="seconds"), revision=_revision(root)))
    report.files += 1
    return report


def settings_text(*, solutions: bool, edition: str, released: str, revision: str) -> str:
    """The released copy's pixelkata.toml: the solution switch, and a note of the release."""
    return (
        "# Settings of this copy of the course, written by `pixelkata release`.\n"
        "[course]\n"
        "# Whether `pixelkata solution` may show the reference solutions in this copy.\n"
        f"solutions = {'true' if solutions else 'false'}\n"
        "\n"
        "[release]\n"
        f'edition = "{edition}"\n'
        f'released = "{released}"\n'
        f'source_revision = "{revision}"\n'
    )


def _check_target(root: Path, out: Path, force: bool) -> None:
    if out == root or root in out.parents and any(out.is_relative_to(root / r) for r in RELEASED + ("solutions",)):
        raise PixelkataError(f"{out} is inside the course it would copy: release into a folder outside "
                             f"{root}, e.g. ../course-release.")
    if out in root.parents:
        raise PixelkataError(f"{out} holds the course itself: release into a new folder.")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not force:
            raise PixelkataError(f"{out} already exists and is not empty: pass a new folder, or --force to "
                                 "replace an earlier release there.")
        if not (out / course_settings.SETTINGS_FILE).is_file():
            raise PixelkataError(f"{out} is not an earlier release (it has no {course_settings.SETTINGS_FILE}), so "
                                 "--force will not delete it: pass a new folder.")


def _copy_tree(src: Path, dest: Path, rel: str) -> int:
    count = 0
    for path in sorted(src.rglob("*")):
        sub = path.relative_to(src)
        full = f"{rel}/{sub.as_posix()}"
        if any(part in SKIPPED_NAMES for part in sub.parts) or path.suffix == ".pyc":
            continue
        if any(full == d or full.startswith(d + "/") for d in INSTRUCTOR_DIRS) or _instructor_only(path.name):
            continue
        if path.is_symlink():
            continue  # a release holds real files only
        if path.is_dir():
            (dest / sub).mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            _copy_file(path, dest / sub, full)
            count += 1
    return count


def _instructor_only(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".instructor.md") or lower.startswith("instructor-notes")


def _copy_file(src: Path, dest: Path, rel: str) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix.lower() == ".md":
        dest.write_text(strip_instructor_blocks(src.read_text()))
        shutil.copystat(src, dest)
    else:
        shutil.copy2(src, dest)


def strip_instructor_blocks(text: str) -> str:
    """Markdown without the blocks marked for instructors only."""
    return INSTRUCTOR_BLOCK.sub("", text)


def _revision(root: Path) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
