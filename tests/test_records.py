"""Records stay the learner's: only a grade of their own exercises/ is kept, unless they ask (--record)."""
from __future__ import annotations

import re

from grader.learner import progress
from tests.conftest import copy_project
from tests.test_cli import run_cli


def runs_in(course) -> int:
    db = progress.default_path(course)
    return len(progress.load_runs(db)[0]) if db.exists() else 0


def test_grading_another_folder_is_not_recorded_unless_asked(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    code, out, err = run_cli(capsys, "grade", "1", "--root", str(course.root), "--exercises", str(course.solutions))
    assert code == 0 and re.search(r"Total: (\d+)/\1 points", out)
    assert f"Note: not recorded in your progress: {course.solutions} is not your own exercises/ folder " \
           "(add --record to keep it)." in err
    assert runs_in(course) == 0
    code, out, _ = run_cli(capsys, "list", "--root", str(course.root))
    assert code == 0 and "gold" not in out  # the solutions did not make day 1 "done"
    code, out, _ = run_cli(capsys, "hint", "--root", str(course.root))
    assert code == 0 and "Day 1 · read_image: hint 1 of" in out  # still something to hint at

    code, _, err = run_cli(capsys, "grade", "1", "--root", str(course.root), "--exercises", str(course.solutions),
                           "--record")
    assert code == 0 and "not recorded" not in err
    assert runs_in(course) == 1


def test_grading_your_own_exercises_is_recorded(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    for args in ((), ("--exercises", str(course.exercises))):
        code, _, err = run_cli(capsys, "grade", "1", "shape_of", "--root", str(course.root), *args)
        assert code == 0 and "not recorded" not in err
    assert runs_in(course) == 2


def test_readme_says_what_is_recorded_and_when():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    assert "--record" in readme and "is recorded only with `--record`" in readme
    assert "check(1, crop, record=True)" in readme
