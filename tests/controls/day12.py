"""Day 12 controls: score-map, box, NMS and tracking mistakes, and correct answers written with scikit-image,
plain NumPy or OpenCV's own NMS."""
from tests.controls import correct, wrong

# --- best_match


@wrong("best_match", expect='np.unravel_index gives (row, col), which is (y, x)')
def row_col_from_unravel_index(scene, template):
    import cv2
    import numpy as np
    scores = cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED)
    return tuple(int(v) for v in np.unravel_index(scores.argmax(), scores.shape))


@wrong("best_match", expect='With TM_SQDIFF the best match is the smallest score, and you took the')
def sqdiff_read_as_bigger_is_better(scene, template):
    import cv2
    _, _, _, top_left = cv2.minMaxLoc(cv2.matchTemplate(scene, template, cv2.TM_SQDIFF))
    return top_left


@wrong("best_match", expect="You returned the window's centre where its top left corner was asked")
def centre_not_top_left(scene, template):
    import cv2
    _, _, _, (x, y) = cv2.minMaxLoc(cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED))
    return (x + template.shape[1] // 2, y + template.shape[0] // 2)


@correct("best_match")
def scikit_image_match_template(scene, template):
    import numpy as np
    from skimage.feature import match_template
    scores = match_template(scene, template)
    row, col = np.unravel_index(scores.argmax(), scores.shape)
    return (int(col), int(row))


@correct("best_match")
def argmax_and_divmod(scene, template):
    import cv2
    scores = cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED)
    row, col = divmod(int(scores.argmax()), scores.shape[1])
    return [col, row]


# --- box_iou


@wrong("box_iou", expect="Your overlap's sides were not clipped at 0, so two boxes apart")
def overlap_not_clipped(a, b):
    inter = (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


@wrong("box_iou", expect='You read the boxes as (x, y, width, height) where they are corners')
def boxes_read_as_width_and_height(a, b):
    ax2, ay2, bx2, by2 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    w = max(0, min(ax2, bx2) - max(a[0], b[0]))
    h = max(0, min(ay2, by2) - max(a[1], b[1]))
    return w * h / (a[2] * a[3] + b[2] * b[3] - w * h)


@wrong("box_iou", expect='You added 1 to every side, as for inclusive pixel boxes (expected')
def pixel_inclusive_plus_one(a, b):
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]) + 1)
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]) + 1)
    area = lambda r: (r[2] - r[0] + 1) * (r[3] - r[1] + 1)  # noqa: E731
    return w * h / (area(a) + area(b) - w * h)


@wrong("box_iou", expect="You divided the overlap by the smaller box's area (expected another")
def intersection_over_the_smaller_box(a, b):
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    return w * h / min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))


@correct("box_iou")
def numpy_clip(a, b):
    import numpy as np
    a, b = np.asarray(a, float), np.asarray(b, float)
    wh = np.clip(np.minimum(a[2:], b[2:]) - np.maximum(a[:2], b[:2]), 0, None)
    inter = wh.prod()
    return float(inter / (np.prod(a[2:] - a[:2]) + np.prod(b[2:] - b[:2]) - inter))


@correct("box_iou")
def masks_on_a_grid(a, b):
    import numpy as np
    # Boxes with whole-number corners cover whole pixels: count them.
    size = int(max(a[2], b[2], a[3], b[3])) + 1
    ma, mb = np.zeros((size, size), bool), np.zeros((size, size), bool)
    ma[a[1]:a[3], a[0]:a[2]] = True
    mb[b[1]:b[3], b[0]:b[2]] = True
    return (ma & mb).sum() / (ma | mb).sum()


# --- nms


@wrong("nms", expect='Your kept boxes are right but in the wrong order')
def kept_indices_sorted(boxes, scores, iou_threshold):
    import numpy as np
    order = list(np.argsort(-scores))
    kept = []
    while order:
        best = order.pop(0)
        kept.append(int(best))
        order = [i for i in order if box_iou(boxes[best], boxes[i]) <= iou_threshold]
    return sorted(kept)


@wrong("nms", expect='You sorted the boxes by score but dropped none (expected far fewer)')
def best_first_but_no_suppression(boxes, scores, iou_threshold):
    import numpy as np
    return [int(i) for i in np.argsort(-scores)]


@wrong("nms", expect='You kept the lowest-scoring box first (expected other boxes)')
def lowest_score_first(boxes, scores, iou_threshold):
    import numpy as np
    order = list(np.argsort(scores))
    kept = []
    while order:
        best = order.pop(0)
        kept.append(int(best))
        order = [i for i in order if box_iou(boxes[best], boxes[i]) <= iou_threshold]
    return kept


@wrong("nms", expect='cv2.dnn.NMSBoxes wants (x, y, width, height) boxes and you passed')
def corners_passed_to_nmsboxes(boxes, scores, iou_threshold):
    import cv2
    kept = cv2.dnn.NMSBoxes(boxes.tolist(), scores.tolist(), 0.0, iou_threshold)
    return [int(i) for i in kept]


@correct("nms")
def opencv_nmsboxes_with_width_and_height(boxes, scores, iou_threshold):
    import cv2
    xywh = [[x1, y1, x2 - x1, y2 - y1] for x1, y1, x2, y2 in boxes.tolist()]
    return [int(i) for i in cv2.dnn.NMSBoxes(xywh, scores.tolist(), 0.0, iou_threshold)]


@correct("nms")
def numpy_vectorised(boxes, scores, iou_threshold):
    import numpy as np
    order = np.argsort(-scores)
    kept = []
    while order.size:
        best = order[0]
        kept.append(int(best))
        rest = order[1:]
        wh = np.clip(np.minimum(boxes[best, 2:], boxes[rest, 2:]) - np.maximum(boxes[best, :2], boxes[rest, :2]), 0,
                     None)
        inter = wh.prod(axis=1)
        area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        order = rest[inter / (area[best] + area[rest] - inter) <= iou_threshold]
    return kept


# --- detect


@wrong("detect", expect='Neighbouring windows of each Titan all passed the threshold and you')
def no_nms(scene, template, threshold):
    import cv2
    import numpy as np
    scores = cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED)
    ys, xs = np.nonzero(scores >= threshold)
    h, w = template.shape
    return np.column_stack([xs, ys, xs + w, ys + h, scores[ys, xs]]).astype(float)


@wrong("detect", expect='Your boxes have x and y swapped')
def rows_taken_for_x(scene, template, threshold):
    import cv2
    import numpy as np
    scores = cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED)
    xs, ys = np.nonzero(scores >= threshold)  # rows are y, not x
    h, w = template.shape
    boxes = np.stack([xs, ys, xs + w, ys + h], axis=1).astype(float)
    found = scores[xs, ys].astype(float)
    keep = nms(boxes, found, 0.3)
    return np.column_stack([boxes[keep], found[keep]])


@wrong("detect", expect='Your boxes look like (x, y, width, height)')
def width_and_height_for_corners(scene, template, threshold):
    import cv2
    import numpy as np
    scores = cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED)
    ys, xs = np.nonzero(scores >= threshold)
    h, w = template.shape
    boxes = np.stack([xs, ys, xs + w, ys + h], axis=1).astype(float)
    found = scores[ys, xs].astype(float)
    keep = nms(boxes, found, 0.3)
    return np.column_stack([xs[keep], ys[keep], np.full(len(keep), w), np.full(len(keep), h), found[keep]])


@correct("detect")
def scikit_image_peaks(scene, template, threshold):
    import numpy as np
    from skimage.feature import match_template, peak_local_max
    scores = match_template(scene, template)
    peaks = peak_local_max(scores, min_distance=5, threshold_abs=threshold, exclude_border=False)
    h, w = template.shape
    return np.array([[c, r, c + w, r + h, scores[r, c]] for r, c in peaks], float).reshape(-1, 5)


# --- track


@wrong("track", expect='Your positions are (row, col) pairs where (x, y) was asked for')
def path_as_row_col(frames, box):
    import cv2
    import numpy as np
    x1, y1, x2, y2 = (int(v) for v in box)
    template = frames[0][y1:y2, x1:x2]
    path = []
    for frame in frames:
        scores = cv2.matchTemplate(frame, template, cv2.TM_CCOEFF_NORMED)
        path.append(np.unravel_index(scores.argmax(), scores.shape))
    return np.array(path, float)


@wrong("track", expect='You returned the first position for every frame, so few positions lie')
def first_position_every_frame(frames, box):
    import numpy as np
    return np.array([[box[0], box[1]]] * len(frames), float)


@wrong("track", expect="You followed the object's centre where its top left corner was asked")
def centre_not_top_left(frames, box):
    import cv2
    import numpy as np
    x1, y1, x2, y2 = (int(v) for v in box)
    template = frames[0][y1:y2, x1:x2]
    corners = np.array([cv2.minMaxLoc(cv2.matchTemplate(f, template, cv2.TM_CCOEFF_NORMED))[3] for f in frames], float)
    return corners + np.array([(x2 - x1) / 2, (y2 - y1) / 2])


@correct("track")
def scikit_image_match_template(frames, box):
    import numpy as np
    from skimage.feature import match_template
    x1, y1, x2, y2 = (int(v) for v in box)
    template = frames[0][y1:y2, x1:x2]
    path = []
    for frame in frames:
        scores = match_template(frame, template)
        row, col = np.unravel_index(scores.argmax(), scores.shape)
        path.append((col, row))
    return np.array(path, float)


@correct("track")
def whole_frame_rematching(frames, box):
    import cv2
    import numpy as np
    x1, y1, x2, y2 = (int(v) for v in box)
    template = frames[0][y1:y2, x1:x2]
    return np.array([cv2.minMaxLoc(cv2.matchTemplate(f, template, cv2.TM_CCOEFF_NORMED))[3] for f in frames], float)


# --- detect_titans


@wrong("detect_titans", expect="no tier yet")
def one_size_only(template, scenes):
    return [detect(s, template, 0.8) for s in scenes]


@wrong("detect_titans", expect="no tier yet")
def nothing_found(template, scenes):
    import numpy as np
    return [np.zeros((0, 5)) for _ in scenes]


@wrong("detect_titans", expect="repeat one already found")
def five_sizes_without_nms(template, scenes):
    # Every window above 0.6 at five sizes, kept: AP alone gave this 0.905, silver.
    import cv2
    import numpy as np
    out = []
    for scene in scenes:
        rows = []
        for s in (0.8, 0.9, 1.0, 1.1, 1.2):
            t = cv2.resize(template, None, fx=s, fy=s)
            scores = cv2.matchTemplate(scene, t, cv2.TM_CCOEFF_NORMED)
            ys, xs = np.nonzero(scores >= 0.6)
            h, w = t.shape
            rows.append(np.column_stack([xs, ys, xs + w, ys + h, scores[ys, xs]]).astype(float))
        out.append(np.concatenate(rows))
    return out


@wrong("detect_titans", expect="Run non-maximum suppression once over each scene's boxes")
def five_sizes_detected_then_pooled(template, scenes):
    # The task's detect() at five sizes (NMS within each size), pooled without NMS over the pool: AP 0.951, gold.
    import cv2
    import numpy as np
    return [np.concatenate([detect(scene, cv2.resize(template, None, fx=s, fy=s), 0.6)
                            for s in (0.8, 0.9, 1.0, 1.1, 1.2)]) for scene in scenes]


@correct("detect_titans")
def scales_with_opencv_nms(template, scenes):
    import cv2
    import numpy as np
    out = []
    for scene in scenes:
        pool = np.concatenate([detect(scene, cv2.resize(template, None, fx=s, fy=s), 0.55)
                               for s in (0.8, 0.95, 1.1, 1.25)])
        xywh = np.column_stack([pool[:, :2], pool[:, 2:4] - pool[:, :2]])
        keep = cv2.dnn.NMSBoxes(xywh.tolist(), pool[:, 4].tolist(), 0.0, 0.3)
        out.append(pool[np.asarray(keep, int).ravel()].reshape(-1, 5))
    return out
