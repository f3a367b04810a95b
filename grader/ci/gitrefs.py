"""Reading the course from git: references at another ref, and the days a change touched.

Grading a pull request against the references of its base branch means a
pull request that rewrites ``reference_images/`` (pictures and manifest
together) cannot change its own grade.
"""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from grader.errors import PixelkataError
from grader.course.project import Project
from grader.course.references import References


def git(args: list[str], cwd: Path, *, what: str) -> bytes:
    """Run git in ``cwd``; any failure is a one-line error naming ``what`` was being done."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=300,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except FileNotFoundError:
        raise PixelkataError(f"git is not installed, so {what} is not possible: install git, "
                             "or grade without that option.") from None
    except subprocess.TimeoutExpired:
        raise PixelkataError(f"git took over 5 minutes for {what}: check the repository and try again.") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = said[-1] if said else f"git exited with {done.returncode}"
        raise PixelkataError(f"{what} failed: {reason}")
    return done.stdout


def toplevel(project: Project) -> Path:
    out = git(["rev-parse", "--show-toplevel"], project.root, what=f"finding the git repository of {project.root}")
    return Path(out.decode().strip())


def commit_of(project: Project, ref: str, option: str) -> str:
    """The commit ``ref`` names, or a one-line error saying how to fetch it."""
    if not ref or ref.startswith("-"):
        raise PixelkataError(f"{option} needs a git ref such as main or origin/main, not {ref!r}.")
    try:
        out = git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], project.root,
                  what=f"{option} {ref}")
    except PixelkataError as exc:
        if "git is not installed" in str(exc) or "not a git repository" in str(exc):
            raise PixelkataError(f"{option} {ref}: {project.root} is not inside a git repository (or git is "
                                 "missing); it needs the course's git history.") from None
        raise PixelkataError(f"{option} {ref}: no such branch, tag or commit in this repository; fetch it "
                             f"first (e.g. `git fetch origin {ref.removeprefix('origin/')}`).") from None
    return out.decode().strip()


@contextlib.contextmanager
def references_at(project: Project, ref: str):
    """:class:`References` for ``reference_images/`` as committed at ``ref``, in a temporary folder."""
    commit = commit_of(project, ref, "--references-from")
    top = toplevel(project)
    rel = Path(os.path.relpath(project.references.resolve(), top.resolve())).as_posix()
    data = git(["archive", "--format=tar", commit, "--", rel], top,
               what=f"--references-from {ref}: reading {rel}/ at that ref")
    with tempfile.TemporaryDirectory(prefix="pixelkata-refs-") as tmp:
        _extract(data, Path(tmp))
        folder = Path(tmp) / rel
        if not folder.is_dir():
            raise PixelkataError(f"--references-from {ref}: {rel}/ does not exist at that ref.")
        yield References(folder)


def _extract(data: bytes, dest: Path) -> None:
    """Unpack regular files and folders only: a ref's tree is not trusted to stay inside ``dest``."""
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            target = (dest / member.name).resolve()
            if not target.is_relative_to(dest.resolve()):
                continue
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src:
                    target.write_bytes(src.read())


def changed_files(project: Project, ref: str) -> set[Path]:
    """Files that differ between ``ref`` and the working tree (committed or not), as absolute paths."""
    commit = commit_of(project, ref, "--changed-since")
    top = toplevel(project)
    out = git(["diff", "--name-only", "-z", "--no-renames", commit, "--"], top,
              what=f"--changed-since {ref}: listing changed files")
    return {(top / name).resolve() for name in out.decode("utf-8", "surrogateescape").split("\0") if name}


def changed_days(course, project: Project, exercises: Path, ref: str) -> list[int]:
    """The days whose exercise module changed since ``ref``."""
    changed = changed_files(project, ref)
    return [d.number for d in course.days if (Path(exercises) / d.filename).resolve() in changed]
