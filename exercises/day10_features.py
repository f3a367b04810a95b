"""Day 10 - Features (Naruto, the feature detective).

A detective does not compare whole pictures: they look for **features**,
small places that are easy to find again. Today you find a scroll in a scene
the way OpenCV's feature pipeline does.

* **Corners.** On a flat area nothing changes when you move a little; on an
  edge, only across it; at a corner, in every direction. Harris and
  Shi-Tomasi measure that with the *structure tensor* (the local sums of
  gx*gx, gx*gy, gy*gy); Shi-Tomasi keeps a pixel when the tensor's smaller
  eigenvalue is large. ``cv2.goodFeaturesToTrack`` returns the best ones.
* **Points are (x, y).** OpenCV's points and keypoints put x (the column)
  first; NumPy indexes put the row first. ``skimage.feature.corner_peaks``
  returns ``(row, col)``: swap the columns before handing such points to
  OpenCV (``points[:, ::-1]``).
* **Keypoints and binary descriptors.** ORB (``cv2.ORB_create``) finds
  keypoints at several scales and describes each by 256 bits, stored as 32
  ``uint8`` bytes: the answers to 256 "is this pixel brighter than that one?"
  questions around it. Two descriptors are compared by their **Hamming
  distance**, the number of bits that differ (0..256), never by the
  Euclidean (L2) distance between bytes, which means nothing for bits.
* **Matching.** For each descriptor of the object, find its two nearest
  descriptors in the scene. **Lowe's ratio test** keeps the match only if the
  nearest is clearly nearer than the second (``best < 0.75 * second``):
  repetitive patterns give two almost equal candidates, and such a match is
  a guess.
* **Homography.** A flat object seen from another place moves through a 3 x 3
  matrix ``H``: ``[x', y', w'] = H @ [x, y, 1]``, then divide, ``(x'/w', y'/w')``.
  ``cv2.findHomography(src, dst, cv2.RANSAC, 5.0)`` fits it from matched points
  (``src`` in the object, ``dst`` in the scene, arrays ``(N, 2)`` float32).
  Some matches are always wrong: **RANSAC** fits on 4 random matches at a
  time, keeps the fit most matches agree with, and ignores the rest. A plain
  least-squares fit (method 0) is dragged off by every wrong match.

Fill in each function, then run ``pixelkata grade 10``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def corners(gray):
    """Return the Shi-Tomasi corners of the grayscale picture ``gray`` as an array ``(N, 2)`` of ``(x, y)``.

    - ``gray``: ``uint8`` array ``(height, width)``;
    - use at most 50 corners, a quality level of 0.1 (a corner must score at
      least 10% of the best one) and a minimum distance of 10 pixels:
      ``cv2.goodFeaturesToTrack(gray, 50, 0.1, 10)``;
    - return floats, one corner per row, **x (column) first**. OpenCV returns
      shape ``(N, 1, 2)``: reshape it to ``(N, 2)``.

    Graded against the true vertices of the shapes, within 2 pixels.

    Example::

        >>> img = np.zeros((40, 40), np.uint8); img[10:30, 5:25] = 255
        >>> sorted(corners(img).round().astype(int).tolist())
        [[5, 10], [5, 29], [24, 10], [24, 29]]
    """
    # TODO: cv2.goodFeaturesToTrack(...), then .reshape(-1, 2).
    raise NotImplementedError


def hamming(a, b):
    """Return the Hamming distance between every descriptor of ``a`` and every descriptor of ``b``.

    - ``a``: ``uint8`` array ``(N, 32)``, ``b``: ``uint8`` array ``(M, 32)``:
      binary descriptors, 32 bytes = 256 bits each (as ORB gives them);
    - return an integer array ``(N, M)``: element ``[i, j]`` is the number of
      bits that differ between ``a[i]`` and ``b[j]``, 0..256.

    XOR (``^``) sets the bits that differ; ``np.unpackbits`` turns bytes into
    bits you can count. (``cv2.norm(x, y, cv2.NORM_HAMMING)`` gives one pair.)

    Example::

        >>> a = np.array([[0b1111] + [0] * 31], np.uint8)
        >>> b = np.array([[0] * 32, [0b0101] + [0] * 31], np.uint8)
        >>> hamming(a, b).tolist()
        [[4, 2]]
    """
    # TODO: XOR every pair of descriptors (broadcast a[:, None] with b[None]), count the bits.
    raise NotImplementedError


def match(desc_a, desc_b, ratio=0.75):
    """Match the descriptors ``desc_a`` to ``desc_b`` with Lowe's ratio test.

    - ``desc_a``: ``uint8`` ``(N, 32)`` (the object's), ``desc_b``: ``uint8``
      ``(M, 32)`` (the scene's), ``M >= 2``;
    - for each ``i``, find the two nearest descriptors of ``desc_b`` by Hamming
      distance; keep ``(i, j)`` (``j`` the nearest) only when
      ``nearest < ratio * second nearest`` (strictly);
    - return an integer array ``(K, 2)`` of the kept ``(i, j)`` pairs, sorted
      by ``i``.

    ``cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(desc_a, desc_b, k=2)`` gives, for
    each ``i``, its two best ``DMatch`` objects (``.queryIdx``, ``.trainIdx``,
    ``.distance``).

    Example::

        >>> a = np.array([[1] + [0] * 31], np.uint8)
        >>> b = np.array([[255] * 32, [0] * 32, [1] + [0] * 31], np.uint8)
        >>> match(a, b).tolist()
        [[0, 2]]
    """
    # TODO: knnMatch with k=2, the ratio test, then np.array(sorted(pairs)).
    raise NotImplementedError


def warp_outline(h, width, height):
    """Return the outline of a ``width`` x ``height`` object mapped into the scene by the homography ``h``.

    - ``h``: float array ``(3, 3)``, object pixels to scene pixels;
    - the object's corners, in this order: ``(0, 0)``, ``(width - 1, 0)``,
      ``(width - 1, height - 1)``, ``(0, height - 1)`` (top left, top right,
      bottom right, bottom left);
    - return a float array ``(4, 2)`` of their ``(x, y)`` in the scene.

    Multiply ``[x, y, 1]`` by ``h`` and divide by the third coordinate, or let
    ``cv2.perspectiveTransform(points.reshape(-1, 1, 2), h)`` do both (it wants
    float points shaped ``(N, 1, 2)``).

    Example::

        >>> shift = np.array([[1, 0, 10], [0, 1, 5], [0, 0, 1]], float)
        >>> warp_outline(shift, 4, 3).tolist()
        [[10.0, 5.0], [13.0, 5.0], [13.0, 7.0], [10.0, 7.0]]
    """
    # TODO: the four corners, then the homography (with the divide).
    raise NotImplementedError


def locate(obj, scene):
    """Find the object ``obj`` in ``scene`` and return its outline there, as :func:`warp_outline` gives it.

    - ``obj``: ``uint8`` ``(h, w)``, the scroll alone; ``scene``: ``uint8``
      ``(H, W)``, a scene where it lies somewhere, scaled, turned and tilted;
    - ORB keypoints and descriptors of both (``cv2.ORB_create(nfeatures=500)``,
      ``detectAndCompute``), :func:`match` them, fit the homography from the
      matched points with RANSAC (``cv2.findHomography(src, dst, cv2.RANSAC,
      5.0)``, ``src`` from the object, ``dst`` from the scene), then
      :func:`warp_outline` with the object's width and height;
    - return a float array ``(4, 2)``.

    Graded by the IoU of your outline with the true one (at least 0.8).
    """
    # TODO: detectAndCompute on both, match, findHomography with RANSAC, warp_outline.
    raise NotImplementedError


def find_scroll(obj, scenes):
    """Challenge: find the scroll in each of several unseen scenes.

    - ``obj``: the scroll, ``uint8`` ``(h, w)``; ``scenes``: ``uint8`` stack
      ``(S, H, W)``. The scroll is smaller or larger than in :func:`locate`'s
      scenes, turned any way, tilted, dimmer or brighter, noisier, or partly
      hidden by smoke;
    - return a list of ``S`` outlines (float arrays ``(4, 2)``, as
      :func:`warp_outline` gives them), or ``None`` for a scene where you find
      nothing.

    Scored by the mean IoU of your outlines with the true ones: bronze, silver
    or gold.
    """
    # TODO: start from locate() and make it hold up on small, dim or covered scrolls.
    raise NotImplementedError
