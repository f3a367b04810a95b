"""Day 3 - Play with colour (the Olympic Games).

The Olympic emblem has five rings: blue, yellow, black, green and red on white.
Today you take its colours apart.

A colour picture is three **planes** stacked along the last axis:
``image[:, :, 0]`` is blue, ``image[:, :, 1]`` green and ``image[:, :, 2]``
red (OpenCV's BGR order). Each plane is a grayscale picture of how much of
that colour every pixel holds. Slicing picks out planes, rows and columns:
``image[10:20, :, 2]`` is the red plane of rows 10 to 19.

A pixel's colour comes from all three channels together. Setting one channel
to 255 does **not** make a pixel white (some tutorials say it does): white is
(255, 255, 255). Blue at 255 turns a black pixel pure blue (255, 0, 0), turns
a red one magenta (255, 0, 255), and leaves a white one white.

BGR is not the only way to describe colour. **HSV** separates *which* colour
(hue) from *how strong* (saturation) and *how bright* (value), so "every blue
pixel, light or dark" becomes a simple range of hues. In OpenCV's 8-bit HSV,
hue runs from 0 to 179 (degrees halved, so that it fits a byte): red is near
0 *and* near 179, yellow near 15 to 30, green near 60 to 75, blue near 100 to
120. Saturation and value run from 0 to 255. (scikit-image's ``rgb2hsv``
gives floats from 0 to 1 instead; the tasks below use OpenCV's ranges.)

Fill in each function below, then run ``pixelkata grade 3``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def split_channels(image):
    """Split the BGR picture ``image`` into its three planes.

    Return a tuple ``(blue, green, red)`` of ``uint8`` arrays, each of shape
    ``(height, width)``.

    Example::

        >>> b, g, r = split_channels(np.array([[[10, 20, 30]]], np.uint8))
        >>> int(b[0, 0]), int(r[0, 0])
        (10, 30)
    """
    # TODO: cv2.split(image), or slice image[:, :, 0], [:, :, 1] and [:, :, 2].
    raise NotImplementedError


def keep_channel(image, channel):
    """Return a copy of ``image`` where only channel ``channel`` keeps its values.

    The other two channels become 0, so the picture shows how much of one
    colour each pixel holds (``channel``: 0 blue, 1 green, 2 red). The result
    is a colour picture: ``uint8``, shape ``(height, width, 3)``.

    Example::

        >>> keep_channel(np.array([[[10, 20, 30]]], np.uint8), 2)
        array([[[ 0,  0, 30]]], dtype=uint8)
    """
    # TODO: start from np.zeros_like(image) and copy image[:, :, channel] into it.
    raise NotImplementedError


def paint_band(image, channel, start, stop, axis):
    """Return a copy of ``image`` with one channel set to 255 over a band of rows or columns.

    - ``axis=0``: the band is rows ``start`` to ``stop - 1`` (all columns);
    - ``axis=1``: the band is columns ``start`` to ``stop - 1`` (all rows).

    Only channel ``channel`` changes; the other two keep their values, so the
    band *tints* the picture rather than painting it white: white stays white,
    black becomes the pure channel colour. The series painted rows 200:300 of
    one channel and columns 850:1000 of another on a large picture; on our
    448x256 emblem the graded bands are rows 100:160 and columns 300:400.

    Example::

        >>> out = paint_band(np.zeros((4, 4, 3), np.uint8), 0, 1, 3, axis=0)
        >>> out[:, 0, 0]           # rows 1 and 2 of the blue channel
        array([  0, 255, 255,   0], dtype=uint8)
    """
    # TODO: copy, then out[start:stop, :, channel] = 255 (axis 0) or
    # out[:, start:stop, channel] = 255 (axis 1).
    raise NotImplementedError


def pixel_facts(image, x, y):
    """Return ``(minimum, maximum, pixel)`` for the BGR picture ``image``.

    - ``minimum``: the smallest value of each channel, as a tuple of three
      ints ``(b, g, r)``;
    - ``maximum``: the largest value of each channel, the same way;
    - ``pixel``: the ``(b, g, r)`` values at the point ``(x, y)`` (column x,
      row y), as a tuple of three ints.

    Example::

        >>> img = np.zeros((2, 3, 3), np.uint8); img[1, 2] = (5, 6, 7)
        >>> pixel_facts(img, x=2, y=1)
        ((0, 0, 0), (5, 6, 7), (5, 6, 7))
    """
    # TODO: image.min(axis=(0, 1)) and image.max(axis=(0, 1)) give one value per
    # channel; the pixel at (x, y) is image[y, x].
    raise NotImplementedError


def to_hsv(image):
    """Convert the BGR picture ``image`` to HSV with OpenCV's 8-bit ranges.

    Return ``uint8``, shape ``(height, width, 3)``: channel 0 the hue
    (0..179), 1 the saturation (0..255), 2 the value (0..255).

    Example::

        >>> to_hsv(np.array([[[0, 0, 255]]], np.uint8))   # pure red
        array([[[  0, 255, 255]]], dtype=uint8)
    """
    # TODO: cv2.cvtColor with cv2.COLOR_BGR2HSV (the picture is BGR, not RGB).
    raise NotImplementedError


def colour_mask(image, lower, upper):
    """Mark the pixels of the BGR picture ``image`` whose HSV colour lies between two bounds.

    ``lower`` and ``upper`` are ``(hue, saturation, value)`` tuples in
    OpenCV's ranges; a pixel is marked when all three of its HSV values lie
    within them (bounds included). Return a ``uint8`` mask of shape
    ``(height, width)``: 255 where marked, 0 elsewhere.

    Example::

        >>> img = np.array([[[255, 0, 0], [0, 0, 255]]], np.uint8)   # blue, red
        >>> colour_mask(img, (100, 100, 100), (130, 255, 255))
        array([[255,   0]], dtype=uint8)
    """
    # TODO: convert to HSV, then cv2.inRange(hsv, np.array(lower), np.array(upper)).
    raise NotImplementedError


def ring_masks(image):
    """Challenge: a mask for each of the five rings of a badly lit, noisy emblem.

    ``image`` is the Olympic emblem (BGR, ``uint8``) photographed under uneven,
    warm light: one side is much darker than the other, and every pixel
    carries noise. Return a stack of five masks, one per ring, in this order:
    blue, yellow, black, green, red. Shape ``(5, height, width)``; each mask
    is non-zero (255 or True) on its ring's pixels and 0 elsewhere.

    Scored by the mean IoU (intersection over union) of your masks against the
    rings' true masks: bronze, silver and gold tiers. Things to think about:
    red sits at both ends of the hue range; black has no hue at all, only a
    low value; the grey background has some hue too, but little saturation;
    and noise flips single pixels (a small median blur helps).

    Example::

        >>> ring_masks(np.full((256, 448, 3), 255, np.uint8)).shape
        (5, 256, 448)
    """
    # TODO: convert to HSV, then build each mask from ranges of hue, saturation
    # and value (two hue ranges for red), and stack them with np.stack.
    raise NotImplementedError
