"""Day 13 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each entry is ``<task>__<name>`` with the task's signature; grader/course/day13.toml lists them.
Helpers the entries call are copied from solutions/day13_network.py, so this module stands alone.
"""
import warnings
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC


# --- helpers from the reference solution


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


# --- conv2d


def conv2d__scipy_convolve2d(image, kernel):
    from scipy.signal import convolve2d
    return convolve2d(image, kernel, mode='valid')


def conv2d__opencv_filter2d_with_the_kernel_flipped(image, kernel):
    import cv2
    import numpy as np
    kh, kw = kernel.shape
    full = cv2.filter2D(image.astype(np.float64), -1, np.ascontiguousarray(kernel[::-1, ::-1]), anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)
    return full[:image.shape[0] - kh + 1, :image.shape[1] - kw + 1]


def conv2d__correlation_not_convolution(image, kernel):
    import numpy as np
    kh, kw = kernel.shape
    h, w = image.shape
    out = np.zeros((h - kh + 1, w - kw + 1))
    for u in range(kh):
        for v in range(kw):
            out += kernel[u, v] * image[u:u + h - kh + 1, v:v + w - kw + 1]
    return out


def conv2d__same_size_output(image, kernel):
    from scipy.signal import convolve2d
    return convolve2d(image, kernel, mode='same')


def conv2d__kernel_flipped_one_way_only(image, kernel):
    from scipy.signal import correlate2d
    return correlate2d(image, kernel[::-1], mode='valid')


# --- max_pool


def max_pool__strided_maximum(maps):
    import numpy as np
    c, h, w = maps.shape
    m = maps[:, :h // 2 * 2, :w // 2 * 2]
    return np.maximum(np.maximum(m[:, 0::2, 0::2], m[:, 0::2, 1::2]), np.maximum(m[:, 1::2, 0::2], m[:, 1::2, 1::2]))


def max_pool__scikit_image_block_reduce(maps):
    import numpy as np
    from skimage.measure import block_reduce
    c, h, w = maps.shape
    return block_reduce(maps[:, :h // 2 * 2, :w // 2 * 2], (1, 2, 2), np.max)


def max_pool__pooled_as_height_width_channels(maps):
    h, w, c = maps.shape
    return maps[:h // 2 * 2, :w // 2 * 2].reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))


def max_pool__average_pooling(maps):
    c, h, w = maps.shape
    return maps[:, :h // 2 * 2, :w // 2 * 2].reshape(c, h // 2, 2, w // 2, 2).mean(axis=(2, 4))


def max_pool__blocks_taken_from_a_plain_reshape(maps):
    c, h, w = maps.shape
    return maps[:, :h // 2 * 2, :w // 2 * 2].reshape(c, h // 2, w // 2, 4).max(axis=3)


# --- softmax


def softmax__scipy_special(logits):
    from scipy.special import softmax as sp_softmax
    return sp_softmax(logits, axis=1)


def softmax__log_sum_exp(logits):
    import numpy as np
    from scipy.special import logsumexp
    return np.exp(logits - logsumexp(logits, axis=1, keepdims=True))


def softmax__no_maximum_subtracted(logits):
    import numpy as np
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def softmax__normalised_over_the_wrong_axis(logits):
    import numpy as np
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax__one_sum_for_the_whole_array(logits):
    import numpy as np
    e = np.exp(logits - logits.max())
    return e / e.sum()


# --- forward


def forward__scipy_correlate2d(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import correlate2d
    import numpy as np
    maps = np.array([[correlate2d(img, k, mode='valid') + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in np.maximum(maps, 0)])
    return softmax(pooled.reshape(len(images), -1) @ dense_w + dense_b)


def forward__sliding_windows_and_einsum(images, conv_w, conv_b, dense_w, dense_b):
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view
    windows = sliding_window_view(images, conv_w.shape[1:], axis=(1, 2))
    maps = np.einsum('nhwuv,fuv->nfhw', windows, conv_w) + conv_b[None, :, None, None]
    relu = np.maximum(maps, 0)
    n, f, h, w = relu.shape
    pooled = relu.reshape(n, f, h // 2, 2, w // 2, 2).max(axis=(3, 5))
    logits = pooled.reshape(n, -1) @ dense_w + dense_b
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def forward__kernels_flipped(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import convolve2d
    import numpy as np
    maps = np.array([[convolve2d(img, k, mode='valid') + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in np.maximum(maps, 0)])
    return softmax(pooled.reshape(len(images), -1) @ dense_w + dense_b)


def forward__flattened_channels_last(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import correlate2d
    import numpy as np
    maps = np.array([[correlate2d(img, k, mode='valid') + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in np.maximum(maps, 0)])
    return softmax(pooled.transpose(0, 2, 3, 1).reshape(len(images), -1) @ dense_w + dense_b)


def forward__relu_forgotten(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import correlate2d
    import numpy as np
    maps = np.array([[correlate2d(img, k, mode='valid') + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in maps])
    return softmax(pooled.reshape(len(images), -1) @ dense_w + dense_b)


def forward__logits_not_probabilities(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import correlate2d
    import numpy as np
    maps = np.array([[correlate2d(img, k, mode='valid') + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in np.maximum(maps, 0)])
    return pooled.reshape(len(images), -1) @ dense_w + dense_b


# --- cross_entropy


def cross_entropy__scikit_learn_log_loss(probs, labels):
    from sklearn.metrics import log_loss
    return log_loss(labels, probs, labels=list(range(probs.shape[1])))


def cross_entropy__one_hot(probs, labels):
    import numpy as np
    onehot = np.eye(probs.shape[1])[labels]
    return float(-(onehot * np.log(probs)).sum(axis=1).mean())


def cross_entropy__sum_not_mean(probs, labels):
    import numpy as np
    return float(-np.sum(np.log(probs[np.arange(len(labels)), labels])))


def cross_entropy__rows_picked_by_label(probs, labels):
    import numpy as np
    return float(-np.mean(np.log(probs[labels])))


def cross_entropy__log_of_the_largest_probability(probs, labels):
    import numpy as np
    return float(-np.mean(np.log(probs.max(axis=1))))


def cross_entropy__base_10_log(probs, labels):
    import numpy as np
    return float(-np.mean(np.log10(probs[np.arange(len(labels)), labels])))


# --- train_mlp


def train_mlp__probabilities_then_argmax_over_classes(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    a, b = (train_x.reshape(len(train_x), -1) / 16.0, test_x.reshape(len(test_x), -1) / 16.0)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0).fit(a, train_y)
    return model.classes_[model.predict_proba(b).argmax(axis=1)]


def train_mlp__pipeline_with_a_scaler(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model = make_pipeline(MinMaxScaler(), MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0))
        model.fit(train_x.reshape(len(train_x), -1).astype(float), train_y)
    return model.predict(test_x.reshape(len(test_x), -1).astype(float))


def train_mlp__argmax_over_the_samples(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    a, b = (train_x.reshape(len(train_x), -1) / 16.0, test_x.reshape(len(test_x), -1) / 16.0)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0).fit(a, train_y)
    return model.predict_proba(b).argmax(axis=0)


def train_mlp__predicts_the_training_digits(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    a = train_x.reshape(len(train_x), -1) / 16.0
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0).fit(a, train_y)
    return model.predict(a)


def train_mlp__probabilities_returned(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    a, b = (train_x.reshape(len(train_x), -1) / 16.0, test_x.reshape(len(test_x), -1) / 16.0)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0).fit(a, train_y)
    return model.predict_proba(b)


# --- classify_digits


def classify_digits__nearest_neighbours(train_x, train_y, test_x):
    from sklearn.neighbors import KNeighborsClassifier
    a, b = (train_x.reshape(len(train_x), -1), test_x.reshape(len(test_x), -1))
    return KNeighborsClassifier(3).fit(a, train_y).predict(b)


def classify_digits__argmax_over_the_wrong_axis(train_x, train_y, test_x):
    from sklearn.linear_model import LogisticRegression
    a, b = (train_x.reshape(len(train_x), -1) / 16.0, test_x.reshape(len(test_x), -1) / 16.0)
    return LogisticRegression(max_iter=500).fit(a, train_y).predict_proba(b).argmax(axis=0)
