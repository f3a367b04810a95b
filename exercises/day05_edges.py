"""Day 5 - Edge detection (Attack on Titan: find the Titan at the edges).

A Titan peers over the Wall. To find it, look where the picture *changes*:
an edge is a place where the gray level jumps.

**First derivatives.** The Sobel operator estimates how fast the gray level
changes. ``cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5)`` is the derivative
along x (``dx=1``): change from left to right. It is large across a
*vertical* edge, such as the side of a tower, and zero along a horizontal one.
The derivative along y (``dx=0, dy=1``) responds to *horizontal* edges, such
as the top of the Wall. (Some tutorials say the opposite; picture walking
left to right across a tower's side: that is where x changes.)

A derivative is negative where the picture gets darker, so compute it in a
signed type (``cv2.CV_64F``), not ``uint8``, which would cut every negative
slope to 0. To look at it, take the absolute value and scale it to 0..255.

**Gradient magnitude** combines both: ``sqrt(gx**2 + gy**2)``, large across
edges of every direction. The **Laplacian** is the second derivative; it
crosses zero on an edge and is large on both sides of it.

**Canny** finds thin edges in four steps: smoothing, gradients, keeping only
the local maxima across each edge, and *hysteresis* with two thresholds:
gradients above ``high`` start an edge, gradients above ``low`` extend one
that has started, the rest are dropped. ``cv2.Canny(gray, low, high)`` takes
the lower threshold first (it quietly swaps them if you do not;
``skimage.feature.canny`` raises an error instead). Noise makes false
edges, so blur first on a noisy picture.

All inputs today are grayscale ``uint8`` pictures of shape ``(height, width)``.

Fill in each function below, then run ``pixelkata grade 5``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def sobel(gray, direction):
    """Return the Sobel derivative of ``gray`` along ``direction`` ("x" or "y"), scaled to ``uint8``.

    - ``direction="x"``: ``dx=1, dy=0``, the change from left to right, which
      shows the **vertical** edges;
    - ``direction="y"``: ``dx=0, dy=1``, the change from top to bottom, which
      shows the **horizontal** edges.

    Use ``ksize=5`` and the 64-bit float output ``cv2.CV_64F``. Then take the
    absolute value and scale it so that the largest value becomes 255:
    ``np.round(np.abs(g) * 255 / np.abs(g).max()).astype(np.uint8)``
    (``cv2.convertScaleAbs(g, alpha=255 / np.abs(g).max())`` does the same).

    Returns ``uint8``, shape ``(height, width)``.

    Example::

        >>> gray = np.zeros((10, 10), np.uint8); gray[4:, 5:] = 200   # a corner
        >>> sobel(gray, "x")[8, 2:9]    # row 8 crosses the vertical edge
        array([  0,  85, 255, 255,  85,   0,   0], dtype=uint8)
        >>> sobel(gray, "y")[8, 2:9]    # the y derivative does not see that edge
        array([0, 0, 0, 0, 0, 0, 0], dtype=uint8)
    """
    # TODO: cv2.Sobel(gray, cv2.CV_64F, dx, dy, ksize=5), then absolute value
    # scaled to 0..255 as uint8.
    raise NotImplementedError


def gradient_magnitude(gray):
    """Return the gradient magnitude ``sqrt(gx**2 + gy**2)`` of ``gray``, scaled to ``uint8``.

    ``gx`` and ``gy`` are the Sobel derivatives along x and y with ``ksize=5``
    in ``cv2.CV_64F``. Scale the magnitude so that its largest value becomes
    255 (as in :func:`sobel`). Returns ``uint8``, shape ``(height, width)``.

    Example::

        >>> gray = np.zeros((9, 9), np.uint8); gray[4:, 4:] = 200
        >>> int(gradient_magnitude(gray)[0, 0]), int(gradient_magnitude(gray).max())
        (0, 255)
    """
    # TODO: both Sobel derivatives, then cv2.magnitude(gx, gy) or np.hypot(gx, gy),
    # then scale to 0..255 as uint8.
    raise NotImplementedError


def laplacian(gray):
    """Return the absolute Laplacian of ``gray``, scaled to ``uint8``.

    Use ``cv2.Laplacian(gray, cv2.CV_64F)`` (its default aperture), take the
    absolute value and scale it so the largest value becomes 255, as in
    :func:`sobel`. Returns ``uint8``, shape ``(height, width)``.

    Example::

        >>> gray = np.zeros((9, 9), np.uint8); gray[:, 5:] = 200
        >>> laplacian(gray)[4, 3:7]        # large on both sides of the edge
        array([  0, 255, 255,   0], dtype=uint8)
    """
    # TODO: cv2.Laplacian(gray, cv2.CV_64F), then absolute value scaled to 0..255.
    raise NotImplementedError


def canny(gray, low, high):
    """Return Canny's edge map of ``gray`` with the hysteresis thresholds ``low`` and ``high``.

    The map is ``uint8`` of shape ``(height, width)``: 255 on edges, 0
    elsewhere. The series used ``low=100, high=200``.

    Example::

        >>> gray = np.zeros((20, 20), np.uint8); gray[:, 10:] = 200
        >>> sorted(np.unique(canny(gray, 100, 200)).tolist())
        [0, 255]
    """
    # TODO: cv2.Canny(gray, low, high): the lower threshold first.
    raise NotImplementedError


def blur_canny(gray, ksize, low, high):
    """Smooth ``gray`` with a Gaussian blur, then return Canny's edge map of the result.

    The blur uses a ``ksize`` x ``ksize`` kernel and lets OpenCV choose the
    spread from it (``sigma=0``); then ``cv2.Canny`` with ``low`` and ``high``.
    Returns ``uint8``, shape ``(height, width)``, 255 on edges.

    Example::

        >>> gray = np.zeros((20, 20), np.uint8); gray[:, 10:] = 200
        >>> blur_canny(gray, 5, 50, 150).shape
        (20, 20)
    """
    # TODO: cv2.GaussianBlur(gray, (ksize, ksize), 0), then cv2.Canny(blurred, low, high).
    raise NotImplementedError


def outline(noisy):
    """Challenge: find the outline of the Titan scene in a very noisy picture.

    ``noisy`` is the scene of the other tasks (grayscale ``uint8``) carrying
    two kinds of noise at once: a grainy spread on every pixel and scattered
    pure black and pure white specks. Return an edge map, ``uint8`` (or bool)
    of the picture's shape, non-zero on the edges.

    Scored by F1 against the scene's true outline, an edge counting as found
    when it lies within 2 pixels of the true one: F1 is low both when noise
    turns into edges (precision) and when real edges are missed (recall).
    Bronze, silver and gold tiers. The pale clouds are faint: find them too.

    Example::

        >>> outline(np.zeros((256, 384), np.uint8)).shape
        (256, 384)
    """
    # TODO: remove the specks (a median blur is made for them), smooth the rest,
    # then tune Canny's thresholds.
    raise NotImplementedError
