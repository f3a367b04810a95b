"""Every named mistake is found on a deliberately wrong answer, and only then.

Most mistakes are exercised by whole wrong submissions in tests/controls/
(their `expect` phrase is part of the mistake's sentence); the rest by the
wrong answers built here from a reference output, checked by the task's real
check. A test below makes sure no named mistake goes untested.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from grader import checks
from grader.checks import CaseContext
from grader.course import load_course
from grader.checks.diagnosis import MISTAKES, diagnose
from grader.course.references import References
from tests.controls import all_controls


@pytest.fixture(scope="module")
def refs(project):
    return References(project.references)


def case_of(day: int, task: str, case_id: str):
    t = load_course().day(day).task(task)
    return t, next(c for c in t.cases if c.id == case_id)


def diagnosis_for(refs, day, task, case_id, wrong):
    """Grade ``wrong(expected, input)`` with the case's own check; the diagnosis it gets."""
    from grader.course.cases import materialize

    t, case = case_of(day, task, case_id)
    check = checks.check_for(t, case)
    expected = refs.expected(t, case)
    args, kwargs, _ = materialize(case, refs)
    ctx = CaseContext(task=t, case=case, args=args, kwargs=kwargs)
    actual = wrong(expected, ctx.first_image())
    verdict = check.compare(actual, expected, ctx)
    assert not verdict.passed
    return diagnose(check, actual, expected, ctx, verdict)


def sentence(name: str) -> str:
    return next(m.sentence for m in MISTAKES if m.name == name)


CROP = (1, "crop", "cat-face")  # a colour picture checked pixel by pixel
GRAY = (1, "read_image", "gray")  # a grayscale picture

BUILT = {
    "transposed": (CROP, lambda e, i: np.ascontiguousarray(e.transpose(1, 0, 2))),
    "inverted": (CROP, lambda e, i: 255 - e),
    "flipped_upside_down": (CROP, lambda e, i: np.ascontiguousarray(e[::-1])),
    "quarter_turn_ccw": (CROP, lambda e, i: np.ascontiguousarray(np.rot90(e, -1))),
    "quarter_turn_cw": (CROP, lambda e, i: np.ascontiguousarray(np.rot90(e, 1))),
    "colour_for_gray": (GRAY, lambda e, i: cv2.cvtColor(e, cv2.COLOR_GRAY2BGR)),
    "float_255": (CROP, lambda e, i: e.astype(np.float64)),
    "off_by_one": (CROP, lambda e, i: np.concatenate([e, e[-1:]], axis=0)),
    "shifted_down": (CROP, lambda e, i: np.concatenate([e[:1], e[:-1]], axis=0)),
    "shifted_up": (CROP, lambda e, i: np.concatenate([e[1:], e[-1:]], axis=0)),
    "shifted_right": (CROP, lambda e, i: np.concatenate([e[:, :1], e[:, :-1]], axis=1)),
    "shifted_left": (CROP, lambda e, i: np.concatenate([e[:, 1:], e[:, -1:]], axis=1)),
}


@pytest.mark.parametrize("name", sorted(BUILT))
def test_a_wrong_answer_built_from_the_reference_gets_its_mistake_named(refs, name):
    (day, task, case_id), wrong = BUILT[name]
    assert diagnosis_for(refs, day, task, case_id, wrong) == sentence(name)


def test_a_gray_picture_for_a_colour_one_is_named():
    gray = np.tile(np.arange(0, 240, 4, dtype=np.uint8), (48, 1))
    expected = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    check = checks.make_check({"kind": "pixels"})
    ctx = CaseContext(task=None, case=None)
    verdict = check.compare(gray, expected, ctx)
    assert diagnose(check, gray, expected, ctx, verdict) == sentence("gray_for_colour")


def test_a_wrong_answer_with_no_classic_mistake_gets_no_diagnosis(refs):
    noise = np.random.default_rng(3).integers(0, 256, size=(150, 200, 3), dtype=np.uint8)
    assert diagnosis_for(refs, *CROP, lambda e, i: noise) is None
    assert diagnosis_for(refs, *CROP, lambda e, i: np.zeros_like(e)) is None


def test_a_passing_answer_is_never_diagnosed(refs):
    t, case = case_of(*CROP)
    check = checks.check_for(t, case)
    expected = refs.expected(t, case)
    verdict = check.compare(expected.copy(), expected, CaseContext(task=t, case=case))
    assert verdict.passed and diagnose(check, expected.copy(), expected, None, verdict) is None


def test_every_named_mistake_is_exercised_by_a_wrong_answer():
    phrases = [c.expect for c in all_controls() if c.kind == "wrong" and c.expect]
    covered = set(BUILT) | {"gray_for_colour"}
    untested = [m.name for m in MISTAKES
                if m.name not in covered and not any(p in m.sentence for p in phrases)]
    assert not untested, f"named mistakes no wrong answer exercises: {untested}"
