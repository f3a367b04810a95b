"""The terminal view says a day-wide problem once, and folds the days nobody has started."""
from __future__ import annotations

import shutil

import click
import pytest

from grader.grading import grade
from grader.learner import report, terminal
from grader.learner.report.view import build
from tests.test_cli import run_cli


def text(run, **kw) -> str:
    return "\n".join(click.unstyle(line) for line in terminal.render(run, **kw))


def one_day_folder(tmp_path, project, day_file: str, source: str):
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / day_file).write_text(source)
    return folder


def test_a_syntax_error_is_said_once_at_the_top_of_the_day(tmp_path, project, runner):
    source = (project.exercises / "day01_reading.py").read_text() + "\n\ndef broken(:\n    pass\n"
    folder = one_day_folder(tmp_path, project, "day01_reading.py", source)
    run = grade(project, exercises=folder, day=1, runner=runner)
    shown = text(run)
    assert shown.count("has a syntax error (invalid syntax)") == 1, shown
    lines = shown.splitlines()
    assert "day01_reading.py line" in lines[1] and lines[1].startswith("  ! ")
    assert "  ! read_image" in shown and "Hint:" not in shown
    html = report.render(build(run.course, run=run))
    assert html.count("has a syntax error (invalid syntax)") == 1


def test_an_import_error_that_stops_the_day_is_said_once_with_the_real_error(tmp_path, project, runner):
    source = "from skimage.feature import greycomatrix\n" + (project.exercises / "day08_texture.py").read_text()
    folder = one_day_folder(tmp_path, project, "day08_texture.py", source)
    run = grade(project, exercises=folder, day=8, runner=runner)
    shown = text(run)
    assert shown.count("could not be imported: ImportError: cannot import name 'greycomatrix'") == 1, shown
    assert shown.count("from skimage.feature import greycomatrix") == 1  # the traceback's line, once
    assert len([line for line in shown.splitlines() if line.startswith("  ! ")]) == 1 + 7  # the problem, 7 tasks
    html = report.render(build(run.course, run=run))
    assert html.count("cannot import name &#39;greycomatrix&#39;") == 1


def test_different_failures_in_one_day_are_each_shown(tmp_path, project, runner):
    source = (project.solutions / "day01_reading.py").read_text() + (
        "\n\ndef crop(image, x, y, width, height):\n    raise ValueError('crop is broken')\n"
        "\n\ndef resize(image, width, height):\n    raise ValueError('resize is broken')\n")
    folder = one_day_folder(tmp_path, project, "day01_reading.py", source)
    run = grade(project, exercises=folder, day=1, task=None, runner=runner)
    assert terminal.day_problem(run.days[0]) == ("", [])
    shown = text(run)
    assert "crop is broken" in shown and "resize is broken" in shown


def test_a_first_grade_shows_the_first_day_and_folds_the_others(stubs_run):
    lines = [line for line in text(stubs_run, fold=True).splitlines() if not line.startswith("Sandbox:")]
    assert sum(1 for line in lines if "not attempted" in line and line.startswith("  · ")) == 8  # day 1 in full
    for day in stubs_run.days[1:]:
        d = day.day
        # Counted as everywhere else: the tasks, and the challenge apart.
        assert f"Day {d.number} · {d.title}{f' ({d.theme})' if d.theme else ''} · {len(d.tasks) - 1} tasks and its " \
               f"challenge not started: `pixelkata grade {d.number}`" in lines
    others = len(stubs_run.days) - 1
    assert f"{others} days not started are shown on one line each: `pixelkata grade --all` shows every task." in lines
    assert len(lines) == 1 + 8 * 3 + 1 + 1 + others + 1 + 1 + 1  # day 1 in full, a line per other day, the total
    unfolded = text(stubs_run).splitlines()
    assert sum(1 for line in unfolded if line.startswith("  · ")) == len(stubs_run.tasks)


def test_days_in_progress_and_the_next_untouched_day_are_shown_in_full(tmp_path, project, runner):
    folder = tmp_path / "exercises"
    shutil.copytree(project.exercises, folder)
    shutil.copy(project.solutions / "day02_drawing.py", folder / "day02_drawing.py")
    shutil.copy(project.solutions / "day04_blending.py", folder / "day04_blending.py")
    run = grade(project, exercises=folder, runner=runner)
    lines = text(run, fold=True).splitlines()
    assert any(line.startswith("  Day 1: 0 of 7 tasks passed") for line in lines)  # the first untouched day
    assert any(line.startswith("  Day 2: 6 of 6 tasks passed") for line in lines)  # started: in full
    assert any(line.startswith("  Day 4: 7 of 7 tasks passed") for line in lines)
    assert "Day 3 · Play with colour (the Olympic Games) · 6 tasks and its challenge not started: `pixelkata grade 3`" \
        in lines
    folded = [line.rsplit(" ", 1)[-1] for line in lines if "not started: `pixelkata grade" in line]
    assert folded == ["3`"] + [f"{d.day.number}`" for d in run.days[4:]]


@pytest.mark.parametrize("args, full", [((), False), (("--all",), True)])
def test_grade_folds_unless_asked_for_all(capsys, tmp_path, project, args, full):
    from grader.course import load_course
    from tests.conftest import copy_project

    course = copy_project(tmp_path, project)
    code, out, _ = run_cli(capsys, "grade", "--root", str(course.root), *args)
    assert code == 0
    tasks = sum(1 for line in out.splitlines() if line.startswith("  · "))
    assert tasks == (sum(len(d.tasks) for d in load_course().days) if full else 8)
    code, out, _ = run_cli(capsys, "grade", "3", "--root", str(course.root))
    assert sum(1 for line in out.splitlines() if line.startswith("  · ")) == 7  # one day: always in full


def test_every_view_marks_each_outcome_the_same_way():
    # A timed-out task is ◷ everywhere: ⏱ (U+23F1) has no glyph in common fonts, in a browser or a Windows console.
    from grader.classroom.classreport import MARKS_TEXT
    from grader.learner import syllabus
    from grader.learner.report import view

    expected = {"passed": "✔", "failed": "✘", "not attempted": "·", "error": "!", "timed out": "◷"}
    assert {o.value: mark for o, (mark, _) in terminal.MARKS.items()} == expected
    assert syllabus.MARKS == expected
    assert MARKS_TEXT == expected
    assert {k: v for k, v in view.MARKS.items() if k != "not graded"} == expected


def test_a_long_metric_never_runs_into_the_points(mixed_run, monkeypatch):
    from grader.grading.results import TaskResult

    long = "pixels equal or rounded 0.144 < 1.000"
    monkeypatch.setattr(TaskResult, "metric_text",
                        property(lambda self: long if self.name == "read_image" else "short"))
    heads = [click.unstyle(line) for line in terminal.render(mixed_run) if line.startswith("  ") and
             not line.startswith("      ") and "/" in line]
    read = next(line for line in heads if " read_image " in line)
    assert read.endswith(f"{long}      2/2")  # two spaces, then the points right-aligned in five
    assert len({line.rindex("/") for line in heads}) == 1  # the points in one column

    very_long = "x" * 80
    monkeypatch.setattr(TaskResult, "metric_text",
                        property(lambda self: very_long if self.name == "read_image" else ""))
    read = next(click.unstyle(line) for line in terminal.render(mixed_run) if " read_image " in line)
    assert read.endswith(f"{very_long}      2/2")  # past the widest column: still apart


def test_an_import_error_that_stops_a_day_marks_its_challenge_as_an_error_and_counts_it(tmp_path, project, runner):
    source = "from skimage.feature import greycomatrix\n" + (project.exercises / "day08_texture.py").read_text()
    folder = one_day_folder(tmp_path, project, "day08_texture.py", source)
    run = grade(project, exercises=folder, day=8, runner=runner)
    shown = text(run)
    assert "__init__.py). scikit-image renamed greycomatrix to graycomatrix" in shown, shown
    challenge = next(line for line in shown.splitlines() if "classify_textures" in line)
    assert challenge.split()[:3] == ["!", "classify_textures", "error"], challenge
    assert "no tier yet" not in shown
    assert "  Day 8: 0 of 6 tasks passed · challenge: error · 0/15 points" in shown.splitlines()
    assert run.tally() == "0 of 6 tasks passed, 6 error · 0 of 1 challenge with a tier, 1 error"
    html = report.render(build(run.course, run=run))
    assert "challenge: error" in html and "no tier yet" not in html  # the report says what the terminal says


def test_grading_a_challenge_alone_does_not_count_zero_tasks(project, runner):
    run = grade(project, exercises=project.solutions, day=7, task="restore", runner=runner)
    assert "  Day 7: challenge: gold · 3/3 points" in text(run).splitlines()


def test_the_sandbox_lines_claim_no_user_a_python_cannot_tell(monkeypatch):
    import os

    limits = [{"name": "wall clock", "on": True, "detail": "stopped at its time limit", "applies": True}]
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert click.unstyle(terminal.render_protections(limits)[0]) == \
        "Protections around your code on this machine (the grader runs as root):"
    monkeypatch.delattr(os, "geteuid")
    assert click.unstyle(terminal.render_protections(limits)[0]) == "Protections around your code on this machine:"


def test_a_pass_mark_missed_locally_says_grade_again_and_in_ci_push_again():
    from types import SimpleNamespace

    from grader.ci.passmark import MinScore

    run = SimpleNamespace(points=20.0, max_points=40.0)
    mark = MinScore.parse("80%")
    assert mark.verdict(run) == ("Score 20/40 points is below the required 32 (--min-score 80%): finish or fix "
                                 "more tasks and grade again.")
    assert mark.verdict(run, in_ci=True).endswith("finish or fix more tasks and push again.")


def test_list_and_progress_word_a_challenge_tried_without_a_tier_alike(course):
    from types import SimpleNamespace

    from grader.learner import syllabus

    def record(outcome, tier=None):
        return SimpleNamespace(outcome=outcome, tier=tier, points=0.0, hint=0)

    day7 = course.day(7)
    tried = {(7, t.name): record("passed") for t in day7.tasks if not t.challenge}
    tried[(7, "restore")] = record("failed")
    line = syllabus.lines(course, SimpleNamespace(latest=tried))[6]
    assert line.endswith("challenge: no tier yet"), line
    tried[(7, "restore")] = record("error")
    assert syllabus.lines(course, SimpleNamespace(latest=tried))[6].endswith("challenge: error")
    del tried[(7, "restore")]
    assert syllabus.lines(course, SimpleNamespace(latest=tried))[6].endswith("challenge: -")


def test_progress_words_a_challenge_without_a_tier_as_list_and_grade_do():
    from grader.learner.history import Attempt, DayProgress, Standing, lines

    day = DayProgress(number=7, title="Filtering", max_points=15.0, tasks=4, challenges=1,
                      attempts=[Attempt(1, "t1", 4.0, 15.0, None)])
    row = lines(Standing(days=[day], latest={}, runs=1))[2]
    assert row.endswith("  no tier yet"), row
    day.attempts.append(Attempt(2, "t2", 6.0, 15.0, "bronze"))
    day.attempts.append(Attempt(3, "t3", 5.0, 15.0, None))
    assert lines(Standing(days=[day], latest={}, runs=3))[2].endswith("  bronze (latest: no tier)")


# --- metric values a beginner reads -------------------------------------------------------------------------

# A learner who forgot to quantise: the properties of a 256-level matrix, not of the 16-level one asked for.
UNQUANTISED_PROPERTIES = '''

def glcm_properties(gray, levels):
    matrix = graycomatrix(gray, [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=256, symmetric=True,
                          normed=True)
    return {name: graycoprops(matrix, name)[0] for name in PROPERTIES}
'''

# A learner who measured descriptors as vectors of numbers: the L2 norm of the bytes, not the bits that differ.
L2_HAMMING = '''

def hamming(a, b):
    return np.sqrt(((a[:, None, :].astype(float) - b[None, :, :]) ** 2).sum(axis=2))
'''

# A near miss: every property a little more than the tolerance (rtol 1e-6) off.
NEAR_MISS_PROPERTIES = '''

def glcm_properties(gray, levels):
    matrix = glcm(gray, levels)
    return {name: graycoprops(matrix, name)[0] * (1 + 1.3e-6) for name in PROPERTIES}
'''


def graded_with(tmp_path, project, runner, day: int, task: str, source: str):
    from tests.conftest import learner_folder

    day_file = {8: "day08_texture.py", 10: "day10_features.py"}[day]
    folder = learner_folder(tmp_path, project, day, (project.solutions / day_file).read_text() + source)
    return grade(project, exercises=folder, day=day, task=task, runner=runner)


@pytest.mark.parametrize("day, task, source, words", [
    (8, "glcm_properties", UNQUANTISED_PROPERTIES, "error 242 million times the tolerance"),
    (10, "hamming", L2_HAMMING, "relative error 3.94 billion times its limit"),
])
def test_an_error_far_over_its_tolerance_reads_in_words_in_the_terminal_and_the_report(
        tmp_path, project, runner, day, task, source, words):
    import json
    import xml.etree.ElementTree as ET

    from grader.ci import exports

    run = graded_with(tmp_path, project, runner, day, task, source)
    t = run.tasks[0]
    assert t.outcome.value == "failed"
    worst = t.worst_case()
    shown = text(run)
    head = next(line for line in shown.splitlines() if f" {task} " in line)
    assert words in head, shown
    assert "e+" not in shown and "/tolerance" not in shown and "error/allowed" not in shown, shown
    assert shown.count(words) == 1, shown  # said beside the task, not again at the end of its message
    assert worst.message.split(" (")[0] in shown  # the check's own sentence stays

    html = report.render(build(run.course, run=run))
    assert f">{words}" in html and "e+0" not in html.replace(worst.verdict.exact(), "")
    assert f'title="{worst.verdict.exact()}"' in html  # the exact figure, for an instructor

    # The machine formats keep the exact figures; only the words people read changed.
    metric = json.loads(exports.render("json", run))["days"][0]["tasks"][0]["metric"]
    assert (metric["value"], metric["threshold"], metric["op"]) == (worst.verdict.value, 1.0, "<=")
    assert metric["name"] in ("error/tolerance", "relative error/allowed") and metric["text"] == words
    failure = ET.fromstring(exports.render("junit", run)).find("testsuite/testcase/failure")
    assert words in failure.text and "e+0" not in failure.text


def test_a_near_miss_keeps_its_figure_to_the_digits_that_matter(tmp_path, project, runner):
    import re

    run = graded_with(tmp_path, project, runner, 8, "glcm_properties", NEAR_MISS_PROPERTIES)
    worst = run.tasks[0].worst_case()
    assert 1.0 < worst.verdict.value <= 1.3
    found = re.search(r"error (\d+\.\d+) times the tolerance", text(run))
    assert found, text(run)
    assert float(found.group(1)) == pytest.approx(worst.verdict.value, rel=0.01)
