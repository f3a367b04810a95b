"""Day 6 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day06.toml lists them.
"""
import cv2
import numpy as np


# --- salt_and_pepper


def salt_and_pepper__scikit_image(image, amount, salt_vs_pepper=0.5, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode='s&p', amount=amount, salt_vs_pepper=salt_vs_pepper, rng=seed))


def salt_and_pepper__exact_counts(image, amount, salt_vs_pepper=0.5, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    out = image.copy().ravel()
    hit = rng.choice(out.size, size=round(amount * out.size), replace=False)
    n_salt = round(len(hit) * salt_vs_pepper)
    out[hit[:n_salt]] = 255
    out[hit[n_salt:]] = 0
    return out.reshape(image.shape)


def salt_and_pepper__salt_is_black(image, amount, salt_vs_pepper=0.5, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    out = image.copy()
    hit = rng.random(image.shape) < amount
    salt = rng.random(image.shape) < salt_vs_pepper
    out[hit & salt] = 0
    out[hit & ~salt] = 255
    return out


def salt_and_pepper__amount_for_each(image, amount, salt_vs_pepper=0.5, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    out = image.copy()
    out[rng.random(image.shape) < amount * 2 * salt_vs_pepper] = 255
    out[rng.random(image.shape) < amount * 2 * (1 - salt_vs_pepper)] = 0
    return out


def salt_and_pepper__truncating_conversion(image, amount, salt_vs_pepper=0.5, seed=None):
    import numpy as np
    from skimage.util import random_noise
    noisy = random_noise(image, mode='s&p', amount=amount, salt_vs_pepper=salt_vs_pepper, rng=seed)
    return (noisy * 255).astype(np.uint8)


def salt_and_pepper__float_picture(image, amount, salt_vs_pepper=0.5, seed=None):
    from skimage.util import random_noise
    return random_noise(image, mode='s&p', amount=amount, salt_vs_pepper=salt_vs_pepper, rng=seed)


def salt_and_pepper__forgot_the_noise(image, amount, salt_vs_pepper=0.5, seed=None):
    return image.copy()


# --- gaussian_noise


def gaussian_noise__scikit_image_gaussian(image, sigma, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode='gaussian', var=(sigma / 255) ** 2, rng=seed))


def gaussian_noise__opencv_randn(image, sigma, seed=None):
    import cv2
    import numpy as np
    cv2.setRNGSeed(seed or 0)
    noise = np.zeros(image.shape, np.float32)
    cv2.randn(noise, 0.0, float(sigma))
    return np.clip(image + noise + 0.5, 0, 255).astype(np.uint8)


def gaussian_noise__sigma_as_variance(image, sigma, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode='gaussian', var=sigma / 255, rng=seed))


def gaussian_noise__only_brightens(image, sigma, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    noisy = image + np.abs(rng.normal(0, sigma, image.shape))
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


def gaussian_noise__variance_as_spread(image, sigma, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    noisy = image + rng.normal(0, sigma ** 2 / 4, image.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


def gaussian_noise__photon_noise_instead(image, sigma, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    return np.clip(rng.poisson(image * (sigma ** 2 / 128)) / (sigma ** 2 / 128), 0, 255).astype(np.uint8)


# --- poisson_noise


def poisson_noise__scikit_image_poisson(image, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode='poisson', rng=seed))


def poisson_noise__same_spread_everywhere(image, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    sigma = np.sqrt(image.mean())
    return np.clip(np.round(image + rng.normal(0, sigma, image.shape)), 0, 255).astype(np.uint8)


def poisson_noise__rescaled_photons(image, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    photons = rng.poisson(image / 255 * 50)
    return np.clip(photons * 255 / 50, 0, 255).astype(np.uint8)


def poisson_noise__specks(image, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    out = image.copy()
    hit = rng.random(image.shape) < 0.05
    out[hit] = rng.integers(0, 256, int(hit.sum()))
    return out


# --- speckle_noise


def speckle_noise__scikit_image_speckle(image, sigma, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode='speckle', var=sigma ** 2, rng=seed))


def speckle_noise__added_not_multiplied(image, sigma, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    noisy = image + rng.normal(0, sigma * image.mean(), image.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


def speckle_noise__speckle_sigma_as_variance(image, sigma, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode='speckle', var=sigma, rng=seed))


# --- noise_kind


def noise_kind__dark_against_bright(noisy, clean):
    import numpy as np
    r = noisy.astype(np.float64) - clean
    changed = r != 0
    white, black = ((changed & (noisy == 255)).sum(), (changed & (noisy == 0)).sum())
    if white + black >= 0.9 * changed.sum():
        return 'salt' if black == 0 else 'pepper' if white == 0 else 'salt_and_pepper'
    levels = np.quantile(clean, [0.1, 0.3, 0.5, 0.7, 0.9])
    xs, ys = ([], [])
    for lo, hi in zip(levels[:-1], levels[1:]):
        m = (clean >= lo) & (clean < hi)
        xs.append(np.log(clean[m].mean()))
        ys.append(np.log(r[m].var()))
    slope = np.polyfit(xs, ys, 1)[0]
    return 'gaussian' if slope < 0.5 else 'poisson' if slope < 1.5 else 'speckle'


def noise_kind__salt_and_pepper_swapped(noisy, clean):
    import numpy as np
    changed = noisy != clean
    white, black = ((changed & (noisy == 255)).sum(), (changed & (noisy == 0)).sum())
    if white + black >= 0.9 * changed.sum():
        if black < 0.1 * white:
            return 'pepper'
        if white < 0.1 * black:
            return 'salt'
        return 'salt_and_pepper'
    r = noisy.astype(np.float64) - clean
    dark, bright = (clean < np.median(clean), clean >= np.median(clean))
    ratio = r[bright].var() / r[dark].var()
    return 'gaussian' if ratio < 1.3 else 'poisson' if ratio < 2.2 else 'speckle'


def noise_kind__always_gaussian(noisy, clean):
    return 'gaussian'


# --- estimate_noise


def estimate_noise__haar_wavelet_mad(image):
    import numpy as np
    x = image.astype(np.float64)
    h, w = x.shape
    x = x[:h // 2 * 2, :w // 2 * 2]
    hh = (x[0::2, 0::2] - x[0::2, 1::2] - x[1::2, 0::2] + x[1::2, 1::2]) / 2
    return float(np.median(np.abs(hh)) / 0.6745)


def estimate_noise__immerkaer_with_scipy(image):
    import numpy as np
    from scipy.ndimage import convolve
    k = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], float)
    r = convolve(image.astype(np.float64), k)[1:-1, 1:-1]
    h, w = image.shape
    return float(np.sqrt(np.pi / 2) * np.abs(r).sum() / (6 * (w - 2) * (h - 2)))


def estimate_noise__picture_spread(image):
    return float(image.std())



# --- name_noise


def name_noise__impulse_kinds_only(images):
    import cv2
    names = []
    for image in images:
        median = cv2.medianBlur(image, 3)
        white = ((image == 255) & (median < 200)).mean()
        black = ((image == 0) & (median > 55)).mean()
        if white > 0.003 and black > 0.003:
            names.append('salt_and_pepper')
        elif white > 0.003:
            names.append('salt')
        elif black > 0.003:
            names.append('pepper')
        else:
            names.append('gaussian')
    return names


def name_noise__always_the_same(images):
    return ['gaussian'] * len(images)


def name_noise__impulse_names_swapped(images):
    import numpy as np
    names = []
    for image in images:
        white, black = ((image == 255).mean(), (image == 0).mean())
        if white > 0.01 and black > 0.01:
            names.append('salt_and_pepper')
        elif white > 0.01:
            names.append('pepper')
        elif black > 0.01:
            names.append('salt')
        else:
            names.append('gaussian')
    return names


def poisson_noise__scipy_stats(image, seed=None):
    import numpy as np
    from scipy import stats
    draws = stats.poisson.rvs(image.astype(np.float64), random_state=np.random.default_rng(seed))
    return np.clip(draws, 0, 255).astype(np.uint8)
