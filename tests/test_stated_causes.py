"""Graded answers whose failure the check's own message explains show the hint the course gives that cause.

A check that diagnoses a cause (ink, value, glcm, glcm_props, points, outline, regions, iou) marks its verdict
with it, and the task's check maps it to the hint about it (its ``hints`` table). A catalogued mistake named
on the case still takes its own hint; the cause's hint is the one shown for every other answer, and for the
catalogued slips themselves wherever nothing names them (a hidden variant graded from a release, which has
no stored outcomes for it).
"""
from __future__ import annotations

import ast
import dataclasses

import pytest

CIRCLE = "    out = canvas.copy()\n    cv2.circle(out, center, radius, colour, thickness)\n"

#: (day, task, a plausible wrong answer no catalogued mistake names, the cause its message states, the hint
#: the course gives that cause)
UNNAMED = [
    (1, "shape_of", "def shape_of(image):\n    return (image.shape[2] if image.ndim == 3 else 1, "
     "image.shape[0], image.shape[1])", "wrong_order", 1),
    (2, "outlined_circle", "def outlined_circle(canvas, center, radius, colour, thickness):\n" + CIRCLE
     + "    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)", "red_blue_swapped", 3),
    (2, "filled_circle", "def filled_circle(canvas, center, radius, colour):\n    out = canvas.copy()\n"
     "    cv2.circle(out, center, radius, colour, 3)\n    return out", "partly_drawn", 1),
    (2, "filled_rectangle", "def filled_rectangle(canvas, top_left, bottom_right, colour):\n    out = canvas.copy()\n"
     "    cv2.rectangle(out, top_left, bottom_right, colour, cv2.FILLED)\n"
     "    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)", "red_blue_swapped", 1),
    (2, "thick_line", "def thick_line(canvas, start, end, colour, thickness):\n    out = canvas.copy()\n"
     "    cv2.line(out, start, end, colour, thickness)\n    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)",
     "red_blue_swapped", 2),
    (2, "put_text", "def put_text(canvas, text, origin, scale, colour, thickness):\n    out = canvas.copy()\n"
     "    cv2.putText(out, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness)\n"
     "    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)", "red_blue_swapped", 1),
    # Each shape drawn on a fresh copy of its own, and the canvas returned.
    (2, "draw_shapes", "def draw_shapes(canvas, shapes):\n    for shape in shapes:\n        out = canvas.copy()\n"
     "        if shape[0] == 'circle':\n            cv2.circle(out, *shape[1:])\n"
     "        elif shape[0] == 'rectangle':\n            cv2.rectangle(out, *shape[1:])\n"
     "        elif shape[0] == 'line':\n            cv2.line(out, *shape[1:])\n    return canvas.copy()",
     "unchanged", 2),
    # The inverse threshold and a 3x3 kernel: two slips, so no catalogued mistake matches.
    (7, "threshold_morphology", "def threshold_morphology(image, operation):\n"
     "    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)\n"
     "    _, mask = cv2.threshold(gray, 120, 255, cv2.THRESH_BINARY_INV)\n"
     "    return cv2.morphologyEx(mask, MORPH[operation], np.ones((3, 3), np.uint8))", "inverted", 2),
    # Normalised by the number of pixels, not by each matrix's own sum.
    (8, "glcm", "def glcm(gray, levels):\n    p = graycomatrix(quantize(gray, levels), distances=[1], angles=ANGLES, "
     "levels=levels, symmetric=True)\n    return p / gray.size", "not_normed", 2),
    (8, "glcm_properties", "def glcm_properties(gray, levels):\n    matrix = glcm(gray, 8)\n"
     "    return {name: graycoprops(matrix, name)[0] for name in PROPERTIES}", "levels", 3),
    (8, "glcm_properties", "def glcm_properties(gray, levels):\n    matrix = glcm(gray, levels)\n"
     "    return {name.lower(): graycoprops(matrix, name)[0] for name in PROPERTIES}", "names", 2),
    # The adaptive threshold labelled as it is, without dropping the specks.
    (9, "coins", "def coins(image):\n    mask = cv2.adaptiveThreshold(image, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, "
     "cv2.THRESH_BINARY, 51, -5)\n    return cv2.connectedComponents(mask)[1]", "too_many", 2),
    # crossCheck in place of the ratio test keeps far too many matches.
    (10, "match", "def match(desc_a, desc_b, ratio=0.75):\n"
     "    pairs = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(desc_a, desc_b)\n"
     "    return np.array(sorted((m.queryIdx, m.trainIdx) for m in pairs)).reshape(-1, 2)", "too_many", 1),
    # The homography fitted scene to object, with more keypoints than the catalogued slip.
    (10, "locate", "def locate(obj, scene):\n    h = _homography(scene, obj, cv2.ORB_create(nfeatures=1000), 0.75)\n"
     "    height, width = obj.shape[:2]\n    return None if h is None else warp_outline(h, width, height)",
     "homography_direction", 2),
    (12, "nms", "def nms(boxes, scores, iou_threshold):\n"
     "    order = list(np.argsort(-np.asarray(scores), kind='stable'))\n    kept = []\n    while order:\n        best = order.pop(0)\n        kept.append(int(best))\n"
     "        order = [i for i in order if box_iou(boxes[best], boxes[i]) <= iou_threshold]\n"
     "    return sorted(kept, reverse=True)", "wrong_order", 1),
]

#: (day, task, a catalogued mistake, the cause its message states when nothing names it, the hint the course
#: gives that cause: the mistake's own)
CATALOGUED = [
    (3, "colour_mask", "inverted_mask", "inverted", 2),
    (4, "threshold", "inverted_type", "inverted", 2),
    (4, "adaptive_threshold", "paper_instead_of_writing", "inverted", 2),
    (9, "segment", "binary_for_inverse", "inverted", 1),
    (10, "corners", "row_col_from_scikit_image", "row_col", 2),
    (10, "warp_outline", "row_col_corners", "row_col", 2),
    (10, "locate", "outline_as_row_col", "row_col", 2),
    (12, "best_match", "row_col_from_unravel_index", "wrong_order", 2),
    (12, "track", "path_as_row_col", "row_col", 2),
]


def _graded(tmp_path, project, runner, course, day_number: int, task_name: str, source: str):
    from grader.grading import grade
    from tests.conftest import learner_folder

    day = course.day(day_number)
    text = (project.solutions / day.filename).read_text() + "\n\n" + source + "\n"
    run = grade(project, exercises=learner_folder(tmp_path, project, day_number, text), day=day_number,
                task=task_name, runner=runner, course=course)
    (t,) = run.tasks
    return t


def _shows(t, cause: str, level: int) -> None:
    from grader.grading.naming import hint_for, hint_level

    failed = [c for c in t.cases if c.verdict is not None and not c.verdict.passed]
    assert not t.passed and failed
    assert all(not c.verdict.named for c in failed)
    stated = [c for c in failed if c.verdict.cause == cause]
    assert stated, [(c.case_id, c.verdict.cause, c.message) for c in failed]
    assert hint_level(t) == level
    assert hint_for(t) == t.task.hints[level - 1]


@pytest.mark.parametrize("day, task_name, source, cause, level", UNNAMED,
                         ids=[f"{t}-{c}" for _, t, _, c, _ in UNNAMED])
def test_an_answer_no_mistake_names_shows_the_hint_for_the_cause_its_message_states(
        tmp_path, project, runner, course, day, task_name, source, cause, level):
    _shows(_graded(tmp_path, project, runner, course, day, task_name, source), cause, level)


def _as_the_task(project, day, task, function: str) -> str:
    """The catalogue's ``function``, renamed to the task's function, as a learner would write it."""
    from grader.course import catalogue

    tree = ast.parse(catalogue.module_path(project.root, day.filename).read_text())
    (node,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    node.name = task.function
    return ast.unparse(node)


@pytest.mark.parametrize("day, task_name, mistake_name, cause, level", CATALOGUED,
                         ids=[f"{t}-{m}" for _, t, m, _, _ in CATALOGUED])
def test_a_catalogued_slip_nothing_names_shows_the_hint_for_its_stated_cause_which_is_its_own(
        tmp_path, project, runner, course, day, task_name, mistake_name, cause, level):
    """Where no stored outcome names the mistake (a hidden variant graded from a release), the check's own
    message still says what went wrong, and the hint under it is the one the mistake would have shown."""
    d = course.day(day)
    task = d.task(task_name)
    mistake = next(m for m in task.mistakes if m.name == mistake_name)
    assert mistake.hint == level
    unnamed = dataclasses.replace(task, mistakes=())
    days = tuple(dataclasses.replace(x, tasks=tuple(unnamed if t.key == task.key else t for t in x.tasks))
                 if x.number == day else x for x in course.days)
    t = _graded(tmp_path, project, runner, dataclasses.replace(course, days=days), day, task_name,
                _as_the_task(project, d, task, mistake.function))
    _shows(t, cause, level)
