"""Mistakes learners really post, graded as a learner's folder: the right verdict, cause and hint.

Each folder in tests/feedback_cases/ is a learner's exercises folder where one function holds the
mistake its EXPECT.md describes. The grader must fail it, name the catalogued mistake behind it in
the message, and show the hint that fixes that mistake (not always the first one).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.course import load_course
from grader.grading import grade
from grader.grading.naming import hint_for
from grader.grading.results import Outcome

HERE = Path(__file__).parent / "feedback_cases"

# folder: (day, task, the mistake named, a phrase of its sentence, the number of the hint shown)
CASES = {
    "03-puttext-bottomleftorigin": (2, "put_text", "bottom_left_origin", "upside down", 2),
    "04-hsv-full-inrange": (3, "colour_mask", "hsv_full", "COLOR_BGR2HSV_FULL", 3),
    "07-sobel-cv8u": (5, "sobel", "uint8_derivative", "The light-to-dark edges are missing", 3),
    "08-tutorial-approx-magnitude": (5, "gradient_magnitude", "sum_of_absolute_values", "np.hypot", 2),
    "10-erode-dilate-swapped": (7, "threshold_morphology", "dilation_shows_erosion", "erosion grew", 3),
    "13-remove-small-uint8": (9, "clean_mask", "uint8_mask", "specks are still there", 3),
    "14-ndimage-label-default": (9, "count_objects", "four_connected", "joined only at a corner", 2),
    "18-rectangle-slice-exclusive": (2, "filled_rectangle", "slice_exclusive", "last row and column", 2),
    "19-blend-truncate": (4, "blend", "truncated", "truncated, not rounded", 3),
}


def test_every_feedback_folder_has_its_expectation():
    assert sorted(p.name for p in HERE.iterdir() if p.is_dir()) == sorted(CASES)


@pytest.mark.parametrize("folder", sorted(CASES))
def test_the_mistake_fails_with_its_cause_named_and_its_hint_shown(folder, project, runner):
    day, task, named, phrase, hint = CASES[folder]
    run = grade(project, exercises=HERE / folder, day=day, task=task, runner=runner)
    (t,) = run.tasks
    assert t.outcome is Outcome.FAILED, t.message
    failed = [c for c in t.cases if c.outcome is not Outcome.PASSED]
    assert failed
    for case in failed:
        if case.verdict is not None and case.verdict.named:
            assert case.verdict.named[0] == named, (case.case_id, case.message)
    assert any(c.verdict is not None and c.verdict.named[:1] == [named] for c in failed)
    assert phrase in t.message, t.message
    assert hint_for(t) == load_course().day(day).task(task).hints[hint - 1]


def test_a_measure_just_short_of_its_mark_is_written_with_the_digits_that_tell_them_apart():
    from grader.checks import apart

    assert apart(0.9496, 0.95) == ("0.9496", "0.9500")
    assert apart(0.95, 0.95) == ("0.950", "0.950")
    assert apart(0.912, 0.98) == ("0.912", "0.980")
    assert apart(0.9496, 0.95, 0, percent=True) == ("94.96%", "95.00%")
    assert apart(0.93, 0.95, 0, percent=True) == ("93%", "95%")


def test_an_edge_map_just_short_of_its_f1_mark_does_not_read_as_a_pass():
    import numpy as np

    from grader.checks import CaseContext, make_check

    check = make_check({"kind": "edges", "tolerance": 0, "min": 0.95})
    expected = np.zeros((40, 80), np.uint8)
    expected[10, 5:75] = expected[20, 5:75] = expected[30, 5:74] = 255  # 209 edge pixels
    actual = expected.copy()
    actual[30, 5:25] = 0  # 189 of them found, none extra: F1 378 / 398 = 0.94975
    verdict = check.compare(actual, expected, CaseContext(None, None))
    assert not verdict.passed
    assert verdict.message.startswith("F1 0.9497, needs at least 0.9500: ")


def test_a_challenge_score_just_short_of_bronze_is_not_written_as_bronze(course):
    from grader.grading.results import challenge_note

    montage = course.day(1).task("montage")
    assert challenge_note(montage, 0.5996, None) == "no tier yet: 0.5996; bronze at 0.6000."
    assert challenge_note(montage, 0.912, "silver") == "silver: 0.912; gold at 0.950."


def test_a_picture_one_level_too_bright_everywhere_gets_no_rounding_advice(tmp_path, project, runner):
    from grader.grading import grade
    from tests.conftest import learner_folder

    source = (project.solutions / "day01_reading.py").read_text() + (
        "\n\n_flip_rotate = flip_rotate\n\n"
        "def flip_rotate(image, action):\n    return cv2.add(_flip_rotate(image, action), 1)\n")
    folder = learner_folder(tmp_path, project, 1, source)
    case = grade(project, exercises=folder, day=1, task="flip_rotate", runner=runner).tasks[0].cases[0]
    assert case.message.startswith("Your picture is one level too bright ")
    assert "adds 1 (or changes the brightness) where the reference keeps the values as they are." in case.message
    assert "ceil" not in case.message and "round" not in case.message
    assert case.verdict.metric == "pixels equal or rounded"


def test_a_mistake_is_not_named_on_one_case_when_the_answer_passes_another_it_would_fail(tmp_path, project, runner):
    """MORPH_ERODE for every operation: the erode case passes, so 'your erosion grew the shapes' is false."""
    from tests.conftest import learner_folder

    source = (project.solutions / "day07_filtering.py").read_text() + (
        "\n\ndef threshold_morphology(image, operation):\n"
        "    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)\n"
        "    _, mask = cv2.threshold(gray, 120, 255, cv2.THRESH_BINARY)\n"
        "    return cv2.morphologyEx(mask, cv2.MORPH_ERODE, np.ones((5, 5), np.uint8))\n")
    folder = learner_folder(tmp_path, project, 7, source)
    task = grade(project, exercises=folder, day=7, task="threshold_morphology", runner=runner).tasks[0]
    by_case = {c.case_id: c for c in task.cases}
    assert str(by_case["erode"].outcome) == "passed"
    assert str(by_case["dilate"].outcome) == "failed"
    assert all("Your erosion grew" not in c.message for c in task.cases), [c.message for c in task.cases]
    assert all(not c.verdict.named for c in task.cases if c.verdict is not None)
    assert "Your erosion grew" not in task.message


def test_a_measure_shown_beside_several_marks_gets_the_digits_that_tell_it_from_each():
    from grader.checks import written

    assert written(0.9496, [0.85, 0.9, 0.95]) == "0.9496"
    assert written(25.9977, [26.0, 28.0, 29.0], 2) == "25.998"
    assert written(0.912, [0.98]) == "0.912"
    assert written(0.95, [0.95, None]) == "0.950"


def test_charged_duplicates_just_short_of_their_mark_do_not_read_as_a_pass():
    import numpy as np

    from grader.checks import CaseContext, make_check

    truth = np.array([[10, 10, 30, 40], [100, 50, 120, 80], [200, 200, 220, 230]], float)
    boxes = np.vstack([truth, truth + 1, truth + 2])  # every object found, then six duplicates: 3/9 = 0.3333
    answer = np.column_stack([boxes, [0.99, 0.98, 0.97, 0.8, 0.79, 0.78, 0.7, 0.69, 0.68]])
    check = make_check({"kind": "detections", "what": "Titans", "duplicates": "charged", "min": 0.3334})
    v = check.compare(answer, truth, CaseContext(task=None, case=None))
    assert not v.passed
    assert v.message.startswith("AP@0.5 with duplicates charged 0.3333, needs 0.3334: AP 1.000 at IoU 0.5, but 6 "
                                "of your 9 boxes on Titans repeat one already found, so it counts 3/9 of it: 0.3333.")


def test_a_restoration_just_short_of_bronze_does_not_print_the_bronze_bound_as_its_own():
    import cv2
    import numpy as np
    from skimage.data import camera

    from grader.checks import CaseContext, make_check

    clean = cv2.resize(camera(), (128, 128), interpolation=cv2.INTER_AREA)
    out = clean.astype(int).ravel()
    out[np.flatnonzero(out <= 215)[:1673]] += 40  # mean squared error 1673 * 1600 / 16384: PSNR 25.9993 dB
    out = out.reshape(clean.shape).astype(np.uint8)
    check = make_check({"kind": "quality", "psnr": [26.0, 28.0, 29.0], "ssim": [0.64, 0.75, 0.80]})
    v = check.compare(out, clean, CaseContext(task=None, case=None))
    assert not v.passed
    assert v.message.startswith("against the clean picture your result has PSNR 25.999 dB and SSIM 0.959: level "
                                "0.999, needs 1.000 (PSNR at least 26 dB and SSIM at least 0.64).")
    assert v.detail.startswith("PSNR 25.999 dB, SSIM 0.959; bronze needs PSNR at least 26 dB")


def test_a_challenge_score_just_short_of_bronze_is_not_written_as_bronze_in_the_metric_column(course):
    from grader.checks import Verdict
    from grader.grading.results import CaseResult, Outcome, aggregate

    montage = course.day(1).task("montage")
    case = CaseResult("gallery", Outcome.FAILED, verdict=Verdict(False, metric="SSIM", value=0.5996, threshold=0.98))
    t = aggregate(montage, [case])
    assert (t.tier, t.metric_text) == (None, "SSIM 0.5996")  # bronze at 0.6


def test_one_pixel_in_thousands_is_counted_not_rounded_to_none():
    import numpy as np

    from grader.checks import CaseContext, make_check, percent

    expected = np.zeros((70, 110), np.uint8)  # 7,700 pixels
    actual = expected.copy()
    actual[3, 4] = 223
    v = make_check({"kind": "pixels"}).compare(actual, expected, CaseContext(task=None, case=None))
    assert v.message == "1 of 7,700 pixels (0.01%) differs from the reference (largest difference 223)."
    assert (percent(1 / 7700), percent(7699 / 7700), percent(0.0), percent(1.0)) == ("0.01%", "99.99%", "0.0%", "100.0%")
    assert percent(0.996, 0) == "99.6%"


def test_one_pixel_in_thousands_is_counted_in_where_it_differs():
    import numpy as np

    from grader.checks import CaseContext, make_check
    from grader.checks.credit import where_it_differs

    expected = np.full((70, 110), 80, np.uint8)
    actual = expected.copy()
    actual[35, 55] = 81
    v = make_check({"kind": "ssim", "min": 1.0}).compare(actual, expected, CaseContext(task=None, case=None))
    text = where_it_differs(actual, expected, v)
    assert "1 of 7,700 pixels (0.01%) differs, by up to 1 level" in text, text
