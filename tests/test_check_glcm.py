"""GLCM checks: scikit-image and plain NumPy agree, and each classic mistake is named."""
from __future__ import annotations

import numpy as np
import pytest
from skimage.data import brick
from skimage.feature import graycomatrix, graycoprops

from grader.checks import CaseContext, make_check
from grader.checks.texture import ANGLES, PROPS, cooccurrence, properties, quantize

IMAGE = brick()[:96, :96]
LEVELS = 16
Q = IMAGE // 16


def ctx():
    return CaseContext(task=None, case=None, args=(IMAGE,), kwargs={"levels": LEVELS})


def glcm(q=Q, levels=LEVELS, angles=ANGLES, symmetric=True, normed=True):
    return graycomatrix(q, [1], list(angles), levels=levels, symmetric=symmetric, normed=normed)


def props_of(p):
    return {name: graycoprops(p, name)[0] for name in PROPS}


EXPECTED = glcm()
EXPECTED_PROPS = props_of(EXPECTED)


def judge_matrix(actual):
    return make_check({"kind": "glcm"}).compare(actual, EXPECTED, ctx())


def judge_props(actual):
    return make_check({"kind": "glcm_props"}).compare(actual, EXPECTED_PROPS, ctx())


def test_our_numpy_glcm_and_properties_match_scikit_image():
    assert np.allclose(cooccurrence(Q, LEVELS), EXPECTED, rtol=1e-12, atol=0)
    assert np.array_equal(quantize(IMAGE, 16), Q)
    mine = properties(cooccurrence(Q, LEVELS))
    for name in PROPS:
        assert np.allclose(mine[name], EXPECTED_PROPS[name], rtol=1e-10), name
    raw = glcm(symmetric=False, normed=False)
    assert np.array_equal(cooccurrence(Q, LEVELS, symmetric=False, normed=False), raw)


def test_the_matrix_passes_from_scikit_image_numpy_or_squeezed():
    assert judge_matrix(EXPECTED.copy()).passed
    assert judge_matrix(cooccurrence(Q, LEVELS)).passed
    v = judge_matrix(EXPECTED[:, :, 0, :].astype(np.float32))
    assert v.passed, v.message


@pytest.mark.parametrize("actual, phrase", [
    (glcm(symmetric=False), "not symmetric: pass symmetric=True"),
    (glcm(normed=False), "pass normed=True"),
    (glcm(symmetric=False, normed=False), "not symmetric"),
    (glcm(angles=[0, np.pi / 2, np.pi / 4, 3 * np.pi / 4]), "your angles come in the order 0°, 90°, 45°, 135°"),
    (glcm(angles=[0, 3 * np.pi / 4, np.pi / 2, np.pi / 4]), "your angles come in the order 0°, 135°, 90°, 45°"),
    (glcm(angles=[0, 45, 90, 135]), "given in degrees"),
    (glcm(q=IMAGE // 32), "only uses grey levels 0 to 7"),
    (glcm(q=IMAGE, levels=256), "it counts 256 grey levels; quantise the picture to 16 levels first"),
    (glcm(q=np.round(IMAGE / 17).astype(np.uint8)), "rounded to the nearest of 16 steps"),
])
def test_each_matrix_mistake_is_named(actual, phrase):
    v = judge_matrix(actual)
    assert not v.passed
    assert phrase in v.message, v.message
    if v.value is not None:
        assert v.value > 1.02


def test_not_normed_and_not_symmetric_are_both_named():
    v = judge_matrix(glcm(symmetric=False, normed=False))
    assert "not symmetric" in v.message and "normed=True" in v.message


def test_the_properties_pass_from_scikit_image_numpy_and_plain_lists():
    assert judge_props({k: v.copy() for k, v in EXPECTED_PROPS.items()}).passed
    mine = properties(cooccurrence(Q, LEVELS))
    assert judge_props({k: list(map(float, v)) for k, v in mine.items()}).passed
    assert judge_props({k: graycoprops(EXPECTED, k) for k in PROPS}).passed  # shaped (1, 4)


@pytest.mark.parametrize("actual, phrase", [
    (props_of(glcm(symmetric=False)), "not symmetric: pass symmetric=True"),
    (properties(cooccurrence(Q, LEVELS, normed=False), normalise=False), "raw counts"),
    (props_of(glcm(angles=[0, np.pi / 2, np.pi / 4, 3 * np.pi / 4])), "order 0°, 90°, 45°, 135°"),
    (props_of(glcm(angles=[0, 45, 90, 135])), "given in degrees"),
    (props_of(glcm(q=IMAGE // 32, levels=8)), "come from 8 grey levels, not 16"),
    (props_of(glcm(q=IMAGE, levels=256)), "come from 256 grey levels, not 16"),
    ({**EXPECTED_PROPS, "energy": EXPECTED_PROPS["ASM"]}, "energy is the square root of ASM"),
])
def test_each_property_mistake_is_named(actual, phrase):
    v = judge_props(actual)
    assert not v.passed and v.value > 1.02
    assert phrase in v.message, v.message


def test_missing_or_misnamed_properties_and_wrong_types_are_explained():
    v = judge_props({k.lower(): v for k, v in EXPECTED_PROPS.items()})
    assert not v.passed and "no 'ASM'" in v.message and "'asm'" in v.message
    v = judge_props(np.stack([EXPECTED_PROPS[k] for k in PROPS]))
    assert not v.passed and "where a dict was expected" in v.message
    v = judge_props({**EXPECTED_PROPS, "contrast": EXPECTED_PROPS["contrast"][:2]})
    assert not v.passed and "expected 4 values (one per angle), got 2" in v.message


def _numbered(causes) -> dict:
    """A `hints` table giving each cause its own number, so the hint shown tells which cause was stated."""
    return {cause: k for k, cause in enumerate(causes, start=1)}


@pytest.mark.parametrize("actual, cause", [
    (glcm(symmetric=False), "not_symmetric"),
    (glcm(symmetric=False, normed=False), "not_symmetric"),
    (glcm(normed=False), "not_normed"),
    (glcm(angles=[0, np.pi / 2, np.pi / 4, 3 * np.pi / 4]), "angle_order"),
    (glcm(angles=[0, np.pi / 2, np.pi / 4, 3 * np.pi / 4], normed=False), "angle_order"),
    (glcm(angles=[0, 45, 90, 135]), "degrees"),
    (glcm(q=IMAGE // 32), "levels"),
    (glcm(q=IMAGE, levels=256), "levels"),
    (glcm(q=np.round(IMAGE / 17).astype(np.uint8)), "levels"),
    (glcm(angles=[0, np.pi / 4]), "shape"),
])
def test_a_matrix_failure_states_its_cause_and_shows_the_hint_the_course_gives_it(actual, cause):
    check = make_check({"kind": "glcm", "hints": _numbered(make_check({"kind": "glcm"}).causes)})
    v = check.compare(actual, EXPECTED, ctx())
    assert not v.passed and (v.cause, v.hint) == (cause, check.options["hints"][cause])


@pytest.mark.parametrize("actual, cause", [
    (props_of(glcm(symmetric=False)), "not_symmetric"),
    (properties(cooccurrence(Q, LEVELS, normed=False), normalise=False), "not_normed"),
    (props_of(glcm(angles=[0, np.pi / 2, np.pi / 4, 3 * np.pi / 4])), "angle_order"),
    (props_of(glcm(angles=[0, 45, 90, 135])), "degrees"),
    (props_of(glcm(q=IMAGE // 32, levels=8)), "levels"),
    ({**EXPECTED_PROPS, "energy": EXPECTED_PROPS["ASM"]}, "energy_asm"),
    ({**EXPECTED_PROPS, "ASM": EXPECTED_PROPS["energy"]}, "energy_asm"),
    ({k.lower(): v for k, v in EXPECTED_PROPS.items()}, "names"),
])
def test_a_property_failure_states_its_cause_and_shows_the_hint_the_course_gives_it(actual, cause):
    check = make_check({"kind": "glcm_props", "hints": _numbered(make_check({"kind": "glcm_props"}).causes)})
    v = check.compare(actual, EXPECTED_PROPS, ctx())
    assert not v.passed and (v.cause, v.hint) == (cause, check.options["hints"][cause])


def test_a_texture_failure_with_no_single_cause_leaves_the_hint_to_the_task():
    noisy = EXPECTED + np.random.default_rng(0).uniform(0, 1e-3, EXPECTED.shape)
    v = make_check({"kind": "glcm", "hints": {"levels": 2}}).compare(noisy, EXPECTED, ctx())
    assert not v.passed and "values are off" in v.message and (v.cause, v.hint) == (None, None)
    v = make_check({"kind": "glcm_props", "hints": {"names": 2}}).compare(
        {k: v for k, v in EXPECTED_PROPS.items() if k != "ASM"}, EXPECTED_PROPS, ctx())
    assert not v.passed and "no 'ASM'" in v.message and (v.cause, v.hint) == (None, None)
