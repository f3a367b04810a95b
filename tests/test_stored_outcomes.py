"""The catalogued mistakes' outcomes that `references build` stores stand in for running the catalogue at every
grade, but only where they are exactly what a run would give (the proof, tests/test_catalogue.py, compares
them with the run on every visible case)."""
from __future__ import annotations

import json

import pytest

from grader.checks import Raised, check_for
from grader.course.build import same_value
from grader.course.references import References
from grader.course.cases import materialize
from grader.grading import grade
from grader.grading.entries import Entries

from tests.conftest import copy_project, learner_folder
from tests.test_references import _edit_swaps_blue_and_green


@pytest.fixture
def catalogue_runs(monkeypatch) -> list:
    """The task keys the catalogue was run for, in order."""
    ran = []
    real = Entries.run

    def run(self, runner, day, task, *args, **kwargs):
        ran.append(task.key)
        return real(self, runner, day, task, *args, **kwargs)

    monkeypatch.setattr(Entries, "run", run)
    return ran


def _to_rgb_as(project, tmp_path, body: str):
    """An exercises folder whose day 1 is the solution with to_rgb() replaced by ``body``."""
    source = (project.solutions / "day01_reading.py").read_text()
    return learner_folder(tmp_path, project, 1, source + f"\n\ndef to_rgb(image):\n    {body}\n")


def test_every_mistake_has_a_stored_outcome_on_every_stored_case_even_an_exception_or_a_repeat(project, course):
    refs = References(project.references)
    manifest = refs.manifest
    not_stored = manifest["mistakes_not_stored"]
    tasks = {t.key: t for d in course.days for t in d.tasks}
    kinds = {"raised": 0, "a repeat of another mistake's output": 0}
    for key in manifest["mistakes"]:
        task_key, case_id = key.split("/")
        task = tasks[task_key]
        case = next(c for c in task.cases if c.id == case_id)
        stored = refs.mistake_outputs(task, case, materialize(case, refs)[0],
                                      with_reference=check_for(task, case).needs_reference)
        wanted = {m.name for m in task.mistakes} - set(not_stored.get(key, []))
        assert set(stored) == wanted, key
        values = list(stored.values())
        kinds["raised"] += sum(isinstance(v, Raised) for v in values)
        kinds["a repeat of another mistake's output"] += sum(
            any(same_value(v, w) for w in values[:i]) for i, v in enumerate(values) if not isinstance(v, Raised))
    assert all(kinds.values()), kinds  # the forms an earlier build left out are here


def test_a_grade_names_a_mistake_from_the_stored_outcomes_without_running_the_catalogue(
        tmp_path, project, runner, catalogue_runs):
    folder = _to_rgb_as(project, tmp_path, "return image[:, :, [1, 0, 2]].copy()")
    run = grade(project, exercises=folder, day=1, task="to_rgb", runner=runner)
    (result,) = run.tasks
    assert not result.passed
    assert {n for c in result.cases if c.verdict for n in c.verdict.named} == {"swaps_blue_and_green"}
    assert catalogue_runs == []


def test_an_edited_catalogue_is_run_instead_of_its_stale_stored_outcomes(tmp_path, project, runner, catalogue_runs):
    course = copy_project(tmp_path, project)
    _edit_swaps_blue_and_green(course)  # now it swaps green and red; reference_images/ is not rebuilt
    folder = _to_rgb_as(course, tmp_path, "return image[:, :, [0, 2, 1]].copy()")
    run = grade(course, exercises=folder, day=1, task="to_rgb", runner=runner)
    (result,) = run.tasks
    assert {n for c in result.cases if c.verdict for n in c.verdict.named} == {"swaps_blue_and_green"}
    assert catalogue_runs and set(catalogue_runs) == {"day01.to_rgb"}


RETURNS_NONE = "return cv2.imread(path, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)"
RAISES_A_GENERIC_EXCEPTION = ("image = cv2.imread(path, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)\n"
                              "    if image is None:\n        raise Exception('bad file ' + path)\n    return image")


@pytest.mark.parametrize("copy", ["instructor's, with catalogue/", "learner's, without"])
@pytest.mark.parametrize("body, named, hint", [(RETURNS_NONE, "no_none_check", 2),
                                               (RAISES_A_GENERIC_EXCEPTION, "generic_exception", 2)])
def test_a_case_that_must_raise_names_the_mistake_with_the_same_outcome_and_shows_its_hint(
        tmp_path, project, runner, copy, body, named, hint):
    import shutil

    from grader.grading.naming import hint_for

    course = copy_project(tmp_path, project)
    if copy.endswith("without"):
        shutil.rmtree(course.root / "catalogue")
    source = (course.solutions / "day01_reading.py").read_text()
    folder = learner_folder(tmp_path, course, 1, source + "\n\ndef read_image(path, gray=False):\n"
                                                          f"    import cv2\n    {body}\n")
    (result,) = grade(course, exercises=folder, day=1, task="read_image", runner=runner).tasks
    (missing,) = [c for c in result.cases if c.case_id == "missing"]
    mistake = next(m for m in result.task.mistakes if m.name == named)
    assert missing.verdict.named == [named]
    assert missing.message.startswith(mistake.says)
    assert mistake.hint == hint and hint_for(result) == result.task.hints[hint - 1]


def test_stale_stored_outcomes_of_an_edited_mistake_rule_nothing_out_on_the_passing_cases(tmp_path, project, runner):
    course = copy_project(tmp_path, project)
    module = course.root / "catalogue" / "day04_blending.py"
    text = module.read_text()
    start = text.index("def add__always_saturates(")
    end = text.index("\n\n\n", start)
    module.write_text(text[:start] + "def add__always_saturates(first, second, saturate):\n"
                      "    return first + second" + text[end:])  # now it wraps, as the answer does; no rebuild
    source = (course.solutions / "day04_blending.py").read_text()
    folder = learner_folder(tmp_path, course, 4, source + "\n\ndef add(first, second, saturate):\n"
                                                          "    return first + second\n")
    (result,) = grade(course, exercises=folder, day=4, task="add", runner=runner).tasks
    named = {n for c in result.cases if c.verdict and not c.verdict.passed for n in c.verdict.named}
    assert named == {"always_saturates"}, [c.message for c in result.cases]


def test_unreadable_lists_of_stored_outcomes_are_one_line_errors_that_say_to_rebuild(tmp_path, project, course):
    from grader.errors import ReferenceError_

    copy = copy_project(tmp_path, project)
    path = copy.references / "manifest.json"
    doc = json.loads(path.read_text())
    doc["mistakes"] = []
    path.write_text(json.dumps(doc))
    task = next(t for d in course.days for t in d.tasks if t.key == "day04.add")
    refs = References(copy.references)
    with pytest.raises(ReferenceError_,
                       match="list of stored mistake outputs is unreadable: run `pixelkata references build`"):
        refs.mistake_outputs(task, task.cases[0], materialize(task.cases[0], refs)[0])


@pytest.mark.parametrize("body", [
    "raise ValueError('cannot read ' + path)",  # another exception than FileNotFoundError
    "raise FileNotFoundError()",  # the right one, without saying which file
])
def test_any_failure_on_the_missing_file_case_shows_the_hint_for_that_case(tmp_path, project, runner, body):
    from grader.grading.naming import hint_for

    source = (project.solutions / "day01_reading.py").read_text()
    folder = learner_folder(tmp_path, project, 1, source + "\n\ndef read_image(path, gray=False):\n    import cv2\n"
                                                          "    image = cv2.imread(path, cv2.IMREAD_GRAYSCALE if gray "
                                                          "else cv2.IMREAD_COLOR)\n    if image is None:\n"
                                                          f"        {body}\n    return image\n")
    (result,) = grade(project, exercises=folder, day=1, task="read_image", runner=runner).tasks
    assert [c.case_id for c in result.cases if str(c.outcome) != "passed"] == ["missing"]
    assert hint_for(result) == result.task.hints[1]  # check for None and raise FileNotFoundError, not BGR order


def test_a_case_hint_that_is_not_one_of_the_tasks_hints_is_refused():
    from grader.course.manifest import CourseError, _load_task

    task = {"name": "f", "title": "f", "points": 1, "check": {"kind": "pixels"}, "hints": ["one"],
            "cases": [{"id": "a", "hint": 2}]}
    with pytest.raises(CourseError, match="case a of 'f' has hint = 2: give the number of one of the task's 1 hints"):
        _load_task(99, task, "day99.toml")
