"""Day 12 - Detect and track (Mikasa spots the incoming Titans).

**Template matching** slides a small picture (the template) over the scene
and scores every position. ``cv2.matchTemplate(scene, template, method)``
returns a score map of shape ``(H - h + 1, W - w + 1)``: the score at
``[row, col]`` is for the window whose top left corner is at ``x = col``,
``y = row``.

* With ``cv2.TM_CCOEFF_NORMED`` (a normalised correlation) the score is in
  -1..1, 1 for a perfect match, and a brighter or darker copy of the template
  still scores 1. **Bigger is better.**
* With ``cv2.TM_SQDIFF`` (the sum of squared differences) 0 is a perfect
  match: **smaller is better**. Read each method's direction before taking
  the maximum.
* ``cv2.minMaxLoc(scores)`` returns ``(min, max, min_location, max_location)``
  with locations as **(x, y)**. ``np.unravel_index(scores.argmax(), scores.shape)``
  returns **(row, col)**, which is (y, x).

A **box** here is ``(x1, y1, x2, y2)``: top left and bottom right corners,
with ``x2 = x1 + width`` and ``y2 = y1 + height`` (OpenCV's ``Rect`` and
``cv2.boundingRect`` give ``(x, y, width, height)`` instead: convert).
The **IoU** (intersection over union) of two boxes is their overlap's area
over the area they cover together: 1 for the same box, 0 for boxes apart.

Around every true match the neighbouring windows score almost as high, so a
threshold alone gives a cluster of boxes per object. **Non-maximum
suppression** (NMS) keeps the best box and drops every box that overlaps it
by more than an IoU threshold, then repeats with the best box left.

A detector is judged by **average precision** (AP): rank its detections by
score, call one a true positive when it overlaps an object not yet found with
IoU at least 0.5, and take the area under the precision-recall curve. A box
on an object already found is a *duplicate*, a false positive; AP forgives
those ranked below every true hit, so a detector's final answer is also
judged by its duplicates: one box per object, which is what NMS leaves.

**Tracking**: to follow an object through frames, look for it again in each
frame near where it was last (re-matching), or follow its points with
optical flow (``cv2.calcOpticalFlowPyrLK``).

Fill in each function, then run ``pixelkata grade 12``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def best_match(scene, template):
    """Return the top left corner ``(x, y)`` of the window of ``scene`` that best matches ``template``.

    - ``scene``: ``uint8`` ``(H, W)``; ``template``: ``uint8`` ``(h, w)``;
    - score with ``cv2.TM_CCOEFF_NORMED`` (bigger is better);
    - return a tuple of two ints, x (the column) first.

    Example::

        >>> scene = np.zeros((20, 30), np.uint8); scene[5:9, 12:16] = np.arange(16).reshape(4, 4) * 10
        >>> best_match(scene, scene[4:10, 11:17].copy())
        (11, 4)
    """
    # TODO: cv2.matchTemplate, then cv2.minMaxLoc (its max location is already (x, y)).
    raise NotImplementedError


def box_iou(a, b):
    """Return the IoU of the boxes ``a`` and ``b``, each ``(x1, y1, x2, y2)`` (4 numbers, ``x2 > x1``, ``y2 > y1``).

    Areas are ``(x2 - x1) * (y2 - y1)``. Return a float in 0..1.

    Example::

        >>> box_iou((0, 0, 10, 10), (5, 0, 15, 10))
        0.3333333333333333
        >>> box_iou((0, 0, 10, 10), (20, 20, 30, 30))
        0.0
    """
    # TODO: the overlap's width and height (never below 0), its area, the union's area.
    raise NotImplementedError


def nms(boxes, scores, iou_threshold):
    """Greedy non-maximum suppression: return the indices of the boxes kept, best score first.

    - ``boxes``: float ``(N, 4)`` of ``(x1, y1, x2, y2)``; ``scores``: float ``(N,)``;
    - repeat: keep the highest-scoring box left; drop every box whose IoU with
      it is **above** ``iou_threshold``;
    - return a list of ints, in the order they were kept (decreasing score).

    Example::

        >>> nms(np.array([[0, 0, 10, 10], [1, 0, 11, 10], [20, 0, 30, 10]], float), np.array([0.8, 0.9, 0.7]), 0.5)
        [1, 2]
    """
    # TODO: order by decreasing score; loop: keep the first, filter out the ones that overlap it.
    raise NotImplementedError


def detect(scene, template, threshold):
    """Find every Titan: all windows scoring at least ``threshold`` (TM_CCOEFF_NORMED), then NMS at IoU 0.3.

    - a window at ``x, y`` is the box ``(x, y, x + w, y + h)`` with the
      template's width ``w`` and height ``h``;
    - return a float array ``(N, 5)``: one row ``(x1, y1, x2, y2, score)`` per
      detection kept.

    Graded by the F1 of your boxes matched to the true ones at IoU 0.5: every
    Titan missed and every extra box counts.
    """
    # TODO: matchTemplate, np.nonzero(scores >= threshold) (rows are y!), boxes, nms(..., 0.3).
    raise NotImplementedError


def track(frames, box):
    """Follow the object in ``box`` through ``frames``; return its top left ``(x, y)`` in every frame.

    - ``frames``: ``uint8`` stack ``(T, H, W)``; ``box``: ``(x1, y1, x2, y2)``
      of the object in ``frames[0]``;
    - return a float array ``(T, 2)``: the object's top left corner in each
      frame (in ``frames[0]`` it is ``(x1, y1)``).

    The object walks a few dozen pixels between frames and fades a little.
    Graded within 2 pixels of the true path.
    """
    # TODO: cut the template from frames[0]; in each frame find it again (near its last place).
    raise NotImplementedError


def detect_titans(template, scenes):
    """Challenge: find every Titan in several unseen plains.

    - ``template``: ``uint8`` ``(h, w)``; ``scenes``: ``uint8`` stack ``(S, H, W)``.
      Titans may be nearer or farther (0.8 to 1.25 times the template's
      size), fainter, in noisier light, or half behind a rock; some plains
      have none;
    - return a list of ``S`` float arrays ``(N, 5)`` of ``(x1, y1, x2, y2,
      score)``, higher scores for surer detections (an empty ``(0, 5)`` array
      where you find nothing).

    Scored by average precision at IoU 0.5 over all plains, times the share of
    your boxes on a Titan that are the first on it (a box repeating a Titan
    already found costs, wherever it ranks): bronze, silver or gold.
    """
    # TODO: start from detect(); the Titans are not all the template's size.
    raise NotImplementedError
