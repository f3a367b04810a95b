"""Day 4 - Mixing, colouring and thresholding (an anime team).

Today the team poses for its photo: you mix pictures, colour them and cut
them into black and white.

**uint8 arithmetic wraps around.** Pixel values are ``uint8``: whole numbers
from 0 to 255. NumPy keeps that type when you add two pictures with ``+``,
and a sum that does not fit wraps around modulo 256: 250 + 10 gives 4, so
bright areas turn dark. (Tutorials often show ``a + b`` without saying so.)
``cv2.add(a, b)`` *saturates* instead: 250 + 10 gives 255. For any mixing with
weights, ``cv2.addWeighted(a, alpha, b, beta, gamma)`` computes
``alpha * a + beta * b + gamma`` in floating point, then rounds and clips to
0..255.

**Sizes are (width, height) in OpenCV calls.** ``cv2.resize(img, (width, height))``
takes ``dsize`` as width first; the result's NumPy shape is ``(height, width, 3)``.

**Thresholds** turn a grayscale picture into a mask. With
``cv2.threshold(gray, t, 255, cv2.THRESH_BINARY)`` every pixel *above* ``t``
becomes 255 and every other one 0; ``cv2.THRESH_BINARY_INV`` does the reverse.
It returns two things: the threshold used and the mask. Otsu's method picks
``t`` itself from the histogram; an *adaptive* threshold picks a different
``t`` for every neighbourhood, which copes with uneven light.

Grayscale here always means OpenCV's conversion,
``cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)`` (0.299 R + 0.587 G + 0.114 B).

Fill in each function below, then run ``pixelkata grade 4``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def resize_pair(first, second, width, height):
    """Scale two pictures of different sizes to the same ``width`` x ``height``.

    Return a tuple ``(first_resized, second_resized)``, each ``uint8`` of shape
    ``(height, width, 3)``. Use ``cv2.INTER_AREA`` (or any smooth
    interpolation). The series used 1000x500; our pictures are at most 512 px,
    so the graded size is 400x200: ``dsize=(400, 200)``, shape ``(200, 400, 3)``.

    Example::

        >>> a, b = resize_pair(np.zeros((256, 384, 3), np.uint8), np.zeros((256, 256, 3), np.uint8), 400, 200)
        >>> a.shape, b.shape
        ((200, 400, 3), (200, 400, 3))
    """
    # TODO: cv2.resize(picture, (width, height), interpolation=cv2.INTER_AREA) for each.
    raise NotImplementedError


def add(first, second, saturate):
    """Add two pictures of the same shape, pixel by pixel.

    - ``saturate=False``: plain NumPy addition of the two ``uint8`` arrays,
      which wraps around (250 + 10 gives 4);
    - ``saturate=True``: saturating addition, which stops at 255 (250 + 10
      gives 255), as ``cv2.add`` does.

    Return ``uint8`` of the pictures' shape.

    Example::

        >>> a, b = np.array([[250]], np.uint8), np.array([[10]], np.uint8)
        >>> int(add(a, b, False)[0, 0]), int(add(a, b, True)[0, 0])
        (4, 255)
    """
    # TODO: first + second when saturate is False; cv2.add(first, second) when it is True.
    raise NotImplementedError


def blend(first, second, alpha):
    """Mix two pictures of the same shape: ``alpha * first + (1 - alpha) * second``.

    ``alpha`` is between 0 and 1 (the series used 0.5 and 0.5). Return
    ``uint8``, each value rounded to the nearest whole number.

    Example::

        >>> a, b = np.full((1, 1, 3), 200, np.uint8), np.full((1, 1, 3), 100, np.uint8)
        >>> blend(a, b, 0.5)[0, 0]
        array([150, 150, 150], dtype=uint8)
    """
    # TODO: cv2.addWeighted(first, alpha, second, 1 - alpha, 0).
    raise NotImplementedError


def threshold(image, value):
    """Turn the BGR picture ``image`` into a black-and-white mask at the gray level ``value``.

    Convert to grayscale with OpenCV's weights, then mark every pixel whose
    gray level is **above** ``value`` with 255 and every other one with 0.
    The series used 110. Return ``uint8``, shape ``(height, width)``.

    Example::

        >>> threshold(np.array([[[100, 100, 100], [120, 120, 120]]], np.uint8), 110)
        array([[  0, 255]], dtype=uint8)
    """
    # TODO: gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY); then
    # _, mask = cv2.threshold(gray, value, 255, cv2.THRESH_BINARY).
    raise NotImplementedError


def otsu(image):
    """Threshold the BGR picture ``image`` at the gray level Otsu's method chooses.

    Return a tuple ``(value, mask)``: the threshold chosen (a number) and the
    ``uint8`` mask of shape ``(height, width)``, 255 above the threshold and 0
    elsewhere. Otsu's method chooses the threshold that best separates the
    gray-level histogram into two classes (dark and bright).

    Example::

        >>> img = np.array([[[10] * 3, [20] * 3, [200] * 3, [210] * 3]], np.uint8)
        >>> value, mask = otsu(img)
        >>> 20 <= value < 200, mask
        (True, array([[  0,   0, 255, 255]], dtype=uint8))
    """
    # TODO: cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # returns (value, mask); the 0 is ignored when THRESH_OTSU is set.
    raise NotImplementedError


def adaptive_threshold(image, block_size, c):
    """Mark the dark writing on an unevenly lit page with an adaptive threshold.

    ``image`` is a BGR photo of a page: dark writing on paper, much darker on
    one side than the other, so no single gray level separates writing from
    paper everywhere. Compare every pixel with the **mean** of the
    ``block_size`` x ``block_size`` square around it, minus ``c``: pixels at
    or below that local threshold are writing (255), the others paper (0).
    That is ``cv2.adaptiveThreshold`` with ``cv2.ADAPTIVE_THRESH_MEAN_C`` and
    ``cv2.THRESH_BINARY_INV`` on the grayscale picture.

    Return ``uint8``, shape ``(height, width)``, 255 on the writing.

    Example::

        >>> page = np.full((30, 30, 3), 200, np.uint8); page[10:20, 14:16] = 40
        >>> int(adaptive_threshold(page, 15, 10)[15, 15]), int(adaptive_threshold(page, 15, 10)[2, 2])
        (255, 0)
    """
    # TODO: cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
    # cv2.THRESH_BINARY_INV, block_size, c).
    raise NotImplementedError


def colourise(image, colormap):
    """Colour the grayscale version of the BGR picture ``image`` with an OpenCV colormap.

    ``colormap`` is a colormap's name in lower case, such as ``"jet"`` or
    ``"inferno"``: OpenCV calls it ``cv2.COLORMAP_JET``, ``cv2.COLORMAP_INFERNO``.
    Convert to grayscale (OpenCV's weights), then map every gray level to the
    colormap's colour. Return the BGR picture, ``uint8``, shape
    ``(height, width, 3)``.

    Example::

        >>> colourise(np.zeros((2, 2, 3), np.uint8), "jet")[0, 0]   # jet starts dark blue
        array([128,   0,   0], dtype=uint8)
    """
    # TODO: cv2.applyColorMap(gray, getattr(cv2, "COLORMAP_" + colormap.upper())).
    raise NotImplementedError


def composite(figure, alpha, background):
    """Challenge: put the hero in front of the stage through an alpha mask.

    - ``figure``: the hero, BGR ``uint8`` of shape ``(height, width, 3)``;
    - ``alpha``: how opaque the hero is at each pixel, ``uint8`` of shape
      ``(height, width)``: 255 fully the hero, 0 fully the background, and
      anything between a mix (the soft edges, the glowing aura and the
      see-through shield);
    - ``background``: the stage, BGR, **of another size**: scale it to
      ``width`` x ``height`` first.

    Each output pixel is ``a * figure + (1 - a) * background`` with
    ``a = alpha / 255``. Return BGR ``uint8`` of the figure's shape, rounded.

    Scored by SSIM against the reference composite: bronze, silver and gold
    tiers. Beware uint8 arithmetic (``alpha * figure`` overflows), a mask
    treated as plain on/off (the aura and shield are half transparent), and
    the missing channel axis (``alpha[:, :, None]`` lets one weight apply to
    all three colours).

    Example::

        >>> fig = np.full((2, 2, 3), 200, np.uint8); bg = np.zeros((4, 4, 3), np.uint8)
        >>> composite(fig, np.full((2, 2), 255, np.uint8), bg)[0, 0]
        array([200, 200, 200], dtype=uint8)
    """
    # TODO: resize the background to (width, height), turn alpha into floats
    # in 0..1 with a channel axis, mix, then round and convert to uint8.
    raise NotImplementedError
