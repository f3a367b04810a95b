"""Day 2 - Shapes and text (Vegeta, Dragon Ball Z).

Vegeta's posters are all bold circles, beams and shouting letters. Today you
draw them with OpenCV's drawing functions: ``cv2.circle``, ``cv2.rectangle``,
``cv2.line`` and ``cv2.putText``. Three conventions trip everyone up:

* **Points are (x, y), not (row, col).** x counts columns from the left, y
  counts rows from the top. A NumPy index is the other way round:
  the pixel at point (x, y) is ``image[y, x]``.
* **Colours are BGR tuples.** ``(255, 0, 0)`` is blue, ``(0, 0, 255)`` is red,
  ``(0, 215, 255)`` is gold. Some tutorials read these tuples as RGB and so
  describe the colours wrongly; in OpenCV the first number is always blue.
* **Thickness -1 fills.** A positive thickness draws an outline that many
  pixels wide, centred on the shape's edge; any negative value (``cv2.FILLED``
  is -1) fills the shape.

The drawing functions change the picture you pass them (and also return it).
Every function below must return a new picture and leave ``canvas`` as it
was: draw on ``canvas.copy()``. Use the default line type (``cv2.LINE_8``);
``cv2.LINE_AA`` blends the edges into the background, which changes the edge
pixels the grader compares.

Fill in each function below, then run ``pixelkata grade 2``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def outlined_circle(canvas, center, radius, colour, thickness):
    """Return a copy of ``canvas`` with the outline of a circle drawn on it.

    - ``canvas``: a BGR picture, ``uint8``, shape ``(height, width, 3)``.
    - ``center``: the point ``(x, y)``; ``radius``: in pixels.
    - ``colour``: a BGR tuple such as ``(0, 0, 255)`` (red).
    - ``thickness``: the width of the outline in pixels; half of it lies
      inside the radius and half outside.

    The series drew a circle at centre (200, 550), radius 150, thickness 50
    on a large picture. Our canvases are at most 512 px a side, so the same
    circle here sits at centre (260, 200) of a 512x384 canvas.

    Returns a ``uint8`` picture of the canvas's shape.

    Example::

        >>> out = outlined_circle(np.zeros((100, 100, 3), np.uint8), (50, 40), 30, (0, 0, 255), 4)
        >>> out[40, 80]            # on the outline: row y=40, column x=50+30
        array([  0,   0, 255], dtype=uint8)
    """
    # TODO: copy the canvas, then cv2.circle(copy, center, radius, colour, thickness).
    raise NotImplementedError


def filled_circle(canvas, center, radius, colour):
    """Return a copy of ``canvas`` with a filled disc of ``colour`` drawn on it.

    Same arguments as :func:`outlined_circle`, without the thickness: the
    whole disc is filled.

    Example::

        >>> out = filled_circle(np.zeros((100, 100, 3), np.uint8), (50, 40), 30, (0, 140, 255))
        >>> out[40, 50]            # the centre is filled too
        array([  0, 140, 255], dtype=uint8)
    """
    # TODO: cv2.circle with a thickness of -1 (cv2.FILLED) fills the circle.
    raise NotImplementedError


def filled_rectangle(canvas, top_left, bottom_right, colour):
    """Return a copy of ``canvas`` with a filled rectangle drawn on it.

    ``top_left`` and ``bottom_right`` are opposite corners as ``(x, y)``
    points; both corners belong to the rectangle. ``colour`` is a BGR tuple.

    Example::

        >>> out = filled_rectangle(np.zeros((50, 80, 3), np.uint8), (10, 5), (69, 24), (255, 0, 0))
        >>> out[5:25, 10:70].min(axis=(0, 1))   # rows 5..24, columns 10..69, all blue
        array([255,   0,   0], dtype=uint8)
    """
    # TODO: cv2.rectangle(copy, top_left, bottom_right, colour, cv2.FILLED).
    raise NotImplementedError


def thick_line(canvas, start, end, colour, thickness):
    """Return a copy of ``canvas`` with a straight line from ``start`` to ``end``.

    ``start`` and ``end`` are ``(x, y)`` points, ``colour`` a BGR tuple and
    ``thickness`` the line's width in pixels (the series used 80). OpenCV gives
    thick lines rounded ends.

    Example::

        >>> out = thick_line(np.zeros((100, 100, 3), np.uint8), (10, 50), (90, 50), (0, 215, 255), 9)
        >>> out[46:55, 50, 2]      # nine rows thick around row y=50
        array([255, 255, 255, 255, 255, 255, 255, 255, 255], dtype=uint8)
    """
    # TODO: cv2.line(copy, start, end, colour, thickness).
    raise NotImplementedError


def put_text(canvas, text, origin, scale, colour, thickness):
    """Return a copy of ``canvas`` with ``text`` written on it in ``cv2.FONT_HERSHEY_SIMPLEX``.

    ``origin`` is the ``(x, y)`` point of the text's **bottom-left** corner
    (the start of its baseline), not its top-left corner. ``scale`` multiplies
    the font's base size, ``thickness`` is the stroke width in pixels and
    ``colour`` a BGR tuple. The series wrote "Go! Go!".

    Example::

        >>> out = put_text(np.zeros((100, 300, 3), np.uint8), "Go! Go!", (10, 80), 2, (255, 255, 255), 3)
        >>> bool(out[:80].any()), bool(out[90:].any())   # the letters sit above the baseline
        (True, False)
    """
    # TODO: cv2.putText(copy, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness).
    raise NotImplementedError


def draw_shapes(canvas, shapes):
    """Return a copy of ``canvas`` with every shape in ``shapes`` drawn on it, in order.

    Each shape is a tuple whose first item names it:

    - ``("circle", center, radius, colour, thickness)``
    - ``("rectangle", top_left, bottom_right, colour, thickness)``
    - ``("line", start, end, colour, thickness)``
    - ``("text", text, origin, scale, colour, thickness)`` in ``FONT_HERSHEY_SIMPLEX``

    Points are ``(x, y)``, colours BGR, and a negative thickness fills.
    Shapes drawn later cover the earlier ones.

    Example::

        >>> shapes = [("rectangle", (0, 0), (9, 9), (255, 0, 0), -1),
        ...           ("circle", (5, 5), 2, (0, 0, 255), -1)]
        >>> draw_shapes(np.zeros((10, 10, 3), np.uint8), shapes)[5, 5]   # the circle is on top
        array([  0,   0, 255], dtype=uint8)
    """
    # TODO: loop over the shapes and call cv2.circle, cv2.rectangle, cv2.line or
    # cv2.putText depending on shape[0], all on one copy of the canvas.
    raise NotImplementedError


def poster(canvas):
    """Challenge: draw Vegeta's poster on ``canvas``, whatever its size.

    ``canvas`` is a BGR ``uint8`` picture of ``height`` rows and ``width``
    columns (a landscape one and a portrait one are graded). Draw, in this
    order (``//`` is integer division):

    1. a band across the bottom: a filled rectangle from ``(0, height - height // 5)``
       to ``(width - 1, height - 1)`` in dark blue ``(150, 60, 20)``;
    2. a white ``(255, 255, 255)`` line 4 px thick along the band's top edge,
       from one side of the canvas to the other;
    3. Vegeta's aura: a filled gold ``(0, 215, 255)`` disc centred at
       ``(width // 2, 2 * height // 5)``, radius ``min(width, height) // 4``;
    4. a white ring around it: same centre, radius 16 px larger, thickness 6;
    5. the text ``"IT'S OVER 9000!"`` in white, ``FONT_HERSHEY_SIMPLEX``,
       scale 1.2, thickness 3, centred left to right on the canvas and
       vertically on the band: its baseline at ``height - height // 10 + text_height // 2``.
       ``cv2.getTextSize(text, font, scale, thickness)`` returns
       ``((text_width, text_height), baseline)``.

    Return the poster (``uint8``, the canvas's shape). Scored by SSIM of what
    you drew (your picture minus the canvas) against what the reference drew:
    bronze, silver and gold tiers. Gold needs every element in place, the
    text centred to the pixel.

    Example::

        >>> poster(np.zeros((448, 320, 3), np.uint8)).shape
        (448, 320, 3)
    """
    # TODO: compute the positions from canvas.shape, then draw the five elements
    # in order; centre the text with cv2.getTextSize.
    raise NotImplementedError
