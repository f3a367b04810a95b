"""Our SSIM agrees with scikit-image's on the same settings, to within 1e-4."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage.metrics import structural_similarity

from grader.checks.ssim import ssim


def pictures(project):
    from grader.course.references import References

    refs = References(project.references)
    names = [rel.removeprefix("inputs/") for rel in refs.manifest["files"] if rel.startswith("inputs/")
             and rel.endswith(".png")]
    return [refs.load_input(n) for n in names]


def spoiled(img: np.ndarray, how: str) -> np.ndarray:
    rng = np.random.default_rng(7)
    if how == "noise":
        return np.clip(img + rng.normal(0, 25, img.shape), 0, 255).astype(np.uint8)
    if how == "blur":
        return cv2.GaussianBlur(img, (9, 9), 3)
    if how == "shift":
        return np.roll(img, 2, axis=1)
    return 255 - img


@pytest.mark.parametrize("how", ["noise", "blur", "shift", "invert"])
@pytest.mark.parametrize("window", ["gaussian", "uniform"])
def test_ssim_matches_scikit_image_on_our_pictures(project, how, window):
    kw = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False) if window == "gaussian" else {}
    for img in pictures(project):
        other = spoiled(img, how)
        want = structural_similarity(img, other, data_range=255, channel_axis=-1 if img.ndim == 3 else None, **kw)
        got = ssim(img, other, window=window).score
        assert abs(got - want) < 1e-4, (img.shape, how, window, got, want)


def test_identical_pictures_score_one_and_the_map_is_per_pixel(project):
    img = pictures(project)[0]
    result = ssim(img, img.copy())
    assert result.score == pytest.approx(1.0, abs=1e-6)
    assert result.map.shape == img.shape[:2]


def test_float_pictures_need_their_data_range_said():
    a = np.random.default_rng(0).random((32, 32))
    with pytest.raises(ValueError, match="data_range"):
        ssim(a, a, data_range=None)
    want = structural_similarity(a, a * 0.9, data_range=1.0, gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False)
    assert abs(ssim(a, a * 0.9, data_range=1.0).score - want) < 1e-4


def test_pictures_of_different_shapes_are_refused():
    with pytest.raises(ValueError, match="one shape"):
        ssim(np.zeros((20, 20), np.uint8), np.zeros((20, 21), np.uint8))
