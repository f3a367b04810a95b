"""Hidden variants: fair to every correct answer, hard on hard-coded ones, and configurable per task."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from grader.course import variants
from grader.course import CourseError, load_course
from grader.grading.results import Outcome
from tests.cli_helpers import run_cli
from tests.conftest import ROOT, learner_folder
from tests.controls import all_controls, module_source
from tests.test_batch import hard_coded_to_rgb

COUNT = 2


@pytest.fixture(scope="module")
def vset(project, runner):
    with variants.prepare(project, count=COUNT, seed=11, runner=runner) as made:
        yield made


def test_every_task_gets_its_variants_with_fresh_inputs(vset, course):
    for task in course.tasks():
        if task.variants is False or (task.variants in (True, None) or not task.variants.get("ranges")) and \
                not any(variants.varies(c) for c in task.cases):
            assert task.key in vset.skipped and vset.made.get(task.key) is None
            continue
        assert vset.made[task.key] == COUNT, vset.skipped.get(task.key)
        made = vset.course.day(task.day).task(task.name)
        for case in made.cases:
            named = [v for a in case.args for v in _inputs(a)]
            assert all(name.startswith("variants/") for name in named), case


def _inputs(spec):
    if isinstance(spec, list):
        return [n for s in spec for n in _inputs(s)]
    if isinstance(spec, dict) and len(spec) == 1:
        (key, val), = spec.items()
        if key in ("image", "path"):
            return [val]
        if key == "tuple":
            return _inputs(list(val))
    return []


def test_the_reference_solutions_pass_every_variant(vset, project, runner):
    hidden = variants.grade_variants(project, project.solutions, vset, runner)
    for t in hidden.tasks:
        assert t.outcome is Outcome.PASSED, (t.task.key, t.message)


def test_stubs_are_not_attempted_on_the_variants_too(vset, project, runner):
    hidden = variants.grade_variants(project, project.exercises, vset, runner, run_untouched=True)
    assert {t.outcome for t in hidden.tasks} == {Outcome.NOT_ATTEMPTED}
    # Judged without running them, the untouched stubs read the same on the variants.
    judged = variants.grade_variants(project, project.exercises, vset, runner)
    assert [(t.task.key, t.outcome, t.points, t.message) for t in judged.tasks] == \
           [(t.task.key, t.outcome, t.points, t.message) for t in hidden.tasks]
    assert [[(c.case_id, c.outcome, c.message) for c in t.cases] for t in judged.tasks] == \
           [[(c.case_id, c.outcome, c.message) for c in t.cases] for t in hidden.tasks]


CORRECT = [c for c in all_controls() if c.kind == "correct"]


@pytest.mark.parametrize("control", CORRECT, ids=[c.id for c in CORRECT])
def test_every_correct_answer_written_another_way_passes_the_variants(control, vset, project, runner, tmp_path):
    day = load_course().day(control.day)
    folder = learner_folder(tmp_path, project, control.day, module_source(project.solutions / day.filename, control))
    hidden = variants.grade_variants(project, folder, vset, runner, day=control.day, task=control.task)
    if hidden is None:
        pytest.skip(f"{control.task} has no variants")
    (task,) = hidden.tasks
    assert task.outcome is Outcome.PASSED, (control.id, task.message)


def test_a_hard_coded_answer_passes_the_visible_cases_and_fails_the_variants(vset, project, runner, tmp_path):
    from grader.grading import grade

    folder = learner_folder(tmp_path, project, 1, hard_coded_to_rgb(project))
    visible = grade(project, exercises=folder, day=1, task="to_rgb", runner=runner)
    hidden = variants.grade_variants(project, folder, vset, runner, day=1, task="to_rgb")
    assert visible.tasks[0].outcome is Outcome.PASSED
    assert hidden.tasks[0].outcome is Outcome.FAILED
    joined = variants.compare(visible, hidden)
    assert joined["day01.to_rgb"].hard_coded


def test_the_same_seed_makes_the_same_variants_and_another_seed_others(project, runner):
    def inputs(seed):
        with variants.prepare(project, count=1, seed=seed, runner=runner, day=1, task="crop") as made:
            case = made.course.day(1).task("crop").cases[0]
            return made.refs.load_input(case.args[0]["image"]).copy(), case.args[1:]

    a, b, c = inputs(5), inputs(5), inputs(6)
    assert np.array_equal(a[0], b[0]) and a[1] == b[1]
    assert not (a[0].shape == c[0].shape and np.array_equal(a[0], c[0]))


def test_variants_never_touch_the_course_folder(project, runner):
    before = sorted(p.relative_to(project.root) for p in project.references.rglob("*"))
    with variants.prepare(project, count=1, seed=3, runner=runner, day=1) as made:
        scratch = made.refs.scratch
        assert scratch.exists() and project.root not in scratch.parents
    assert not scratch.exists()
    assert sorted(p.relative_to(project.root) for p in project.references.rglob("*")) == before


def task_with(variants_value):
    task = load_course().day(1).task("pick")
    return dataclasses.replace(task, variants=variants_value)


def test_a_task_with_nothing_to_vary_says_so(project, runner):
    course = load_course()
    day = course.day(1)
    plain = dataclasses.replace(day.task("shape_of"), cases=tuple(
        dataclasses.replace(c, args=(5,)) for c in day.task("shape_of").cases))
    patched = dataclasses.replace(course, days=(dataclasses.replace(day, tasks=(plain,)),))
    with variants.prepare(project, count=1, seed=1, runner=runner, course=patched, day=1) as made:
        assert "nothing to vary" in made.skipped["day01.shape_of"] and not made.course.days


def test_a_task_may_opt_out(project, runner, monkeypatch):
    assert variants.spec_for(task_with(False)).enabled is False
    assert variants.spec_for(task_with({"enabled": False})).enabled is False
    course = load_course()
    day = course.day(1)
    tasks = tuple(dataclasses.replace(t, variants=False) if t.name == "pick" else t for t in day.tasks)
    patched = dataclasses.replace(course, days=(dataclasses.replace(day, tasks=tasks),))
    with variants.prepare(project, count=1, seed=1, runner=runner, course=patched, day=1) as made:
        assert made.course.day(1).task("pick") is None
        assert "opts out" in made.skipped["day01.pick"]


def test_declared_ranges_redraw_parameters_within_them(project, runner):
    course = load_course()
    day = course.day(1)
    ranged = {"ranges": {"channel": [0, 2], "x": [0, 40]}, "transforms": ["flip"]}
    tasks = tuple(dataclasses.replace(t, variants=ranged) if t.name == "pick" else t for t in day.tasks)
    patched = dataclasses.replace(course, days=(dataclasses.replace(day, tasks=tasks),))
    with variants.prepare(project, count=4, seed=2, runner=runner, course=patched, day=1, task="pick") as made:
        cases = made.course.day(1).task("pick").cases
        assert len(cases) == 4
        for case in cases:
            assert 0 <= case.args[1] <= 40 and 0 <= case.args[3] <= 2
        assert len({(c.args[1], c.args[3]) for c in cases}) > 1


@pytest.mark.parametrize("table, phrase", [
    ({"ranges": {"chanel": [0, 2]}}, "not a parameter of pick()"),
    ({"ranges": {"channel": [2, 0]}}, "must be [low, high]"),
    ({"ranges": {"channel": "0..2"}}, "must be [low, high]"),
    ({"transforms": ["blur"]}, "unknown transforms"),
    ({"colour": True}, "unknown keys"),
])
def test_a_malformed_variants_table_is_a_clear_course_error(project, table, phrase):
    params = variants.solution_parameters(project.solutions / "day01_reading.py", "pick")
    with pytest.raises(CourseError, match=phrase.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        variants.spec_for(task_with(table), params)


def test_every_task_of_the_course_has_a_valid_variants_setting(project, course):
    for day in course.days:
        for task in day.tasks:
            variants.spec_for(task, variants.solution_parameters(project.solutions / day.filename, task.function))


def test_grade_with_variants_on_the_command_line(tmp_path, project):
    folder = learner_folder(tmp_path, project, 1, hard_coded_to_rgb(project))
    code, out, err = run_cli("grade", "1", "to_rgb", "--variants", "2", "--seed", "4", "--exercises", folder,
                             "--root", ROOT)
    assert code == 1, err
    assert "✔ to_rgb" in out and "Hidden variants (2 per task, seed 4)" in out
    assert "may be hard-coded" in out
    code, out, _ = run_cli("grade", "1", "to_rgb", "--variants", "2", "--exercises", ROOT / "solutions",
                           "--root", ROOT)
    assert code == 0 and "2/2 variants passed" in out


def test_variants_need_the_solutions(tmp_path, project):
    from tests.conftest import copy_project

    course = copy_project(tmp_path, project)
    import shutil

    shutil.rmtree(course.solutions)
    code, _, err = run_cli("grade", "1", "--variants", "1", "--root", course.root)
    assert code == 2 and "need the reference solution" in err


def test_check_course_reports_a_malformed_variants_table(project, monkeypatch):
    from grader.course import lint

    course = load_course()
    day = course.day(1)
    tasks = tuple(dataclasses.replace(t, variants={"ranges": {"chanel": [0, 2]}}) if t.name == "pick" else t
                  for t in day.tasks)
    patched = dataclasses.replace(course, days=(dataclasses.replace(day, tasks=tasks),) + course.days[1:])
    monkeypatch.setattr(lint, "load_course", lambda: patched)
    problems = lint.check_course(project, log=lambda *a: None)
    assert any("day01.pick: variants: range for 'chanel'" in p for p in problems), problems


def test_a_challenge_passes_a_variant_by_reaching_a_tier_not_by_the_default_pass_mark(vset, project, runner,
                                                                                      tmp_path):
    from grader.grading import grade

    # Nearest-neighbour scaling is a fair montage: it reaches a tier, below the ssim check's default
    # pass mark (0.98) on the variants.
    nearest = (project.solutions / load_course().day(1).filename).read_text().replace(
        "interpolation=cv2.INTER_AREA", "interpolation=cv2.INTER_NEAREST")
    assert "INTER_NEAREST" in nearest
    folder = learner_folder(tmp_path, project, 1, nearest)
    visible = grade(project, exercises=folder, day=1, task="montage", runner=runner)
    hidden = variants.grade_variants(project, folder, vset, runner, day=1, task="montage")
    (task,) = hidden.tasks
    assert task.tier in ("bronze", "silver", "gold") and task.outcome is Outcome.PASSED, task.message
    assert any(not c.verdict.passed for c in task.cases), "no variant falls below the default pass mark"
    tv = variants.compare(visible, hidden)["day01.montage"]
    assert (tv.passed, tv.total) == (2, 2)
    assert not tv.hard_coded
    line = next(x for x in variants.summary_lines(visible, hidden, vset) if "day01.montage" in x)
    assert "2/2 variants passed" in line and line.lstrip().startswith("✔")


def test_the_hard_coded_flag_is_one_rule_for_the_terminal_and_the_gradebook():
    from grader.classroom.gradebook import TaskRow

    cases = [("passed", "failed", True), ("passed", "not attempted", True), ("passed", "passed", False),
             ("failed", "failed", False), ("passed", None, False)]
    for visible, hidden, flagged in cases:
        tv = variants.TaskVariants("day01.crop", Outcome(visible), None if hidden is None else Outcome(hidden))
        row = TaskRow(day=1, task="crop", position=0, challenge=False, outcome=visible, points=1.0, max_points=1.0,
                      variants_passed=0, variants_total=None if hidden is None else 2, variants_outcome=hidden)
        assert (tv.hard_coded, row.hard_coded) == (flagged, flagged), (visible, hidden)


def test_declared_ranges_are_read_into_ranges_and_drawn_within_them():
    spec = variants.Spec(True, ("flip",), {"channel": variants.Range("int", 0, 2),
                                          "sigma": variants.Range("float", 0.5, 2.0),
                                          "mode": variants.Range("choices", choices=("a", "b"))})
    rng = np.random.default_rng(3)
    drawn = [variants._redraw_parameters(rng, spec, [], {}, ["channel", "sigma", "mode"])[1] for _ in range(200)]
    assert {d["channel"] for d in drawn} == {0, 1, 2}
    assert all(0.5 <= d["sigma"] <= 2.0 for d in drawn) and len({d["sigma"] for d in drawn}) > 100
    assert {d["mode"] for d in drawn} == {"a", "b"}
