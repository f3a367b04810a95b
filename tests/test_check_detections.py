"""The detections check: boxes with scores, scored by average precision at IoU 0.5."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import CaseContext, CheckError, make_check
from grader.checks.detections import average_precision, box_iou

TRUTH = np.array([[10, 10, 30, 40], [100, 50, 120, 80], [200, 200, 220, 230]], float)


def judge(actual, truth=TRUTH, **options):
    return make_check({"kind": "detections", "what": "Titans", **options}).compare(
        actual, truth, CaseContext(task=None, case=None))


def dets(boxes, scores):
    return np.column_stack([np.asarray(boxes, float), scores])


def test_box_iou():
    a = np.array([[0, 0, 10, 10]], float)
    b = np.array([[5, 0, 15, 10], [20, 20, 30, 30]], float)
    assert box_iou(a, b).tolist() == [[pytest.approx(50 / 150), 0.0]]


def test_every_object_found_first_scores_one():
    v = judge(dets(TRUTH + 1, [0.9, 0.8, 0.7]))
    assert v.passed and v.value == 1.0 and v.detail == "AP 1.000: 3 of 3 Titans found, 0 false detections."


def test_a_false_detection_ranked_first_costs_precision():
    # Ranking: false (p 0), then three right: precision 1/2, 2/3, 3/4 at recall 1/3, 2/3, 1.
    got = average_precision([dets(np.vstack([[400, 400, 420, 430], TRUTH]), [0.99, 0.9, 0.8, 0.7])], [TRUTH])
    assert got["ap"] == pytest.approx((0.75 + 0.75 + 0.75) / 3)
    assert (got["tp"], got["fp"], got["duplicates"]) == (3, 1, 0)


def test_duplicates_without_nms_are_named():
    boxes = np.vstack([TRUTH[0], TRUTH[0] + 1, TRUTH[0] + 2, TRUTH[1], TRUTH[1] + 1, TRUTH[2]])
    v = judge(dets(boxes, [0.99, 0.98, 0.97, 0.8, 0.79, 0.6]))
    assert not v.passed and "non-maximum suppression" in v.message and "3 of them duplicates" in v.message


def test_width_and_height_for_corners_are_named():
    xywh = TRUTH.copy()
    xywh[:, 2:] -= xywh[:, :2]
    v = judge(dets(xywh, [0.9, 0.8, 0.7]))
    assert not v.passed and "(x, y, width, height)" in v.message


def test_swapped_x_and_y_are_named():
    v = judge(dets(TRUTH[:, [1, 0, 3, 2]], [0.9, 0.8, 0.7]))
    assert not v.passed and "x and y swapped" in v.message


def test_several_scenes_pool_their_detections():
    truth = np.array([[0, 10, 10, 30, 40], [1, 100, 50, 120, 80], [1, 5, 5, 25, 25]], float)
    answer = [dets([[10, 10, 30, 40]], [0.9]), dets([[100, 50, 120, 80]], [0.8])]
    v = judge(answer, truth=truth, scenes=3)
    assert "returned detections for 2 scenes where there are 3" in v.message
    # A catalogued mistake's output (one array of detections per scene) stands for the truth too.
    assert judge(answer + [np.zeros((0, 5))], truth=answer + [np.zeros((0, 5))], scenes=3).value == 1.0
    v = judge(answer + [np.zeros((0, 5))], truth=truth, scenes=3, min=0.6)
    assert v.passed and v.value == pytest.approx(2 / 3)


@pytest.mark.parametrize("actual, phrase", [
    (TRUTH, "Each row needs a score too"),
    (None, "did you forget to `return` it?"),
    ("boxes", "where an array of detections (N, 5) was expected"),
])
def test_answers_that_are_not_detections_are_explained(actual, phrase):
    v = judge(actual)
    assert phrase in v.message and v.value == 0.0


def test_no_detections_score_zero():
    v = judge(np.zeros((0, 5)))
    assert not v.passed and v.value == 0.0 and "Most Titans are missed" in v.message


def test_duplicates_ranked_below_every_object_keep_ap_but_cost_f1():
    boxes = np.vstack([TRUTH, TRUTH + 1, TRUTH + 2])
    scores = [0.99, 0.98, 0.97, 0.8, 0.79, 0.78, 0.7, 0.69, 0.68]
    assert judge(dets(boxes, scores)).passed  # AP 1.0: every object found before any duplicate
    v = judge(dets(boxes, scores), score="f1")
    assert not v.passed and v.value == pytest.approx(2 * 3 / 12) and v.metric == "F1@0.5"
    assert v.message.startswith("F1 0.500 at IoU 0.5, needs 0.900: 3 of 3 Titans found, 6 false detections")
    assert "non-maximum suppression" in v.message


def test_a_mistakes_detections_stand_for_the_true_boxes_scores_dropped():
    assert judge(dets(TRUTH, [0.9, 0.8, 0.7]), truth=dets(TRUTH, [0.1, 0.2, 0.3])).value == 1.0


def test_malformed_detections_match_the_same_malformed_reference():
    xywh = dets(TRUTH, [0.9, 0.8, 0.7])
    xywh[:, 2:4] -= xywh[:, 0:2]
    assert judge(xywh.copy(), truth=xywh).passed
    assert not judge(xywh, truth=TRUTH).passed


def test_charged_duplicates_cost_wherever_they_rank():
    # Every object found first, then six duplicates ranked below them all: AP forgives them, the charge does not.
    boxes = np.vstack([TRUTH, TRUTH + 1, TRUTH + 2])
    scores = [0.99, 0.98, 0.97, 0.8, 0.79, 0.78, 0.7, 0.69, 0.68]
    v = judge(dets(boxes, scores), duplicates="charged")
    assert not v.passed and v.value == pytest.approx(3 / 9) and v.metric == "AP@0.5 with duplicates charged"
    assert v.detail.startswith("AP 1.000 at IoU 0.5, but 6 of your 9 boxes on Titans repeat one already found, so "
                               "it counts 3/9 of it: 0.333. 3 of 3 Titans found, 6 false detections (6 of them "
                               "duplicates). Run non-maximum suppression")
    assert v.message.startswith("AP@0.5 with duplicates charged 0.333, needs 0.900: AP 1.000 at IoU 0.5")
    assert ("duplicates", "0", "6") in v.table


def test_charging_duplicates_leaves_false_alarms_to_ap():
    # A false alarm away from every object ranked first costs what AP makes it cost, and nothing more.
    answer = dets(np.vstack([[400, 400, 420, 430], TRUTH]), [0.99, 0.9, 0.8, 0.7])
    v = judge(answer, duplicates="charged", min=0.7)
    assert v.passed and v.value == pytest.approx(0.75) and v.detail == "AP 0.750: 3 of 3 Titans found, 1 false detection."


def test_a_duplicate_ranked_among_the_objects_costs_both_ways():
    # Ranking: hit, duplicate, hit, hit. AP: precision 1, 2/3, 3/4 at recall 1/3, 2/3, 1 = (1 + 3/4 + 3/4) / 3.
    boxes = np.vstack([TRUTH[0], TRUTH[0] + 1, TRUTH[1], TRUTH[2]])
    v = judge(dets(boxes, [0.9, 0.85, 0.8, 0.7]), duplicates="charged")
    assert v.value == pytest.approx((1 + 0.75 + 0.75) / 3 * 3 / 4)


@pytest.mark.parametrize("options, phrase", [
    ({"duplicates": "ignored"}, 'duplicates must be "forgiven" or "charged"'),
    ({"duplicates": "charged", "score": "f1"}, 'duplicates = "charged" goes with score = "ap"'),
])
def test_duplicates_option_is_checked(options, phrase):
    with pytest.raises(CheckError, match=phrase):
        make_check({"kind": "detections", **options})


HINTS = {"xywh": 1, "swapped_axes": 2, "duplicates": 3, "missed": 4}


def _xywh():
    xywh = TRUTH.copy()
    xywh[:, 2:] -= xywh[:, :2]
    return dets(xywh, [0.9, 0.8, 0.7])


@pytest.mark.parametrize("answer, options, cause", [
    (_xywh(), {}, "xywh"),
    (dets(TRUTH[:, [1, 0, 3, 2]], [0.9, 0.8, 0.7]), {}, "swapped_axes"),
    (dets(np.vstack([TRUTH[0], TRUTH[0] + 1, TRUTH[0] + 2, TRUTH[1], TRUTH[1] + 1, TRUTH[2]]),
          [0.99, 0.98, 0.97, 0.8, 0.79, 0.6]), {}, "duplicates"),
    (dets(np.vstack([TRUTH, TRUTH + 1, TRUTH + 2]), [0.99, 0.98, 0.97, 0.8, 0.79, 0.78, 0.7, 0.69, 0.68]),
     {"duplicates": "charged"}, "duplicates"),
    (dets([[400, 400, 420, 430]], [0.9]), {}, "missed"),
])
def test_the_cause_a_message_states_brings_the_hint_the_course_gives_it(answer, options, cause):
    v = judge(answer, hints=HINTS, **options)
    assert not v.passed and (v.cause, v.hint) == (cause, HINTS[cause])


def test_a_low_score_with_no_stated_cause_leaves_the_hint_to_the_task():
    # Two of three found, one false alarm ranked first: no single cause to state.
    v = judge(dets(np.vstack([[400, 400, 420, 430], TRUTH[:2]]), [0.99, 0.9, 0.8]), hints=HINTS)
    assert not v.passed and (v.cause, v.hint) == (None, None)


def test_a_challenge_that_finds_no_titan_is_shown_the_threshold_hint(tmp_path, project, runner, course):
    """Nothing found matches no catalogued mistake; the message says most Titans are missed and to lower the
    threshold, and the hint under it is the one that names a threshold (day 12's `hints` table)."""
    from grader.grading import grade
    from grader.grading.naming import hint_for
    from tests.conftest import learner_folder

    day = course.day(12)
    source = (project.solutions / day.filename).read_text() + (
        "\n\ndef detect_titans(template, scenes):\n    return [np.zeros((0, 5)) for _ in scenes]\n")
    run = grade(project, exercises=learner_folder(tmp_path, project, 12, source), day=12, task="detect_titans",
                runner=runner)
    (t,) = run.tasks
    (case,) = t.cases
    assert t.tier is None and "Most Titans are missed: lower the score threshold" in case.message
    assert hint_for(t) == day.task("detect_titans").hints[1]
    assert case.verdict.cause == "missed" and not case.verdict.named
