"""Verdicts, outcomes and exit codes, word for word: what the terminal, JSON and CI show of a judgement.

Written against survivors of mutation testing (``python -m tests.mutation``): each test pins a number,
a word or a boundary that a one-token change in the judging core would alter.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from grader.checks import CaseContext, Verdict, check_for, make_check
from grader.course import load_course
from grader.grading.results import CaseResult, DayResult, GradeRun, Outcome, TaskResult, aggregate

COURSE = load_course()
DAY1 = COURSE.day(1)
CROP = DAY1.task("crop")
MONTAGE = DAY1.task("montage")
CTX = CaseContext(task=None, case=None)


# --- the pixels check ---------------------------------------------------------------------------------


def test_every_pixel_must_match_by_default_and_the_message_counts_the_share_that_differs():
    expected = np.zeros((10, 10), np.uint8)
    actual = expected.copy()
    actual[0, :3] = 7  # 3 of 100 pixels, 7 levels off
    check = make_check({"kind": "pixels"})
    assert (check.tolerance, check.threshold, check.metric) == (0.0, 1.0, "pixels equal")
    v = check.compare(actual, expected, CTX)
    assert (v.passed, v.value, v.threshold, v.metric) == (False, 0.97, 1.0, "pixels equal")
    assert v.message == "3.0% of the pixels differ from the reference (largest difference 7)."
    assert v.maps["difference"].dtype == np.float32 and float(v.maps["difference"][0, 0]) == 7.0
    assert check.compare(expected, expected, CTX).passed


def test_a_tolerance_forgives_differences_up_to_it_and_names_them_in_levels():
    expected = np.full((10, 10), 100, np.uint8)
    actual = expected.copy()
    actual[0, :4] = 102  # within 2
    actual[1, :5] = 103  # 3 off: 5 of 100 outside the tolerance
    check = make_check({"kind": "pixels", "tolerance": 2, "min_fraction": 0.96})
    assert check.metric == "pixels within ±2"
    v = check.compare(actual, expected, CTX)
    assert (v.passed, v.value, v.threshold) == (False, 0.95, 0.96)
    assert v.message == "5.0% of the pixels differ from the reference by more than 2 grey levels (largest difference 3)."
    one = make_check({"kind": "pixels", "tolerance": 1}).compare(actual, expected, CTX)
    assert one.message == "9.0% of the pixels differ from the reference by more than 1 grey level (largest difference 3)."
    assert make_check({"kind": "pixels", "tolerance": 3}).compare(actual, expected, CTX).passed
    assert make_check({"kind": "pixels", "tolerance": 2, "min_fraction": 0.95}).compare(actual, expected, CTX).passed


def test_a_colour_pixel_is_close_only_when_all_its_channels_are():
    expected = np.zeros((2, 5, 3), np.uint8)
    actual = expected.copy()
    actual[0, 0, 2] = 9  # one channel of one pixel
    v = make_check({"kind": "pixels", "tolerance": 8}).compare(actual, expected, CTX)
    assert (v.passed, v.value) == (False, 0.9)
    assert v.maps["difference"].shape == (2, 5) and float(v.maps["difference"][0, 0]) == 9.0


def test_the_pixels_check_compares_shape_and_dtype_first_unless_told_otherwise():
    expected = np.zeros((4, 4), np.uint8)
    v = make_check({"kind": "pixels"}).compare(np.zeros((4, 4), np.float64), expected, CTX)
    assert not v.passed and v.value is None and v.message.startswith("expected (4, 4) uint8, got (4, 4) float64")
    assert make_check({"kind": "pixels", "dtype_strict": False}).compare(np.zeros((4, 4)), expected, CTX).passed
    with pytest.raises(Exception, match="check option 'tolerance' must be a number, got 'two'"):
        make_check({"kind": "pixels", "tolerance": "two"})


# --- a verdict's summary and earned share ----------------------------------------------------------------------


@pytest.mark.parametrize("verdict, shown", [
    (Verdict(False, metric="SSIM", value=0.912, threshold=0.98), "SSIM 0.912 < 0.980"),
    (Verdict(True, metric="SSIM", value=0.98, threshold=0.98), "SSIM 0.980 ≥ 0.980"),
    (Verdict(True, metric="error", value=0.5, threshold=1.0, op="<="), "error 0.500 ≤ 1.000"),
    (Verdict(False, metric="error", value=1.5, threshold=1.0, op="<="), "error 1.500 > 1.000"),
    (Verdict(True, metric="count", value=3, threshold=3, op="=="), "count 3 == 3"),
    (Verdict(False, metric="count", value=4, threshold=3, op="=="), "count 4 != 3"),
    (Verdict(False, metric="PSNR", value=27.1), "PSNR 27.100"),
    (Verdict(False, metric="tiny", value=0.0001234, threshold=12345.0), "tiny 0.000123 < 1.23e+04"),
    (Verdict(False, metric="SSIM", value=None, threshold=0.98), ""),
    (Verdict(False, value=0.5, threshold=0.98), ""),
])
def test_a_verdict_summary_shows_the_metric_against_its_threshold(verdict, shown):
    assert verdict.summary() == shown


def test_a_verdict_earns_its_credit_clipped_to_0_1_or_all_or_nothing():
    assert Verdict(True).earned() == 1.0 and Verdict(False).earned() == 0.0
    assert Verdict(False, credit=0.25).earned() == 0.25
    assert Verdict(False, credit=1.5).earned() == 1.0 and Verdict(False, credit=-1.0).earned() == 0.0
    assert Verdict(True, credit=0.0).earned() == 0.0


# --- a task's worst case, a run's counts and exit code ------------------------------------------------------


def case(outcome: Outcome, case_id: str = "c", message: str = "") -> CaseResult:
    return CaseResult(case_id, outcome, message or f"{outcome} {case_id}")


def test_the_worst_case_is_the_most_serious_outcome_and_the_first_of_equals():
    task = aggregate(CROP, [case(Outcome.FAILED, "a"), case(Outcome.TIMED_OUT, "b"), case(Outcome.ERROR, "c"),
                            case(Outcome.TIMED_OUT, "d")])
    assert task.worst_case().case_id == "b" and task.outcome is Outcome.TIMED_OUT
    assert aggregate(CROP, [case(Outcome.PASSED, "a"), case(Outcome.PASSED, "b")]).worst_case().case_id == "a"
    failed_first = aggregate(CROP, [case(Outcome.NOT_ATTEMPTED, "a"), case(Outcome.FAILED, "b")])
    assert failed_first.worst_case().case_id == "b"
    empty = TaskResult(task=CROP, cases=[], outcome=Outcome.NOT_ATTEMPTED, points=0.0, max_points=2.0)
    assert empty.worst_case() is None and empty.metric_text == ""


def run_of(*tasks: TaskResult, error: str = "") -> GradeRun:
    return GradeRun(course=COURSE, days=[DayResult(day=DAY1, tasks=list(tasks), error=error)], exercises=None)


def test_the_exit_code_is_1_for_any_attempted_task_that_did_not_pass_or_a_broken_day():
    passed = aggregate(CROP, [case(Outcome.PASSED)])
    untouched = aggregate(CROP, [case(Outcome.NOT_ATTEMPTED)])
    assert run_of(passed, untouched).exit_code() == 0
    assert run_of(untouched).exit_code() == 0
    for bad in (Outcome.FAILED, Outcome.ERROR, Outcome.TIMED_OUT):
        assert run_of(passed, aggregate(CROP, [case(bad)])).exit_code() == 1, bad
    assert run_of(untouched, error="exercises/day01_reading.py line 3 has a syntax error").exit_code() == 1


def test_a_run_counts_its_tasks_by_outcome_and_sums_points():
    run = run_of(aggregate(CROP, [case(Outcome.PASSED)]), aggregate(CROP, [case(Outcome.FAILED)]),
                 aggregate(CROP, [case(Outcome.FAILED)]), aggregate(CROP, [case(Outcome.NOT_ATTEMPTED)]))
    assert run.counts() == {Outcome.PASSED: 1, Outcome.FAILED: 2, Outcome.NOT_ATTEMPTED: 1, Outcome.ERROR: 0,
                            Outcome.TIMED_OUT: 0}
    assert (run.points, run.max_points) == (2.0, 8.0)
    assert (run.days[0].passed, run.days[0].status) == (1, "in progress")


def test_a_day_is_done_when_every_task_passed_and_not_started_when_none_was_attempted():
    assert run_of(aggregate(CROP, [case(Outcome.PASSED)])).days[0].status == "done"
    assert run_of(aggregate(CROP, [case(Outcome.NOT_ATTEMPTED)])).days[0].status == "not started"


# --- challenges: the note and the metric ------------------------------------------------------------------


@pytest.mark.parametrize("score, note", [
    (0.5, "no tier yet: 0.500; bronze at 0.600."),
    (0.7, "bronze: 0.700; silver at 0.850."),
    (0.9, "silver: 0.900; gold at 0.950."),
    (0.97, "gold: 0.970, the top tier."),
])
def test_a_challenge_says_its_tier_and_the_next_bound(score, note):
    task = aggregate(MONTAGE, [CaseResult("gallery", Outcome.FAILED, "",
                                          verdict=Verdict(False, metric="SSIM", value=score, threshold=0.98))])
    assert task.message == note
    assert task.metric_text == f"SSIM {score:.3f}"


def test_a_challenge_with_a_case_that_gave_no_score_gets_no_tier():
    task = aggregate(MONTAGE, [CaseResult("gallery", Outcome.ERROR, "montage() raised ValueError")])
    assert (task.score, task.tier, task.points, task.outcome) == (None, None, 0.0, Outcome.ERROR)
    assert task.message == "montage() raised ValueError"


# --- which check judges a case ------------------------------------------------------------------------------------


def test_a_case_is_judged_by_the_tasks_check_without_its_tiers_unless_it_names_its_own():
    case0 = MONTAGE.cases[0]
    check = check_for(MONTAGE, case0)
    assert check.kind == "ssim" and "tiers" not in check.options and check.options["resize"] is True
    assert MONTAGE.check["tiers"] == {"bronze": 0.6, "silver": 0.85, "gold": 0.95}  # the task keeps them
    own = dataclasses.replace(case0, options={**case0.options, "check": {"kind": "pixels", "tolerance": 1}})
    assert check_for(MONTAGE, own).kind == "pixels" and check_for(MONTAGE, own).tolerance == 1.0


# --- the ssim check -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def texture():
    import cv2

    rng = np.random.default_rng(0)
    return cv2.GaussianBlur(rng.integers(40, 200, (64, 80)).astype(np.uint8), (5, 5), 1)


def test_resize_scales_a_picture_of_another_size_and_says_so(texture):
    import cv2

    ctx = CaseContext(task=None, case=None, args=(texture,))
    big = cv2.resize(texture, (160, 128), interpolation=cv2.INTER_LINEAR)
    v = make_check({"kind": "ssim", "resize": True, "min": 0.9}).compare(big, texture, ctx)
    assert v.passed and v.value == pytest.approx(0.9852, abs=1e-4)
    assert v.message == "Your picture is 160x128 and the reference 80x64; it was scaled to match before scoring."
    same = make_check({"kind": "ssim", "resize": True, "min": 0.9}).compare(texture, texture, ctx)
    assert same.message == "" and same.value == pytest.approx(1.0)
    unscaled = make_check({"kind": "ssim", "min": 0.9}).compare(big, texture, ctx)
    assert unscaled.value is None and unscaled.message.startswith("expected (64, 80) uint8, got (128, 160) uint8")
    colour = make_check({"kind": "ssim", "resize": True}).compare(np.dstack([texture] * 3), texture, ctx)
    assert colour.value is None and "a colour picture came back where a grayscale one" in colour.message


def test_a_picture_smaller_than_the_window_must_be_equal(texture):
    tiny = texture[:6, :6]
    check = make_check({"kind": "ssim"})
    v = check.compare(tiny.copy(), tiny, CTX)
    assert (v.passed, v.metric, v.value, v.threshold) == (True, "equal", 1.0, 1.0)
    off = tiny.copy()
    off[0, 0] += 1
    v = check.compare(off, tiny, CTX)
    assert (v.passed, v.value, v.message) == (False, 0.0, "the picture differs from the reference.")


def test_ssim_data_range_is_255_for_uint8_1_for_masks_and_must_be_given_for_floats(texture):
    check = make_check({"kind": "ssim", "min": 0.5})
    assert (check.threshold, check.window, check.mode, check.resize, check.min_local) == (0.5, "gaussian", "plain",
                                                                                          False, None)
    assert make_check({"kind": "ssim"}).threshold == 0.98
    mask = texture > 120
    assert check.compare(mask, mask, CTX).value == pytest.approx(1.0)
    picture = texture.astype(np.float32) / 255
    with pytest.raises(Exception, match="an ssim check on float32 pictures needs an explicit data_range"):
        check.compare(picture, picture, CTX)
    noisy = np.clip(picture + 0.05 * np.random.default_rng(0).standard_normal(picture.shape).astype(np.float32), 0, 1)
    assert make_check({"kind": "ssim", "data_range": 1.0}).compare(noisy, picture, CTX).value == \
        pytest.approx(0.6401, abs=1e-3)
    assert make_check({"kind": "ssim", "data_range": 255.0}).compare(noisy, picture, CTX).value > 0.999


def test_the_uniform_window_scores_differently_from_the_gaussian_one(texture):
    spoiled = texture.copy()
    spoiled[10:20, 10:20] = 0
    gaussian = make_check({"kind": "ssim", "min": 0.5}).compare(spoiled, texture, CTX)
    uniform = make_check({"kind": "ssim", "min": 0.5, "window": "uniform"}).compare(spoiled, texture, CTX)
    assert gaussian.value == pytest.approx(0.9387, abs=1e-3) and uniform.value == pytest.approx(0.9463, abs=1e-3)
    with pytest.raises(Exception, match="ssim window must be 'gaussian' or 'uniform'"):
        make_check({"kind": "ssim", "window": "box"})


def test_a_failed_ssim_says_the_score_and_the_mark_and_a_pass_with_min_local_keeps_the_ssim_metric(texture):
    spoiled = texture.copy()
    spoiled[10:20, 10:20] = 0
    v = make_check({"kind": "ssim", "min": 0.95}).compare(spoiled, texture, CTX)
    assert v.message == "your picture is not close enough to the reference: SSIM 0.939, needs at least 0.950."
    assert (v.metric, v.threshold, v.maps["ssim"].shape) == ("SSIM", 0.95, (64, 80))
    fine = make_check({"kind": "ssim", "min": 0.5, "min_local": 0.2}).compare(texture, texture, CTX)
    assert (fine.passed, fine.metric, fine.message) == (True, "SSIM", "")
