"""Day 11 - Train your own AI: classify pictures (Tanjiro picks the demons out of a crowd): reference solutions."""
import cv2
import numpy as np
from skimage.feature import hog
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def colour_histogram(image, bins):
    # A bins x bins x bins histogram over (B, G, R), flattened, as shares of the pixels.
    hist = cv2.calcHist([image], [0, 1, 2], None, [bins] * 3, [0, 256] * 3).ravel()
    return hist / hist.sum()


def hog_features(image):
    # HOG of the colour picture: channel_axis says the last axis holds colours,
    # so each pixel's gradient is taken from its strongest channel.
    return hog(image, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), channel_axis=-1)


def scale(train_x, test_x):
    # Learn the mean and spread from the training set only, then apply the same
    # transformation to both: the test set must stay unseen.
    scaler = StandardScaler().fit(train_x)
    return scaler.transform(train_x), scaler.transform(test_x)


def knn_predict(train_x, train_y, test_x, k=5):
    train_s, test_s = scale(train_x, test_x)
    return KNeighborsClassifier(n_neighbors=k).fit(train_s, train_y).predict(test_s)


def confusion(y_true, y_pred, n_classes):
    # Row: the true class; column: the predicted one. np.add.at counts repeats.
    matrix = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


def holdout_accuracy(x, y, seed):
    # Split once (seeded, stratified), learn on one part, score on the other.
    train_x, test_x, train_y, test_y = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
    predicted = knn_predict(train_x, train_y, test_x, k=5)
    return float(np.mean(predicted == test_y))


def _gradient_cells(stack, cell=8, bins=9):
    # HOG without its block normalisation, for a whole stack at once: each
    # pixel's strongest-channel gradient votes for its orientation bin in its
    # 8 x 8 cell; each cell's histogram is then scaled to unit length.
    g = np.moveaxis(stack, -1, 0).astype(np.float32)  # one plane per channel: (3, n, h, w)
    gx, gy = np.zeros_like(g), np.zeros_like(g)
    gx[..., 1:-1] = g[..., 2:] - g[..., :-2]
    gy[..., 1:-1, :] = g[..., 2:, :] - g[..., :-2, :]
    sq = gx * gx + gy * gy
    strongest, sx, sy = sq[0], gx[0], gy[0]
    for c in range(1, len(g)):  # the strongest channel, the first of equals (as argmax takes it)
        stronger = sq[c] > strongest
        strongest = np.where(stronger, sq[c], strongest)
        sx, sy = np.where(stronger, gx[c], sx), np.where(stronger, gy[c], sy)
    gx, gy, mag = sx, sy, np.sqrt(strongest)
    angle = np.rad2deg(np.arctan2(gy, gx)) % 180
    votes = np.minimum((angle / (180 / bins)).astype(np.int64), bins - 1)
    n, h, w = mag.shape
    cells = (np.arange(h) // cell)[:, None] * (w // cell) + (np.arange(w) // cell)[None, :]
    per_picture = (h // cell) * (w // cell)
    index = (np.arange(n)[:, None, None] * per_picture + cells[None]) * bins + votes
    hist = np.bincount(index.ravel(), mag.ravel(), n * per_picture * bins).reshape(n, -1, bins)
    hist /= np.linalg.norm(hist, axis=2, keepdims=True) + 1e-6
    return hist.reshape(n, -1)


def _colour_shares(stack, bins=4):
    q = (stack // (256 // bins)).astype(np.int64)
    index = (q[..., 0] * bins + q[..., 1]) * bins + q[..., 2]
    return np.stack([np.bincount(i.ravel(), minlength=bins ** 3) for i in index]) / index[0].size


def classify_crowd(train_images, train_y, test_images):
    # Shape (gradient histograms) and colour, standardised on the training set,
    # then a support vector machine with an RBF kernel.
    def describe(stack):
        return np.hstack([_colour_shares(stack), _gradient_cells(stack)])

    train_s, test_s = scale(describe(train_images), describe(test_images))
    return SVC().fit(train_s, train_y).predict(test_s)
