"""Day 8 - Statistics and texture (Wonder Egg Priority again).

Numbers can describe a picture. **First-order statistics** look at the
intensities one pixel at a time, as if they were thrown in a bag:

* the **mean** (how bright), the **standard deviation** (how varied);
* the **skewness**: 0 for a symmetric histogram, positive when a long tail
  of bright values drags to the right;
* the **kurtosis**: how heavy the tails are. Today it is Fisher's *excess*
  kurtosis, which is 0 for a normal distribution (``scipy.stats.kurtosis``
  by default); Pearson's plain kurtosis is that plus 3;
* the **histogram**: how many pixels have each grey level 0..255.

Use population statistics (divide by n, as ``np.std`` and ``scipy.stats``
do by default).

A bag of pixels forgets where they were. **Texture** is about neighbours:
the **gray-level co-occurrence matrix** (GLCM) counts, for every pair of
neighbouring pixels, which grey level sits next to which. ``P[i, j]`` is the
share of neighbour pairs where level ``i`` has level ``j`` next to it.

* Quantise first: 256 levels would make a 256 x 256 matrix of mostly zeros,
  so map 0..255 onto 16 levels with ``gray // 16``.
* A neighbour is at a distance (here 1) and an angle: with
  ``skimage.feature.graycomatrix``, 0 is the pixel to the right, ``np.pi/4``
  the one below right, ``np.pi/2`` the one below, ``3*np.pi/4`` the one below
  left. Angles are in **radians**: write ``np.pi/4`` for 45 degrees (45
  would mean 45 radians).
* ``symmetric=True`` counts each pair both ways (i next to j and j next to
  i); ``normed=True`` divides by the number of pairs so the matrix sums to 1.

``skimage.feature.graycoprops`` turns a GLCM into numbers: contrast,
dissimilarity, homogeneity, energy, correlation and ASM (the angular second
moment; energy is its square root). Old tutorials spell these functions
``greycomatrix`` and ``greycoprops``: that spelling no longer exists.

Fill in each function, then run ``pixelkata grade 8``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def channel_means(image):
    """Return the mean of the gray picture and of each colour channel of the BGR ``image``.

    Return a tuple of four floats ``(gray, blue, green, red)``. The gray
    picture is OpenCV's conversion, ``cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)``.
    Remember that channel 0 of an OpenCV picture is blue.

    Example::

        >>> img = np.zeros((2, 2, 3), np.uint8); img[..., 2] = 200
        >>> channel_means(img)
        (60.0, 0.0, 0.0, 200.0)
    """
    # TODO: gray = cv2.cvtColor(...); then image[:, :, c].mean() for each channel c.
    raise NotImplementedError


def moments(gray):
    """Return ``(mean, std, skewness, kurtosis)`` of the intensities of the grayscale picture ``gray``.

    Population statistics (divide by n); the kurtosis is the excess kurtosis
    (0 for a normal distribution), as ``scipy.stats.kurtosis`` gives by
    default. Four Python floats.

    Example::

        >>> [round(v, 3) for v in moments(np.array([[0, 0], [0, 4]], np.uint8))]
        [1.0, 1.732, 1.155, -0.667]
    """
    # TODO: x = gray.astype(np.float64).ravel(); x.mean(), x.std(),
    # scipy.stats.skew(x), scipy.stats.kurtosis(x) (or the formulas with NumPy).
    raise NotImplementedError


def histogram(gray):
    """Return the 256-bin histogram of ``gray``: element ``k`` counts the pixels of value ``k``.

    A NumPy array of shape ``(256,)`` (integers or floats).

    Example::

        >>> h = histogram(np.array([[0, 0, 255]], np.uint8))
        >>> h.shape, int(h[0]), int(h[255])
        ((256,), 2, 1)
    """
    # TODO: np.bincount(gray.ravel(), minlength=256), or cv2.calcHist and .ravel().
    raise NotImplementedError


def quantize(gray, levels):
    """Map the 0..255 values of ``gray`` onto ``levels`` equal steps: ``gray // (256 // levels)``.

    With 16 levels, 0..15 become 0, 16..31 become 1, ..., 240..255 become 15.
    Return ``uint8`` of the same shape.

    Example::

        >>> quantize(np.array([[0, 15, 16, 255]], np.uint8), 16)
        array([[ 0,  0,  1, 15]], dtype=uint8)
    """
    # TODO: integer division.
    raise NotImplementedError


def glcm(gray, levels):
    """Return the GLCM of ``gray`` quantised to ``levels`` levels, at distance 1 and four angles.

    As ``skimage.feature.graycomatrix(quantize(gray, levels), distances=[1],
    angles=[0, np.pi/4, np.pi/2, 3*np.pi/4], levels=levels, symmetric=True,
    normed=True)`` returns it: a float array of shape ``(levels, levels, 1, 4)``.
    Each of the four matrices sums to 1.

    Example::

        >>> img = np.array([[0, 0, 255, 255]] * 4, np.uint8)
        >>> P = glcm(img, 2)
        >>> P.shape, P[:, :, 0, 0].round(3).tolist()
        ((2, 2, 1, 4), [[0.333, 0.167], [0.167, 0.333]])
    """
    # TODO: import graycomatrix (with an "a") from skimage.feature; quantise first.
    raise NotImplementedError


def glcm_properties(gray, levels):
    """Return the GLCM properties of ``gray`` (quantised to ``levels``) at distance 1 and four angles.

    A dict mapping each of ``"contrast"``, ``"dissimilarity"``,
    ``"homogeneity"``, ``"energy"``, ``"correlation"`` and ``"ASM"`` to its
    four values (one per angle, in the order 0, 45, 90, 135 degrees), as
    ``skimage.feature.graycoprops(P, name)[0]`` gives them for the GLCM ``P``
    of :func:`glcm`.

    Example::

        >>> props = glcm_properties(np.array([[0, 0, 255, 255]] * 4, np.uint8), 2)
        >>> sorted(props), props["contrast"].round(3).tolist()
        (['ASM', 'contrast', 'correlation', 'dissimilarity', 'energy', 'homogeneity'], [0.333, 0.333, 0.0, 0.333])
    """
    # TODO: P = glcm(gray, levels); {name: graycoprops(P, name)[0] for name in ...}.
    raise NotImplementedError


def classify_textures(train_patches, train_labels, test_patches):
    """Challenge: name the texture of each test patch, learning from labelled training patches.

    - ``train_patches``: a stack ``(n, 32, 32)`` of grayscale ``uint8`` patches;
    - ``train_labels``: their names (``"brick"``, ``"grass"`` or ``"gravel"``);
    - ``test_patches``: a stack of patches you have not seen, cut from other
      parts of the same textures.

    Every patch has the same mean brightness and spread, and may be turned by
    a quarter turn, so you need its texture. Return a list of names, one per
    test patch, in order. Scored by accuracy: bronze, silver and gold tiers.

    Ideas: describe each patch by a few GLCM properties (averaged over the
    four angles), then give a test patch the label of the nearest training
    patch, or of the nearest class average. Scale the features first so that
    no single one dominates the distance.

    Example::

        >>> p = np.zeros((4, 32, 32), np.uint8); p[2:, ::2] = 255
        >>> classify_textures(p[[0, 2]], ["flat", "stripes"], p[[1, 3]])
        ['flat', 'stripes']
    """
    # TODO: features for every patch, then a nearest-neighbour or nearest-centroid rule.
    raise NotImplementedError
