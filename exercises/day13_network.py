"""Day 13 - Dive into deep learning: a first neural network (Goku unlocks the future).

A convolutional network (CNN) is a stack of simple array operations. Today
you write them by hand in NumPy, run a small trained network, then train one
with scikit-learn.

* **Convolution.** ``out[i, j] = sum over u, v of image[i + u, j + v] * k[u, v]``
  with the kernel ``k`` **flipped** in both directions first
  (``kernel[::-1, ::-1]``): that is the mathematical convolution, as
  ``scipy.signal.convolve2d`` computes it. Without the flip it is a
  **cross-correlation**: that is what ``cv2.filter2D`` computes, and what
  deep-learning libraries call a "convolution" layer. For a symmetric kernel
  both agree; for a derivative they differ in sign or direction. "Valid"
  means only the windows that fit: the output is ``(H - kh + 1, W - kw + 1)``.
* **ReLU**: ``np.maximum(x, 0)``, applied element by element.
* **Max pooling 2 x 2**: each 2 x 2 block of each feature map becomes its
  largest value, halving height and width. Feature maps are stored
  ``(channels, height, width)``: pool over the last two axes, never across
  channels.
* **Softmax** turns a row of scores (logits) into probabilities:
  ``exp(z) / sum(exp(z))``. ``exp(1000)`` overflows to ``inf``; subtract the
  row's maximum first (the result is the same, and the largest exponent is 0).
* **Cross-entropy**: the mean over samples of ``-log(p[true class])``, the
  loss a classifier is trained to make small.
* The **tiny CNN** shipped here (trained by the course's own seeded code on
  scikit-learn's 8 x 8 digits): 6 filters 3 x 3 (cross-correlation) plus
  biases, ReLU, 2 x 2 max pooling, flatten, a dense layer to 10 classes plus
  biases, softmax. The class of a sample is the **argmax over its classes**
  (``axis=1`` for a ``(samples, classes)`` array).

Fill in each function, then run ``pixelkata grade 13``.
"""
import numpy as np  # noqa: F401  (you will need it)


def conv2d(image, kernel):
    """Return the valid 2-D **convolution** of ``image`` with ``kernel`` (the kernel flipped).

    - ``image``: float ``(H, W)``; ``kernel``: float ``(kh, kw)``;
    - return float64 ``(H - kh + 1, W - kw + 1)``, as
      ``scipy.signal.convolve2d(image, kernel, mode="valid")`` gives it.

    Example::

        >>> conv2d(np.arange(9.0).reshape(3, 3), np.array([[1.0, 0.0], [0.0, -1.0]])).tolist()
        [[4.0, 4.0], [4.0, 4.0]]
    """
    # TODO: flip the kernel, then sum kernel[u, v] * image[u:u + out_h, v:v + out_w] over u and v.
    raise NotImplementedError


def max_pool(maps):
    """Return the 2 x 2 max pooling of ``maps``, float ``(C, H, W)``, as ``(C, H // 2, W // 2)``.

    Each output value is the largest of a 2 x 2 block of one channel; an odd
    last row or column is dropped.

    Example::

        >>> max_pool(np.arange(16.0).reshape(1, 4, 4)).tolist()
        [[[5.0, 7.0], [13.0, 15.0]]]
    """
    # TODO: crop to even sizes, reshape to (C, H // 2, 2, W // 2, 2), max over axes 2 and 4.
    raise NotImplementedError


def softmax(logits):
    """Return the softmax of each row of ``logits``, float ``(N, K)``: probabilities that sum to 1 per row.

    Must hold for logits in the thousands (no ``inf``, no ``nan``).

    Example::

        >>> softmax(np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]])).round(3).tolist()
        [[0.25, 0.75], [0.5, 0.5]]
    """
    # TODO: subtract each row's maximum, exp, divide by the row's sum.
    raise NotImplementedError


def forward(images, conv_w, conv_b, dense_w, dense_b):
    """Return the tiny CNN's class probabilities for ``images``.

    - ``images``: float ``(N, 8, 8)`` in 0..1; ``conv_w``: ``(6, 3, 3)``,
      ``conv_b``: ``(6,)``; ``dense_w``: ``(54, 10)``, ``dense_b``: ``(10,)``;
    - feature map ``f`` of sample ``n``: the valid **cross-correlation** of
      ``images[n]`` with ``conv_w[f]`` (no flip), plus ``conv_b[f]``: ``(N, 6, 6, 6)``;
    - ReLU, then :func:`max_pool` of each sample's maps: ``(N, 6, 3, 3)``;
    - flatten each sample in that order (channel, then row, then column):
      ``(N, 54)``; times ``dense_w`` plus ``dense_b``: logits ``(N, 10)``;
    - return :func:`softmax` of the logits, float ``(N, 10)``.
    """
    # TODO: correlate, add biases, ReLU, pool, reshape(N, -1), dense layer, softmax.
    raise NotImplementedError


def cross_entropy(probs, labels):
    """Return the mean cross-entropy of the predicted ``probs`` (``(N, K)``) for the true ``labels`` (``(N,)`` ints).

    ``-mean(log(probs[n, labels[n]]))`` over the samples ``n``, natural log, a float.

    Example::

        >>> round(cross_entropy(np.array([[0.5, 0.5], [0.1, 0.9]]), np.array([0, 1])), 4)
        0.3993
    """
    # TODO: pick each sample's probability of its true class, then -mean(log(...)).
    raise NotImplementedError


def train_mlp(train_x, train_y, test_x):
    """Train a multilayer perceptron on the digits ``train_x`` and predict the classes of ``test_x``.

    - ``train_x``: ``uint8`` ``(n, 8, 8)`` digits with values 0..16;
      ``train_y``: their classes 0..9; ``test_x``: digits you have not seen;
    - flatten each digit to 64 values and scale them to 0..1;
      ``sklearn.neural_network.MLPClassifier(hidden_layer_sizes=(64,),
      learning_rate_init=0.01, max_iter=60, random_state=0)``;
    - return an int array of one predicted class per test digit.

    Graded by accuracy on held-out digits (at least 0.9); it must train in a
    second or two.
    """
    # TODO: reshape(n, -1) / 16.0, fit, predict.
    raise NotImplementedError


def classify_digits(train_x, train_y, test_x):
    """Challenge: the best accuracy you can reach on 597 held-out digits, learning from 1200.

    Same inputs as :func:`train_mlp`. Any model that trains here in a few
    seconds: an MLP, an SVM, the tiny CNN's features, ... Return one
    predicted class per test digit. Scored by accuracy: bronze, silver or gold.
    """
    # TODO: try a few scikit-learn models; keep the one that holds up on data it has not seen.
    raise NotImplementedError
