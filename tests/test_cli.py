"""The command line: exit codes, one-line errors, help on every command, all in the README."""
from __future__ import annotations

import re

import click
import pytest

from grader.cli import cli, main
from tests.conftest import ROOT, copy_project, learner_folder


def run_cli(capsys, *args) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_grading_untouched_stubs_lists_every_task_as_not_attempted_and_exits_0(capsys):
    code, out, _ = run_cli(capsys, "grade", "--root", str(ROOT))
    assert code == 0
    assert out.count("not attempted") >= 8
    assert "Hint:" in out
    assert "\x1b[" not in out  # no colour when stdout is not a terminal


def test_grading_the_solutions_exits_0_with_full_points(capsys):
    code, out, _ = run_cli(capsys, "grade", "1", "--root", str(ROOT), "--exercises", str(ROOT / "solutions"))
    assert code == 0
    assert re.search(r"Total: (\d+)/\1 points", out), out


def test_a_failed_task_exits_1(capsys, tmp_path, project):
    source = (project.solutions / "day01_reading.py").read_text() + "\n\ndef crop(image, x, y, width, height):\n    return image\n"
    folder = learner_folder(tmp_path, project, 1, source)
    code, out, _ = run_cli(capsys, "grade", "1", "crop", "--root", str(ROOT), "--exercises", str(folder))
    assert code == 1
    assert "✘ crop" in out


@pytest.mark.parametrize("args, phrase", [
    (["grade", "99"], "there is no day 99"),
    (["grade", "one"], "is not a day"),
    (["grade", "1_3"], "'1_3' is not a day"),
    (["grade", "١"], "is not a day"),  # an Arabic-Indic one: int() reads it, a day number is ASCII digits
    (["grade", "1", "nosuch"], "day 1 has no task 'nosuch'"),
    (["grade", "--exercises", "/no/such/folder"], "exercises folder /no/such/folder does not exist"),
    (["grade", "--root", "/no/such/course"], "no such folder"),
])
def test_usage_errors_are_one_line_and_exit_2(capsys, args, phrase):
    if "--root" not in args:
        args = args + ["--root", str(ROOT)]
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and phrase in lines[0], err
    assert "Traceback" not in err + out


def test_outside_a_course_folder_the_error_says_where_to_run(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "grade")
    assert code == 2 and "run this inside the course folder" in err


@pytest.mark.parametrize("args, phrase", [
    (["grade", "--timeout", "soon"], "soon"),
    (["grade", "1", "--variants", "1", "--seed", "-3"], "'--seed': -3 is not in the range x>=0"),
    (["batch", "subs", "--seed", "-1"], "'--seed': -1 is not in the range x>=0"),
])
def test_a_bad_option_value_exits_2_naming_the_option(capsys, args, phrase):
    code, out, err = run_cli(capsys, *args, "--root", str(ROOT))
    assert code == 2 and phrase in err, err
    assert "Traceback" not in out + err


def test_a_corrupt_reference_exits_2_with_what_to_do(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    target = next((course.references / "inputs" / "day01").glob("*.png"))
    target.write_bytes(b"garbage")
    code, _, err = run_cli(capsys, "grade", "1", "--root", str(course.root))
    assert code == 2
    assert "has been modified" in err and "pixelkata references build" in err
    (course.references / "manifest.json").unlink()
    code, _, err = run_cli(capsys, "grade", "1", "--root", str(course.root))
    assert code == 2 and "manifest.json is missing" in err


def test_references_verify_exits_0_when_clean_and_1_on_a_problem(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    code, out, _ = run_cli(capsys, "references", "verify", "1", "--root", str(course.root))
    assert code == 0, out
    assert "the solutions of day(s) 1 still produce theirs (other days were not re-run)" in out
    (course.references / "SOURCES.md").write_text("edited")
    code, out, _ = run_cli(capsys, "references", "verify", "1", "--root", str(course.root))
    assert code == 1 and "SOURCES.md: modified" in out
    code, _, err = run_cli(capsys, "references", "verify", "99", "--root", str(course.root))
    assert code == 2 and "there is no day 99" in err


def test_a_crash_of_our_own_code_exits_3_and_asks_for_a_bug_report(capsys, monkeypatch):
    import grader.grading

    def explode(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(grader.grading, "grade", explode)
    code, _, err = run_cli(capsys, "grade", "--root", str(ROOT))
    assert code == 3 and "bug" in err and "RuntimeError: boom" in err


def walk(group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from walk(cmd, prefix + (name,))


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for path, cmd in walk(cli):
        assert cmd.help and cmd.help.strip(), f"{' '.join(path)} has no help"
        if not isinstance(cmd, click.Group):
            assert "Example" in cmd.help, f"{' '.join(path)} help has no example"
        assert f"pixelkata {' '.join(path)}" in readme, f"`pixelkata {' '.join(path)}` is not in the README"
