"""The quality check: PSNR and SSIM against the clean picture, folded into one level."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage.data import camera
from skimage.metrics import peak_signal_noise_ratio

from grader.checks import CaseContext, CheckError, make_check
from grader.checks.quality import position, psnr

CLEAN = cv2.resize(camera(), (128, 128), interpolation=cv2.INTER_AREA)
SPEC = {"kind": "quality", "psnr": [24.0, 27.0, 30.0], "ssim": [0.6, 0.75, 0.9]}


def judge(actual, spec=SPEC):
    return make_check(spec).compare(actual, CLEAN, CaseContext(task=None, case=None, args=(CLEAN,)))


def noisy(sigma, seed=0):
    rng = np.random.default_rng(seed)
    return np.clip(np.round(CLEAN + rng.normal(0, sigma, CLEAN.shape)), 0, 255).astype(np.uint8)


def test_psnr_agrees_with_scikit_image():
    out = noisy(10)
    assert psnr(out, CLEAN) == pytest.approx(peak_signal_noise_ratio(CLEAN, out, data_range=255), abs=1e-9)
    assert psnr(CLEAN, CLEAN) == float("inf")


def test_positions_interpolate_between_bounds_and_are_clamped():
    bounds = [24.0, 27.0, 30.0]
    assert position(24.0, bounds) == 1.0
    assert position(25.5, bounds) == pytest.approx(1.5)
    assert position(28.5, bounds) == pytest.approx(2.5)
    assert position(31.5, bounds) == pytest.approx(3.5)
    assert position(10.0, bounds) == 0.0
    assert position(99.0, bounds) == 4.0
    assert position(float("inf"), bounds) == 4.0


def test_the_level_is_the_lower_of_the_two_positions():
    out = cv2.GaussianBlur(noisy(8), (3, 3), 0)
    v = judge(out)
    p = psnr(out, CLEAN)
    s = v.table[1][2]
    assert v.value == pytest.approx(min(position(p, SPEC["psnr"]), position(float(s), SPEC["ssim"])), abs=1e-3)
    assert "PSNR" in v.detail and "SSIM" in v.detail


def test_identical_passes_at_the_top_and_noise_scores_nothing():
    top = judge(CLEAN.copy())
    assert top.passed and top.value == pytest.approx(3 + 0.1 / 0.15) and "identical" in top.detail
    bad = judge(noisy(40))
    assert not bad.passed and bad.value < 0.5
    assert "both must improve together" in bad.message.lower()
    assert "PSNR at least 24 dB and SSIM at least 0.6" in bad.message


def test_the_detail_names_the_next_tier_and_what_holds_it_back():
    v = judge(cv2.GaussianBlur(CLEAN, (7, 7), 0))
    assert "needs PSNR at least" in v.detail and "holding you back" in v.detail


def test_shape_and_dtype_come_first_and_bounds_are_checked():
    v = judge(CLEAN.astype(np.float64) / 255)
    assert not v.passed and v.message.startswith("expected (128, 128) uint8")
    with pytest.raises(CheckError, match="three increasing bounds"):
        make_check({"kind": "quality", "psnr": [30, 20, 25], "ssim": [0.5, 0.6, 0.7]})
    with pytest.raises(CheckError, match="list of three numbers"):
        make_check({"kind": "quality", "psnr": 30, "ssim": [0.5, 0.6, 0.7]})
