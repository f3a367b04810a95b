"""Cases that fix their own answer (ground truth), and the detail a challenge shows with its tier."""
from __future__ import annotations

import pytest

from grader.course.cases import inputs_used
from grader.checks import Verdict
from grader.course import Case, CourseError, Task
from grader.course.references import References
from grader.grading.results import CaseResult, Outcome, aggregate


def test_a_fixed_answer_is_read_from_the_case_not_from_stored_references(project):
    refs = References(project.references)
    task = Task(day=1, name="nowhere", title="", summary="", points=1, hints=(), check={"kind": "value"}, cases=())
    literal = Case(id="x", options={"expected": ["salt", "pepper"]})
    assert refs.expected(task, literal) == ["salt", "pepper"]
    picture = Case(id="y", options={"expected": {"image": "day01/haori.png"}})
    assert (refs.expected(task, picture) == refs.load_input("day01/haori.png")).all()
    assert inputs_used(picture) == {"day01/haori.png"}
    with pytest.raises(CourseError, match="expected must be a plain value or a table"):
        refs.expected(task, Case(id="z", options={"expected": {"path": "day01/haori.png"}}))


def test_a_challenge_shows_the_measurements_behind_its_score():
    task = Task(day=1, name="c", title="", summary="", points=3, hints=(), challenge=True, cases=(Case(id="a"),),
                check={"kind": "quality", "tiers": {"bronze": 1, "silver": 2, "gold": 3}})
    verdict = Verdict(True, metric="quality level", value=2.5, detail="PSNR 28.00 dB, SSIM 0.800.")
    result = aggregate(task, [CaseResult("a", Outcome.PASSED, verdict=verdict)])
    assert result.tier == "silver"
    assert result.message == "silver: 2.500; gold at 3.000. PSNR 28.00 dB, SSIM 0.800."


def test_the_fixed_answers_of_days_6_and_8_are_the_ones_the_pictures_were_made_with(course):
    from grader.course.pictures import day06, day08

    def case(day, task, case_id):
        return next(c for c in course.day(day).task(task).cases if c.id == case_id)

    for file, kind, _ in day06.THREATS:
        c = next(c for c in course.day(6).task("noise_kind").cases if c.args[0] == {"image": file})
        assert c.options["expected"] == kind, file
    unseen = case(6, "name_noise", "unseen")
    assert [a["image"] for a in unseen.args[0]] == [u[0] for u in day06.UNSEEN]
    assert unseen.options["expected"] == [u[1] for u in day06.UNSEEN]
    for file, sigma, _ in day06.LEVELS:
        c = next(c for c in course.day(6).task("estimate_noise").cases if c.args[0] == {"image": file})
        assert c.options["expected"] == sigma, file
    held_back = case(8, "classify_textures", "held-back")
    assert held_back.args[1] == day08.training_set()[1]
    assert held_back.options["expected"] == day08.test_set()[1]


def test_verify_reports_a_solution_that_no_longer_passes_against_its_fixed_answer(tmp_path, project, runner):
    from grader.course import build
    from tests.conftest import copy_project

    course = copy_project(tmp_path, project)
    sol = course.solutions / "day06_noise.py"
    sol.write_text(sol.read_text() + "\n\ndef estimate_noise(image):\n    return float(image.std())\n")
    problems = build.verify(course, runner=runner, days=[6])
    assert {p.where for p in problems} == {f"day06.estimate_noise case {c}" for c in ("quiet", "cameraman", "loud")}
    assert all("no longer passes against the case's true reference" in p.problem for p in problems)
