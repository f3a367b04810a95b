"""Hints level by level, solutions only after a pass, the syllabus list, and grading from a notebook."""
from __future__ import annotations

import re

import pytest

from grader.learner import progress
from grader.grading import grade
from tests.conftest import copy_project
from tests.test_cli import run_cli


@pytest.fixture
def course_copy(tmp_path, project):
    return copy_project(tmp_path, project)


def with_crop_fixed(course):
    module = course.exercises / "day01_reading.py"
    module.write_text(module.read_text().replace(
        "    # TODO: slice rows first (y), then columns (x).\n    raise NotImplementedError",
        "    return image[y:y + height, x:x + width]"))


def test_hint_goes_one_level_further_each_time_and_is_recorded(capsys, course_copy):
    root = str(course_copy.root)
    code, out, _ = run_cli(capsys, "hint", "1", "crop", "--root", root)
    assert code == 0 and "hint 1 of 2" in out and "Slicing takes rows first" in out
    code, out, _ = run_cli(capsys, "hint", "1", "crop", "--root", root)
    assert "hint 2 of 2" in out and "That was the last hint" in out
    code, out, _ = run_cli(capsys, "hint", "1", "crop", "--root", root)
    assert "hint 2 of 2" in out  # stays on the last level
    with progress.open_store(progress.default_path(course_copy)) as store:
        assert store.hints_used() == {(1, "crop"): 2}


def test_the_last_hint_points_at_the_solution_only_where_this_copy_shows_it(capsys, course_copy):
    root = str(course_copy.root)
    run_cli(capsys, "hint", "1", "crop", "--root", root)
    _, out, _ = run_cli(capsys, "hint", "1", "crop", "--root", root)
    assert out.splitlines()[-1] == ("That was the last hint. Once the task passes, `pixelkata solution 1 crop` "
                                    "shows the reference solution.")
    (course_copy.root / "pixelkata.toml").write_text("[course]\nsolutions = false\n")
    _, out, _ = run_cli(capsys, "hint", "1", "crop", "--root", root)
    assert out.splitlines()[-1] == "That was the last hint: if you are still stuck, ask your instructor."
    assert "pixelkata solution" not in out


def test_a_bare_hint_picks_the_first_task_not_passing_as_last_graded(capsys, course_copy):
    root = str(course_copy.root)
    code, out, _ = run_cli(capsys, "hint", "--root", root)
    assert "Day 1 · read_image: hint 1" in out  # nothing graded yet: the course's first task
    module = course_copy.exercises / "day01_reading.py"
    module.write_text((course_copy.solutions / "day01_reading.py").read_text().replace(
        "def to_rgb(image):", "def to_rgb(image):\n    return image\n\ndef _old_to_rgb(image):"))
    run_cli(capsys, "grade", "1", "--root", root)
    code, out, _ = run_cli(capsys, "hint", "--root", root)
    assert "Day 1 · to_rgb: hint 1" in out


def test_a_solution_is_shown_only_after_a_pass_or_with_a_recorded_reveal(capsys, course_copy):
    root = str(course_copy.root)
    code, out, _ = run_cli(capsys, "solution", "1", "crop", "--root", root)
    assert code == 1 and "does not pass yet" in out and "def crop" not in out
    code, out, _ = run_cli(capsys, "solution", "1", "crop", "--reveal", "--root", root)
    assert code == 0 and "def crop(image, x, y, width, height):" in out
    with_crop_fixed(course_copy)
    code, out, _ = run_cli(capsys, "solution", "1", "crop", "--root", root)
    assert code == 0 and "def crop(image, x, y, width, height):" in out
    with progress.open_store(progress.default_path(course_copy)) as store:
        assert store.reveals() == {(1, "crop"): True}  # revealed early once: that stays on record


def test_an_instructor_can_turn_solutions_off(capsys, course_copy):
    (course_copy.root / "pixelkata.toml").write_text("[course]\nsolutions = false\n")
    code, _, err = run_cli(capsys, "solution", "1", "crop", "--reveal", "--root", str(course_copy.root))
    assert code == 2 and "turned solutions off" in err


def test_list_shows_each_days_status_and_a_days_tasks_with_hints_used(capsys, course_copy):
    root = str(course_copy.root)
    code, out, _ = run_cli(capsys, "list", "--root", root)
    assert code == 0 and re.search(r"Day 1 .*not started", out) and "Nothing graded yet" in out
    with_crop_fixed(course_copy)
    run_cli(capsys, "grade", "1", "--root", root)
    run_cli(capsys, "hint", "1", "resize", "--root", root)
    code, out, _ = run_cli(capsys, "list", "1", "--root", root)
    assert re.search(r"Day 1 .*in progress +1 of 7 tasks passed", out), out
    assert re.search(r"✔ crop .*\[passed, 2/2\]", out)
    assert "(1 of 2 hints used)" in out


def test_list_of_a_day_shows_that_day_alone_a_challenge_by_its_tier_and_names_in_their_column(capsys, course_copy):
    import shutil

    root = str(course_copy.root)
    shutil.copy(course_copy.solutions / "day01_reading.py", course_copy.exercises / "day01_reading.py")
    run_cli(capsys, "grade", "1", "--root", root)
    code, out, _ = run_cli(capsys, "list", "1", "--root", root)
    assert code == 0
    lines = out.splitlines()
    assert re.match(r"Day 1 .*done +7 of 7 tasks passed +challenge: gold$", lines[0]), out
    assert not any(line.startswith("Day 2") for line in lines)  # that day alone
    assert re.search(r"★ montage .*\[gold, 3/3\]", out), out  # the tier, never "passed"
    tasks = [line for line in lines if line.startswith("   ")]
    assert len(tasks) == 8 and len({line.index("[") for line in tasks}) == 1  # one column, however long a name
    assert len({line.index(line.split()[2]) for line in tasks}) == 1
    code, out, _ = run_cli(capsys, "list", "--root", root)
    assert re.search(r"^Day 2 .*not started +0 of 6 tasks passed +challenge: -$", out, re.M), out
    assert "   ✔ crop" not in out  # every day, without their tasks


def test_the_report_shows_the_help_taken(capsys, course_copy):
    root = str(course_copy.root)
    run_cli(capsys, "hint", "1", "crop", "--root", root)
    run_cli(capsys, "grade", "1", "--root", root)
    page = (course_copy.state / "report.html").read_text()
    assert "Help taken: 1 of 2 hints used" in page


def crop(image, x, y, width, height):
    return image[y:y + height, x:x + width]


def broken_resize(image, width, height):
    return image


def test_check_from_a_notebook_matches_the_cli_and_renders_html(course_copy, monkeypatch):
    from grader import check

    monkeypatch.chdir(course_copy.root)
    result = check(1, crop, resize=broken_resize, record=True)  # functions passed in: recorded when asked
    assert result.outcomes["crop"] == "passed"
    assert result.outcomes["resize"] == "failed"
    assert result.outcomes["to_rgb"] == "not attempted"
    html = result._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "Crop a region" in html
    assert "crop" in repr(result) and "Total:" in repr(result)
    # The same module graded by the CLI's path gives the same outcomes and points.
    module = course_copy.exercises / "day01_reading.py"
    module.write_text(module.read_text() + "\n\ndef crop(image, x, y, width, height):\n"
                      "    return image[y:y + height, x:x + width]\n\ndef resize(image, width, height):\n"
                      "    return image\n")
    cli_run = grade(course_copy, day=1)
    assert {t.name: t.outcome.value for t in cli_run.tasks} == result.outcomes
    assert cli_run.points == result.points
    with progress.open_store(progress.default_path(course_copy)) as store:
        assert len(store.runs()) == 1  # check() recorded its run like the CLI


def test_check_runs_the_learners_code_outside_the_notebook_process(course_copy, monkeypatch):
    from grader import check

    def crop(image, x, y, width, height):
        import os
        os._exit(0)

    monkeypatch.chdir(course_copy.root)
    result = check(1, crop, record=False)
    assert result.outcomes["crop"] == "error"  # the notebook (this process) is still alive to say so
