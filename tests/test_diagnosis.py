"""The classic-mistake diagnosis: it names a mistake only when undoing it explains the miss."""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, make_check
from grader.diagnosis import diagnose


def diagnosis_for(spec, actual, expected, *args):
    check = make_check(spec)
    ctx = CaseContext(task=None, case=None, args=args)
    verdict = check.compare(actual, expected, ctx)
    return verdict, diagnose(check, actual, expected, ctx, verdict)


def ring(shape=(40, 60), centre=(15, 20)):
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]]
    return (((yy - centre[0]) ** 2 + (xx - centre[1]) ** 2) < 64).astype(np.uint8) * 255


def test_a_flip_that_only_overlaps_a_little_more_is_not_named():
    expected = ring(centre=(15, 20))
    actual = ring(centre=(15, 42)) | ring(centre=(30, 50))  # elsewhere; flipped, part of it lands on the ring
    verdict, named = diagnosis_for({"kind": "iou", "min": 0.97}, actual, expected)
    assert not verdict.passed and named is None


def test_a_mirrored_mask_is_still_named():
    expected = ring()
    verdict, named = diagnosis_for({"kind": "iou", "min": 0.97}, np.ascontiguousarray(expected[:, ::-1]), expected)
    assert "mirrored left to right" in named


def test_a_passing_picture_gets_no_diagnosis():
    expected = ring()
    verdict, named = diagnosis_for({"kind": "iou", "min": 0.97}, expected.copy(), expected)
    assert verdict.passed and named is None


def pair():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (20, 30, 3), dtype=np.uint8), rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)


def test_a_wrapped_sum_where_saturation_was_asked_is_named():
    a, b = pair()
    saturated = np.minimum(a.astype(np.int16) + b, 255).astype(np.uint8)
    verdict, named = diagnosis_for({"kind": "pixels"}, a + b, saturated, a, b)
    assert not verdict.passed and "wraps around past 255" in named


def test_a_saturated_sum_where_wrapping_was_asked_is_named():
    a, b = pair()
    saturated = np.minimum(a.astype(np.int16) + b, 255).astype(np.uint8)
    verdict, named = diagnosis_for({"kind": "pixels"}, saturated, a + b, a, b)
    assert not verdict.passed and "saturates at 255 as cv2.add does" in named


def test_another_wrong_sum_is_not_called_wrap_around():
    a, b = pair()
    saturated = np.minimum(a.astype(np.int16) + b, 255).astype(np.uint8)
    verdict, named = diagnosis_for({"kind": "pixels"}, (a // 2 + b // 2), saturated, a, b)
    assert not verdict.passed and (named is None or "wrap" not in named)


def test_a_derivative_along_the_other_axis_is_named_and_the_right_one_is_not():
    import cv2

    gray = np.zeros((40, 60), np.uint8)
    gray[:, 30:] = 200  # one vertical edge...
    gray[10:14, 5:20] = 90  # ...and a flat bar with long horizontal edges
    dx = cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5), alpha=0.05)
    dy = cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5), alpha=0.05)
    verdict, named = diagnosis_for({"kind": "pixels"}, dy, dx, gray)
    assert not verdict.passed and "derivative along the other axis" in named
    magnitude = cv2.convertScaleAbs(cv2.magnitude(cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5),
                                                  cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5)), alpha=0.05)
    verdict, named = diagnosis_for({"kind": "pixels"}, magnitude, dx, gray)
    assert not verdict.passed and (named is None or "other axis" not in named)


def test_a_mask_thresholded_channel_by_channel_is_named_in_either_form():
    import cv2

    colour = np.zeros((40, 60, 3), np.uint8)
    colour[5:20, 5:25] = (200, 200, 200)  # bright in every channel: foreground in gray too
    colour[25:35, 30:55] = (20, 20, 230)  # red only: gray 76, background in gray
    expected = cv2.threshold(cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY), 120, 255, cv2.THRESH_BINARY)[1]
    per_channel = cv2.threshold(colour, 120, 255, cv2.THRESH_BINARY)[1]
    sentence = "You thresholded each colour channel separately"
    _, named = diagnosis_for({"kind": "iou", "min": 0.99}, per_channel, expected, colour)
    assert sentence in named
    _, named = diagnosis_for({"kind": "iou", "min": 0.99}, cv2.cvtColor(per_channel, cv2.COLOR_BGR2GRAY),
                             expected, colour)
    assert sentence in named
    shifted = np.roll(expected, 3, axis=1)  # a wrong mask with no sign of colour: not this mistake
    _, named = diagnosis_for({"kind": "iou", "min": 0.99}, shifted, expected, colour)
    assert named is None or sentence not in named
