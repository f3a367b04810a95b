"""GitHub Actions: the job summary, and annotations on the learner's own function."""
from __future__ import annotations

from grader.ci import github
from grader.grading.results import Outcome
from tests.conftest import ROOT, learner_folder
from tests.test_cli import run_cli


def test_function_line_finds_the_definition_python_keeps_without_importing(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import sys\nsys.exit('never imported')\n\n"
                      "def crop(image):\n    pass\n\n\n@staticmethod\ndef crop(image):\n    return image\n")
    assert github.function_line(module, "crop") == 9
    assert github.function_line(module, "resize") is None
    module.write_text("def crop(:\n")
    assert github.function_line(module, "crop") is None
    assert github.syntax_error_line(module) == 1


def test_workflow_commands_escape_what_would_end_them():
    line = github.workflow_command("error", "100% wrong\nsecond line", file="a,b:c.py", line=3)
    assert line == "::error file=a%2Cb%3Ac.py,line=3::100%25 wrong%0Asecond line"


def test_each_failed_task_is_annotated_at_its_function(mixed_run):
    workspace = mixed_run.exercises.parent
    lines = github.annotations(mixed_run, workspace=workspace)
    bad = [t for t in mixed_run.tasks if t.attempted and not t.passed]
    assert len(lines) == len(bad) == 2
    source = (mixed_run.exercises / "day01_reading.py").read_text().splitlines()
    for line, t in zip(lines, bad):
        assert line.startswith("::error file=exercises/day01_reading.py,line=")
        number = int(line.split("line=", 1)[1].split(",", 1)[0])
        assert source[number - 1].startswith(f"def {t.name}(")  # the learner's last definition
        assert f"title=pixelkata%3A {t.name} {t.outcome.value}" in line
    assert all(t.outcome is not Outcome.NOT_ATTEMPTED for t in bad)


def test_a_module_with_a_syntax_error_is_annotated_at_that_line(tmp_path, project, runner):
    from grader.grading import grade

    folder = learner_folder(tmp_path, project, 1, "import numpy as np\n\ndef crop(image:\n    return image\n")
    run = grade(project, exercises=folder, day=1, runner=runner)
    (line,) = github.annotations(run, workspace=tmp_path)
    assert line.startswith("::error file=exercises/day01_reading.py,line=3,")


def test_in_github_actions_grade_writes_the_summary_and_annotations(capsys, tmp_path, project, monkeypatch):
    from tests.conftest import mixed_folder

    folder = mixed_folder(tmp_path, project)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    code, out, _ = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(folder))
    assert code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n## pixelkata: ")  # appended, never overwritten
    assert "| ✘ | crop | failed |" in text
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert [e.split("title=pixelkata%3A ")[1].split()[0] for e in errors] == ["crop", "resize"]
    assert all(e.startswith("::error file=exercises/day01_reading.py,line=") for e in errors)


def test_outside_github_actions_there_is_no_summary_and_no_annotation(capsys, tmp_path, project, monkeypatch):
    from tests.conftest import mixed_folder

    folder = mixed_folder(tmp_path, project)
    summary = tmp_path / "summary.md"
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(folder))
    assert code == 1 and "::error" not in out and not summary.exists()


def test_an_unwritable_summary_is_a_warning_not_a_lost_grade(capsys, tmp_path, project, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no" / "such" / "summary.md"))
    code, out, _ = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(ROOT / "solutions"))
    assert code == 0
    assert "::warning::could not append the job summary" in out


def test_annotations_go_to_stderr_when_stdout_carries_json(capsys, tmp_path, project, monkeypatch):
    import json

    from tests.conftest import mixed_folder

    folder = mixed_folder(tmp_path, project)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    code, out, err = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(folder),
                             "--format", "json", "--min-score", "1")
    assert code == 0
    assert json.loads(out)["points"] == 7
    assert err.count("::error ") == 2 and "meets the required 1" in err
