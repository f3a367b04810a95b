"""Day 10 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each entry is ``<task>__<name>`` with the task's signature; grader/course/day10.toml lists them.
Helpers the entries call are copied from solutions/day10_features.py, so this module stands alone.
"""
import cv2
import numpy as np


# --- helpers from the reference solution


def corners(gray):
    # Shi-Tomasi: the smaller eigenvalue of the structure tensor, the strongest
    # 50 above 10% of the best, at least 10 px apart. OpenCV returns (N, 1, 2)
    # points as (x, y).
    found = cv2.goodFeaturesToTrack(gray, 50, 0.1, 10)
    return found.reshape(-1, 2)


def match(desc_a, desc_b, ratio=0.75):
    # Brute force with the Hamming norm, two nearest neighbours each; keep a
    # match only when it is clearly better than the runner-up (Lowe's ratio test).
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(desc_a, desc_b, k=2)
    kept = [(m.queryIdx, m.trainIdx) for m, *rest in pairs if rest and m.distance < ratio * rest[0].distance]
    return np.array(sorted(kept), dtype=np.int64).reshape(-1, 2)


def warp_outline(h, width, height):
    # The object's corners in order around it, mapped through the homography:
    # cv2.perspectiveTransform divides by the third coordinate for us.
    outline = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float64)
    return cv2.perspectiveTransform(outline.reshape(-1, 1, 2), np.asarray(h, np.float64)).reshape(-1, 2)


# --- corners


def corners__scikit_image_harris_swapped(gray):
    from skimage.feature import corner_harris, corner_peaks
    return corner_peaks(corner_harris(gray), min_distance=5, threshold_rel=0.05)[:, ::-1].astype(float)


def corners__opencv_harris(gray):
    import cv2
    return cv2.goodFeaturesToTrack(gray, 50, 0.1, 10, useHarrisDetector=True, k=0.04).reshape(-1, 2)


def corners__row_col_from_scikit_image(gray):
    from skimage.feature import corner_harris, corner_peaks
    return corner_peaks(corner_harris(gray), min_distance=5, threshold_rel=0.05).astype(float)


def corners__quality_too_low(gray):
    import cv2
    return cv2.goodFeaturesToTrack(gray, 50, 0.01, 10).reshape(-1, 2)


def corners__opencv_layout_kept_and_flattened(gray):
    import cv2
    return cv2.goodFeaturesToTrack(gray, 50, 0.1, 10).ravel()


# --- hamming


def hamming__opencv_norm_pair_by_pair(a, b):
    import cv2
    import numpy as np
    return np.array([[cv2.norm(x, y, cv2.NORM_HAMMING) for y in b] for x in a])


def hamming__bit_count_table(a, b):
    import numpy as np
    ones = np.array([bin(v).count('1') for v in range(256)])
    return ones[a[:, None, :] ^ b[None, :, :]].sum(axis=2)


def hamming__l2_norm_of_bytes(a, b):
    import numpy as np
    return np.sqrt(((a[:, None, :].astype(float) - b[None, :, :]) ** 2).sum(axis=2))


def hamming__bytes_that_differ(a, b):
    return (a[:, None, :] != b[None, :, :]).sum(axis=2)


# --- match


def match__numpy_two_nearest(desc_a, desc_b, ratio=0.75):
    import numpy as np
    d = np.unpackbits(desc_a[:, None, :] ^ desc_b[None, :, :], axis=2).sum(axis=2)
    two = np.sort(d, axis=1)[:, :2]
    keep = two[:, 0] < ratio * two[:, 1]
    return np.stack([np.nonzero(keep)[0], d.argmin(axis=1)[keep]], axis=1)


def match__no_ratio_test(desc_a, desc_b, ratio=0.75):
    import cv2
    import numpy as np
    found = cv2.BFMatcher(cv2.NORM_HAMMING).match(desc_a, desc_b)
    return np.array(sorted(((m.queryIdx, m.trainIdx) for m in found)))


def match__l2_norm_matcher(desc_a, desc_b, ratio=0.75):
    import cv2
    import numpy as np
    pairs = cv2.BFMatcher().knnMatch(desc_a, desc_b, k=2)
    return np.array(sorted(((m.queryIdx, m.trainIdx) for m, n in pairs if m.distance < ratio * n.distance)))


def match__ratio_fixed_at_075(desc_a, desc_b, ratio=0.75):
    import cv2
    import numpy as np
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(desc_a, desc_b, k=2)
    return np.array(sorted(((m.queryIdx, m.trainIdx) for m, n in pairs if m.distance < 0.75 * n.distance)))


# --- warp_outline


def warp_outline__numpy_homogeneous(h, width, height):
    import numpy as np
    corners = np.array([[0, 0, 1], [width - 1, 0, 1], [width - 1, height - 1, 1], [0, height - 1, 1]], float)
    mapped = corners @ np.asarray(h).T
    return mapped[:, :2] / mapped[:, 2:]


def warp_outline__opencv_layout_kept(h, width, height):
    import cv2
    import numpy as np
    corners = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), np.float32(h))


def warp_outline__no_perspective_divide(h, width, height):
    import numpy as np
    corners = np.array([[0, 0, 1], [width - 1, 0, 1], [width - 1, height - 1, 1], [0, height - 1, 1]], float)
    return (corners @ np.asarray(h).T)[:, :2]


def warp_outline__row_col_corners(h, width, height):
    import cv2
    import numpy as np
    corners = np.float64([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), h).reshape(-1, 2)[:, ::-1]


def warp_outline__corners_one_past_the_end(h, width, height):
    import cv2
    import numpy as np
    corners = np.float64([[0, 0], [width, 0], [width, height], [0, height]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), h).reshape(-1, 2)


# --- locate


def locate__sift_and_l2(obj, scene):
    import cv2
    import numpy as np
    sift = cv2.SIFT_create()
    k1, d1 = sift.detectAndCompute(obj, None)
    k2, d2 = sift.detectAndCompute(scene, None)
    good = [m for m, n in cv2.BFMatcher(cv2.NORM_L2).knnMatch(d1, d2, k=2) if m.distance < 0.75 * n.distance]
    h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in good]), np.float32([k2[m.trainIdx].pt for m in good]), cv2.RANSAC, 5.0)
    return warp_outline(h, obj.shape[1], obj.shape[0])


def locate__cross_checked_matches_and_usac(obj, scene):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    found = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(d1, d2)
    h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in found]), np.float32([k2[m.trainIdx].pt for m in found]), cv2.USAC_MAGSAC, 5.0)
    corners = np.float32([[0, 0], [obj.shape[1] - 1, 0], [obj.shape[1] - 1, obj.shape[0] - 1], [0, obj.shape[0] - 1]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), h)


def locate__least_squares_without_ransac(obj, scene):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    pairs = match(d1, d2)
    h, _ = cv2.findHomography(np.float32([k1[i].pt for i, _ in pairs]), np.float32([k2[j].pt for _, j in pairs]), 0)
    return warp_outline(h, obj.shape[1], obj.shape[0])


def locate__outline_as_row_col(obj, scene):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    pairs = match(d1, d2)
    h, _ = cv2.findHomography(np.float32([k1[i].pt for i, _ in pairs]), np.float32([k2[j].pt for _, j in pairs]), cv2.RANSAC, 5.0)
    return warp_outline(h, obj.shape[1], obj.shape[0])[:, ::-1]


def locate__homography_the_wrong_way(obj, scene):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    pairs = match(d1, d2)
    h, _ = cv2.findHomography(np.float32([k2[j].pt for _, j in pairs]), np.float32([k1[i].pt for i, _ in pairs]), cv2.RANSAC, 5.0)
    return warp_outline(h, obj.shape[1], obj.shape[0])


# --- find_scroll


def find_scroll__sift_everywhere(obj, scenes):
    import cv2
    import numpy as np
    sift = cv2.SIFT_create()
    k1, d1 = sift.detectAndCompute(obj, None)
    out = []
    for scene in scenes:
        k2, d2 = sift.detectAndCompute(scene, None)
        good = [m for m, n in cv2.BFMatcher(cv2.NORM_L2).knnMatch(d1, d2, k=2) if m.distance < 0.75 * n.distance]
        h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in good]), np.float32([k2[m.trainIdx].pt for m in good]), cv2.RANSAC, 3.0)
        out.append(warp_outline(h, obj.shape[1], obj.shape[0]))
    return out


def find_scroll__task_pipeline_with_l2(obj, scenes):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    out = []
    for scene in scenes:
        k2, d2 = orb.detectAndCompute(scene, None)
        good = [m for m, n in cv2.BFMatcher().knnMatch(d1, d2, k=2) if m.distance < 0.75 * n.distance]
        if len(good) < 4:
            out.append(None)
            continue
        h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in good]), np.float32([k2[m.trainIdx].pt for m in good]), cv2.RANSAC, 5.0)
        out.append(None if h is None else warp_outline(h, obj.shape[1], obj.shape[0]))
    return out


def match__scikit_image_match_descriptors(desc_a, desc_b, ratio=0.75):
    import numpy as np
    from skimage.feature import match_descriptors
    bits_a, bits_b = np.unpackbits(desc_a, axis=1).astype(bool), np.unpackbits(desc_b, axis=1).astype(bool)
    pairs = match_descriptors(bits_a, bits_b, metric="hamming", cross_check=False, max_ratio=ratio)
    return np.array(sorted(map(tuple, pairs)), dtype=np.int64).reshape(-1, 2)
