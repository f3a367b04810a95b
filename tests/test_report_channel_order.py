"""The report's thumbnails say which channel order they are drawn in where neighbours differ, so that the
pictures and the words agree (an unchanged answer to to_rgb looks swapped beside the input)."""
from __future__ import annotations

import pytest

from grader.grading import grade
from grader.learner.report.view import build
from tests.mixed import mixed_exercises

RGB = "drawn as RGB, the order the task asks for (a picture left in BGR shows red and blue swapped)"
BGR = "drawn as BGR, OpenCV's order"


@pytest.fixture(scope="module")
def view(tmp_path_factory, project, runner):
    folder = mixed_exercises(tmp_path_factory.mktemp("order"), project)
    run = grade(project, exercises=folder, day=1, runner=runner, keep_images=True)
    return build(run.course, run=run), run


def pictures(view, task):
    day = next(d for d in view.days if d.number == 1)
    return {p.label: p for p in next(t for t in day.tasks if t.name == task).pictures}


def test_an_rgb_task_labels_each_colour_thumbnail_with_its_order(view):
    page, run = view
    to_rgb = next(t for t in run.tasks if t.name == "to_rgb")
    assert "unchanged" in to_rgb.message  # the words: your answer is the input as it was
    shown = pictures(page, "to_rgb")
    assert shown["yours"].caption == RGB and shown["expected"].caption == RGB
    assert shown["input"].caption == BGR
    titles = [f.title for f in page.fulls if f.back == "day01-to_rgb"]
    assert any(t.endswith("yours, drawn as RGB") for t in titles)  # the full-size view says it too


def test_a_bgr_task_draws_every_thumbnail_alike_and_says_nothing_of_order(view):
    page, _ = view
    shown = pictures(page, "flip_rotate")
    assert shown and all("drawn as" not in p.caption for p in shown.values())
