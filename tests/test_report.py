"""The HTML report: self-contained, failures first, escaped, sensible in size; and its commands."""
from __future__ import annotations

import re

import pytest

from grader.learner import history
from grader.learner import progress
from grader.learner import report
from grader.errors import PixelkataError
from grader.grading import grade
from grader.learner.report.view import build
from tests.conftest import copy_project
from tests.mixed import EXPECTED, mixed_exercises
from tests.test_cli import run_cli
from tests.test_progress import small_run


@pytest.fixture(scope="module")
def mixed_day1(tmp_path_factory, project, runner):
    tmp = tmp_path_factory.mktemp("mixed")
    return grade(project, exercises=mixed_exercises(tmp, project), day=1, runner=runner, keep_images=True)


def outcomes_in_page(html: str) -> list:
    return re.findall(r'<li class="task [^"]*" id="day01-(\w+)" data-outcome="([^"]+)"', html)


def test_the_page_is_one_offline_file_with_failures_first(tmp_path, project, mixed_day1):
    saved = report.save_run(project, mixed_day1, report_path=tmp_path / "r.html", db_path=tmp_path / "p.db")
    assert saved.ok and saved.notes == []
    html = saved.report.read_text()
    rows = outcomes_in_page(html)
    assert dict(rows) == EXPECTED
    order = [o for _, o in rows]
    assert order[:3] == ["error", "failed", "failed"] and order[3] == "not attempted" and set(order[4:]) == {"passed"}
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from anywhere
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert html.count('class="lightbox"') == len(set(re.findall(r'href="#(full-[^"]+)"', html)))
    # Pictures a failed task is judged on are exact; a passed task's open as previews.
    assert re.search(r'id="full-\w+-l".*?data:image/(png|webp)', html, re.S)


def test_every_picture_task_shows_expected_yours_difference_and_input(tmp_path, project, mixed_day1):
    view = build(mixed_day1.course, run=mixed_day1)
    tasks = {t.name: t for d in view.days for t in d.tasks}
    assert [p.label for p in tasks["flip_rotate"].pictures] == ["expected", "yours", "difference", "input"]
    assert tasks["flip_rotate"].case == "rotate_cw" and tasks["flip_rotate"].pictures[0].full_id
    assert [p.label for p in tasks["resize"].pictures] == ["expected", "input"]  # it raised: nothing of yours
    assert tasks["resize"].traceback and "ValueError" in tasks["resize"].traceback
    assert [p.label for p in tasks["pick"].pictures] == []  # not attempted, and no picture to aim for
    assert tasks["shape_of"].table and tasks["shape_of"].table[0].expected == "(300, 451, 3)"
    assert tasks["to_rgb"].hint and not tasks["crop"].hint  # hints only where work is left
    bars = {b.label: b for b in view.bars}
    graded = [t for t in mixed_day1.course.tasks() if not t.challenge]  # the bars cover the whole course
    assert (bars["tasks"].value, bars["tasks"].total) == (3, len(graded))
    assert bars["points"].value == mixed_day1.points and bars["tiers"].value == 3


def test_a_full_day_1_report_stays_small(tmp_path, project, solutions_run, runner):
    run = grade(project, exercises=project.solutions, day=1, runner=runner, keep_images=True)
    saved = report.save_run(project, run, report_path=tmp_path / "r.html", db_path=tmp_path / "p.db")
    size = saved.report.stat().st_size
    print(f"full Day 1 report, every task passed: {size:,} bytes")
    assert 20_000 < size < 400_000


def test_learner_text_is_escaped(tmp_path, course):
    rec = small_run({"crop": "failed"})
    rec.id = 1
    bad = next(t for t in rec.tasks if t.task == "crop")
    bad.message = 'expected <script>alert("x")</script> & `cv2.flip`'
    view = build(course, standing=history.summarise([rec], course))
    html = report.render(view)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<code>cv2.flip</code>" in html and "&amp; " in html


def test_a_report_path_in_a_missing_folder_or_a_folder_is_a_clear_error(tmp_path, project, solutions_run):
    with pytest.raises(PixelkataError, match=r"the folder .*nowhere does not exist.*--report"):
        report.write(tmp_path / "nowhere" / "r.html", "<html>", default=tmp_path / "d.html")
    with pytest.raises(PixelkataError, match="it is a folder"):
        report.write(tmp_path, "<html>", default=tmp_path / "d.html")
    saved = report.save_run(project, solutions_run, report_path=tmp_path / "nowhere" / "r.html",
                            db_path=tmp_path / "p.db")
    assert not saved.ok and saved.report is None and "does not exist" in saved.errors[0]
    assert len(progress.load_runs(tmp_path / "p.db")[0]) == 1  # the run was still recorded


def test_a_folder_that_refuses_the_report_is_a_clear_error(tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(report.tempfile, "mkstemp", refuse)
    with pytest.raises(PixelkataError, match=r"cannot write the report to .*Permission denied.*--report"):
        report.write(tmp_path / "r.html", "<html>", default=tmp_path / "d.html")


def test_grade_writes_the_report_and_records_the_run_in_the_course(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    code, out, err = run_cli(capsys, "grade", "1", "--root", str(course.root), "--exercises", str(course.solutions),
                             "--record")
    assert code == 0
    assert f"Report: {course.state / 'report.html'}" in err
    assert "Read and manipulate images" in (course.state / "report.html").read_text()
    code, out, err = run_cli(capsys, "progress", "--root", str(course.root))
    assert code == 0 and re.search(r"^\s+1\s+Read and manipulate images\s+17/17\s+17/17\s+1\s+gold$", out, re.M), out
    target = tmp_path / "again.html"
    code, out, err = run_cli(capsys, "report", "--root", str(course.root), "--report", str(target))
    assert code == 0 and f"Report: {target}" in err
    html = target.read_text()
    assert "re-drawn from the progress database" in html and "data:image" not in html
    assert [o for _, o in outcomes_in_page(html)] == ["passed"] * 8


def test_open_starts_the_browser_on_the_report(capsys, tmp_path, project, monkeypatch):
    course = copy_project(tmp_path, project)
    opened = []
    monkeypatch.setattr("grader.learner.report.open_in_browser", lambda path: opened.append(str(path)) or True)
    code, _, _ = run_cli(capsys, "grade", "1", "shape_of", "--root", str(course.root), "--open")
    assert code == 0 and opened == [str(course.state / "report.html")]


def test_grade_with_a_bad_report_path_still_shows_results_and_exits_2(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    code, out, err = run_cli(capsys, "grade", "1", "shape_of", "--root", str(course.root),
                             "--report", str(tmp_path / "missing" / "r.html"))
    assert code == 2 and "shape_of" in out
    assert "Error: cannot write the report" in err and "does not exist" in err and "Traceback" not in err


def test_a_newer_database_stops_recording_but_not_grading(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    code, _, _ = run_cli(capsys, "grade", "1", "shape_of", "--root", str(course.root))
    db = course.state / "progress.db"
    import sqlite3
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {progress.SCHEMA_VERSION + 5}")
    conn.close()
    before = db.read_bytes()
    code, out, err = run_cli(capsys, "grade", "1", "shape_of", "--root", str(course.root))
    assert code == 2 and "shape_of" in out and "newer pixelkata" in err and "not recorded" in err
    assert db.read_bytes() == before
    assert "newer pixelkata" in (course.state / "report.html").read_text()
    code, _, err = run_cli(capsys, "progress", "--root", str(course.root))
    assert code == 2 and err.startswith("Error: ") and "newer pixelkata" in err


def test_progress_and_report_before_any_grading_say_what_to_do(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    for command in ("progress", "report"):
        code, _, err = run_cli(capsys, command, "--root", str(course.root))
        assert code == 2 and "run `pixelkata grade` first" in err, err
        assert not (course.state / "progress.db").exists()


def test_the_report_and_class_templates_are_shipped():
    # Every package is checked in test_exports; here, the templates beside them.
    from grader.course import tomllib
    from tests.conftest import ROOT

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "templates/*" in setup["package-data"]["grader.learner"]
    assert "templates/*" in setup["package-data"]["grader.classroom"]
    assert (ROOT / "grader" / "learner" / "templates" / "report.html.j2").is_file()
    assert (ROOT / "grader" / "classroom" / "templates" / "class.html.j2").is_file()


def test_a_report_of_untouched_stubs_says_where_to_begin(project, runner, tmp_path):
    from grader.learner import report
    from grader.grading import grade
    from grader.learner.report.view import build

    run = grade(project, exercises=project.exercises, day=1, runner=runner)
    page = report.render(build(run.course, run=run))
    assert "Nothing attempted yet: open <code>exercises/day01_reading.py</code>" in page
    assert "<code>pixelkata grade 1</code>" in page


def test_the_report_shows_the_hint_the_terminal_shows_then_and_when_drawn_again(tmp_path, project, runner):
    from markupsafe import escape

    from grader.course import load_course
    from grader.learner import terminal
    from tests.test_feedback_cases import HERE

    run = grade(project, exercises=HERE / "07-sobel-cv8u", day=5, task="sobel", runner=runner)
    hints = load_course().day(5).task("sobel").hints
    third = hints[2]  # the CV_8U mistake's hint, not the first one
    assert any(line.endswith(third) for line in terminal.render(run))
    sobel = next(t for d in build(run.course, run=run).days for t in d.tasks if t.name == "sobel")
    assert sobel.hint == third
    db = tmp_path / "p.db"
    saved = report.save_run(project, run, report_path=tmp_path / "r.html", db_path=db)
    assert str(escape(third)) in saved.report.read_text() and str(escape(hints[0])) not in saved.report.read_text()
    with progress.open_store(db) as store:
        standing = history.summarise(store.runs(), run.course)
    again = next(t for d in build(run.course, standing=standing).days for t in d.tasks if t.name == "sobel")
    assert not again.fresh and again.hint == third
    from grader.ci import exports

    for fmt in ("text", "json", "junit", "gradescope", "markdown"):  # the CI formats say the same
        shown = exports.render(fmt, run)
        assert "Use CV_64F, not CV_8U" in shown and "is the x derivative and (0, 1)" not in shown, fmt


def test_an_edge_map_difference_shows_missed_and_extra_edges_alike():
    import numpy as np

    from grader.learner.report.pictures import EXTRA_BGR, MISSED_BGR
    from grader.learner.report.view import _difference
    from tests.test_check_edges import compare, square

    ref = square()  # a 30 x 30 outline: 116 edge pixels
    inverted = compare(255 - ref, ref)  # every pixel an edge but the outline: all extra, none missed
    picture, caption = _difference(inverted.maps, "missed")["difference"]
    assert caption == "orange: 0 pixels missed · blue: 4,456 pixels extra"
    assert int((picture == EXTRA_BGR).all(axis=2).sum()) == 4456 and not (picture == MISSED_BGR).all(axis=2).any()
    empty = compare(np.zeros_like(ref), ref)
    assert _difference(empty.maps, "missed")["difference"][1] == "orange: 116 pixels missed · blue: 0 pixels extra"
    same = compare(ref, ref)
    assert _difference(same.maps, "missed")["difference"][1] == "nothing missed and nothing extra"
    parts = {"outline missed": empty.maps["missed"], "outline extra": empty.maps["extra"]}
    assert _difference(parts, "outline missed")["difference"][1] == \
        "outline, orange: 116 pixels missed · blue: 0 pixels extra"

    # In a failed task's report, the difference opens at full size with every pixel exact (no JPEG smear).
    from grader.learner.report.view import TaskView, _Album, _pictures

    view = TaskView(anchor="day05-canny", day=5, name="canny", title="Canny", outcome="failed", points=0,
                    max_points=2)
    album = _Album()
    shown = _pictures(view, {"expected": ref, "yours": 255 - ref, **inverted.maps}, album, outcome="failed", rgb=False)
    assert [p.label for p in shown] == ["expected", "yours", "difference"]
    assert shown[2].caption == "orange: 0 pixels missed · blue: 4,456 pixels extra"
    full = next(f for f in album.fulls if f.id == shown[2].full_id)
    assert full.lossless and full.image.uri.startswith(("data:image/png", "data:image/webp"))


def test_a_mask_difference_caption_counts_the_pixels_that_differ_either_way():
    import numpy as np

    from grader.learner.report.view import _difference

    xor = np.zeros((5, 5), np.float32)
    xor[0, :3] = 1  # three pixels differ, whichever way
    assert _difference({"difference": xor}, "difference")["difference"][1] == "bright where they differ (3 pixels)"
    one = np.zeros((5, 5), np.float32)
    one[2, 2] = 1
    assert _difference({"difference": one}, "difference")["difference"][1] == "bright where they differ (1 pixel)"


def test_grade_the_report_and_progress_count_tasks_and_challenges_alike(tmp_path, project, mixed_day1):
    import click

    from grader.learner import terminal

    total = next(click.unstyle(line) for line in terminal.render(mixed_day1) if "Total:" in line)
    assert total == ("Total: 10.5/17 points · 3 of 7 tasks passed, 2 failed, 1 not attempted, 1 error · "
                     "1 of 1 challenge with a tier")
    graded = sum(1 for t in mixed_day1.course.tasks() if not t.challenge)
    challenges = len(mixed_day1.course.days)  # one a day
    db = tmp_path / "p.db"
    saved = report.save_run(project, mixed_day1, report_path=tmp_path / "r.html", db_path=db)
    html = saved.report.read_text()
    assert f"3 of {graded} tasks passed" in html
    assert f"1 of {challenges} challenges with a tier" in html
    with progress.open_store(db) as store:
        now = history.lines(history.summarise(store.runs(), mixed_day1.course))[-1]
    assert f"3 of {graded} tasks passed · 1 of {challenges} challenges with a tier (each as last graded" in now


def test_counts_are_plural_only_when_they_should_be():
    from grader.grading.results import tally

    assert tally([("not attempted", False, None)]) == "0 of 1 task passed, 1 not attempted"
    assert tally([("passed", False, None), ("passed", False, None), ("failed", True, None)]) == \
        "2 of 2 tasks passed · 0 of 1 challenge with a tier"
    assert tally([("passed", True, "silver"), ("not attempted", True, None)]) == "1 of 2 challenges with a tier"


def test_the_library_versions_shown_are_said_to_be_the_references_not_the_learners(tmp_path, project, mixed_day1):
    saved = report.save_run(project, mixed_day1, report_path=tmp_path / "r.html", db_path=tmp_path / "p.db")
    html = saved.report.read_text()
    assert re.search(r"References built with [^<]*numpy \S+", html), "the versions line is not labelled"
