"""The bonus days 10 to 13 reach every place a day reaches: `list`, `watch`, the HTML report, `batch` and
`class.html`, `release` and every CI format.

Kept cheap: one grading of days 10 to 13 (day 12 solved, the others left as stubs) serves the report and
the CI formats, one batch of one such learner serves the gradebook and `class.html`, and `watch` re-grades
day 12 only, the bonus day that needs no scikit-learn.
"""
from __future__ import annotations

import csv
import json
import shutil
import threading
import time

import pytest

from grader.ci.exports import FORMATS, render
from grader.classroom import batch, classreport, gradebook
from grader.course import load_course
from grader.course.release import release
from grader.grading import grade
from grader.learner import report
from grader.learner.report import view as report_view
from grader.learner.watch import watch
from tests.cli_helpers import run_cli

BONUS = (10, 11, 12, 13)
TITLES = {10: "Features", 11: "Train your own AI: classify pictures", 12: "Detect and track",
          13: "Dive into deep learning: a first neural network"}
SOLVED = "day12_detect.py"


@pytest.fixture(scope="module")
def day12_solved(tmp_path_factory, project):
    """An exercises/ folder: the committed stubs, with day 12 replaced by its reference solution."""
    folder = tmp_path_factory.mktemp("bonus") / "exercises"
    shutil.copytree(project.exercises, folder)
    shutil.copyfile(project.solutions / SOLVED, folder / SOLVED)
    return folder


@pytest.fixture(scope="module")
def bonus_run(project, runner, day12_solved):
    return grade(project, exercises=day12_solved, day=list(BONUS), runner=runner)


def test_the_graded_run_holds_day_12_passed_and_the_other_bonus_days_not_attempted(bonus_run):
    assert [d.day.number for d in bonus_run.days] == [10, 11, 12, 13]
    assert {d.day.number: (d.points, d.max_points) for d in bonus_run.days} == {
        10: (0, 15), 11: (0, 16), 12: (16, 16), 13: (0, 17)}


def test_list_shows_every_bonus_day_with_its_title_lined_up():
    code, out, _ = run_cli("list")
    assert code == 0
    rows = {line[:6]: line for line in out.splitlines() if line.startswith("Day ")}
    for day in BONUS:
        assert rows[f"Day {day}"].startswith(f"Day {day}  {TITLES[day]}  "), out
    # One title column, days 9 and 10 alike.
    assert rows["Day 9 "].index("Pre-processing") == rows["Day 10"].index("Features") == 8


def test_watch_regrades_a_saved_bonus_day(project, tmp_path):
    exercises = tmp_path / "exercises"
    shutil.copytree(project.exercises, exercises)
    lines: list[str] = []
    stop, ready = threading.Event(), threading.Event()

    def echo(line=""):
        lines.append(str(line))
        if str(line).startswith("Watching"):
            ready.set()

    thread = threading.Thread(target=watch, args=(project,), daemon=True, kwargs=dict(
        exercises=exercises, echo=echo, should_stop=stop.is_set, record=False,
        render=lambda run: [f"{t.task.key}: {t.outcome.value}" for t in run.tasks]))
    thread.start()
    assert ready.wait(60)
    shutil.copyfile(project.solutions / SOLVED, exercises / SOLVED)
    deadline = time.monotonic() + 60
    while not any(line.startswith("[graded day 12") for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(30)
    assert "grading day 12…" in lines, lines
    assert [line for line in lines if line.startswith("day12.")] == [
        "day12.best_match: passed", "day12.box_iou: passed", "day12.nms: passed", "day12.detect: passed",
        "day12.track: passed", "day12.detect_titans: passed"]


def test_the_html_report_draws_every_bonus_day(bonus_run, course):
    html = report.render(report_view.build(course, run=bonus_run))
    for day in BONUS:
        assert f"Day {day} · {TITLES[day]}" in html


EXPECTED = {
    "text": [f"Day {day} · {TITLES[day]}" for day in BONUS] + ["Day 12: 5 of 5 tasks passed · challenge: gold"],
    "junit": [f'<testsuite name="day{day} {TITLES[day]}"' for day in BONUS],
    "markdown": [f"### Day 10 · {TITLES[10]}: 0/15 points", f"### Day 11 · {TITLES[11]}: 0/16 points",
                 f"### Day 12 · {TITLES[12]}: 16/16 points", f"### Day 13 · {TITLES[13]}: 0/17 points"],
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_ci_format_carries_every_bonus_day(bonus_run, fmt):
    out = render(fmt, bonus_run)
    if fmt == "json":
        doc = json.loads(out)
        assert [(d["day"], d["title"], d["points"], d["max_points"]) for d in doc["days"]] == [
            (10, TITLES[10], 0.0, 15.0), (11, TITLES[11], 0.0, 16.0), (12, TITLES[12], 16.0, 16.0),
            (13, TITLES[13], 0.0, 17.0)]
        assert doc["reference_versions"]["scikit-learn"]
    elif fmt == "gradescope":
        tests = json.loads(out)["tests"]
        by_day = {day: [t for t in tests if t["number"].startswith(f"{day}.")] for day in BONUS}
        assert {day: len(found) for day, found in by_day.items()} == {10: 6, 11: 7, 12: 6, 13: 7}
        assert {t["status"] for t in by_day[12]} == {"passed"}
        assert json.loads(out)["score"] == 16.0
    else:
        for expected in EXPECTED[fmt]:
            assert expected in out, (expected, out[:2000])


def test_batch_records_the_bonus_days_and_class_html_shows_them(project, runner, day12_solved, tmp_path):
    entries = tmp_path / "submissions"
    shutil.copytree(day12_solved, entries / "ann" / "exercises")
    out = tmp_path / "out"
    summary = batch.run(project, entries, out, runner=runner, reports=False)
    assert summary.graded == 1
    with gradebook.Gradebook(out / gradebook.DB_NAME) as book:
        rows = {(r["day"], r["task"]): r["outcome"] for r in book.tasks()}
        page = classreport.render(classreport.build(book, load_course()))
    assert {task: outcome for (day, task), outcome in rows.items() if day == 12} == {
        "best_match": "passed", "box_iou": "passed", "nms": "passed", "detect": "passed", "track": "passed",
        "detect_titans": "passed"}
    assert {day for day, _ in rows} >= set(BONUS)
    assert {outcome for (day, _), outcome in rows.items() if day in (10, 11, 13)} == {"not attempted"}
    # The heat map has a column per task, grouped under its day.
    for day, tasks in ((10, 6), (11, 7), (12, 6), (13, 7)):
        assert f'<th class="day" colspan="{tasks}">day {day}</th>' in page
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        (row,) = csv.DictReader(fh)
    assert [row[f"day{day} points"] for day in BONUS] == ["0", "0", "16", "0"], row
    assert (row["day12 challenge tier"], row["day12.detect_titans"]) == ("gold", "3"), row  # its points


def test_a_release_ships_the_bonus_days_without_their_solutions_or_catalogue(project, tmp_path):
    made = release(project, tmp_path / "learner-copy", check=False)
    copy = made.out
    released = load_course.__wrapped__(str(copy / "grader" / "course"))
    assert [d.number for d in released.days][-4:] == [10, 11, 12, 13]
    manifest = json.loads((copy / "reference_images" / "manifest.json").read_text())
    for day in released.days[-4:]:
        assert (copy / "exercises" / day.filename).read_text() == (project.root / "exercises" / day.filename).read_text()
        assert any(rel.startswith(f"inputs/day{day.number}/") for rel in manifest["files"]), day.number
    assert released.day(11).preload[0] == "sklearn"
    assert not (copy / "solutions").exists() and not (copy / "catalogue").exists()
