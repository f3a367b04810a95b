"""Day 11 - Train your own AI: classify pictures (Tanjiro picks the demons out of a crowd).

A classifier learns from labelled examples and names new ones. Classic
computer vision does it in three steps:

1. **Features**: turn each picture into a fixed-length vector of numbers that
   keeps what matters. A **colour histogram** counts the colours and forgets
   where they are; **HOG** (histograms of oriented gradients) counts edge
   directions in small cells and keeps the shape; LBP counts small texture
   patterns.
2. **Scaling**: features come in different units (a share of pixels, a
   gradient strength), and distance-based classifiers such as k-NN would let
   the largest units decide. ``StandardScaler`` subtracts each feature's mean
   and divides by its standard deviation. **Fit it on the training set only**
   and apply that same transformation to the test set: a scaler fitted on the
   test set (or on everything) lets the test set leak into training, and the
   score you measure is no longer honest.
3. **A classifier**, here from scikit-learn: ``KNeighborsClassifier`` (the
   majority class of the k nearest training samples), ``LogisticRegression``
   or ``SVC`` (linear or kernel decision boundaries). Every one has
   ``fit(train_x, train_y)`` and ``predict(test_x)``.

Measure on data the model has never seen: split once with
``train_test_split(..., random_state=seed, stratify=y)`` (a fixed seed, so
the split and the score can be reproduced), train on one part, score on the
other. A score on the training set says nothing: 1-NN gets 100% there.
The **confusion matrix** says which classes are mixed up: row ``i``, column
``j`` counts samples of true class ``i`` predicted as class ``j``.

Here the pictures are 32 x 32 BGR faces: 0 a villager, 1 a demon, 2 Nezuko.
Your classifiers are graded on held-out faces whose labels only the grader
has.

Fill in each function, then run ``pixelkata grade 11``.
"""
import cv2  # noqa: F401  (you will need these)
import numpy as np  # noqa: F401


def colour_histogram(image, bins):
    """Return the colour histogram of the BGR picture ``image``, as shares of its pixels.

    - ``image``: ``uint8`` ``(height, width, 3)``; ``bins``: how many equal
      bins per channel over 0..255;
    - count the pixels in each of the ``bins ** 3`` (blue, green, red) boxes,
      flatten in that order (blue the slowest, red the fastest), divide by
      the number of pixels;
    - return a float array ``(bins ** 3,)`` that sums to 1.

    ``cv2.calcHist([image], [0, 1, 2], None, [bins] * 3, [0, 256] * 3)`` counts them.

    Example::

        >>> img = np.zeros((2, 2, 3), np.uint8); img[0, 0] = 255
        >>> h = colour_histogram(img, 2)
        >>> h.shape, h.tolist()
        ((8,), [0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25])
    """
    # TODO: cv2.calcHist (or np.histogramdd), flatten, divide by the total.
    raise NotImplementedError


def hog_features(image):
    """Return the HOG features of the colour picture ``image`` (``uint8`` ``(32, 32, 3)``).

    Use ``skimage.feature.hog`` with 9 orientations, cells of 8 x 8 pixels,
    blocks of 2 x 2 cells, and ``channel_axis=-1`` (the last axis holds the
    colours). Return its float array: 9 x 2 x 2 per block, 3 x 3 blocks, 324
    numbers.
    """
    # TODO: from skimage.feature import hog; hog(image, ..., channel_axis=-1).
    raise NotImplementedError


def scale(train_x, test_x):
    """Standardise the features: fit on ``train_x`` only, apply to both.

    - ``train_x``: float ``(n_train, d)``, ``test_x``: float ``(n_test, d)``;
    - return ``(train_scaled, test_scaled)``: each column minus the
      **training** mean, divided by the **training** standard deviation
      (population, as ``StandardScaler`` computes it).

    Example::

        >>> a, b = scale(np.array([[0.0], [2.0]]), np.array([[4.0]]))
        >>> a.tolist(), b.tolist()
        ([[-1.0], [1.0]], [[3.0]])
    """
    # TODO: StandardScaler().fit(train_x), then .transform() each set.
    raise NotImplementedError


def knn_predict(train_x, train_y, test_x, k=5):
    """Predict the class of each row of ``test_x`` with k-nearest neighbours on scaled features.

    - ``train_x``: float ``(n_train, d)``; ``train_y``: int ``(n_train,)``;
      ``test_x``: float ``(n_test, d)``;
    - scale with :func:`scale`, then ``KNeighborsClassifier(n_neighbors=k)``;
    - return an int array ``(n_test,)`` of predicted classes.

    Graded by accuracy on held-out faces (at least 0.9).
    """
    # TODO: scale, fit on the training part, predict the test part.
    raise NotImplementedError


def confusion(y_true, y_pred, n_classes):
    """Return the confusion matrix: ``[i, j]`` counts samples of true class ``i`` predicted as ``j``.

    - ``y_true``, ``y_pred``: int arrays ``(n,)`` of classes ``0..n_classes - 1``;
    - return an int array ``(n_classes, n_classes)``; rows are the truth,
      columns the predictions (as ``sklearn.metrics.confusion_matrix`` with
      ``labels=range(n_classes)``). A class nobody predicted still has its
      column.

    Example::

        >>> confusion(np.array([0, 0, 1]), np.array([0, 1, 1]), 3).tolist()
        [[1, 1, 0], [0, 1, 0], [0, 0, 0]]
    """
    # TODO: count each (true, predicted) pair.
    raise NotImplementedError


def holdout_accuracy(x, y, seed):
    """Return the accuracy of 5-NN on a held-out quarter of ``(x, y)``.

    - ``train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)``;
    - :func:`knn_predict` with ``k=5`` trained on the training part;
    - return the share of the **test** part predicted right, a float in 0..1.
    """
    # TODO: split (seeded, stratified), predict the test part, compare with its labels.
    raise NotImplementedError


def classify_crowd(train_images, train_y, test_images):
    """Challenge: tell villagers, demons and Nezuko apart in a harder crowd.

    - ``train_images``: ``uint8`` ``(n_train, 32, 32, 3)`` BGR faces, smaller or
      larger, off centre, noisier, sometimes half hidden; ``train_y``: their
      classes (0 villager, 1 demon, 2 Nezuko);
    - ``test_images``: faces you have not seen, drawn the same way: a crowd
      of 120, and, in a second call, three of them on their own (a deployed
      classifier sees a few faces at a time, and gives each the label it
      would give it in the crowd);
    - return an int array of one predicted class per test face.

    Scored by accuracy on the held-out faces, the mean of the two calls:
    bronze, silver or gold. Any features and any scikit-learn classifier that
    train here in a second or two.
    """
    # TODO: features for every face, scaled on the training set, then a classifier.
    raise NotImplementedError
