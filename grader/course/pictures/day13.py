"""Day 13 inputs: scikit-learn's bundled 8 x 8 digits, and a tiny CNN trained on them here.

The digits (``sklearn.datasets.load_digits``, 1797 pictures of 8 x 8 with
values 0..16; a copy of the UCI "Optical Recognition of Handwritten Digits"
test set, which scikit-learn ships) are split once with a fixed seed: 1200
for training, 597 held out. The held-out labels are kept by the grader.

The tiny CNN: one convolution layer of 6 filters 3 x 3 (a cross-correlation,
as in every deep-learning library) with biases, ReLU, 2 x 2 max pooling, a
dense layer 54 -> 10 with biases, softmax. :func:`train_tiny_cnn` trains it
here, in NumPy, from a fixed seed (He initialisation, Adam, 20 epochs of
minibatches of 32 on the 1200 training digits scaled to 0..1), so the
weights are ours, rebuilt by ``pixelkata references build``, and nothing is
downloaded.
"""
from __future__ import annotations

import numpy as np

from grader.course.pictures import picture

DIGITS_LICENCE = ("CC BY 4.0 (UCI Machine Learning Repository, Optical Recognition of Handwritten Digits, "
                  "Alpaydin and Kaynak 1998), as bundled with scikit-learn")
SPLIT_SEED, TRAIN = 13, 1200
FILTERS, K = 6, 3
TRAIN_SEED, EPOCHS, BATCH, LEARNING_RATE = 130, 20, 32, 0.01


def digits() -> tuple:
    """(images (1797, 8, 8) uint8 0..16, labels (1797,) int64) in a fixed shuffled order."""
    from sklearn.datasets import load_digits

    data = load_digits()
    order = np.random.default_rng(SPLIT_SEED).permutation(len(data.target))
    return data.images[order].astype(np.uint8), data.target[order].astype(np.int64)


def split() -> tuple:
    images, labels = digits()
    return images[:TRAIN], labels[:TRAIN], images[TRAIN:], labels[TRAIN:]


# --- the tiny CNN, forward and backward by hand ------------------------------------------


def _patches(x: np.ndarray) -> np.ndarray:
    """Every 3 x 3 window of each picture: (N, 6, 6, 9)."""
    n, h, w = x.shape
    return np.stack([x[:, i:i + h - K + 1, j:j + w - K + 1] for i in range(K) for j in range(K)], axis=-1)


def forward(x, conv_w, conv_b, dense_w, dense_b, keep=False):
    cols = _patches(x)  # (N, 6, 6, 9)
    z = np.einsum("nhwk,fk->nfhw", cols, conv_w.reshape(FILTERS, -1)) + conv_b[None, :, None, None]
    a = np.maximum(z, 0)
    n, f, h, w = a.shape
    blocks = a.reshape(n, f, h // 2, 2, w // 2, 2)
    p = blocks.max(axis=(3, 5))  # (N, 6, 3, 3)
    flat = p.reshape(n, -1)
    logits = flat @ dense_w + dense_b
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    return (probs, (cols, z, blocks, p, flat)) if keep else probs


def train_tiny_cnn() -> dict:
    train_x, train_y, _, _ = split()
    x = train_x.astype(np.float64) / 16.0
    rng = np.random.default_rng(TRAIN_SEED)
    params = {
        "conv_w": rng.normal(0, np.sqrt(2 / (K * K)), (FILTERS, K, K)),
        "conv_b": np.zeros(FILTERS),
        "dense_w": rng.normal(0, np.sqrt(2 / (FILTERS * 9)), (FILTERS * 9, 10)),
        "dense_b": np.zeros(10),
    }
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    for _ in range(EPOCHS):
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start:start + BATCH]
            xb, yb = x[idx], train_y[idx]
            probs, (cols, z, blocks, p, flat) = forward(xb, **params, keep=True)
            n = len(idx)
            d_logits = probs.copy()
            d_logits[np.arange(n), yb] -= 1
            d_logits /= n
            grads = {"dense_w": flat.T @ d_logits, "dense_b": d_logits.sum(0)}
            d_p = (d_logits @ params["dense_w"].T).reshape(p.shape)
            # Max pooling passes the gradient to the winner of each 2 x 2 block (ties: all of them share it).
            winners = blocks == p[:, :, :, None, :, None]
            d_a = (winners * d_p[:, :, :, None, :, None]).reshape(z.shape)
            d_z = d_a * (z > 0)
            grads["conv_w"] = np.einsum("nfhw,nhwk->fk", d_z, cols).reshape(FILTERS, K, K)
            grads["conv_b"] = d_z.sum(axis=(0, 2, 3))
            step += 1
            for key, g in grads.items():  # Adam
                m[key] = 0.9 * m[key] + 0.1 * g
                v[key] = 0.999 * v[key] + 0.001 * g * g
                m_hat, v_hat = m[key] / (1 - 0.9 ** step), v[key] / (1 - 0.999 ** step)
                params[key] -= LEARNING_RATE * m_hat / (np.sqrt(v_hat) + 1e-8)
    return params


_CACHE: dict = {}


def tiny_cnn() -> dict:
    if not _CACHE:
        _CACHE.update(train_tiny_cnn())
    return _CACHE


_CNN_ORIGIN = ("the tiny CNN's {what}, trained here by grader/course/pictures/day13.py (NumPy, seed 130, Adam, "
               "20 epochs on the 1200 training digits scaled to 0..1); {shape} float64")
picture("day13/cnn-conv-w.npy", origin=_CNN_ORIGIN.format(what="convolution kernels", shape="(6, 3, 3)"),
        licence=DIGITS_LICENCE)(lambda: tiny_cnn()["conv_w"])
picture("day13/cnn-conv-b.npy", origin=_CNN_ORIGIN.format(what="convolution biases", shape="(6,)"),
        licence=DIGITS_LICENCE)(lambda: tiny_cnn()["conv_b"])
picture("day13/cnn-dense-w.npy", origin=_CNN_ORIGIN.format(what="dense weights", shape="(54, 10)"),
        licence=DIGITS_LICENCE)(lambda: tiny_cnn()["dense_w"])
picture("day13/cnn-dense-b.npy", origin=_CNN_ORIGIN.format(what="dense biases", shape="(10,)"),
        licence=DIGITS_LICENCE)(lambda: tiny_cnn()["dense_b"])

_DIGITS = "sklearn.datasets.load_digits(), shuffled with seed 13: {what}"
picture("day13/train-digits.npy", origin=_DIGITS.format(what="the 1200 training digits, (1200, 8, 8) uint8 0..16"),
        licence=DIGITS_LICENCE)(lambda: split()[0])
picture("day13/train-labels.npy", origin=_DIGITS.format(what="the training digits' labels, int64"),
        licence=DIGITS_LICENCE)(lambda: split()[1])
picture("day13/test-digits.npy", origin=_DIGITS.format(what="the 597 held-out digits, (597, 8, 8) uint8 0..16"),
        licence=DIGITS_LICENCE)(lambda: split()[2])
picture("day13/test-labels.npy", origin=_DIGITS.format(what="the held-out digits' labels: kept by the grader, never "
                                                            "passed to the learner's code, int64"),
        licence=DIGITS_LICENCE)(lambda: split()[3])
picture("day13/mlp-train-digits.npy", origin=_DIGITS.format(what="the first 600 training digits, (600, 8, 8) uint8"),
        licence=DIGITS_LICENCE)(lambda: split()[0][:600])
picture("day13/mlp-train-labels.npy", origin=_DIGITS.format(what="the labels of the first 600 training digits"),
        licence=DIGITS_LICENCE)(lambda: split()[1][:600])
picture("day13/mlp-test-digits.npy", origin=_DIGITS.format(what="the first 300 held-out digits, (300, 8, 8) uint8"),
        licence=DIGITS_LICENCE)(lambda: split()[2][:300])
picture("day13/mlp-test-labels.npy", origin=_DIGITS.format(what="the labels of the first 300 held-out digits: kept "
                                                                "by the grader, int64"),
        licence=DIGITS_LICENCE)(lambda: split()[3][:300])
picture("day13/few-digits.npy", origin=_DIGITS.format(what="12 held-out digits scaled to 0..1, (12, 8, 8) float64"),
        licence=DIGITS_LICENCE)(lambda: split()[2][:12].astype(np.float64) / 16.0)
picture("day13/few-probs.npy", origin="the tiny CNN's probabilities for day13/few-digits.npy, (12, 10) float64",
        licence=DIGITS_LICENCE)(lambda: forward(split()[2][:12].astype(np.float64) / 16.0, **tiny_cnn()))
picture("day13/few-labels.npy", origin=_DIGITS.format(what="the labels of day13/few-digits.npy, int64"),
        licence=DIGITS_LICENCE)(lambda: split()[3][:12])


# --- small arrays for the hand-written layers -------------------------------------------------

picture("day13/kernel-asym.npy", origin="a 3 x 3 kernel that is not symmetric (a slanted derivative), float64")(
    lambda: np.array([[1.0, 2.0, 0.0], [0.0, 0.0, -1.0], [0.5, -2.0, -0.5]]))
picture("day13/kernel-5.npy", origin="a random 5 x 3 kernel (seed 131), float64")(
    lambda: np.random.default_rng(131).normal(0, 1, (5, 3)))
picture("day13/signal.npy", origin="a random 12 x 15 array (seed 132), float64")(
    lambda: np.random.default_rng(132).normal(0, 1, (12, 15)))
picture("day13/feature-maps.npy", origin="random feature maps (4 channels, 6 x 8, seed 133), float64")(
    lambda: np.random.default_rng(133).normal(0, 1, (4, 6, 8)))
picture("day13/odd-maps.npy", origin="random feature maps (3 channels, 7 x 5, seed 134), float64")(
    lambda: np.random.default_rng(134).normal(0, 1, (3, 7, 5)))
def _logits() -> np.ndarray:
    rows = np.random.default_rng(135).normal(0, 3, (5, 10))
    rows[4] += 720  # one sample's logits near 720: exp() overflows float64 there without the maximum subtracted
    return rows


picture("day13/logits.npy", origin="random logits (5 samples, 10 classes, seed 135), the last sample's raised by "
                                   "720, float64")(_logits)
picture("day13/big-logits.npy", origin="logits in the thousands (4 samples, 10 classes, seed 136), float64")(
    lambda: np.random.default_rng(136).normal(800, 300, (4, 10)))
