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
    assert lines == [lines[0]] and lines[0].startswith("Error: the course manifest is broken: unknown check kind "
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
