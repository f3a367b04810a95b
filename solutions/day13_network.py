"""Day 13 - Dive into deep learning: a first neural network (Goku unlocks the future): reference solutions."""
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC


def conv2d(image, kernel):
    # A true convolution flips the kernel (both axes), then slides it: out[i, j]
    # = sum over (u, v) of image[i + u, j + v] * flipped[u, v]. Only windows
    # that fit inside the picture ("valid").
    flipped = np.asarray(kernel, np.float64)[::-1, ::-1]
    kh, kw = flipped.shape
    h, w = image.shape
    out = np.zeros((h - kh + 1, w - kw + 1))
    for u in range(kh):
        for v in range(kw):
            out += flipped[u, v] * image[u:u + h - kh + 1, v:v + w - kw + 1]
    return out


def max_pool(maps):
    # Maps are (channels, height, width): split height and width into 2 x 2
    # blocks and keep each block's maximum, channel by channel. An odd last
    # row or column is dropped.
    c, h, w = maps.shape
    blocks = maps[:, :h // 2 * 2, :w // 2 * 2].reshape(c, h // 2, 2, w // 2, 2)
    return blocks.max(axis=(2, 4))


def softmax(logits):
    # Subtracting each row's maximum changes nothing mathematically and keeps
    # exp() from overflowing: the largest exponent becomes exp(0) = 1.
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def forward(images, conv_w, conv_b, dense_w, dense_b):
    n, h, w = images.shape
    f, kh, kw = conv_w.shape
    # The layer is a cross-correlation (kernels not flipped), as in every
    # deep-learning library: each filter slides as it is.
    maps = np.zeros((n, f, h - kh + 1, w - kw + 1))
    for u in range(kh):
        for v in range(kw):
            window = images[:, u:u + h - kh + 1, v:v + w - kw + 1]
            maps += conv_w[None, :, u, v, None, None] * window[:, None]
    maps = np.maximum(maps + conv_b[None, :, None, None], 0)  # ReLU
    pooled = np.stack([max_pool(m) for m in maps])  # (n, f, 3, 3)
    flat = pooled.reshape(n, -1)  # channel by channel, row by row
    return softmax(flat @ dense_w + dense_b)


def cross_entropy(probs, labels):
    # The mean over samples of -log(probability given to the true class).
    picked = probs[np.arange(len(labels)), labels]
    return float(-np.mean(np.log(np.clip(picked, 1e-12, None))))


def train_mlp(train_x, train_y, test_x):
    # Flatten each 8 x 8 digit into 64 inputs and scale 0..16 to 0..1.
    a = train_x.reshape(len(train_x), -1) / 16.0
    b = test_x.reshape(len(test_x), -1) / 16.0
    # 64 hidden units, Adam at a learning rate of 0.01, 60 passes over the
    # data: a fraction of a second, and more passes gain nothing on held-out
    # digits (scikit-learn warns that the loss still moves: it is expected).
    model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(a, train_y)
    return model.predict(b)


def classify_digits(train_x, train_y, test_x):
    # An RBF support vector machine on the scaled pixels: seconds to train,
    # a few mistakes in a few hundred.
    a = train_x.reshape(len(train_x), -1) / 16.0
    b = test_x.reshape(len(test_x), -1) / 16.0
    return SVC(C=10, gamma="scale").fit(a, train_y).predict(b)
