"""A case may name its reference itself: a true answer drawn with the inputs, not the solution's output."""
from __future__ import annotations

import numpy as np
import pytest

from grader.course import build
from grader.course.cases import inputs_used, truth_input
from grader.course import Case, CourseError, load_course
from grader.course.references import References
from tests.conftest import copy_project


def ring_case():
    task = load_course().day(3).task("ring_masks")
    return task, task.cases[0]


def test_the_true_reference_is_the_named_input_and_nothing_of_the_solution_is_stored(project):
    task, case = ring_case()
    refs = References(project.references)
    truth = refs.expected(task, case)
    assert isinstance(truth, np.ndarray) and truth.shape[0] == 5
    assert np.array_equal(truth, refs.load_input("day03/ring_masks.npy"))
    assert not any(rel.startswith("expected/day03/ring_masks/") for rel in refs.manifest["files"])


def test_the_true_reference_counts_as_an_input_the_case_uses():
    _, case = ring_case()
    assert truth_input(case) == "day03/ring_masks.npy"
    assert "day03/ring_masks.npy" in inputs_used(case)


def test_a_malformed_true_reference_is_an_authors_error():
    with pytest.raises(CourseError, match="expected must be a table"):
        truth_input(Case(id="x", options={"expected": "day03/ring_masks.npy"}))
    assert truth_input(Case(id="x")) is None


def test_verify_and_build_report_a_solution_that_falls_short_of_the_truth(tmp_path, project, runner):
    course = copy_project(tmp_path, project)
    sol = course.solutions / "day03_colour.py"
    sol.write_text(sol.read_text() + "\n\ndef ring_masks(image):\n    return np.zeros((5,) + image.shape[:2], np.uint8)\n")
    problems = build.verify(course, runner=runner, days=[3])
    assert [p.where for p in problems] == ["day03.ring_masks case lit"]
    assert "true reference" in problems[0].problem
    with pytest.raises(build.PixelkataError, match="against the true reference on day03.ring_masks case lit"):
        build.build(course, runner=runner, log=lambda *_: None)
