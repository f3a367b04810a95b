"""Day 10 controls: corner, descriptor, matching and homography mistakes, and correct answers written with
scikit-image, plain NumPy or SIFT."""
from tests.controls import correct, wrong

# --- corners


@wrong("corners", expect='Your corners are (row, col) pairs where (x, y) was asked for, as')
def row_col_from_scikit_image(gray):
    from skimage.feature import corner_harris, corner_peaks
    return corner_peaks(corner_harris(gray), min_distance=5, threshold_rel=0.05).astype(float)


@wrong("corners", expect='With a quality level of 0.01 every little step along a slanted edge')
def quality_too_low(gray):
    import cv2
    return cv2.goodFeaturesToTrack(gray, 50, 0.01, 10).reshape(-1, 2)


@wrong("corners", expect='Your corners were flattened into one list of numbers')
def opencv_layout_kept_and_flattened(gray):
    import cv2
    return cv2.goodFeaturesToTrack(gray, 50, 0.1, 10).ravel()


@correct("corners")
def scikit_image_harris_swapped(gray):
    from skimage.feature import corner_harris, corner_peaks
    return corner_peaks(corner_harris(gray), min_distance=5, threshold_rel=0.05)[:, ::-1].astype(float)


@correct("corners")
def opencv_harris(gray):
    import cv2
    return cv2.goodFeaturesToTrack(gray, 50, 0.1, 10, useHarrisDetector=True, k=0.04).reshape(-1, 2)


# --- hamming


@wrong("hamming", expect='You measured the Euclidean (L2) distance between the bytes, which')
def l2_norm_of_bytes(a, b):
    import numpy as np
    return np.sqrt(((a[:, None, :].astype(float) - b[None, :, :]) ** 2).sum(axis=2))


@wrong("hamming", expect='You counted the bytes that differ, not the bits:')
def bytes_that_differ(a, b):
    return (a[:, None, :] != b[None, :, :]).sum(axis=2)


@correct("hamming")
def opencv_norm_pair_by_pair(a, b):
    import cv2
    import numpy as np
    return np.array([[cv2.norm(x, y, cv2.NORM_HAMMING) for y in b] for x in a])


@correct("hamming")
def bit_count_table(a, b):
    import numpy as np
    ones = np.array([bin(v).count("1") for v in range(256)])
    return ones[a[:, None, :] ^ b[None, :, :]].sum(axis=2)


# --- match


@wrong("match", expect='You kept every nearest match')
def no_ratio_test(desc_a, desc_b, ratio=0.75):
    import cv2
    import numpy as np
    found = cv2.BFMatcher(cv2.NORM_HAMMING).match(desc_a, desc_b)
    return np.array(sorted((m.queryIdx, m.trainIdx) for m in found))


@wrong("match", expect='Your matcher compared binary descriptors with the L2 norm')
def l2_norm_matcher(desc_a, desc_b, ratio=0.75):
    import cv2
    import numpy as np
    pairs = cv2.BFMatcher().knnMatch(desc_a, desc_b, k=2)
    return np.array(sorted((m.queryIdx, m.trainIdx) for m, n in pairs if m.distance < ratio * n.distance))


@wrong("match", expect='You used the ratio 0.75 whatever the `ratio` argument says (F1 of the')
def ratio_fixed_at_075(desc_a, desc_b, ratio=0.75):
    import cv2
    import numpy as np
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(desc_a, desc_b, k=2)
    return np.array(sorted((m.queryIdx, m.trainIdx) for m, n in pairs if m.distance < 0.75 * n.distance))


@correct("match")
def numpy_two_nearest(desc_a, desc_b, ratio=0.75):
    import numpy as np
    d = np.unpackbits(desc_a[:, None, :] ^ desc_b[None, :, :], axis=2).sum(axis=2)
    two = np.sort(d, axis=1)[:, :2]
    keep = two[:, 0] < ratio * two[:, 1]
    return np.stack([np.nonzero(keep)[0], d.argmin(axis=1)[keep]], axis=1)


# --- warp_outline


@wrong("warp_outline", expect='You multiplied by the homography but did not divide by the third')
def no_perspective_divide(h, width, height):
    import numpy as np
    corners = np.array([[0, 0, 1], [width - 1, 0, 1], [width - 1, height - 1, 1], [0, height - 1, 1]], float)
    return (corners @ np.asarray(h).T)[:, :2]


@wrong("warp_outline", expect='Your corners are (row, col) pairs where (x, y) was asked for')
def row_col_corners(h, width, height):
    import cv2
    import numpy as np
    corners = np.float64([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), h).reshape(-1, 2)[:, ::-1]


@wrong("warp_outline", expect='Your corners sit one pixel past the object (width, height) instead of')
def corners_one_past_the_end(h, width, height):
    import cv2
    import numpy as np
    corners = np.float64([[0, 0], [width, 0], [width, height], [0, height]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), h).reshape(-1, 2)


@correct("warp_outline")
def numpy_homogeneous(h, width, height):
    import numpy as np
    corners = np.array([[0, 0, 1], [width - 1, 0, 1], [width - 1, height - 1, 1], [0, height - 1, 1]], float)
    mapped = corners @ np.asarray(h).T
    return mapped[:, :2] / mapped[:, 2:]


@correct("warp_outline")
def opencv_layout_kept(h, width, height):
    import cv2
    import numpy as np
    corners = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), np.float32(h))


# --- locate


@wrong("locate", expect='Your homography was fitted by least squares on every match (method')
def least_squares_without_ransac(obj, scene):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    pairs = match(d1, d2)
    h, _ = cv2.findHomography(np.float32([k1[i].pt for i, _ in pairs]), np.float32([k2[j].pt for _, j in pairs]), 0)
    return warp_outline(h, obj.shape[1], obj.shape[0])


@wrong("locate", expect="Your outline's corners are (row, col) where (x, y) was asked for")
def outline_as_row_col(obj, scene):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    pairs = match(d1, d2)
    h, _ = cv2.findHomography(np.float32([k1[i].pt for i, _ in pairs]), np.float32([k2[j].pt for _, j in pairs]),
                              cv2.RANSAC, 5.0)
    return warp_outline(h, obj.shape[1], obj.shape[0])[:, ::-1]


@wrong("locate", expect='Your homography maps the scene onto the object (src and dst swapped),')
def homography_the_wrong_way(obj, scene):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    pairs = match(d1, d2)
    h, _ = cv2.findHomography(np.float32([k2[j].pt for _, j in pairs]), np.float32([k1[i].pt for i, _ in pairs]),
                              cv2.RANSAC, 5.0)
    return warp_outline(h, obj.shape[1], obj.shape[0])


@correct("locate")
def sift_and_l2(obj, scene):
    import cv2
    import numpy as np
    sift = cv2.SIFT_create()
    k1, d1 = sift.detectAndCompute(obj, None)
    k2, d2 = sift.detectAndCompute(scene, None)
    good = [m for m, n in cv2.BFMatcher(cv2.NORM_L2).knnMatch(d1, d2, k=2) if m.distance < 0.75 * n.distance]
    h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in good]),
                              np.float32([k2[m.trainIdx].pt for m in good]), cv2.RANSAC, 5.0)
    return warp_outline(h, obj.shape[1], obj.shape[0])


@correct("locate")
def cross_checked_matches_and_usac(obj, scene):
    import cv2
    import numpy as np
    orb = cv2.ORB_create(nfeatures=500)
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    found = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(d1, d2)
    h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in found]),
                              np.float32([k2[m.trainIdx].pt for m in found]), cv2.USAC_MAGSAC, 5.0)
    corners = np.float32([[0, 0], [obj.shape[1] - 1, 0], [obj.shape[1] - 1, obj.shape[0] - 1], [0, obj.shape[0] - 1]])
    return cv2.perspectiveTransform(corners.reshape(-1, 1, 2), h)


# --- find_scroll


@wrong("find_scroll", expect="mean IoU")
def the_whole_scene(obj, scenes):
    import numpy as np
    h, w = scenes.shape[1:]
    return [np.float64([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]) for _ in scenes]


@wrong("find_scroll", expect="no tier yet")
def task_pipeline_with_l2(obj, scenes):
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
        h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in good]),
                                  np.float32([k2[m.trainIdx].pt for m in good]), cv2.RANSAC, 5.0)
        out.append(None if h is None else warp_outline(h, obj.shape[1], obj.shape[0]))
    return out


@correct("find_scroll")
def sift_everywhere(obj, scenes):
    import cv2
    import numpy as np
    sift = cv2.SIFT_create()
    k1, d1 = sift.detectAndCompute(obj, None)
    out = []
    for scene in scenes:
        k2, d2 = sift.detectAndCompute(scene, None)
        good = [m for m, n in cv2.BFMatcher(cv2.NORM_L2).knnMatch(d1, d2, k=2) if m.distance < 0.75 * n.distance]
        h, _ = cv2.findHomography(np.float32([k1[m.queryIdx].pt for m in good]),
                                  np.float32([k2[m.trainIdx].pt for m in good]), cv2.RANSAC, 3.0)
        out.append(warp_outline(h, obj.shape[1], obj.shape[0]))
    return out
