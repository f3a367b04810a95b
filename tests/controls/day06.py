"""Day 6 controls: the classic noise mistakes, and correct answers written another way."""
from tests.controls import correct, wrong

# --- salt_and_pepper


@wrong("salt_and_pepper", expect="salt is white (255) and pepper is black (0)")
def salt_is_black(image, amount, salt_vs_pepper=0.5, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    out = image.copy()
    hit = rng.random(image.shape) < amount
    salt = rng.random(image.shape) < salt_vs_pepper
    out[hit & salt] = 0  # the series' mix-up: salt drawn black
    out[hit & ~salt] = 255
    return out


@wrong("salt_and_pepper", expect="`amount` is the share of all pixels replaced")
def amount_for_each(image, amount, salt_vs_pepper=0.5, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    out = image.copy()
    out[rng.random(image.shape) < amount * 2 * salt_vs_pepper] = 255
    out[rng.random(image.shape) < amount * 2 * (1 - salt_vs_pepper)] = 0
    return out


@wrong("salt_and_pepper", expect=".astype(np.uint8) truncates")
def truncating_conversion(image, amount, salt_vs_pepper=0.5, seed=None):
    import numpy as np
    from skimage.util import random_noise
    noisy = random_noise(image, mode="s&p", amount=amount, salt_vs_pepper=salt_vs_pepper, rng=seed)
    return (noisy * 255).astype(np.uint8)


@wrong("salt_and_pepper", expect="0..1 float picture")
def float_picture(image, amount, salt_vs_pepper=0.5, seed=None):
    from skimage.util import random_noise
    return random_noise(image, mode="s&p", amount=amount, salt_vs_pepper=salt_vs_pepper, rng=seed)


@wrong("salt_and_pepper", expect="the clean input unchanged")
def forgot_the_noise(image, amount, salt_vs_pepper=0.5, seed=None):
    return image.copy()


@correct("salt_and_pepper")
def scikit_image(image, amount, salt_vs_pepper=0.5, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode="s&p", amount=amount, salt_vs_pepper=salt_vs_pepper, rng=seed))


@correct("salt_and_pepper")
def exact_counts(image, amount, salt_vs_pepper=0.5, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    out = image.copy().ravel()
    hit = rng.choice(out.size, size=round(amount * out.size), replace=False)
    n_salt = round(len(hit) * salt_vs_pepper)
    out[hit[:n_salt]] = 255
    out[hit[n_salt:]] = 0
    return out.reshape(image.shape)


# --- gaussian_noise


@wrong("gaussian_noise", expect="var = (sigma / 255) ** 2")
def sigma_as_variance(image, sigma, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode="gaussian", var=sigma / 255, rng=seed))


@wrong("gaussian_noise", expect="the noise must average to zero")
def only_brightens(image, sigma, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    noisy = image + np.abs(rng.normal(0, sigma, image.shape))
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


@wrong("gaussian_noise", expect="the residual standard deviation is")
def variance_as_spread(image, sigma, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    noisy = image + rng.normal(0, sigma ** 2 / 4, image.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


@wrong("gaussian_noise", expect="looks like Poisson noise, not Gaussian noise")
def photon_noise_instead(image, sigma, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    return np.clip(rng.poisson(image * (sigma ** 2 / 128)) / (sigma ** 2 / 128), 0, 255).astype(np.uint8)


@correct("gaussian_noise")
def scikit_image_gaussian(image, sigma, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode="gaussian", var=(sigma / 255) ** 2, rng=seed))


@correct("gaussian_noise")
def opencv_randn(image, sigma, seed=None):
    import cv2
    import numpy as np
    cv2.setRNGSeed(seed or 0)
    noise = np.zeros(image.shape, np.float32)
    cv2.randn(noise, 0.0, float(sigma))
    return np.clip(image + noise + 0.5, 0, 255).astype(np.uint8)


# --- poisson_noise


@wrong("poisson_noise", expect="looks like Gaussian noise, not Poisson noise")
def same_spread_everywhere(image, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    sigma = np.sqrt(image.mean())
    return np.clip(np.round(image + rng.normal(0, sigma, image.shape)), 0, 255).astype(np.uint8)


@wrong("poisson_noise", expect="rng.poisson(image)")
def rescaled_photons(image, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    photons = rng.poisson(image / 255 * 50)
    return np.clip(photons * 255 / 50, 0, 255).astype(np.uint8)


@wrong("poisson_noise", expect="not Poisson noise")
def specks(image, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    out = image.copy()
    hit = rng.random(image.shape) < 0.05
    out[hit] = rng.integers(0, 256, int(hit.sum()))
    return out


@correct("poisson_noise")
def scikit_image_poisson(image, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode="poisson", rng=seed))


# --- speckle_noise


@wrong("speckle_noise", expect="looks like Gaussian noise, not speckle noise")
def added_not_multiplied(image, sigma, seed=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    noisy = image + rng.normal(0, sigma * image.mean(), image.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


@wrong("speckle_noise", expect="random_noise takes var = sigma ** 2")
def speckle_sigma_as_variance(image, sigma, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode="speckle", var=sigma, rng=seed))


@correct("speckle_noise")
def scikit_image_speckle(image, sigma, seed=None):
    from skimage.util import img_as_ubyte, random_noise
    return img_as_ubyte(random_noise(image, mode="speckle", var=sigma ** 2, rng=seed))


# --- noise_kind


@wrong("noise_kind", expect="swapped the names salt and pepper")
def salt_and_pepper_swapped(noisy, clean):
    import numpy as np
    changed = noisy != clean
    white, black = (changed & (noisy == 255)).sum(), (changed & (noisy == 0)).sum()
    if white + black >= 0.9 * changed.sum():
        if black < 0.1 * white:
            return "pepper"  # white specks called pepper
        if white < 0.1 * black:
            return "salt"
        return "salt_and_pepper"
    r = noisy.astype(np.float64) - clean
    dark, bright = clean < np.median(clean), clean >= np.median(clean)
    ratio = r[bright].var() / r[dark].var()
    return "gaussian" if ratio < 1.3 else ("poisson" if ratio < 2.2 else "speckle")


@wrong("noise_kind", expect="You always answer gaussian")
def always_gaussian(noisy, clean):
    return "gaussian"


@correct("noise_kind")
def dark_against_bright(noisy, clean):
    import numpy as np
    r = noisy.astype(np.float64) - clean
    changed = r != 0
    white, black = (changed & (noisy == 255)).sum(), (changed & (noisy == 0)).sum()
    if white + black >= 0.9 * changed.sum():
        return "salt" if black == 0 else ("pepper" if white == 0 else "salt_and_pepper")
    levels = np.quantile(clean, [0.1, 0.3, 0.5, 0.7, 0.9])
    xs, ys = [], []
    for lo, hi in zip(levels[:-1], levels[1:]):
        m = (clean >= lo) & (clean < hi)
        xs.append(np.log(clean[m].mean()))
        ys.append(np.log(r[m].var()))
    slope = np.polyfit(xs, ys, 1)[0]
    return "gaussian" if slope < 0.5 else ("poisson" if slope < 1.5 else "speckle")


# --- estimate_noise


@wrong("estimate_noise", expect="its content, not its noise")
def picture_spread(image):
    return float(image.std())


@wrong("estimate_noise", expect="expected 12, got")
def minus_a_blur(image):
    import cv2
    import numpy as np
    x = image.astype(np.float64)
    return float((x - cv2.GaussianBlur(x, (5, 5), 0)).std())


@correct("estimate_noise")
def haar_wavelet_mad(image):
    # Donoho's estimator on the finest diagonal Haar detail, in plain NumPy.
    import numpy as np
    x = image.astype(np.float64)
    h, w = x.shape
    x = x[:h // 2 * 2, :w // 2 * 2]
    hh = (x[0::2, 0::2] - x[0::2, 1::2] - x[1::2, 0::2] + x[1::2, 1::2]) / 2
    return float(np.median(np.abs(hh)) / 0.6745)


@correct("estimate_noise")
def immerkaer_with_scipy(image):
    import numpy as np
    from scipy.ndimage import convolve
    k = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], float)
    r = convolve(image.astype(np.float64), k)[1:-1, 1:-1]
    h, w = image.shape
    return float(np.sqrt(np.pi / 2) * np.abs(r).sum() / (6 * (w - 2) * (h - 2)))


# --- name_noise (challenge: wrong answers stay below bronze, correct ones reach a tier)


@wrong("name_noise", expect="no tier yet")
def always_the_same(images):
    return ["gaussian"] * len(images)


@wrong("name_noise", expect="no tier yet")
def impulse_names_swapped(images):
    import numpy as np
    names = []
    for image in images:
        white, black = (image == 255).mean(), (image == 0).mean()
        if white > 0.01 and black > 0.01:
            names.append("salt_and_pepper")
        elif white > 0.01:
            names.append("pepper")  # white specks called pepper
        elif black > 0.01:
            names.append("salt")
        else:
            names.append("gaussian")
    return names


@correct("name_noise")
def impulse_kinds_only(images):
    # A bronze answer: the impulse villains named right, everything else called gaussian.
    import cv2
    names = []
    for image in images:
        median = cv2.medianBlur(image, 3)
        white = ((image == 255) & (median < 200)).mean()
        black = ((image == 0) & (median > 55)).mean()
        if white > 0.003 and black > 0.003:
            names.append("salt_and_pepper")
        elif white > 0.003:
            names.append("salt")
        elif black > 0.003:
            names.append("pepper")
        else:
            names.append("gaussian")
    return names
