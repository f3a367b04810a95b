"""Day 11 inputs: faces in a crowd, drawn here (Tanjiro picks the demons out of a crowd).

Each sample is a 32 x 32 BGR picture of one face on a noisy ground, drawn by
:func:`face` from a seed, so every label is true by construction:

* 0, a villager: a skin-coloured round face, dark eyes;
* 1, a demon: a pale, often violet face, two horns, red eyes;
* 2, Nezuko: a skin-coloured face with a bamboo muzzle across it, pink eyes.

Colours overlap on purpose (some demons are skin-coloured, some grounds are
reddish), so colour alone is not enough and neither is shape alone: the
features of the day work best together. The challenge's crowd is harder:
smaller or larger faces, off centre, noisier, partly hidden behind the next
person's shoulder.
"""
from __future__ import annotations

import cv2
import numpy as np

from grader.course.pictures import picture

SIDE = 32
CLASSES = ("villager", "demon", "nezuko")
TRAIN, TEST, FEATURES_SEED = 240, 120, 110
CHALLENGE_TRAIN, CHALLENGE_TEST = 240, 120


def face(label: int, rng: np.random.Generator, *, hard: bool = False) -> np.ndarray:
    """One face of class ``label`` on a noisy ground (BGR uint8, 32 x 32)."""
    img = np.zeros((SIDE, SIDE, 3), np.float64)
    img[:] = rng.uniform(20, 140, 3)
    cx = 16 + rng.integers(-5, 6) if hard else 16 + rng.integers(-2, 3)
    cy = 18 + rng.integers(-4, 5) if hard else 18 + rng.integers(-2, 3)
    r = int(rng.integers(6, 11)) if hard else int(rng.integers(7, 10))
    skin = np.array([120, 160, 215]) + rng.normal(0, 18, 3)
    pale = np.array([205, 150, 195]) + rng.normal(0, 25, 3)
    colour = pale if label == 1 and rng.random() < 0.75 else skin
    if label == 1:  # horns first, so the face covers their bases
        for side in (-1, 1):
            base = (cx + side * r // 2, cy - r + 2)
            tip = (cx + side * (r // 2 + 2), cy - r - 6)
            pts = np.array([(base[0] - 3, base[1]), (base[0] + 3, base[1]), tip], np.int32)
            cv2.fillPoly(img, [pts], (235, 235, 240))
    cv2.circle(img, (int(cx), int(cy)), r, colour.tolist(), -1)
    eye = {0: (30, 30, 40), 1: (40, 30, 230), 2: (190, 110, 240)}[label]
    for side in (-1, 1):
        cv2.circle(img, (int(cx + side * r // 3), int(cy - r // 4)), 1, eye, -1)
    if label == 2:  # the bamboo muzzle
        cv2.rectangle(img, (int(cx - r), int(cy + r // 4)), (int(cx + r), int(cy + r // 4 + 3)), (70, 165, 95), -1)
    if hard and rng.random() < 0.3:  # the next person's shoulder
        x0 = int(rng.integers(0, SIDE))
        cv2.ellipse(img, (x0, SIDE + 4), (14, 12), 0, 180, 360, rng.uniform(20, 140, 3).tolist(), -1)
    img += rng.normal(0, 16 if hard else 9, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def crowd(n: int, seed: int, *, hard: bool = False) -> tuple:
    """``n`` faces (a stack (n, 32, 32, 3)) and their labels, classes balanced and shuffled."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % len(CLASSES)
    rng.shuffle(labels)
    return np.stack([face(int(k), rng, hard=hard) for k in labels]), labels.astype(np.int64)


def features(images: np.ndarray) -> np.ndarray:
    """The day's features of each picture: a 4 x 4 x 4 colour histogram (shares) and HOG (324 numbers)."""
    from skimage.feature import hog

    rows = []
    for img in images:
        hist = cv2.calcHist([img], [0, 1, 2], None, [4, 4, 4], [0, 256, 0, 256, 0, 256]).ravel()
        rows.append(np.concatenate([hist / hist.sum(), hog(img, orientations=9, pixels_per_cell=(8, 8),
                                                            cells_per_block=(2, 2), channel_axis=-1)]))
    return np.array(rows)


def _train():
    return crowd(TRAIN, 111)


def _test():
    return crowd(TEST, 112)


ORIGIN = "drawn by pixelkata: {what} (faces of villagers, demons and Nezuko, 32 x 32 BGR; fixed seed {seed})"
picture("day11/train-features.npy", origin=f"the features (colour histogram 4x4x4 and HOG) of {TRAIN} training "
                                           "faces drawn with seed 111, an array (240, 388) float64")(
    lambda: features(_train()[0]))
picture("day11/train-labels.npy", origin="the true classes of the 240 training faces (0 villager, 1 demon, "
                                         "2 Nezuko), int64")(lambda: _train()[1])
picture("day11/test-features.npy", origin=f"the features of {TEST} held-out faces drawn with seed 112, an "
                                          "array (120, 388) float64")(lambda: features(_test()[0]))
picture("day11/test-labels.npy", origin="the true classes of the 120 held-out faces: kept by the grader, never "
                                        "passed to the learner's code, int64")(lambda: _test()[1])
def _nearest_one(train_x, train_y, test_x):
    d = ((test_x[:, None, :] - train_x[None, :, :]) ** 2).sum(axis=2)
    return train_y[d.argmin(axis=1)]


picture("day11/test-predictions.npy", origin="the predictions of a 1-nearest-neighbour classifier on unscaled "
                                              "features for the 120 held-out faces (made here), int64")(
    lambda: _nearest_one(features(_train()[0]), _train()[1], features(_test()[0])))
picture("day11/all-features.npy", origin="the training and held-out features together, (360, 388) float64")(
    lambda: np.concatenate([features(_train()[0]), features(_test()[0])]))
picture("day11/all-labels.npy", origin="the classes of day11/all-features.npy, int64")(
    lambda: np.concatenate([_train()[1], _test()[1]]))
picture("day11/crowd-train.npy", origin=ORIGIN.format(what=f"{CHALLENGE_TRAIN} harder training faces, a stack "
                                                          "(240, 32, 32, 3)", seed=114))(
    lambda: crowd(CHALLENGE_TRAIN, 114, hard=True)[0])
picture("day11/crowd-train-labels.npy", origin="the true classes of day11/crowd-train.npy, int64")(
    lambda: crowd(CHALLENGE_TRAIN, 114, hard=True)[1])
picture("day11/crowd-test.npy", origin=ORIGIN.format(what=f"{CHALLENGE_TEST} harder held-out faces, a stack "
                                                         "(120, 32, 32, 3)", seed=115))(
    lambda: crowd(CHALLENGE_TEST, 115, hard=True)[0])
picture("day11/crowd-test-labels.npy", origin="the true classes of day11/crowd-test.npy: kept by the grader, "
                                              "never passed to the learner's code, int64")(
    lambda: crowd(CHALLENGE_TEST, 115, hard=True)[1])
# A few at a time: faces 1, 2 and 3 of the held-out crowd (a Nezuko, a villager and a demon), the first of each
# kind that the reference and the alternative both classify right in the crowd (face 0, a villager, is one they
# miss). A classifier whose answer for a face does not depend on the other faces of its batch gives them here the
# labels it gave them there; a scaler fitted on the batch it is given learns its statistics from three faces.
FEW = [1, 2, 3]
picture("day11/crowd-few.npy", origin=ORIGIN.format(what="three of the harder held-out faces (1, 2 and 3 of "
                                                        "day11/crowd-test.npy), a stack (3, 32, 32, 3)", seed=115))(
    lambda: crowd(CHALLENGE_TEST, 115, hard=True)[0][FEW])
picture("day11/crowd-few-labels.npy", origin="the true classes of day11/crowd-few.npy: kept by the grader, never "
                                             "passed to the learner's code, int64")(
    lambda: crowd(CHALLENGE_TEST, 115, hard=True)[1][FEW])
picture("day11/demon.png", origin=ORIGIN.format(what="one demon's face, 32 x 32", seed=116))(
    lambda: face(1, np.random.default_rng(116)))
picture("day11/nezuko.png", origin=ORIGIN.format(what="Nezuko's face, 32 x 32", seed=117))(
    lambda: face(2, np.random.default_rng(117)))
