"""A broken course file is an author's mistake: one `Error:` line and exit code 2, never "a bug"/exit 3."""
from __future__ import annotations

import shutil

import pytest

from grader.course import manifest
from tests.conftest import ROOT
from tests.test_cli import run_cli


@pytest.fixture
def broken_manifest(tmp_path, monkeypatch):
    """A copy of the packaged course whose day 1 has one edit; yields the copied day01.toml to edit."""
    folder = tmp_path / "course"
    shutil.copytree(manifest.manifest_dir(), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "pictures"))
    monkeypatch.setattr(manifest, "manifest_dir", lambda: folder)
    manifest.load_course.cache_clear()
    yield folder / "day01.toml"
    manifest.load_course.cache_clear()


def test_an_unknown_check_kind_in_a_day_file_is_a_course_error(capsys, broken_manifest):
    text = broken_manifest.read_text()
    assert 'kind = "pixels"' in text
    broken_manifest.write_text(text.replace('kind = "pixels"', 'kind = "pixelz"', 1))
    code, out, err = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(ROOT / "solutions"))
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("Note:", "Report:"))]
    assert lines == [lines[0]] and lines[0].startswith("Error: the course manifest is broken: day01.read_image case colour: unknown check kind "
                                                       "'pixelz'"), err
    assert "bug" not in err and "Traceback" not in err


def test_a_day_file_that_is_not_toml_is_a_course_error(capsys, broken_manifest):
    broken_manifest.write_text("day = 1\n[[tasks]\n")
    code, _, err = run_cli(capsys, "list", "--root", str(ROOT))
    assert code == 2
    assert err.startswith("Error: the course manifest is broken: day01.toml is not valid TOML"), err


def test_a_preload_that_is_not_a_list_of_module_names_is_a_course_error(capsys, broken_manifest):
    broken_manifest.write_text(broken_manifest.read_text().replace("[[tasks]]", 'preload = "sklearn"\n\n[[tasks]]', 1))
    code, _, err = run_cli(capsys, "list", "--root", str(ROOT))
    assert code == 2
    assert err.startswith("Error: the course manifest is broken: day01.toml: preload = 'sklearn' must be a list "
                          'of module names, e.g. ["sklearn.svm"]'), err


def test_a_days_library_that_is_not_installed_stops_grading_with_one_line_blaming_the_set_up(capsys, broken_manifest):
    text = broken_manifest.read_text()
    broken_manifest.write_text(text.replace("[[tasks]]", 'preload = ["no_such_library"]\n\n[[tasks]]', 1))
    code, out, err = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(ROOT / "solutions"))
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("Note:", "Report:"))]
    assert len(lines) == 1 and lines[0].startswith("Error: the grader's "), err
    assert "could not import no_such_library, which this day's cases need (no_such_library " \
           "(ModuleNotFoundError: No module named 'no_such_library'))" in lines[0]
    assert "not your code" in lines[0]
    assert "Traceback" not in out + err and "failed" not in out.lower()


def test_a_misspelt_check_option_stops_grade_with_one_line_naming_it_the_task_and_the_options(capsys, broken_manifest):
    text = broken_manifest.read_text()
    assert 'check = { kind = "pixels", rounding_lean = 1.0 }' in text
    broken_manifest.write_text(text.replace('check = { kind = "pixels", rounding_lean = 1.0 }',
                                            'check = { kind = "pixels", rounding_lean = 1.0, min_fractoin = 0.9 }', 1))
    code, out, err = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(ROOT / "solutions"))
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("Note:", "Report:"))]
    assert lines == ["Error: the course manifest is broken: day01.read_image case gray: pixels check: unknown option "
                     "'min_fractoin'; it accepts: dtype_strict, min_fraction, rounding_lean, tolerance. Course "
                     "authors: `pixelkata check-course` names the task."], err


def test_check_course_names_the_task_whose_check_option_is_wrong(capsys, broken_manifest):
    text = broken_manifest.read_text()
    assert text.count('check = { kind = "pixels" }') >= 1
    broken_manifest.write_text(text.replace('check = { kind = "pixels" }', 'check = { kind = "pixels", rounding_lean = 5 }', 1))
    code, out, err = run_cli(capsys, "check-course", "--root", str(ROOT))
    assert code == 1, out + err
    assert "day01.read_image case colour: check option 'rounding_lean' must be a share from 0 to 1, got 5" in out, out
    assert "check-course` names the task" not in out + err


def test_tiers_on_a_task_that_is_not_a_challenge_are_a_course_error_naming_it(capsys, broken_manifest):
    text = broken_manifest.read_text()
    assert 'check = { kind = "pixels", rounding_lean = 1.0 }' in text
    broken_manifest.write_text(text.replace(
        'check = { kind = "pixels", rounding_lean = 1.0 }',
        'check = { kind = "pixels", rounding_lean = 1.0, tiers = { bronze = 0.9, silver = 0.95, gold = 0.99 } }', 1))
    code, out, err = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(ROOT / "solutions"))
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("Note:", "Report:"))]
    assert lines == ["Error: the course manifest is broken: day01.read_image case gray: tiers belong to a challenge, "
                     "and this task is not one: add challenge = true to the task, or remove its tiers. Course "
                     "authors: `pixelkata check-course` names the task."], err
