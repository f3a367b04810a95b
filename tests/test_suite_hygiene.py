"""The test suite passes whatever state exercises/ is in, and leaves nothing behind in the temporary folder."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from tests.conftest import ROOT

SOLVED = ("read_image", "to_rgb", "shape_of")


def solve(module, solutions, names) -> None:
    """Replace the stubs of ``names`` in ``module`` by the reference solution's functions."""
    import ast

    source = module.read_text()
    solution = solutions.read_text()
    for name in names:
        stub = next(n for n in ast.parse(source).body if getattr(n, "name", None) == name)
        done = next(n for n in ast.parse(solution).body if getattr(n, "name", None) == name)
        lines = source.splitlines(keepends=True)
        body = "".join(solution.splitlines(keepends=True)[done.lineno - 1:done.end_lineno])
        source = "".join(lines[:stub.lineno - 1]) + body + "".join(lines[stub.end_lineno:])
    module.write_text(source)


def test_a_contributor_who_solved_three_tasks_still_gets_a_green_suite_and_a_clean_tmp(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".pixelkata", "*.egg-info", ".pytest_cache"))
    git = ["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@example.org", "-c",
           "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "the course"], check=True)
    module = checkout / "exercises" / "day01_reading.py"
    solve(module, checkout / "solutions" / "day01_reading.py", SOLVED)
    assert subprocess.run(git + ["diff", "--quiet"]).returncode == 1  # the working copy differs from HEAD

    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(own_tmp), PYTHONPATH=str(checkout), PIXELKATA_SCREENSHOT="")
    # Tests that grade the untouched stubs (through --root, the project fixture and a copied course),
    # and tests that write temporary files.
    tests = ["tests/test_report.py::test_a_report_of_untouched_stubs_says_where_to_begin",
             "tests/test_cli.py::test_grading_untouched_stubs_lists_every_task_as_not_attempted_and_exits_0",
             "tests/test_terminal_view.py::test_grade_folds_unless_asked_for_all",
             "tests/test_cli.py::test_a_failed_task_exits_1"]
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"\d+ passed", done.stdout)
    assert list(own_tmp.iterdir()) == []  # nothing left behind
    assert module.read_text().count("raise NotImplementedError") < (ROOT / "exercises" / module.name).read_text().count(
        "raise NotImplementedError")  # and the contributor's work is untouched
