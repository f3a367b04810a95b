"""Day 6 - Noise, the villains: reference solutions."""
import cv2
import numpy as np

# Immerkaer's kernel: the difference of two Laplacians. It cancels flat areas
# and straight ramps, so what is left of a picture is mostly its noise.
IMMERKAER = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float64)


def salt_and_pepper(image, amount, salt_vs_pepper=0.5, seed=None):
    # Each pixel is hit with probability `amount`; a hit is salt (white) with
    # probability `salt_vs_pepper`, otherwise pepper (black).
    rng = np.random.default_rng(seed)
    out = image.copy()
    hit = rng.random(image.shape) < amount
    salt = rng.random(image.shape) < salt_vs_pepper
    out[hit & salt] = 255
    out[hit & ~salt] = 0
    return out


def gaussian_noise(image, sigma, seed=None):
    # Add, in floats, then round and clip back into 0..255.
    rng = np.random.default_rng(seed)
    noisy = image.astype(np.float64) + rng.normal(0.0, sigma, image.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


def poisson_noise(image, seed=None):
    # Each grey level counts as one photon: a pixel of value v becomes a
    # Poisson draw with mean v, whose variance is also v.
    rng = np.random.default_rng(seed)
    return np.clip(rng.poisson(image.astype(np.float64)), 0, 255).astype(np.uint8)


def speckle_noise(image, sigma, seed=None):
    # Multiplicative: each pixel is scaled by (1 + n), n ~ N(0, sigma^2).
    rng = np.random.default_rng(seed)
    noisy = image.astype(np.float64) * (1.0 + rng.normal(0.0, sigma, image.shape))
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


def _growth_exponent(brightness, residual):
    # Fit log(variance) = c + p * log(brightness) over eight brightness bins.
    edges = np.quantile(brightness, np.linspace(0, 1, 9))
    xs, vs = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (brightness >= lo) & (brightness <= hi)
        if m.sum() >= 50 and brightness[m].mean() >= 8:
            xs.append(brightness[m].mean())
            vs.append(max(residual[m].var(), 1e-3))
    return np.polyfit(np.log(xs), np.log(vs), 1)[0]


def noise_kind(noisy, clean):
    # The residual says it all: impulse noise only forces pixels to 0 or 255;
    # otherwise the way its variance grows with brightness names the kind.
    residual = noisy.astype(np.float64) - clean.astype(np.float64)
    changed = residual != 0
    white = changed & (noisy == 255)
    black = changed & (noisy == 0)
    if (white | black).sum() >= 0.9 * changed.sum():
        if black.sum() < 0.1 * white.sum():
            return "salt"
        if white.sum() < 0.1 * black.sum():
            return "pepper"
        return "salt_and_pepper"
    p = _growth_exponent(clean.astype(np.float64).ravel(), residual.ravel())
    if p < 0.5:
        return "gaussian"  # the same spread everywhere
    return "poisson" if p < 1.5 else "speckle"  # variance ~ brightness, or ~ brightness squared


def estimate_noise(image):
    # Immerkaer (1996): the mean absolute response to the kernel, scaled so
    # that pure Gaussian noise of standard deviation sigma gives sigma back.
    h, w = image.shape
    response = cv2.filter2D(image.astype(np.float64), -1, IMMERKAER)[1:-1, 1:-1]
    return float(np.sqrt(np.pi / 2) * np.abs(response).sum() / (6 * (w - 2) * (h - 2)))


def _name_one(image):
    # Impulse noise: pixels at exactly 0 or 255 that their neighbours disagree with.
    median = cv2.medianBlur(image, 3).astype(np.float64)
    white = ((image == 255) & (median < 200)).mean()
    black = ((image == 0) & (median > 55)).mean()
    extreme = (image == 0) | (image == 255)
    rest = (image.astype(np.float64) - median)[~extreme]
    spread = np.median(np.abs(rest)) / 0.6745  # what is left between the specks is clean
    if white + black > 0.003 and spread < 4:
        if white > 4 * black:
            return "salt"
        if black > 4 * white:
            return "pepper"
        return "salt_and_pepper"
    # Otherwise measure the noise (Immerkaer's high-pass, robustly) at each
    # brightness and see how fast it grows.
    x = image.astype(np.float64)
    high = cv2.filter2D(x, -1, IMMERKAER, borderType=cv2.BORDER_REFLECT) / 6.0
    local = cv2.GaussianBlur(x, (0, 0), 2)
    keep = ~cv2.dilate(extreme.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    keep[[0, -1], :] = False
    keep[:, [0, -1]] = False
    high, local = high[keep], local[keep]
    edges = np.quantile(local, np.linspace(0.02, 0.98, 11))
    xs, vs = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (local >= lo) & (local < hi)
        if m.sum() >= 80:
            sigma = np.median(np.abs(high[m])) / 0.6745  # the median ignores edges and texture
            xs.append(np.log(local[m].mean()))
            vs.append(np.log(sigma ** 2 + 1e-6))
    p = np.polyfit(xs, vs, 1)[0]
    if p < 0.5:
        return "gaussian"
    return "poisson" if p < 1.5 else "speckle"


def name_noise(images):
    return [_name_one(image) for image in images]
