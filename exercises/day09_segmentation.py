"""Day 9 - Pre-processing, segmentation, post-processing (Black Goku).

Today is a full pipeline, from a raw grayscale picture to counted regions:

1. **Pre-processing** makes the picture easier to cut: a median filter
   removes specks, a bilateral filter calms grain while keeping edges,
   histogram **equalisation** spreads the grey levels over 0..255, and
   **CLAHE** (contrast limited adaptive histogram equalisation) does that
   tile by tile, clipping the histogram so the noise is not amplified.
2. **Segmentation** splits the picture into foreground and background: a
   fixed threshold, Otsu's threshold (chosen from the histogram), or Canny's
   edges. With ``cv2.THRESH_BINARY`` pixels *above* the threshold become 255;
   with ``cv2.THRESH_BINARY_INV`` it is the reverse: pixels above the
   threshold become **0** and the others 255. (A well-known tutorial says the
   opposite.)
3. **Post-processing** repairs the mask: dilation and closing bridge small
   gaps, the gradient keeps outlines; small objects (specks) are removed and
   holes (background enclosed by foreground) are filled.
4. **Labelling** gives each connected region its own number, so you can count
   and measure them. Two pixels are connected when they touch, sides or
   corners (8-connectivity, OpenCV's default).

Pictures and masks are ``uint8`` arrays of shape ``(height, width)``; masks
hold 0 and 255. Fill in each function, then run ``pixelkata grade 9``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def denoise(image, method):
    """Return ``image`` filtered by a 3x3 median (``"median"``) or a bilateral filter (``"bilateral"``).

    The bilateral filter has diameter 7, ``sigmaColor`` 75 and ``sigmaSpace``
    75. Keep the shape and ``uint8``.

    Example::

        >>> img = np.full((5, 5), 50, np.uint8); img[2, 2] = 255
        >>> int(denoise(img, "median")[2, 2])
        50
    """
    # TODO: cv2.medianBlur(image, 3) or cv2.bilateralFilter(image, 7, 75, 75).
    raise NotImplementedError


def enhance(image, method):
    """Return ``image`` with its contrast enhanced: ``"equalize"`` or ``"clahe"``.

    - ``"equalize"``: histogram equalisation, ``cv2.equalizeHist``;
    - ``"clahe"``: CLAHE with ``clipLimit=2.0`` and ``tileGridSize=(8, 8)``,
      ``cv2.createCLAHE(...).apply(image)``.

    Example::

        >>> img = np.array([[100, 100, 101, 102]] * 4, np.uint8)
        >>> enhance(img, "equalize")[0]
        array([  0,   0, 128, 255], dtype=uint8)
    """
    # TODO: one OpenCV call each.
    raise NotImplementedError


def segment(image, method):
    """Return a mask (0 and 255) of ``image`` by the given ``method``.

    - ``"inverse"``: an inverse binary threshold at 120: pixels above 120
      become 0, pixels at or below it 255;
    - ``"otsu"``: a binary threshold (above becomes 255) at Otsu's threshold;
    - ``"canny"``: Canny's edges with thresholds 120 and 255.

    Example::

        >>> segment(np.array([[100, 120, 121, 200]], np.uint8), "inverse")
        array([[255, 255,   0,   0]], dtype=uint8)
    """
    # TODO: cv2.threshold with cv2.THRESH_BINARY_INV, or cv2.THRESH_BINARY + cv2.THRESH_OTSU
    # (it returns the threshold and the mask); cv2.Canny.
    raise NotImplementedError


def morphology(mask, operation):
    """Apply ``"dilate"``, ``"close"`` or ``"gradient"`` to ``mask`` with a 3x3 rectangle (a square of ones).

    Return the new mask, ``uint8``, 0 and 255, same shape.

    Example::

        >>> m = np.zeros((5, 5), np.uint8); m[2, 2] = 255
        >>> int(morphology(m, "dilate").sum() // 255)
        9
    """
    # TODO: cv2.morphologyEx(mask, cv2.MORPH_DILATE / MORPH_CLOSE / MORPH_GRADIENT, np.ones((3, 3), np.uint8)).
    raise NotImplementedError


def clean_mask(mask, min_size):
    """Remove the objects smaller than ``min_size`` pixels from ``mask``, then fill their holes.

    An object is a connected region of 255s (8-connectivity: pixels touching
    by a side or a corner). A hole is a region of 0s that cannot be reached
    from the picture's border. Return a mask, ``uint8``, 0 and 255.

    Example::

        >>> m = np.zeros((9, 9), np.uint8); m[1:6, 1:6] = 255; m[3, 3] = 0; m[8, 8] = 255
        >>> out = clean_mask(m, 5)
        >>> int(out[3, 3]), int(out[8, 8])
        (255, 0)
    """
    # TODO: cv2.connectedComponentsWithStats (areas in stats[:, cv2.CC_STAT_AREA]) or
    # skimage.morphology.remove_small_objects; then scipy.ndimage.binary_fill_holes.
    raise NotImplementedError


def count_objects(mask):
    """Label the objects of ``mask`` (8-connectivity) and count them.

    Return ``(labels, count)``: ``labels`` is an integer array of the mask's
    shape with 0 for the background and 1, 2, 3, ... for the objects (any
    numbering will do); ``count`` is the number of objects, a Python int.

    Example::

        >>> m = np.zeros((5, 5), np.uint8); m[0, 0] = m[1, 1] = m[4, 4] = 255
        >>> labels, count = count_objects(m)
        >>> count
        2
    """
    # TODO: cv2.connectedComponents(mask) returns (n, labels), and n counts the background too.
    raise NotImplementedError


def coins(image):
    """Challenge: segment and count the coins of ``skimage.data.coins()``.

    ``image`` is the grayscale coins picture, ``(303, 384)``, ``uint8``.
    Return a label picture of its shape: 0 for the background and one number
    per coin. The count of coins must be exact; then your mask (every
    labelled pixel) is scored by its IoU against a careful outline of each
    coin: bronze, silver and gold tiers.

    Ideas: the light falls unevenly, so one threshold for the whole picture
    misses the dim coins; try a threshold that adapts (``cv2.adaptiveThreshold``,
    Day 4) or CLAHE first. Then fill the holes the coins' designs leave,
    remove specks, and open with a round element to cut thin threads.

    Example::

        >>> coins(np.zeros((303, 384), np.uint8)).shape
        (303, 384)
    """
    # TODO: pre-process, segment, post-process, label.
    raise NotImplementedError
