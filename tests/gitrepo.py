"""Throwaway git repositories holding a copy of the course, for the tests of git-aware grading."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

# A fixed identity and no user or system configuration: the tests behave the same on any machine.
GIT_ENV = {"GIT_AUTHOR_NAME": "Learner", "GIT_AUTHOR_EMAIL": "learner@example.invalid",
           "GIT_COMMITTER_NAME": "Learner", "GIT_COMMITTER_EMAIL": "learner@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def course_repo(tmp_path: Path, root: Path, name: str = "repo") -> Path:
    """A git repository whose ``main`` holds the course's stubs and references, as a learner's starts."""
    repo = tmp_path / name
    repo.mkdir()
    for folder in ("exercises", "reference_images"):
        shutil.copytree(root / folder, repo / folder)
    shutil.copy(root / ".gitignore", repo / ".gitignore")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "course")
    return repo


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
