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
    assert v.message == "3 of 100 pixels (3.0%) differ from the reference (largest difference 7)."
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
    assert v.message == "5 of 100 pixels (5.0%) differ from the reference by more than 2 levels (largest difference 3)."
    one = make_check({"kind": "pixels", "tolerance": 1}).compare(actual, expected, CTX)
    assert one.message == "9 of 100 pixels (9.0%) differ from the reference by more than 1 level (largest difference 3)."
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
    (Verdict(False, metric="tiny", value=0.0001234, threshold=12345.0), "tiny 0.000123 < 12,345"),
    (Verdict(False, metric="huge", value=2.4e8, threshold=3.0, op="<="), "huge 240,000,000 > 3.000"),
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


# --- answers refused before scoring, and the messages that refuse them ----------------------------------


@pytest.mark.parametrize("spec, metric, threshold", [
    ({"kind": "pixels", "min_fraction": 0.99}, "pixels equal", 0.99),
    ({"kind": "ssim", "min": 0.9}, "SSIM", 0.9),
])
def test_an_answer_refused_before_scoring_fails_with_the_checks_metric_and_threshold_and_no_value(
        spec, metric, threshold):
    v = make_check(spec).compare([[1, 2], [3, 4]], np.zeros((2, 2), np.uint8), CTX)
    assert v.passed is False
    assert (v.metric, v.value, v.threshold) == (metric, None, threshold)
    assert v.message == ("returned a list where a NumPy array of (2, 2) uint8 was expected: "
                         "wrap it with np.array(...) or return the array itself.")
    assert v.summary() == ""  # no score to show


def test_the_refusal_names_what_came_back_and_counts_nan_and_infinite_values():
    from grader.checks import array_problem

    want = np.zeros((2, 3), np.uint8)
    assert array_problem(2.5, want) == "returned a float where a NumPy array of (2, 3) uint8 was expected."
    assert array_problem(np.array([[np.nan, 1, np.inf], [1, 1, 1]]), want) == (
        "your picture contains 2 NaN or infinite values: check for a division by zero or a log of 0.")
    assert array_problem(np.array([np.inf]), np.zeros(1), what="mask") == (
        "your mask contains 1 NaN or infinite values: check for a division by zero or a log of 0.")
    # dtype is compared unless the caller says otherwise
    assert array_problem(np.zeros((2, 3), np.int16), want) == (
        "expected (2, 3) uint8, got (2, 3) int16: convert with np.clip(x, 0, 255).astype(np.uint8).")
    assert array_problem(np.zeros((2, 3), np.int16), want, dtype_strict=False) is None


def test_an_unknown_comparison_or_a_missing_kind_is_a_course_error_that_lists_the_choices():
    from grader.checks import CheckError, meets

    with pytest.raises(CheckError) as raised:
        meets(1.0, 1.0, "=>")
    assert str(raised.value) == "unknown comparison '=>': use one of >=, <=, =="
    with pytest.raises(CheckError) as raised:
        make_check({"min": 0.9})
    assert str(raised.value).startswith("a check needs a kind; known kinds: accuracy, close, detections, dice, ")
    assert ", pixels, points, " in str(raised.value)


# --- a metric in words a beginner reads -----------------------------------------------------------------


def error(ratio, metric="error/tolerance", passed=None):
    return Verdict(ratio <= 1 if passed is None else passed, metric=metric, value=ratio, threshold=1.0, op="<=")


@pytest.mark.parametrize("verdict, shown", [
    # An error over its tolerance reads as how many times the tolerance it is, never as 2.42e+08.
    (error(241519522.91861665), "error 242 million times the tolerance"),
    (error(3940672717.426571, "relative error/allowed"), "relative error 3.94 billion times its limit"),
    (error(1.2e12), "error 1.2 trillion times the tolerance"),
    (error(3.5e17), "error over 1,000 trillion times the tolerance"),
    (error(999_999_999.0), "error 1 billion times the tolerance"),
    (error(2345.4), "error 2,345 times the tolerance"),
    (error(12.345), "error 12.3 times the tolerance"),
    (error(999.7), "error 1,000 times the tolerance"),
    (error(float("inf"), "relative error/allowed"), "relative error could not be measured"),
    # A near miss keeps its figure, with the digits that tell it from the limit.
    (error(1.3), "error 1.3 times the tolerance"),
    (error(1.0004), "error 1.0004 times the tolerance"),
    # A pass says how much of the tolerance it used, or that it is well within it.
    (error(0.42), "error 42% of the tolerance"),
    (error(1.0), "error 100% of the tolerance"),
    (error(1e-9), "error within the tolerance"),
    (error(0.0, "relative error/allowed"), "relative error within its limit"),
    # A share of pixels reads as a percentage, as the check's sentence counts it; a near miss keeps its digits.
    (Verdict(False, metric="pixels equal", value=0.97, threshold=1.0), "pixels equal 97.0% < 100.0%"),
    (Verdict(False, metric="pixels within ±2", value=0.144, threshold=1.0), "pixels within ±2 14.4% < 100.0%"),
    (Verdict(False, metric="pixels agreeing", value=0.9996, threshold=0.9997), "pixels agreeing 99.96% < 99.97%"),
    (Verdict(True, metric="drawn pixels matching", value=0.995, threshold=0.99), "drawn pixels matching 99.5% ≥ 99.0%"),
    # A score on its own 0..1 scale stays on it, as its sentence and tiers write it.
    (Verdict(False, metric="accuracy", value=0.8, threshold=0.9), "accuracy 0.800 < 0.900"),
    # A yes-or-no metric says which.
    (Verdict(False, metric="equal", value=0.0, threshold=1.0), "not equal"),
    (Verdict(True, metric="equal", value=1.0, threshold=1.0), "equal"),
])
def test_a_metric_reads_in_words_and_numbers_a_beginner_reads(verdict, shown):
    assert verdict.summary() == shown


def test_the_exact_figures_stay_beside_the_words_for_an_instructor():
    v = error(241519522.91861665)
    assert v.exact() == "error/tolerance 241519522.91861665 (passes at ≤ 1)"
    assert Verdict(False, metric="SSIM", value=0.912, threshold=0.98).exact() == "SSIM 0.91200000000000003 (passes at ≥ 0.97999999999999998)"
    assert Verdict(False, metric="SSIM", value=None, threshold=0.98).exact() == ""


def test_a_failed_verdict_on_a_close_call_shows_as_many_digits_as_it_takes_to_differ():
    def shown(value):
        return Verdict(False, metric="SSIM", value=value, threshold=0.9).summary()

    assert shown(0.8999) == "SSIM 0.8999 < 0.9000"
    assert shown(0.89999) == "SSIM 0.89999 < 0.90000"
    assert shown(0.9 - 1e-12) == "SSIM 0.899999999999 < 0.900000000000"
    assert shown(0.9 - 1e-13) == "SSIM 0.900000000000 < 0.900000000000"  # 12 digits at the most


# --- the pixels check: what a pass, an empty picture and the rounding policy say ------------------------


def test_a_pass_says_nothing_and_two_empty_pictures_are_equal():
    ref = np.full((4, 4), 100, np.uint8)
    ref[0, 0] = 0
    v = make_check({"kind": "pixels", "min_fraction": 0.7}).compare(ref, ref.copy(), CTX)
    assert (v.passed, v.message, v.metric, v.value) == (True, "", "pixels equal or rounded", 1.0)
    empty = np.zeros((0, 5), np.uint8)
    v = make_check({"kind": "pixels"}).compare(empty, empty.copy(), CTX)
    assert (v.passed, v.value, v.message) == (True, 1.0, "")


def test_a_lean_one_way_that_still_meets_a_lower_mark_passes_silently():
    ref = np.full((10, 10), 100, np.uint8)
    ref[0, 0] = 0
    low = ref.copy()
    low.flat[1:31] -= 1  # 30% one level low: 20% beyond the allowed lean
    v = make_check({"kind": "pixels", "min_fraction": 0.75}).compare(low, ref, CTX)
    assert (v.passed, v.value, v.message) == (True, pytest.approx(0.8), "")


def test_truncation_is_named_word_for_word_and_larger_differences_are_counted_besides():
    ref = np.full((10, 10), 100, np.uint8)
    ref[0, 0] = 0
    low = ref.copy()
    low.flat[1:31] -= 1  # 30% one level low
    low.flat[50:52] = 110  # and 2% far off
    v = make_check({"kind": "pixels"}).compare(low, ref, CTX)
    assert (v.passed, v.metric, v.threshold) == (False, "pixels equal or rounded", 1.0)
    assert v.value == pytest.approx(0.78)  # 2% far off, and 20% of lean beyond the allowed 10%
    assert v.message == ("30.0% more of the values are one level too low than too high: your picture is truncated, "
                         "not rounded (.astype(np.uint8) cuts the fraction off): round with np.round(...) before "
                         "converting, or let OpenCV do the arithmetic. Besides, 2.0% of the pixels are more than "
                         "one level off.")


def test_rounding_up_is_named_word_for_word_with_nothing_besides_when_nothing_else_differs():
    ref = np.full((10, 10), 100, np.uint8)
    ref[0, 0] = 0
    high = ref.copy()
    high.flat[1:26] += 1  # 25% one level high
    v = make_check({"kind": "pixels"}).compare(high, ref, CTX)
    assert (v.passed, v.value) == (False, pytest.approx(0.85))
    assert v.message == ("25.0% more of the values are one level too high than too low: your picture is rounded up "
                         "(np.ceil, or halves always upwards) where the task rounds to the nearest value, halves to "
                         "even, as np.round and OpenCV do.")


def test_a_lean_exactly_at_the_allowed_share_is_forgiven_and_other_differences_are_named_plainly():
    ref = np.full((10, 10), 100, np.uint8)
    ref[0, 0] = 0
    low = ref.copy()
    low.flat[1:11] -= 1  # 10% one level low: exactly the allowed lean
    assert make_check({"kind": "pixels"}).compare(low, ref, CTX).passed
    low.flat[50:52] = 105
    v = make_check({"kind": "pixels"}).compare(low, ref, CTX)
    assert (v.passed, v.value) == (False, pytest.approx(0.98))
    assert v.message == "2 of 100 pixels (2.0%) differ from the reference by more than 1 level (largest difference 5)."


def test_rounding_lean_widens_the_allowed_lean_for_one_case():
    ref = np.full((10, 10), 100, np.uint8)
    ref[0, 0] = 0
    low = ref.copy()
    low.flat[1:26] -= 1  # 25% one level low
    assert not make_check({"kind": "pixels"}).compare(low, ref, CTX).passed
    assert make_check({"kind": "pixels", "rounding_lean": 0.3}).compare(low, ref, CTX).passed
    assert make_check({"kind": "pixels", "rounding_lean": 1}).compare(low, ref, CTX).passed  # the widest allowed
    exact = make_check({"kind": "pixels", "rounding_lean": 0, "tolerance": 0})  # the narrowest: any lean counts
    assert exact.compare(low, ref, CTX).value == pytest.approx(0.75)


@pytest.mark.parametrize("options, says", [
    ({"rounding_lean": -0.1}, "check option 'rounding_lean' must be a share from 0 to 1, got -0.1"),
    ({"rounding_lean": 1.5}, "check option 'rounding_lean' must be a share from 0 to 1, got 1.5"),
    ({"tolerance": -1}, "check option 'tolerance' must be 0 or more levels, got -1"),
])
def test_a_negative_tolerance_or_a_lean_outside_0_to_1_is_a_course_error(options, says):
    from grader.checks import CheckError

    with pytest.raises(CheckError) as raised:
        make_check({"kind": "pixels", **options})
    assert str(raised.value) == says


def test_rounding_forgives_one_level_in_every_channel_of_a_colour_picture_and_pictures_of_three_levels():
    ref = np.full((4, 5, 3), 100, np.uint8)
    ref[0, 0] = 0
    near = ref.copy()
    near[1, :, 0] += 1
    near[2, :, 1] -= 1  # as many up as down: no lean
    v = make_check({"kind": "pixels"}).compare(near, ref, CTX)
    assert (v.passed, v.value) == (True, 1.0)
    three = np.array([[10, 11, 12, 12], [12, 11, 10, 10]], np.uint8)  # levels 10 to 12: a picture, not a mask
    off = three.copy()
    off[0, 0], off[1, 0] = 11, 11  # one up, one down
    assert make_check({"kind": "pixels"}).compare(off, three, CTX).value == 1.0


def test_only_pictures_get_the_rounding_policy_other_arrays_count_every_difference():
    ref = np.zeros((10, 10), np.float32)
    up = ref.copy()
    up.flat[:30] += 1  # 30% one unit high: no policy, so 70% equal and no lean subtracted
    v = make_check({"kind": "pixels", "min_fraction": 0.5}).compare(up, ref, CTX)
    assert (v.passed, v.value, v.metric) == (True, pytest.approx(0.7), "pixels equal")


# --- the ssim check: refusals, small pictures, options -------------------------------------------------------


def test_ssim_refuses_another_dtype_unless_told_not_to(texture):
    wide = texture.astype(np.int16)
    refused = make_check({"kind": "ssim"}).compare(wide, texture, CTX)
    assert refused.passed is False and refused.message.startswith("expected (64, 80) uint8, got (64, 80) int16")
    loose = make_check({"kind": "ssim", "dtype_strict": False}).compare(wide, texture, CTX)
    assert loose.passed and loose.value == pytest.approx(1.0)


def test_a_picture_exactly_the_window_size_is_scored_by_ssim_and_a_smaller_one_by_equality():
    rng = np.random.default_rng(3)
    for window, side in (("gaussian", 11), ("uniform", 7)):
        pic = rng.integers(0, 256, (side, side), dtype=np.uint8)
        v = make_check({"kind": "ssim", "window": window}).compare(pic, pic.copy(), CTX)
        assert (v.passed, v.metric, v.message) == (True, "SSIM", ""), window
        small = pic[:side - 1, :side - 1]
        v = make_check({"kind": "ssim", "window": window}).compare(small, small.copy(), CTX)
        assert (v.passed, v.metric, v.value, v.message) == (True, "equal", 1.0, ""), window
    small = np.zeros((6, 6), np.uint8)
    assert make_check({"kind": "ssim", "window": "uniform"}).compare(small + 1, small, CTX).message == \
        "the picture differs from the reference."


def test_a_wrong_window_or_mode_is_a_course_error_word_for_word():
    from grader.checks import CheckError

    with pytest.raises(CheckError) as raised:
        make_check({"kind": "ssim", "window": "box"})
    assert str(raised.value) == "ssim window must be 'gaussian' or 'uniform'"
    with pytest.raises(CheckError) as raised:
        make_check({"kind": "ssim", "mode": "delta"})
    assert str(raised.value) == "ssim mode must be 'plain' or 'change'"


def test_change_mode_needs_a_picture_argument_of_the_outputs_shape(texture):
    from grader.checks import CheckError

    check = make_check({"kind": "ssim", "mode": "change"})
    message = "ssim mode 'change' needs the first argument to be a picture of the output's shape"
    for ctx in (CTX, CaseContext(task=None, case=None, args=(texture[:32],))):
        with pytest.raises(CheckError) as raised:
            check.compare(texture, texture, ctx)
        assert str(raised.value) == message


def test_a_bool_mask_is_scored_with_a_data_range_of_1():
    mask = np.zeros((32, 32), bool)
    mask[8:24, 8:24] = True
    thinner = mask.copy()
    thinner[8:24, 8:12] = False
    v = make_check({"kind": "ssim", "min": 0.5}).compare(thinner, mask, CTX)
    assert v.value == pytest.approx(0.5899, abs=1e-4)  # with a data range of 2 it would be 0.6054


def test_resize_scales_a_colour_picture_by_area_averaging_and_the_map_is_kept():
    import cv2

    rng = np.random.default_rng(0)
    rng.integers(40, 200, (64, 80))  # the same draws as the texture fixture, then a colour picture
    colour = cv2.GaussianBlur(rng.integers(40, 200, (64, 80, 3)).astype(np.uint8), (5, 5), 1)
    big = cv2.resize(colour, (120, 96), interpolation=cv2.INTER_LINEAR)
    v = make_check({"kind": "ssim", "resize": True, "min": 0.9}).compare(big, colour, CTX)
    assert v.passed and v.value == pytest.approx(0.9819, abs=1e-4)  # linear scaling back would give 0.9862
    assert v.message == "Your picture is 120x96 and the reference 80x64; it was scaled to match before scoring."
    assert v.maps["ssim"].shape == (64, 80)
    gray = make_check({"kind": "ssim", "resize": True}).compare(big[..., 0], colour, CTX)
    assert gray.passed is False and gray.message.startswith("expected (64, 80, 3) uint8, got (96, 120) uint8")


@pytest.mark.parametrize("where, window, place, worst", [
    ("bottom", np.s_[61:64, 30:40], "x=37, y=58", 0.7714),
    ("right", np.s_[20:30, 77:80], "x=74, y=25", 0.8250),
])
def test_the_worst_local_window_is_sought_inside_the_border_band(texture, where, window, place, worst):
    bad = texture.copy()
    bad[window] = 255 - bad[window]  # wrong only in the last rows or columns
    v = make_check({"kind": "ssim", "min": 0.5, "min_local": 0.99}).compare(bad, texture, CTX)
    assert v.passed is False
    assert (v.metric, v.threshold) == ("worst local SSIM", 0.99)
    assert v.value == pytest.approx(worst, abs=1e-4)  # windows in the border band score below 0, unseen
    assert f"the window around {place} scores {worst:.2f}, needs at least 0.99." in v.message
    assert v.maps["ssim"].shape == (64, 80)


# --- aggregate: challenge scores, the tier's direction, details and notes ---------------------------------------


def scored(value, detail="", named=None, diagnosis=None, case_id="gallery", note=""):
    verdict = Verdict(False, metric="SSIM", value=value, threshold=0.98, detail=detail, named=named or [],
                      diagnosis=diagnosis)
    return CaseResult(case_id, Outcome.FAILED, "", verdict=verdict, note=note)


def test_a_challenge_scores_the_mean_of_its_cases():
    task = aggregate(MONTAGE, [scored(0.7, case_id="a"), scored(0.9, case_id="b")])
    assert (task.score, task.tier, task.points, task.outcome) == (pytest.approx(0.8), "bronze", 1.0, Outcome.PASSED)


def test_a_challenge_where_lower_is_better_reaches_the_tier_whose_bound_it_stays_under():
    lower = dataclasses.replace(MONTAGE, check={"kind": "value", "op": "<=",
                                                "tiers": {"bronze": 10.0, "silver": 5.0, "gold": 2.0}})
    assert aggregate(lower, [scored(4.0)]).tier == "silver"
    assert aggregate(lower, [scored(12.0)]).tier is None


def test_a_challenges_points_are_rounded_to_hundredths():
    one_point = dataclasses.replace(MONTAGE, points=1.0)
    assert aggregate(one_point, [scored(0.7)]).points == 0.33


def test_a_challenge_message_adds_the_measurements_and_a_named_mistake_after_the_tier():
    task = aggregate(MONTAGE, [scored(0.9, detail="PSNR 27.1 dB, SSIM 0.84")])
    assert task.message == "silver: 0.900; gold at 0.950. PSNR 27.1 dB, SSIM 0.84"
    two = aggregate(MONTAGE, [scored(0.9, detail="a: PSNR 27.1 dB.", case_id="a"),
                              scored(0.9, detail="b: PSNR 30.2 dB.", case_id="b")])
    assert two.message == "silver: 0.900; gold at 0.950. a: PSNR 27.1 dB. b: PSNR 30.2 dB."
    named = aggregate(MONTAGE, [scored(0.5, named=["swapped"], diagnosis="You swapped red and blue.")])
    assert named.tier is None and (named.points, named.outcome) == (0.0, Outcome.FAILED)
    assert named.message == "no tier yet: 0.500; bronze at 0.600. You swapped red and blue."


def test_an_answer_that_makes_a_named_mistake_earns_no_tier_whatever_its_score():
    # Naming a challenge's answer takes a match at the gold level with the mistake's own output on every case
    # (grader.grading.naming), so only the mistake itself is named; a score cannot always tell it apart.
    named = aggregate(MONTAGE, [scored(0.9, named=["swapped"], diagnosis="You swapped red and blue.")])
    assert (named.tier, named.points, named.outcome) == (None, 0.0, Outcome.FAILED)
    assert named.message == ("no tier: 0.900 would reach silver, but the answer makes a classic mistake, which "
                             "earns none. You swapped red and blue.")


def test_a_speed_note_follows_the_message_and_a_passed_task_says_nothing_else():
    slow = CaseResult("c", Outcome.PASSED, "", note="crop() took 2.0 s; the reference solution takes 0.01 s.")
    assert aggregate(CROP, [slow]).message == "crop() took 2.0 s; the reference solution takes 0.01 s."
    assert aggregate(CROP, [CaseResult("c", Outcome.PASSED, "")]).message == ""


def test_a_failed_tasks_points_are_rounded_to_hundredths():
    cases = [CaseResult("a", Outcome.PASSED), CaseResult("b", Outcome.FAILED), CaseResult("c", Outcome.FAILED)]
    assert aggregate(CROP, cases).points == 0.67  # 2 points x 1/3
