"""Grading for CI from the command line: formats and outputs, the pass mark, changed days, base references."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import cv2
import numpy as np
import pytest

from grader.ci import delivery
from grader.ci import gitrefs
from grader.errors import PixelkataError
from grader.grading import grade
from grader.course.project import Project
from grader.course.references import MANIFEST, References, sha256
from tests.conftest import ROOT, mixed_folder
from tests.gitrepo import commit_all, course_repo, git
from tests.test_cli import run_cli


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    return lines[0]


# --- formats and where they go


def test_several_formats_are_written_in_one_run(capsys, tmp_path):
    out_files = {f: tmp_path / f"results.{f}" for f in ("json", "junit", "gradescope", "markdown")}
    args = [a for f, p in out_files.items() for a in (f"--{f}", str(p))]
    code, out, err = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(ROOT / "solutions"), *args)
    assert code == 0
    assert "Total: 17/17 points" in out  # the terminal text is still printed
    assert json.loads(out_files["json"].read_text())["points"] == 17
    assert ET.parse(out_files["junit"]).getroot().tag == "testsuites"
    assert json.loads(out_files["gradescope"].read_text())["score"] == 17
    assert "## pixelkata: 17/17 points" in out_files["markdown"].read_text()
    assert "Wrote the JSON results to" in err


def test_format_json_alone_prints_only_json(capsys):
    code, out, _ = run_cli(capsys, "grade", "1", "crop", "--root", str(ROOT), "--format", "json")
    assert code == 0
    assert json.loads(out)["days"][0]["tasks"][0]["outcome"] == "not attempted"


def test_format_text_and_json_with_output_splits_terminal_and_file(capsys, tmp_path):
    target = tmp_path / "r.json"
    code, out, _ = run_cli(capsys, "grade", "1", "crop", "--root", str(ROOT), "--format", "text,json",
                           "--output", str(target))
    assert code == 0 and "Total:" in out
    assert json.loads(target.read_text())["format"] == "pixelkata-results"


def test_plan_resolves_repeated_and_comma_separated_formats(tmp_path):
    plan = delivery.plan(formats=("text", "junit"), output=tmp_path / "r.xml", json=tmp_path / "r.json")
    assert [(t.fmt, t.path) for t in plan.targets] == [("text", None), ("junit", tmp_path / "r.xml"),
                                                       ("json", tmp_path / "r.json")]
    assert [t.fmt for t in delivery.plan(formats=("markdown",)).targets] == ["markdown"]
    assert [t.fmt for t in delivery.plan().targets] == ["text"]


@pytest.mark.parametrize("args, phrase", [
    (["--format", "xml"], "unknown format 'xml': choose from text, json, junit, gradescope, markdown"),
    (["--format", "json,pdf"], "unknown format 'pdf'"),
    (["--format", "json,junit"], "only one format can go to the terminal"),
    (["--format", "json", "--format", "junit", "--output", "x"], "--output takes one format"),
    (["--json", "/no/such/folder/r.json"], "the folder /no/such/folder does not exist"),
    (["--junit", "{tmp}"], "it is a folder"),
    (["--json", "{tmp}/same", "--junit", "{tmp}/same"], "is named for two outputs"),
    (["--min-score", "lots"], "--min-score 'lots' is not a score"),
    (["--min-score", "120%"], "is not a score"),
])
def test_bad_output_options_are_one_line_errors_before_grading(capsys, tmp_path, monkeypatch, args, phrase):
    import grader.grading

    monkeypatch.setattr(grader.grading, "grade", lambda *a, **k: pytest.fail("graded despite a bad option"))
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = run_cli(capsys, "grade", "--root", str(ROOT), *args)
    assert code == 2
    assert phrase in one_line_error(err)
    assert "Traceback" not in out + err


def test_a_write_that_fails_after_grading_is_a_one_line_error_and_the_run_is_still_reported(capsys, tmp_path,
                                                                                         monkeypatch):
    import grader.grading

    real = grader.grading.grade
    folder = tmp_path / "out"
    folder.mkdir()

    def grade_then_lose_the_folder(*a, **k):
        run = real(*a, **k)
        folder.rmdir()  # the folder was there when the options were checked, and is gone now
        return run

    monkeypatch.setattr(grader.grading, "grade", grade_then_lose_the_folder)
    code, _, err = run_cli(capsys, "grade", "1", "crop", "--root", str(ROOT), "--json", str(folder / "r.json"))
    reported, error = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and "cannot write results to" in one_line_error(error)
    assert reported.startswith("Report: ")  # the grade happened: it is recorded and drawn all the same


# --- the pass mark


def test_min_score_decides_the_exit_status(capsys, tmp_path, project):
    folder = mixed_folder(tmp_path, project)
    base = ["grade", "1", "--root", str(ROOT), "--exercises", str(folder)]
    code, out, _ = run_cli(capsys, *base)
    assert code == 1  # default: crop failed and resize raised
    total = float(out.split("Total: ", 1)[1].split("/", 1)[0])
    code, out, _ = run_cli(capsys, *base, "--min-score", f"{total:g}")
    assert code == 0 and "meets the required" in out
    code, out, _ = run_cli(capsys, *base, "--min-score", f"{total + 0.5:g}")
    assert code == 1 and "is below the required" in out
    code, out, _ = run_cli(capsys, *base, "--min-score", "90%")
    assert code == 1 and "(--min-score 90%)" in out


def test_min_score_counts_untouched_tasks_as_zero(capsys):
    code, out, _ = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--min-score", "1")
    assert code == 1 and "Score 0/17 points is below the required 1" in out
    code, _, _ = run_cli(capsys, "grade", "1", "--root", str(ROOT))
    assert code == 0  # without a pass mark, untouched tasks do not count against the learner


# --- git: changed days and references from the base branch


def test_changed_since_grades_only_the_days_whose_exercise_file_changed(capsys, tmp_path):
    repo = course_repo(tmp_path, ROOT)
    code, out, _ = run_cli(capsys, "grade", "--root", str(repo), "--changed-since", "main")
    assert code == 0 and "nothing was graded" in out and "Day 1" not in out
    (repo / "notes.txt").write_text("not an exercise")
    code, out, _ = run_cli(capsys, "grade", "--root", str(repo), "--changed-since", "main")
    assert "nothing was graded" in out
    module = repo / "exercises" / "day01_reading.py"
    module.write_text((ROOT / "solutions" / "day01_reading.py").read_text())
    code, out, _ = run_cli(capsys, "grade", "--root", str(repo), "--changed-since", "main")
    assert code == 0 and "Day 1" in out and "Total: 17/17 points" in out


def test_changed_since_needs_a_ref_that_exists_and_no_day(capsys, tmp_path):
    repo = course_repo(tmp_path, ROOT)
    code, _, err = run_cli(capsys, "grade", "--root", str(repo), "--changed-since", "origin/nosuch")
    assert code == 2 and "no such branch, tag or commit" in one_line_error(err) and "git fetch origin nosuch" in err
    code, _, err = run_cli(capsys, "grade", "1", "--root", str(repo), "--changed-since", "main")
    assert code == 2 and "either a DAY or --changed-since" in one_line_error(err)


def test_git_options_outside_a_git_repository_are_one_line_errors(capsys, tmp_path):
    course = tmp_path / "course"
    for folder in ("exercises", "reference_images"):
        (course / folder).mkdir(parents=True)
    for option in ("--references-from", "--changed-since"):
        code, _, err = run_cli(capsys, "grade", "--root", str(course), option, "main")
        assert code == 2 and "is not inside a git repository" in one_line_error(err)


def poison_crop_references(repo) -> None:
    """What a dishonest pull request does: make crop's references all black, and fix up their hashes."""
    refs = repo / "reference_images"
    manifest = json.loads((refs / MANIFEST).read_text())
    for png in sorted((refs / "expected" / "day01" / "crop").glob("*.png")):
        expected = cv2.imread(str(png), cv2.IMREAD_UNCHANGED)
        cv2.imwrite(str(png), np.zeros_like(expected))
        manifest["files"][png.relative_to(refs).as_posix()] = sha256(png)
    (refs / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


BLACK_CROP = """

def crop(image, x, y, width, height):
    return np.zeros((height, width) + image.shape[2:], image.dtype)
"""


@pytest.fixture
def dishonest_pr(tmp_path):
    """A repository on a pull-request branch that answers crop with black and rewrote crop's references."""
    repo = course_repo(tmp_path, ROOT)
    git(repo, "checkout", "-q", "-b", "pr")
    module = repo / "exercises" / "day01_reading.py"
    module.write_text(module.read_text() + BLACK_CROP)
    poison_crop_references(repo)
    commit_all(repo, "crop, and new crop references")
    return repo


def test_a_pr_that_rewrites_a_reference_is_graded_against_the_base_branch(dishonest_pr, runner):
    project = Project(dishonest_pr)
    # Against its own references the pull request would pass...
    own = grade(project, day=1, task="crop", runner=runner)
    assert own.tasks[0].passed
    # ...against the base branch's references it fails.
    with gitrefs.references_at(project, "main") as refs:
        assert refs.folder != project.references
        base = grade(project, day=1, task="crop", runner=runner, references=refs)
    assert base.tasks[0].outcome.value == "failed"
    assert not refs.folder.exists()  # the temporary copy is removed


def test_references_from_on_the_command_line(capsys, dishonest_pr):
    code, out, _ = run_cli(capsys, "grade", "1", "crop", "--root", str(dishonest_pr))
    assert code == 0 and "✔ crop" in out
    code, out, _ = run_cli(capsys, "grade", "1", "crop", "--root", str(dishonest_pr), "--references-from", "main")
    assert code == 1 and "✘ crop" in out
    code, _, err = run_cli(capsys, "grade", "1", "--root", str(dishonest_pr), "--references-from", "v9")
    assert code == 2 and "--references-from v9: no such branch, tag or commit" in one_line_error(err)
    code, _, err = run_cli(capsys, "grade", "1", "--root", str(dishonest_pr), "--references-from", "--help")
    assert code == 2


def test_references_from_a_ref_without_references_is_a_one_line_error(tmp_path):
    repo = course_repo(tmp_path, ROOT)
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-rq", "--cached", ".")
    (repo / "README").write_text("nothing here")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "empty")
    with pytest.raises(PixelkataError, match="--references-from empty: .*reference_images"):
        with gitrefs.references_at(Project(repo), "empty"):
            pass


def test_references_are_still_hash_checked_at_the_ref(tmp_path, runner):
    repo = course_repo(tmp_path, ROOT)
    png = next((repo / "reference_images" / "expected" / "day01" / "crop").glob("*.png"))
    png.write_bytes(b"tampered")
    commit_all(repo, "tamper without fixing the manifest")
    with gitrefs.references_at(Project(repo), "HEAD") as refs:
        with pytest.raises(PixelkataError, match="has been modified"):
            grade(Project(repo), day=1, task="crop", runner=runner, references=refs)
    assert isinstance(refs, References)
