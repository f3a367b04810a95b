"""Day 12 - Detect and track (Mikasa spots the incoming Titans): reference solutions."""
import cv2
import numpy as np


def best_match(scene, template):
    # TM_CCOEFF_NORMED: 1 where the window matches up to brightness and contrast.
    # minMaxLoc returns locations as (x, y), ready for OpenCV.
    scores = cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED)
    _, _, _, top_left = cv2.minMaxLoc(scores)
    return tuple(int(v) for v in top_left)


def box_iou(a, b):
    # The overlap's sides are clipped at 0: two boxes apart share nothing
    # (without the clip, two negative sides would multiply into a positive area).
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def nms(boxes, scores, iou_threshold):
    # Greedy non-maximum suppression: take the best remaining box, drop every
    # box that overlaps it by more than the threshold, repeat.
    order = list(np.argsort(-np.asarray(scores), kind="stable"))
    kept = []
    while order:
        best = order.pop(0)
        kept.append(int(best))
        order = [i for i in order if box_iou(boxes[best], boxes[i]) <= iou_threshold]
    return kept


def detect(scene, template, threshold):
    scores = cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED)
    ys, xs = np.nonzero(scores >= threshold)  # rows are y, columns are x
    h, w = template.shape[:2]
    boxes = np.stack([xs, ys, xs + w, ys + h], axis=1).astype(np.float64)
    found = scores[ys, xs].astype(np.float64)
    kept = nms(boxes, found, 0.3)
    return np.column_stack([boxes[kept], found[kept]]).reshape(-1, 5)


def track(frames, box):
    # Cut the object from the first frame and find it again in every frame,
    # searching near where it was last (a window 40 px wider each way).
    x1, y1, x2, y2 = (int(round(v)) for v in box)
    template = frames[0][y1:y2, x1:x2]
    h, w = template.shape
    x, y, path = x1, y1, []
    for frame in frames:
        left, top = max(0, x - 40), max(0, y - 40)
        window = frame[top:min(frame.shape[0], y + h + 40), left:min(frame.shape[1], x + w + 40)]
        _, _, _, (dx, dy) = cv2.minMaxLoc(cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED))
        x, y = left + dx, top + dy
        path.append((x, y))
    return np.array(path, np.float64)


def detect_titans(template, scenes):
    # Titans come nearer or farther: match the template at several sizes, pool
    # every window above the threshold, and let NMS keep the best of each group.
    out = []
    for scene in scenes:
        rows = []
        for scale in (0.8, 0.9, 1.0, 1.1, 1.2, 1.3):
            t = cv2.resize(template, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else
                           cv2.INTER_LINEAR)
            rows.append(detect(scene, t, 0.6))
        rows = np.concatenate(rows)
        kept = nms(rows[:, :4], rows[:, 4], 0.3)
        out.append(rows[kept])
    return out
