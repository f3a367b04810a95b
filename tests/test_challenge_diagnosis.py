"""A challenge below gold shows the classic mistake its cases show, in the terminal, the report and the store."""
from __future__ import annotations

import click

from grader.grading import grade
from grader.learner import progress, report, terminal
from grader.learner.report.view import build
from tests.conftest import learner_folder

SWAPPED = "with red and blue swapped"


def swapped_montage(tmp_path, project, runner):
    source = (project.solutions / "day01_reading.py").read_text() + (
        "\n\n_reference_montage = montage\n\n"
        "def montage(images, height):\n"
        "    return _reference_montage(images, height)[:, :, ::-1].copy()\n")
    folder = learner_folder(tmp_path, project, 1, source)
    return grade(project, exercises=folder, day=1, task="montage", runner=runner, keep_images=True)


def test_a_tiered_result_shows_its_diagnosis_everywhere(tmp_path, project, runner):
    run = swapped_montage(tmp_path, project, runner)
    t = run.tasks[0]
    assert t.task.challenge and t.tier == "bronze"  # it earns a tier, so it counts as passed
    text = "\n".join(click.unstyle(line) for line in terminal.render(run))
    assert "bronze: 0.751; silver at 0.850. Your picture is the expected one " + SWAPPED in text

    html = report.render(build(run.course, run=run))
    assert "silver at 0.850. Your picture is the expected one " + SWAPPED in html

    record = progress.run_record(run)
    assert SWAPPED in record.tasks[0].message


def test_a_gold_challenge_shows_no_mistake(project, solutions_run):
    montage = next(t for t in solutions_run.tasks if t.task.key == "day01.montage")
    assert montage.tier == "gold"
    assert terminal.task_message(montage) == montage.message
