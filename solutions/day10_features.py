"""Day 10 - Features (Naruto, the feature detective): reference solutions."""
import cv2
import numpy as np


def corners(gray):
    # Shi-Tomasi: the smaller eigenvalue of the structure tensor, the strongest
    # 50 above 10% of the best, at least 10 px apart. OpenCV returns (N, 1, 2)
    # points as (x, y).
    found = cv2.goodFeaturesToTrack(gray, 50, 0.1, 10)
    return found.reshape(-1, 2)


def hamming(a, b):
    # XOR the bytes of every pair, then count the 1 bits: the Hamming distance.
    bits = np.unpackbits(a[:, None, :] ^ b[None, :, :], axis=2)
    return bits.sum(axis=2).astype(np.int64)


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


def _homography(obj, scene, orb, ratio):
    k1, d1 = orb.detectAndCompute(obj, None)
    k2, d2 = orb.detectAndCompute(scene, None)
    if d1 is None or d2 is None or len(d2) < 2:
        return None
    pairs = match(d1, d2, ratio)
    if len(pairs) < 4:
        return None
    src = np.float32([k1[i].pt for i, _ in pairs])
    dst = np.float32([k2[j].pt for _, j in pairs])
    # RANSAC: fit on 4 random matches, count who agrees within 5 px, keep the
    # best, refit on its inliers. Least squares on all matches would be pulled
    # off by every wrong match.
    h, _ = cv2.findHomography(src, dst, cv2.RANSAC, 5.0)
    return h


def locate(obj, scene):
    h = _homography(obj, scene, cv2.ORB_create(nfeatures=500), 0.75)
    height, width = obj.shape[:2]
    return None if h is None else warp_outline(h, width, height)


def find_scroll(obj, scenes):
    # More and smaller ORB features (a low FAST threshold, 15 px patches) keep
    # enough keypoints on a small or half-covered scroll; a looser ratio (0.8)
    # keeps more matches and RANSAC sorts them out.
    orb = cv2.ORB_create(nfeatures=2000, fastThreshold=5, edgeThreshold=15, patchSize=15)
    height, width = obj.shape[:2]
    outlines = []
    for scene in scenes:
        h = _homography(obj, scene, orb, 0.8)
        outlines.append(None if h is None else warp_outline(h, width, height))
    return outlines
