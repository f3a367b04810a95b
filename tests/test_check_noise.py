"""The noise check: random output judged by its statistics, for any seed and any library."""
from __future__ import annotations

import numpy as np
import pytest
from skimage.util import img_as_ubyte, random_noise

from grader.checks import CaseContext, CheckError, make_check
from grader.checks.noise import NoiseCheck, looks_like, measure


def clean_picture() -> np.ndarray:
    """A gradient from 60 to 200 (many grey levels) with a flat square."""
    h, w = 128, 160
    xx = np.mgrid[0:h, 0:w][1]
    img = (60 + 140 * xx / (w - 1)).astype(np.uint8)
    img[40:80, 50:90] = 120
    return img


CLEAN = clean_picture()


def judge(noise: str, out, **kwargs):
    ctx = CaseContext(task=None, case=None, args=(CLEAN,), kwargs=kwargs)
    return make_check({"kind": "noise", "noise": noise}).compare(out, None, ctx)


def gaussian(sigma, seed):
    rng = np.random.default_rng(seed)
    return np.clip(np.round(CLEAN + rng.normal(0, sigma, CLEAN.shape)), 0, 255).astype(np.uint8)


def poisson(seed, photons_per_level=1.0):
    rng = np.random.default_rng(seed)
    return np.clip(rng.poisson(CLEAN * photons_per_level) / photons_per_level, 0, 255).astype(np.uint8)


def speckle(sigma, seed):
    rng = np.random.default_rng(seed)
    return np.clip(np.round(CLEAN * (1 + rng.normal(0, sigma, CLEAN.shape))), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", range(4))
def test_every_kind_passes_for_any_seed_written_with_numpy_or_scikit_image(seed):
    assert judge("gaussian", gaussian(12, seed), sigma=12).passed
    assert judge("gaussian", img_as_ubyte(random_noise(CLEAN, mode="gaussian", var=(12 / 255) ** 2, rng=seed)),
                 sigma=12).passed
    assert judge("poisson", poisson(seed)).passed
    assert judge("poisson", img_as_ubyte(random_noise(CLEAN, mode="poisson", rng=seed))).passed
    assert judge("speckle", speckle(0.15, seed), sigma=0.15).passed
    assert judge("speckle", img_as_ubyte(random_noise(CLEAN, mode="speckle", var=0.15 ** 2, rng=seed)),
                 sigma=0.15).passed
    for amount, svp in [(0.5, 1.0), (0.5, 0.0), (0.05, 0.5)]:
        out = img_as_ubyte(random_noise(CLEAN, mode="s&p", amount=amount, salt_vs_pepper=svp, rng=seed))
        assert judge("salt_and_pepper", out, amount=amount, salt_vs_pepper=svp).passed


def test_a_no_op_is_named_and_scores_far_from_the_threshold():
    for noise, kw in [("gaussian", {"sigma": 12}), ("poisson", {}), ("speckle", {"sigma": 0.15}),
                      ("salt_and_pepper", {"amount": 0.05})]:
        v = judge(noise, CLEAN.copy(), **kw)
        assert not v.passed and v.value > 2
        assert "the clean input unchanged" in v.message


@pytest.mark.parametrize("want, out, kw, phrase", [
    ("gaussian", poisson(1), {"sigma": 12}, "looks like Poisson noise, not Gaussian noise"),
    ("poisson", gaussian(11, 1), {}, "looks like Gaussian noise, not Poisson noise"),
    ("speckle", gaussian(18, 1), {"sigma": 0.15}, "looks like Gaussian noise, not speckle noise"),
    ("gaussian", speckle(0.08, 1), {"sigma": 10}, "looks like speckle noise, not Gaussian noise"),
])
def test_the_wrong_kind_of_noise_is_named(want, out, kw, phrase):
    v = judge(want, out, **kw)
    assert not v.passed and v.value > 1.5, v.value
    assert phrase in v.message, v.message


def test_salt_is_white_and_pepper_is_black():
    pepper = img_as_ubyte(random_noise(CLEAN, mode="pepper", amount=0.5, rng=3))
    v = judge("salt_and_pepper", pepper, amount=0.5, salt_vs_pepper=1.0)
    assert not v.passed
    assert "looks like pepper noise (black specks), not salt noise (white specks)" in v.message
    assert "salt is white (255) and pepper is black (0)" in v.message


def test_impulse_noise_where_gaussian_was_asked_is_rejected_even_with_the_same_spread():
    # 0.4% of pixels forced to 0 or 255 gives a residual spread close to sigma 8.
    out = img_as_ubyte(random_noise(CLEAN, mode="s&p", amount=0.004, rng=2))
    assert abs(measure(CLEAN, out).std - 8) < 3
    v = judge("gaussian", out, sigma=8)
    assert not v.passed and "looks like salt-and-pepper noise" in v.message


def test_sigma_passed_as_a_variance_is_explained():
    out = img_as_ubyte(random_noise(CLEAN, mode="gaussian", var=12 / 255, rng=1))
    v = judge("gaussian", out, sigma=12)
    assert not v.passed and "var = (sigma / 255) ** 2" in v.message


def test_rescaled_poisson_noise_fails_on_its_scale():
    v = judge("poisson", poisson(1, photons_per_level=0.4))
    assert not v.passed and "variance / brightness" in v.message and "rng.poisson(image)" in v.message


def test_an_amount_counted_twice_and_a_truncating_conversion_are_explained():
    double = img_as_ubyte(random_noise(CLEAN, mode="s&p", amount=0.2, rng=1))
    v = judge("salt_and_pepper", double, amount=0.1, salt_vs_pepper=0.5)
    assert not v.passed and "`amount` is the share of all pixels replaced" in v.message
    truncated = (random_noise(CLEAN, mode="s&p", amount=0.1, rng=1) * 255).astype(np.uint8)
    v = judge("salt_and_pepper", truncated, amount=0.1, salt_vs_pepper=0.5)
    assert not v.passed and ".astype(np.uint8) truncates" in v.message


def test_float_output_fails_on_its_dtype_first():
    v = judge("salt_and_pepper", random_noise(CLEAN, mode="s&p", amount=0.1, rng=1), amount=0.1)
    assert not v.passed and v.message.startswith("expected (128, 160) uint8, got (128, 160) float64")


def test_parameters_come_from_the_check_options_before_the_call():
    ctx = CaseContext(task=None, case=None, args=(CLEAN,), kwargs={"sigma": 30})
    check = make_check({"kind": "noise", "noise": "gaussian", "sigma": 12})
    assert check.compare(gaussian(12, 0), None, ctx).passed


def test_bad_options_are_an_authors_error():
    with pytest.raises(CheckError, match="noise must be one of"):
        make_check({"kind": "noise", "noise": "pink"})
    ctx = CaseContext(task=None, case=None, args=(CLEAN,), kwargs={})
    with pytest.raises(CheckError, match="needs 'sigma'"):
        make_check({"kind": "noise", "noise": "gaussian"}).compare(gaussian(5, 0), None, ctx)


def test_looks_like_names_each_kind_from_its_statistics():
    assert looks_like(measure(CLEAN, CLEAN)) == "none"
    assert looks_like(measure(CLEAN, gaussian(10, 5))) == "gaussian"
    assert looks_like(measure(CLEAN, poisson(5))) == "poisson"
    assert looks_like(measure(CLEAN, speckle(0.15, 5))) == "speckle"
    for mode, name in [("salt", "salt"), ("pepper", "pepper"), ("s&p", "salt_and_pepper")]:
        assert looks_like(measure(CLEAN, img_as_ubyte(random_noise(CLEAN, mode=mode, amount=0.05, rng=5)))) == name


# --- the cause a failure states, and the hint the course gives it


EVERY_CAUSE_ITS_OWN_HINT = {cause: n for n, cause in enumerate(NoiseCheck.causes, start=1)}


def judge_with_hints(noise: str, out, hints=None, **kwargs):
    ctx = CaseContext(task=None, case=None, args=(CLEAN,), kwargs=kwargs)
    spec = {"kind": "noise", "noise": noise, "hints": EVERY_CAUSE_ITS_OWN_HINT if hints is None else hints}
    return make_check(spec).compare(out, None, ctx)


def impulses_with_a_few_grey_jumps():
    out = img_as_ubyte(random_noise(CLEAN, mode="s&p", amount=0.1, rng=4))
    moved = (np.random.default_rng(40).random(CLEAN.shape) < 0.005) & (out != 0) & (out != 255)
    out[moved] = np.clip(out[moved].astype(int) + 20, 0, 254).astype(np.uint8)
    return out


def only_brightens(sigma, seed):
    rng = np.random.default_rng(seed)
    return np.clip(np.round(CLEAN + np.abs(rng.normal(0, sigma, CLEAN.shape))), 0, 255).astype(np.uint8)


def uniform_noise(sigma, seed):
    half = sigma * np.sqrt(3)  # a uniform spread of the same standard deviation, but flat, not bell-shaped
    rng = np.random.default_rng(seed)
    return np.clip(np.round(CLEAN + rng.uniform(-half, half, CLEAN.shape)), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("noise, out, kw, cause", [
    ("salt_and_pepper", random_noise(CLEAN, mode="s&p", amount=0.1, rng=1), {"amount": 0.1}, "dtype"),
    ("gaussian", CLEAN.copy(), {"sigma": 12}, "unchanged"),
    ("salt_and_pepper", img_as_ubyte(random_noise(CLEAN, mode="pepper", amount=0.5, rng=3)),
     {"amount": 0.5, "salt_vs_pepper": 1.0}, "impulse_swapped"),
    ("gaussian", poisson(1), {"sigma": 12}, "wrong_kind"),
    ("salt_and_pepper", (random_noise(CLEAN, mode="s&p", amount=0.1, rng=1) * 255).astype(np.uint8),
     {"amount": 0.1}, "truncated"),
    ("salt_and_pepper", img_as_ubyte(random_noise(CLEAN, mode="s&p", amount=0.2, rng=1)), {"amount": 0.1},
     "amount"),
    ("salt_and_pepper", impulses_with_a_few_grey_jumps(), {"amount": 0.1}, "untouched_changed"),
    ("gaussian", only_brightens(12, 2), {"sigma": 12}, "mean"),
    ("gaussian", gaussian(24, 1), {"sigma": 12}, "spread"),
    ("gaussian", img_as_ubyte(random_noise(CLEAN, mode="gaussian", var=12 / 255, rng=1)), {"sigma": 12},
     "spread_as_variance"),
    ("gaussian", uniform_noise(12, 1), {"sigma": 12}, "shape"),
    ("poisson", poisson(1, photons_per_level=0.4), {}, "scale"),
    ("speckle", img_as_ubyte(random_noise(CLEAN, mode="speckle", var=0.15, rng=1)), {"sigma": 0.15}, "spread"),
])
def test_a_failure_states_one_cause_and_shows_the_hint_the_course_gives_it(noise, out, kw, cause):
    v = judge_with_hints(noise, out, **kw)
    assert not v.passed
    assert v.cause == cause, v.message
    assert v.hint == EVERY_CAUSE_ITS_OWN_HINT[cause]


def test_sigma_taken_as_a_variance_is_told_from_a_spread_that_is_merely_wrong():
    as_variance = img_as_ubyte(random_noise(CLEAN, mode="gaussian", var=8 / 255, rng=1))
    v = judge_with_hints("gaussian", as_variance, sigma=8)
    assert v.cause == "spread_as_variance"
    assert "sigma taken as a variance on the 0..1 scale" in v.message and "var = (sigma / 255) ** 2" in v.message
    squared = np.clip(np.round(CLEAN + np.random.default_rng(1).normal(0, 8 ** 2, CLEAN.shape)), 0, 255)
    v = judge_with_hints("gaussian", squared.astype(np.uint8), sigma=8)
    assert v.cause == "spread"
    assert "taken as a variance" not in v.message and "rng.normal(0, sigma)" in v.message


def test_a_cause_the_course_maps_to_no_hint_leaves_the_hint_to_the_task():
    v = judge_with_hints("gaussian", gaussian(24, 1), hints={"mean": 2}, sigma=12)
    assert (v.passed, v.cause, v.hint) == (False, "spread", None)
    v = judge_with_hints("gaussian", None, sigma=12)  # no cause to state: the task's own hint applies
    assert (v.passed, v.cause, v.hint) == (False, None, None)
    v = judge_with_hints("gaussian", gaussian(12, 1), sigma=12)
    assert (v.passed, v.cause, v.hint) == (True, None, None)


def test_a_cause_a_check_does_not_list_is_logged_as_a_grader_bug_and_never_stops_the_grade(caplog):
    from grader.checks import Verdict

    check = make_check({"kind": "noise", "noise": "gaussian", "hints": {"spread": 2}})
    v = check.diagnosed(Verdict(False, "your spread is off"), "no_such_cause")
    assert (v.passed, v.message, v.cause, v.hint) == (False, "your spread is off", None, None)
    assert "no_such_cause" in caplog.text


def test_a_hints_table_may_name_only_causes_its_kind_states():
    assert make_check({"kind": "noise", "noise": "poisson", "hints": {"scale": 2}}).options["hints"] == {"scale": 2}
    with pytest.raises(CheckError, match="noise check: `hints` names 'sclae', a cause it never states; its causes: "
                                         "dtype, unchanged, "):
        make_check({"kind": "noise", "noise": "poisson", "hints": {"sclae": 2}})
    with pytest.raises(CheckError, match="noise check: `hints` must be a table from cause to hint number"):
        make_check({"kind": "noise", "noise": "poisson", "hints": 2})
    with pytest.raises(CheckError, match="a close check states no causes, so it takes no `hints` table"):
        make_check({"kind": "close", "hints": {"spread": 2}})


@pytest.mark.parametrize("check, error", [
    ('{ kind = "noise", noise = "poisson", hints = { scale = 3 } }',
     "day01.toml: task 'f': its check: `hints` gives scale = 3: give the number (1 to 2) of one of the task's hints"),
    ('{ kind = "noise", noise = "poisson", hints = { scale = true } }', "`hints` gives scale = True"),
    ('{ kind = "noise", noise = "poisson", hints = 2 }', "`hints` must be a table from cause to hint number"),
])
def test_a_hint_number_that_is_not_one_of_the_tasks_hints_is_a_one_line_course_error(tmp_path, check, error):
    from grader.course import CourseError, manifest

    day = tmp_path / "day01.toml"
    day.write_text(f'day = 1\nmodule = "day01_x"\ntitle = "T"\n[[tasks]]\nname = "f"\ncheck = {check}\n'
                   'hints = ["a", "b"]\n  [[tasks.cases]]\n  args = [1]\n')
    with pytest.raises(CourseError) as info:
        manifest._load_day(day)
    assert error in str(info.value) and "\n" not in str(info.value)


# --- graded: each catalogued noise mistake shows its own hint


def _noise_tasks_with_mistakes():
    from grader.course import load_course

    return [(t.name, m.name) for t in load_course().day(6).tasks if t.check["kind"] == "noise" for m in t.mistakes]


def _graded(tmp_path, project, runner, task_name: str, source: str):
    from grader.course import load_course
    from grader.grading import grade
    from tests.conftest import learner_folder

    day = load_course().day(6)
    text = (project.solutions / day.filename).read_text() + "\n\n" + source + "\n"
    run = grade(project, exercises=learner_folder(tmp_path, project, 6, text), day=6, task=task_name, runner=runner)
    (t,) = run.tasks
    return t


def _as_the_task(project, task, function: str) -> str:
    """The catalogue's ``function``, renamed to the task's function, as a learner would write it."""
    import ast

    from grader.course import catalogue

    tree = ast.parse(catalogue.module_path(project.root, "day06_noise.py").read_text())
    (node,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    node.name = task.function
    return ast.unparse(node)


@pytest.mark.parametrize("task_name, mistake_name", _noise_tasks_with_mistakes())
def test_a_catalogued_noise_mistake_fails_with_the_checks_message_and_its_own_hint(
        tmp_path, project, runner, course, task_name, mistake_name):
    from grader.grading.naming import hint_for, hint_level

    task = course.day(6).task(task_name)
    mistake = next(m for m in task.mistakes if m.name == mistake_name)
    t = _graded(tmp_path, project, runner, task_name, _as_the_task(project, task, mistake.function))
    assert not t.passed
    assert hint_level(t) == mistake.hint
    assert hint_for(t) == task.hints[mistake.hint - 1]
    failed = [c for c in t.cases if str(c.outcome) == "failed"]
    assert failed and all(c.verdict.cause for c in failed)  # the check's own message states the cause
    assert all(c.message != mistake.says and not c.verdict.named for c in failed)


def test_the_noise_solutions_pass_and_a_failure_with_no_stated_cause_shows_the_first_hint(
        tmp_path, project, runner, course):
    from grader.grading import grade
    from grader.grading.naming import hint_level

    run = grade(project, exercises=project.solutions, day=6, runner=runner, keep_images=False)
    noise = [t for t in run.tasks if t.task.check["kind"] == "noise"]
    assert len(noise) == 4 and all(t.passed for t in noise)
    t = _graded(tmp_path, project, runner, "gaussian_noise",
                "def gaussian_noise(image, sigma, seed=None):\n    return image.T.copy()")
    assert not t.passed and all(c.verdict.cause is None for c in t.cases)
    assert hint_level(t) == 1
