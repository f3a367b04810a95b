"""Day 1 - Read and manipulate images (Tanjiro, Demon Slayer).

Tanjiro's haori is a grid of green and black checks: a picture is a grid too.
To a computer, a picture is a NumPy array of numbers:

* a colour picture has shape ``(height, width, 3)``: rows first, then columns,
  then the three colour channels;
* a grayscale picture has shape ``(height, width)``: no channel axis at all.
  (Some tutorials say ``(width, height, channel)``. They are wrong: NumPy puts
  rows first, and a gray picture has no third axis.)
* pixel values are ``uint8``: whole numbers from 0 (dark) to 255 (bright).

OpenCV (``import cv2``) reads colour pictures in **BGR** order: channel 0 is
blue, 1 is green, 2 is red. Matplotlib and scikit-image expect **RGB**. Mixing
the two up gives you blue cats and orange skies.

Points are given as ``(x, y)``: x counts columns from the left, y counts rows
from the top. To read the pixel at point (x, y) you index ``image[y, x]``.

Fill in each function below, then run ``pixelkata grade 1``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def read_image(path, gray=False):
    """Read the picture file at ``path`` and return it as a NumPy array.

    - ``gray=False``: the colour picture as OpenCV reads it: BGR, ``uint8``,
      shape ``(height, width, 3)``.
    - ``gray=True``: the grayscale picture, ``uint8``, shape ``(height, width)``,
      using OpenCV's own conversion (the BT.601 weights 0.299 R + 0.587 G +
      0.114 B). ``skimage.color.rgb2gray`` uses other weights (BT.709) and
      returns floats in 0..1, so it is not what is asked here.
    - If there is no file at ``path``, raise ``FileNotFoundError`` with the path
      in its message. Careful: ``cv2.imread`` does not complain about a missing
      file, it silently returns ``None``; check for that yourself.

    Example::

        >>> img = read_image("haori.png")
        >>> img.shape, img.dtype
        ((240, 320, 3), dtype('uint8'))
        >>> read_image("haori.png", gray=True).shape
        (240, 320)
    """
    # TODO: read the file with cv2.imread (cv2.IMREAD_GRAYSCALE for gray) and
    # raise FileNotFoundError if it came back as None.
    raise NotImplementedError


def to_rgb(image):
    """Return a copy of the BGR colour picture ``image`` with its channels in RGB order.

    Input and output: ``uint8``, shape ``(height, width, 3)``. Channel 0 of the
    result is red, channel 2 is blue.

    Example::

        >>> px = np.array([[[255, 0, 0]]], np.uint8)   # one pure blue pixel in BGR
        >>> to_rgb(px)[0, 0]
        array([  0,   0, 255], dtype=uint8)
    """
    # TODO: swap the first and last channel (cv2.cvtColor with cv2.COLOR_BGR2RGB,
    # or reverse the last axis).
    raise NotImplementedError


def shape_of(image):
    """Return ``(height, width, channels)`` of ``image`` as a tuple of three ints.

    A grayscale picture has shape ``(height, width)`` with no channel axis:
    report it as having 1 channel.

    Example::

        >>> shape_of(np.zeros((240, 320, 3), np.uint8))
        (240, 320, 3)
        >>> shape_of(np.zeros((256, 300), np.uint8))
        (256, 300, 1)
    """
    # TODO: read image.shape; remember rows (height) come first.
    raise NotImplementedError


def pick(image, x, y, channel):
    """Pick out one channel and one pixel value of the BGR picture ``image``.

    Return a tuple ``(plane, value)``:

    - ``plane``: channel number ``channel`` (0 blue, 1 green, 2 red) as a
      ``uint8`` array of shape ``(height, width)``;
    - ``value``: that channel's value at the point ``(x, y)`` (column x, row y),
      as a Python ``int``.

    Example::

        >>> img = np.zeros((4, 5, 3), np.uint8); img[1, 3] = (10, 20, 30)
        >>> plane, value = pick(img, x=3, y=1, channel=2)
        >>> plane.shape, value
        ((4, 5), 30)
    """
    # TODO: slice out the channel; index the pixel as image[y, x, channel].
    raise NotImplementedError


def crop(image, x, y, width, height):
    """Return the rectangle of ``image`` whose top-left corner is the point ``(x, y)``.

    The result has shape ``(height, width)`` or ``(height, width, 3)`` and the
    same dtype as ``image``. The rectangle always lies inside the picture.

    Example::

        >>> img = np.arange(20, dtype=np.uint8).reshape(4, 5)
        >>> crop(img, x=1, y=2, width=3, height=2)
        array([[11, 12, 13],
               [16, 17, 18]], dtype=uint8)
    """
    # TODO: slice rows first (y), then columns (x).
    raise NotImplementedError


def resize(image, width, height):
    """Return ``image`` scaled to exactly ``width`` x ``height`` pixels.

    The result has shape ``(height, width, 3)`` for a colour picture and the
    same dtype (``uint8``). Use a smooth interpolation: ``cv2.INTER_AREA`` is
    best for shrinking, ``cv2.INTER_LINEAR`` or ``cv2.INTER_CUBIC`` for
    enlarging. Careful: ``cv2.resize`` takes its size as ``(width, height)``,
    the opposite order of a NumPy shape.

    Example::

        >>> resize(np.zeros((300, 451, 3), np.uint8), 200, 150).shape
        (150, 200, 3)
    """
    # TODO: call cv2.resize with dsize=(width, height).
    raise NotImplementedError


def flip_rotate(image, action):
    """Flip or rotate ``image`` as ``action`` says, and return the new picture.

    ``action`` is one of:

    - ``"flip_horizontal"``: mirror left to right (what was on the left is now on the right);
    - ``"flip_vertical"``: mirror top to bottom;
    - ``"rotate_cw"``: rotate by 90 degrees clockwise;
    - ``"rotate_ccw"``: rotate by 90 degrees counter-clockwise.

    A rotation swaps height and width: a ``(300, 451, 3)`` picture becomes
    ``(451, 300, 3)``. Keep the dtype.

    Example::

        >>> img = np.array([[1, 2], [3, 4]], np.uint8)
        >>> flip_rotate(img, "rotate_cw")
        array([[3, 1],
               [4, 2]], dtype=uint8)
    """
    # TODO: cv2.flip(image, 1) mirrors left-right, cv2.flip(image, 0) top-bottom;
    # cv2.rotate with cv2.ROTATE_90_CLOCKWISE or cv2.ROTATE_90_COUNTERCLOCKWISE.
    raise NotImplementedError


def montage(images, height):
    """Challenge: put several pictures side by side, all at the same height.

    ``images`` is a list of pictures of different sizes; some are BGR colour,
    some grayscale. Scale each one to ``height`` rows, keeping its proportions
    (new width = ``round(width * height / old_height)``), turn grayscale ones
    into 3-channel BGR, and join them left to right in the order given.

    Return a ``uint8`` array of shape ``(height, total_width, 3)``.
    Scored by SSIM against the reference montage: bronze, silver and gold tiers.

    Example::

        >>> a = np.zeros((100, 50, 3), np.uint8); b = np.zeros((50, 50), np.uint8)
        >>> montage([a, b], 100).shape
        (100, 150, 3)
    """
    # TODO: resize each picture, convert gray to BGR (cv2.cvtColor with
    # cv2.COLOR_GRAY2BGR), then join them with np.hstack or cv2.hconcat.
    raise NotImplementedError
