"""The noise check: random output judged by its statistics, for any seed and any library."""
from __future__ import annotations

import numpy as np
import pytest
from skimage.util import img_as_ubyte, random_noise

from grader.checks import CaseContext, CheckError, make_check
from grader.checks.noise import looks_like, measure


def clean_picture() -> np.ndarray:
    """A gradient from 60 to 200 (many grey levels) with a flat square."""
    h, w = 128, 160
    xx = np.mgrid[0:h, 0:w][1]
    img = (60 + 140 * xx / (w - 1)).astype(np.uint8)
    img[40:80, 50:90] = 120
    return img


CLEAN = clean_picture()


def judge(noise: str, out, **kwargs):
    ctx = CaseContext(task=None, case=None, args=(CLEAN,), kwargs=kwargs)
    return make_check({"kind": "noise", "noise": noise}).compare(out, None, ctx)


def gaussian(sigma, seed):
    rng = np.random.default_rng(seed)
    return np.clip(np.round(CLEAN + rng.normal(0, sigma, CLEAN.shape)), 0, 255).astype(np.uint8)


def poisson(seed, photons_per_level=1.0):
    rng = np.random.default_rng(seed)
    return np.clip(rng.poisson(CLEAN * photons_per_level) / photons_per_level, 0, 255).astype(np.uint8)


def speckle(sigma, seed):
    rng = np.random.default_rng(seed)
    return np.clip(np.round(CLEAN * (1 + rng.normal(0, sigma, CLEAN.shape))), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", range(4))
def test_every_kind_passes_for_any_seed_written_with_numpy_or_scikit_image(seed):
    assert judge("gaussian", gaussian(12, seed), sigma=12).passed
    assert judge("gaussian", img_as_ubyte(random_noise(CLEAN, mode="gaussian", var=(12 / 255) ** 2, rng=seed)),
                 sigma=12).passed
    assert judge("poisson", poisson(seed)).passed
    assert judge("poisson", img_as_ubyte(random_noise(CLEAN, mode="poisson", rng=seed))).passed
    assert judge("speckle", speckle(0.15, seed), sigma=0.15).passed
    assert judge("speckle", img_as_ubyte(random_noise(CLEAN, mode="speckle", var=0.15 ** 2, rng=seed)),
                 sigma=0.15).passed
    for amount, svp in [(0.5, 1.0), (0.5, 0.0), (0.05, 0.5)]:
        out = img_as_ubyte(random_noise(CLEAN, mode="s&p", amount=amount, salt_vs_pepper=svp, rng=seed))
        assert judge("salt_and_pepper", out, amount=amount, salt_vs_pepper=svp).passed


def test_a_no_op_is_named_and_scores_far_from_the_threshold():
    for noise, kw in [("gaussian", {"sigma": 12}), ("poisson", {}), ("speckle", {"sigma": 0.15}),
                      ("salt_and_pepper", {"amount": 0.05})]:
        v = judge(noise, CLEAN.copy(), **kw)
        assert not v.passed and v.value > 2
        assert "the clean input unchanged" in v.message


@pytest.mark.parametrize("want, out, kw, phrase", [
    ("gaussian", poisson(1), {"sigma": 12}, "looks like Poisson noise, not Gaussian noise"),
    ("poisson", gaussian(11, 1), {}, "looks like Gaussian noise, not Poisson noise"),
    ("speckle", gaussian(18, 1), {"sigma": 0.15}, "looks like Gaussian noise, not speckle noise"),
    ("gaussian", speckle(0.08, 1), {"sigma": 10}, "looks like speckle noise, not Gaussian noise"),
])
def test_the_wrong_kind_of_noise_is_named(want, out, kw, phrase):
    v = judge(want, out, **kw)
    assert not v.passed and v.value > 1.5, v.value
    assert phrase in v.message, v.message


def test_salt_is_white_and_pepper_is_black():
    pepper = img_as_ubyte(random_noise(CLEAN, mode="pepper", amount=0.5, rng=3))
    v = judge("salt_and_pepper", pepper, amount=0.5, salt_vs_pepper=1.0)
    assert not v.passed
    assert "looks like pepper noise (black specks), not salt noise (white specks)" in v.message
    assert "salt is white (255) and pepper is black (0)" in v.message


def test_impulse_noise_where_gaussian_was_asked_is_rejected_even_with_the_same_spread():
    # 0.4% of pixels forced to 0 or 255 gives a residual spread close to sigma 8.
    out = img_as_ubyte(random_noise(CLEAN, mode="s&p", amount=0.004, rng=2))
    assert abs(measure(CLEAN, out).std - 8) < 3
    v = judge("gaussian", out, sigma=8)
    assert not v.passed and "looks like salt-and-pepper noise" in v.message


def test_sigma_passed_as_a_variance_is_explained():
    out = img_as_ubyte(random_noise(CLEAN, mode="gaussian", var=12 / 255, rng=1))
    v = judge("gaussian", out, sigma=12)
    assert not v.passed and "var = (sigma / 255) ** 2" in v.message


def test_rescaled_poisson_noise_fails_on_its_scale():
    v = judge("poisson", poisson(1, photons_per_level=0.4))
    assert not v.passed and "variance / brightness" in v.message and "rng.poisson(image)" in v.message


def test_an_amount_counted_twice_and_a_truncating_conversion_are_explained():
    double = img_as_ubyte(random_noise(CLEAN, mode="s&p", amount=0.2, rng=1))
    v = judge("salt_and_pepper", double, amount=0.1, salt_vs_pepper=0.5)
    assert not v.passed and "`amount` is the share of all pixels replaced" in v.message
    truncated = (random_noise(CLEAN, mode="s&p", amount=0.1, rng=1) * 255).astype(np.uint8)
    v = judge("salt_and_pepper", truncated, amount=0.1, salt_vs_pepper=0.5)
    assert not v.passed and ".astype(np.uint8) truncates" in v.message


def test_float_output_fails_on_its_dtype_first():
    v = judge("salt_and_pepper", random_noise(CLEAN, mode="s&p", amount=0.1, rng=1), amount=0.1)
    assert not v.passed and v.message.startswith("expected (128, 160) uint8, got (128, 160) float64")


def test_parameters_come_from_the_check_options_before_the_call():
    ctx = CaseContext(task=None, case=None, args=(CLEAN,), kwargs={"sigma": 30})
    check = make_check({"kind": "noise", "noise": "gaussian", "sigma": 12})
    assert check.compare(gaussian(12, 0), None, ctx).passed


def test_bad_options_are_an_authors_error():
    with pytest.raises(CheckError, match="noise must be one of"):
        make_check({"kind": "noise", "noise": "pink"})
    ctx = CaseContext(task=None, case=None, args=(CLEAN,), kwargs={})
    with pytest.raises(CheckError, match="needs 'sigma'"):
        make_check({"kind": "noise", "noise": "gaussian"}).compare(gaussian(5, 0), None, ctx)


def test_looks_like_names_each_kind_from_its_statistics():
    assert looks_like(measure(CLEAN, CLEAN)) == "none"
    assert looks_like(measure(CLEAN, gaussian(10, 5))) == "gaussian"
    assert looks_like(measure(CLEAN, poisson(5))) == "poisson"
    assert looks_like(measure(CLEAN, speckle(0.15, 5))) == "speckle"
    for mode, name in [("salt", "salt"), ("pepper", "pepper"), ("s&p", "salt_and_pepper")]:
        assert looks_like(measure(CLEAN, img_as_ubyte(random_noise(CLEAN, mode=mode, amount=0.05, rng=5)))) == name
