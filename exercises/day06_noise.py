"""Day 6 - Noise, the villains (Dragon Ball Z).

Every picture a camera takes carries noise: random changes that were not in
the scene. Each kind of noise is a different villain with its own signature:

* **Gaussian** noise adds a random number drawn from a bell curve (mean 0,
  standard deviation ``sigma``) to every pixel. Its spread is the same in dark
  and bright areas. In the histogram, every peak widens into a bell.
* **Poisson** noise comes from counting photons: a pixel that should be ``v``
  becomes a random count with mean ``v`` and variance ``v``. Bright areas are
  noisier than dark ones. (It is a fine grain everywhere, not "specks".)
* **Salt** noise turns random pixels **white (255)**; **pepper** noise turns
  them **black (0)**; salt-and-pepper does both. Every other pixel is left
  exactly as it was. The histogram grows a spike at 255, at 0, or at both.
  (Some tutorials swap the two names. Salt is white, like salt.)
* **Speckle** noise is multiplied in: ``v`` becomes ``v * (1 + n)`` with ``n``
  from a bell curve of standard deviation ``sigma``, so the spread is
  proportional to the brightness itself.

Random numbers come from a generator: ``rng = np.random.default_rng(seed)``,
then ``rng.random(shape)``, ``rng.normal(0, sigma, shape)``,
``rng.poisson(values)``. The same seed gives the same numbers every time.
``skimage.util.random_noise`` can add every kind too, but it works on 0..1
floats: its ``var`` is a variance on that scale, and its result must be
turned back into ``uint8`` with ``skimage.util.img_as_ubyte``.

Noise is random, so your noisy pictures are graded by their statistics
(which share of pixels turned white, the spread of the noise, how it grows
with brightness), not by comparing them with one particular noisy picture.

All pictures today are grayscale ``uint8`` arrays of shape ``(height, width)``.
Fill in each function, then run ``pixelkata grade 6``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def salt_and_pepper(image, amount, salt_vs_pepper=0.5, seed=None):
    """Return a copy of ``image`` with a share ``amount`` of its pixels replaced by salt or pepper.

    - ``amount``: the share of all pixels replaced (0.1 means about 10%).
    - ``salt_vs_pepper``: the share of the replaced pixels that become salt
      (white, 255); the others become pepper (black, 0). 1.0 is salt only,
      0.0 pepper only.
    - ``seed``: seed for ``np.random.default_rng``.

    Every pixel that is not replaced keeps its exact value. The result is
    ``uint8`` with the shape of ``image``.

    Example::

        >>> img = np.full((100, 100), 128, np.uint8)
        >>> out = salt_and_pepper(img, 0.2, salt_vs_pepper=1.0, seed=0)
        >>> round(float((out == 255).mean()), 1), int((out == 0).sum())
        (0.2, 0)
    """
    # TODO: draw rng.random(image.shape) < amount to choose the pixels hit, a
    # second draw to split them into salt and pepper, then set 255 and 0.
    raise NotImplementedError


def gaussian_noise(image, sigma, seed=None):
    """Return ``image`` plus Gaussian noise of mean 0 and standard deviation ``sigma`` grey levels.

    Add the noise in floats, then round, clip to 0..255 and return ``uint8``
    of the shape of ``image``.

    Example::

        >>> out = gaussian_noise(np.full((200, 200), 128, np.uint8), 10, seed=1)
        >>> round(float(out.astype(float).std()))
        10
    """
    # TODO: image.astype(np.float64) + rng.normal(0, sigma, image.shape), then
    # np.clip(np.round(...), 0, 255).astype(np.uint8).
    raise NotImplementedError


def poisson_noise(image, seed=None):
    """Return ``image`` with Poisson (photon counting) noise: each grey level counts as one photon.

    A pixel of value ``v`` becomes a Poisson draw with mean ``v`` (so its
    variance is ``v`` too). Clip to 0..255 and return ``uint8``.

    Example::

        >>> out = poisson_noise(np.full((200, 200), 100, np.uint8), seed=2)
        >>> round(float(out.mean())), round(float(out.astype(float).var()), -1)
        (100, 100.0)
    """
    # TODO: rng.poisson(image), then clip and convert back to uint8.
    raise NotImplementedError


def speckle_noise(image, sigma, seed=None):
    """Return ``image`` with speckle noise: each pixel ``v`` becomes ``v * (1 + n)``, n ~ N(0, sigma^2).

    ``sigma`` is relative: 0.1 means a spread of about 10% of the pixel's own
    value. Round, clip to 0..255 and return ``uint8``.

    Example::

        >>> out = speckle_noise(np.full((200, 200), 200, np.uint8), 0.1, seed=3)
        >>> round(float(out.astype(float).std()))
        20
    """
    # TODO: image * (1 + rng.normal(0, sigma, image.shape)), then round, clip and convert.
    raise NotImplementedError


def noise_kind(noisy, clean):
    """Gauge the threat: name the kind of noise that turned ``clean`` into ``noisy``.

    Return one of ``"gaussian"``, ``"poisson"``, ``"speckle"``, ``"salt"``,
    ``"pepper"``, ``"salt_and_pepper"``.

    Look at the residual ``noisy - clean`` (in floats):

    - impulse noise changes only a few pixels, and only to exactly 0 or 255;
    - otherwise compare the residual's variance in dark and in bright parts
      of the picture: the same everywhere (Gaussian), growing in step with
      the brightness (Poisson), or growing with its square (speckle).

    Example::

        >>> clean = np.full((64, 64), 100, np.uint8)
        >>> noise_kind(salt_and_pepper(clean, 0.1, 1.0, seed=0), clean)
        'salt'
    """
    # TODO: compute the residual; test for impulse noise first, then group the
    # pixels by brightness and see how the residual's variance changes.
    raise NotImplementedError


def estimate_noise(image):
    """Estimate the standard deviation (in grey levels) of the Gaussian noise in ``image``.

    There is no clean picture to compare with. Immerkaer's method (1996)
    needs nothing beyond NumPy and OpenCV: convolve with the kernel::

        [[ 1, -2,  1],
         [-2,  4, -2],
         [ 1, -2,  1]]

    which cancels flat areas and straight ramps, so what is left is mostly
    noise; then ``sigma = sqrt(pi / 2) * sum(|response|) / (6 * (W - 2) * (H - 2))``
    over the inner pixels (drop the one-pixel border). Return a Python float.

    Example::

        >>> rng = np.random.default_rng(0)
        >>> flat = np.clip(128 + rng.normal(0, 5, (200, 200)), 0, 255).astype(np.uint8)
        >>> round(estimate_noise(flat))
        5
    """
    # TODO: cv2.filter2D(image.astype(np.float64), -1, kernel), crop the border,
    # then apply the formula.
    raise NotImplementedError


def name_noise(images):
    """Challenge: name the noise in each picture of ``images``, with no clean picture to compare.

    ``images`` is a list of grayscale ``uint8`` pictures you have not seen,
    each spoiled by one kind of noise. Return a list of names, one per
    picture and in the same order, each one of ``"gaussian"``, ``"poisson"``,
    ``"speckle"``, ``"salt"``, ``"pepper"``, ``"salt_and_pepper"``.
    Scored by accuracy (the share named right): bronze, silver and gold tiers.

    Ideas: impulse noise leaves pixels at exactly 0 or 255 that disagree with
    their neighbours (compare with ``cv2.medianBlur``); for the others,
    estimate the noise in dark and in bright areas (Immerkaer's kernel again)
    and see how it grows with brightness.

    Example::

        >>> name_noise([salt_and_pepper(np.full((64, 64), 100, np.uint8), 0.05, 0.0, seed=1)])
        ['pepper']
    """
    # TODO: return one name per picture.
    raise NotImplementedError
