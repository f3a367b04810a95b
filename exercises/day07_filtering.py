"""Day 7 - Image filtering (Wonder Egg Priority: which filter do you like?).

A filter slides a small window (the kernel, ``ksize x ksize`` pixels) over
the picture and replaces each pixel by something computed from its window:

* **box** (mean) filter: the average of the window. Simple, but it blurs
  edges as much as noise.
* **Gaussian** filter: a weighted average, near neighbours counting more.
  With ``cv2.GaussianBlur(image, (k, k), 0)`` OpenCV picks sigma from k.
* **median** filter: the middle value of the window. An isolated white or
  black speck is never the middle value, so salt and pepper vanish while
  edges stay sharp.
* **bilateral** filter: a Gaussian that also weighs by likeness: neighbours
  of a very different colour (across an edge) hardly count, so edges survive.
* **unsharp mask**: the opposite of a blur. Blur, subtract the blur to get the
  detail, and add the detail back, amplified.

Morphology works on a binary mask (0 and 255). With a structuring element
(here a 5x5 square of ones):

* **erosion** keeps a pixel white only if its whole window is white: white
  shapes shrink, thin lines and specks disappear;
* **dilation** turns a pixel white if anything in its window is: shapes grow,
  small gaps close. (A well-known tutorial's "dilation" figure shows an
  erosion: dilation makes the white parts *bigger*.)
* **opening** (erode, then dilate) removes small white specks;
  **closing** (dilate, then erode) fills small black holes and cracks;
  the **gradient** (dilation minus erosion) keeps the outlines.

Thresholds and morphology work on *one* channel: convert a colour picture
to grayscale first. Thresholding each colour channel separately gives three
different masks, not the one you want.

Colour pictures are BGR ``uint8`` arrays of shape ``(height, width, 3)``.
Fill in each function, then run ``pixelkata grade 7``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def smooth(image, method, ksize):
    """Return ``image`` smoothed by a ``ksize`` x ``ksize`` filter of the given ``method``.

    - ``"box"``: the mean of the window (``cv2.blur``);
    - ``"gaussian"``: a Gaussian of that size with OpenCV's own sigma for it
      (``cv2.GaussianBlur(image, (ksize, ksize), 0)``);
    - ``"median"``: the median of the window (``cv2.medianBlur``).

    The result has the shape and dtype (``uint8``) of ``image``.

    Example::

        >>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 255
        >>> int(smooth(img, "median", 3)[2, 2]), int(smooth(img, "box", 3)[2, 2])
        (0, 28)
    """
    # TODO: pick the OpenCV function for the method.
    raise NotImplementedError


def bilateral(image, d, sigma_color, sigma_space):
    """Return ``image`` smoothed by a bilateral filter, as ``cv2.bilateralFilter(image, d, sigma_color, sigma_space)``.

    ``d`` is the window's diameter in pixels; ``sigma_color`` says how
    different two colours may be and still be averaged; ``sigma_space`` how
    far apart two pixels may be. Keep the shape and ``uint8``.

    Example::

        >>> img = np.zeros((20, 20, 3), np.uint8); img[:, 10:] = 200
        >>> out = bilateral(img, 9, 75, 75)
        >>> int(out[10, 9, 0]), int(out[10, 10, 0])   # the edge stays sharp
        (0, 200)
    """
    # TODO: one call to cv2.bilateralFilter.
    raise NotImplementedError


def unsharp_mask(image, sigma, amount):
    """Sharpen ``image``: ``image + amount * (image - gaussian_blur(image, sigma))``, clipped to ``uint8``.

    Blur with a Gaussian of standard deviation ``sigma``
    (``cv2.GaussianBlur(x, (0, 0), sigma)`` lets OpenCV choose the kernel
    size), compute in floats, then round and clip to 0..255.

    Example::

        >>> img = np.zeros((9, 9), np.uint8); img[:, 5:] = 100
        >>> unsharp_mask(img, 1.0, 1.0)[4, 3:7]
        array([  0,   0, 130, 106], dtype=uint8)
    """
    # TODO: x = image.astype(np.float64); detail = x - blurred; clip x + amount * detail.
    raise NotImplementedError


def despeckle(image):
    """Which filter do you like? Clean the salt-and-pepper specks off ``image``.

    ``image`` is a colour picture in which some pixels were turned pure white
    or pure black. Return it cleaned, same shape, ``uint8``. Graded against
    the clean picture by SSIM: choose the filter that suits this villain.

    Example::

        >>> img = np.full((9, 9, 3), 90, np.uint8); img[4, 4] = 255
        >>> int(despeckle(img)[4, 4, 0])
        90
    """
    # TODO: one filter call; which of today's filters ignores outliers?
    raise NotImplementedError


def threshold_morphology(image, operation):
    """Threshold the colour ``image`` at 120, then apply one morphological ``operation``.

    1. Convert ``image`` (BGR) to grayscale with ``cv2.cvtColor``.
    2. Threshold: pixels above 120 become 255, the others 0
       (``cv2.threshold(gray, 120, 255, cv2.THRESH_BINARY)``).
    3. Apply ``operation`` with a 5x5 kernel of ones: ``"erode"``,
       ``"dilate"``, ``"open"``, ``"close"`` or ``"gradient"``
       (``cv2.erode``, ``cv2.dilate``, ``cv2.morphologyEx`` with
       ``cv2.MORPH_OPEN``, ``cv2.MORPH_CLOSE``, ``cv2.MORPH_GRADIENT``).

    Return the mask: ``uint8``, shape ``(height, width)``, values 0 and 255.

    Example::

        >>> img = np.zeros((9, 9, 3), np.uint8); img[2:7, 2:7] = 200
        >>> int(threshold_morphology(img, "erode").sum() // 255), int(threshold_morphology(img, "dilate").sum() // 255)
        (1, 81)
    """
    # TODO: gray, threshold, then the operation with np.ones((5, 5), np.uint8).
    raise NotImplementedError


def structuring_element(shape):
    """Return the 5x5 structuring element ``"rect"``, ``"cross"`` or ``"ellipse"`` as OpenCV makes it.

    A ``uint8`` array of shape ``(5, 5)`` holding 1 where the element is and
    0 elsewhere, like ``cv2.getStructuringElement(cv2.MORPH_CROSS, (5, 5))``.

    Example::

        >>> structuring_element("cross")[0]
        array([0, 0, 1, 0, 0], dtype=uint8)
    """
    # TODO: cv2.getStructuringElement with cv2.MORPH_RECT, cv2.MORPH_CROSS or cv2.MORPH_ELLIPSE.
    raise NotImplementedError


def restore(image):
    """Challenge: restore a grayscale picture spoiled by a mix of noise.

    ``image`` (``uint8``, ``(height, width)``) carries Gaussian noise and, on
    top of it, salt and pepper. Return your best restoration, same shape and
    dtype. Scored against the clean picture by PSNR and SSIM together: each
    tier needs both (bronze, silver, gold).

    Ideas: no single filter beats both villains. Deal with the specks first
    (a median, perhaps only where the pixels are exactly 0 or 255), then with
    the grain (a bilateral filter, or ``cv2.fastNlMeansDenoising``).

    Example::

        >>> restore(np.full((32, 32), 128, np.uint8)).shape
        (32, 32)
    """
    # TODO: combine filters; measure yourself with PSNR on a picture you spoil.
    raise NotImplementedError
