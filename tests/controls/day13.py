"""Day 13 controls: convolution, pooling, softmax, forward-pass and loss mistakes, and correct answers written
with SciPy, OpenCV or other NumPy calls."""
from tests.controls import correct, wrong

# --- conv2d


@wrong("conv2d", expect='You computed a cross-correlation, the kernel not flipped, as')
def correlation_not_convolution(image, kernel):
    import numpy as np
    kh, kw = kernel.shape
    h, w = image.shape
    out = np.zeros((h - kh + 1, w - kw + 1))
    for u in range(kh):
        for v in range(kw):
            out += kernel[u, v] * image[u:u + h - kh + 1, v:v + w - kw + 1]
    return out


@wrong("conv2d", expect="You returned a 'same' convolution")
def same_size_output(image, kernel):
    from scipy.signal import convolve2d
    return convolve2d(image, kernel, mode="same")


@wrong("conv2d", expect='You flipped the kernel upside down only:')
def kernel_flipped_one_way_only(image, kernel):
    from scipy.signal import correlate2d
    return correlate2d(image, kernel[::-1], mode="valid")


@correct("conv2d")
def scipy_convolve2d(image, kernel):
    from scipy.signal import convolve2d
    return convolve2d(image, kernel, mode="valid")


@correct("conv2d")
def opencv_filter2d_with_the_kernel_flipped(image, kernel):
    import cv2
    import numpy as np
    kh, kw = kernel.shape
    # filter2D correlates, centred on the kernel's anchor: flip the kernel, then keep the valid part.
    full = cv2.filter2D(image.astype(np.float64), -1, np.ascontiguousarray(kernel[::-1, ::-1]),
                        anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)
    return full[:image.shape[0] - kh + 1, :image.shape[1] - kw + 1]


# --- max_pool


@wrong("max_pool", expect='You pooled as if the maps were (height, width, channels)')
def pooled_as_height_width_channels(maps):
    h, w, c = maps.shape
    return maps[:h // 2 * 2, :w // 2 * 2].reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))


@wrong("max_pool", expect='You averaged each 2 x 2 block: max pooling keeps the largest value')
def average_pooling(maps):
    c, h, w = maps.shape
    return maps[:, :h // 2 * 2, :w // 2 * 2].reshape(c, h // 2, 2, w // 2, 2).mean(axis=(2, 4))


@wrong("max_pool", expect='Four consecutive values of a row are not a 2 x 2 block:')
def blocks_taken_from_a_plain_reshape(maps):
    c, h, w = maps.shape
    # Four consecutive values of a row are not a 2 x 2 block.
    return maps[:, :h // 2 * 2, :w // 2 * 2].reshape(c, h // 2, w // 2, 4).max(axis=3)


@correct("max_pool")
def strided_maximum(maps):
    import numpy as np
    c, h, w = maps.shape
    m = maps[:, :h // 2 * 2, :w // 2 * 2]
    return np.maximum(np.maximum(m[:, 0::2, 0::2], m[:, 0::2, 1::2]), np.maximum(m[:, 1::2, 0::2], m[:, 1::2, 1::2]))


@correct("max_pool")
def scikit_image_block_reduce(maps):
    import numpy as np
    from skimage.measure import block_reduce
    c, h, w = maps.shape
    return block_reduce(maps[:, :h // 2 * 2, :w // 2 * 2], (1, 2, 2), np.max)


# --- softmax


@wrong("softmax", expect='exp() overflowed for logits in the thousands, leaving NaN or infinite')
def no_maximum_subtracted(logits):
    import numpy as np
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


@wrong("softmax", expect='You normalised each column instead of each row:')
def normalised_over_the_wrong_axis(logits):
    import numpy as np
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@wrong("softmax", expect='You divided by one sum over the whole array, so the rows do not each')
def one_sum_for_the_whole_array(logits):
    import numpy as np
    e = np.exp(logits - logits.max())
    return e / e.sum()


@correct("softmax")
def scipy_special(logits):
    from scipy.special import softmax as sp_softmax
    return sp_softmax(logits, axis=1)


@correct("softmax")
def log_sum_exp(logits):
    import numpy as np
    from scipy.special import logsumexp
    return np.exp(logits - logsumexp(logits, axis=1, keepdims=True))


# --- forward


@wrong("forward", expect='Your layer flipped its kernels (a true convolution) where the network')
def kernels_flipped(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import convolve2d
    import numpy as np
    maps = np.array([[convolve2d(img, k, mode="valid") + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in np.maximum(maps, 0)])
    return softmax(pooled.reshape(len(images), -1) @ dense_w + dense_b)


@wrong("forward", expect='You flattened the pooled maps channels last:')
def flattened_channels_last(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import correlate2d
    import numpy as np
    maps = np.array([[correlate2d(img, k, mode="valid") + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in np.maximum(maps, 0)])
    return softmax(pooled.transpose(0, 2, 3, 1).reshape(len(images), -1) @ dense_w + dense_b)


@wrong("forward", expect='You left out the ReLU after the convolution:')
def relu_forgotten(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import correlate2d
    import numpy as np
    maps = np.array([[correlate2d(img, k, mode="valid") + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in maps])
    return softmax(pooled.reshape(len(images), -1) @ dense_w + dense_b)


@wrong("forward", expect='You returned the logits: finish with softmax')
def logits_not_probabilities(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import correlate2d
    import numpy as np
    maps = np.array([[correlate2d(img, k, mode="valid") + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in np.maximum(maps, 0)])
    return pooled.reshape(len(images), -1) @ dense_w + dense_b


@correct("forward")
def scipy_correlate2d(images, conv_w, conv_b, dense_w, dense_b):
    from scipy.signal import correlate2d
    import numpy as np
    maps = np.array([[correlate2d(img, k, mode="valid") + b for k, b in zip(conv_w, conv_b)] for img in images])
    pooled = np.stack([max_pool(m) for m in np.maximum(maps, 0)])
    return softmax(pooled.reshape(len(images), -1) @ dense_w + dense_b)


@correct("forward")
def sliding_windows_and_einsum(images, conv_w, conv_b, dense_w, dense_b):
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view
    windows = sliding_window_view(images, conv_w.shape[1:], axis=(1, 2))  # (N, 6, 6, 3, 3)
    maps = np.einsum("nhwuv,fuv->nfhw", windows, conv_w) + conv_b[None, :, None, None]
    relu = np.maximum(maps, 0)
    n, f, h, w = relu.shape
    pooled = relu.reshape(n, f, h // 2, 2, w // 2, 2).max(axis=(3, 5))
    logits = pooled.reshape(n, -1) @ dense_w + dense_b
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --- cross_entropy


@wrong("cross_entropy", expect='You summed over the samples (expected the mean)')
def sum_not_mean(probs, labels):
    import numpy as np
    return float(-np.sum(np.log(probs[np.arange(len(labels)), labels])))


@wrong("cross_entropy", expect="probs[labels] picks whole rows, not each sample's true class")
def rows_picked_by_label(probs, labels):
    import numpy as np
    return float(-np.mean(np.log(probs[labels])))


@wrong("cross_entropy", expect="You took each sample's largest probability, not its true class's")
def log_of_the_largest_probability(probs, labels):
    import numpy as np
    return float(-np.mean(np.log(probs.max(axis=1))))


@wrong("cross_entropy", expect='You used log10 (expected the natural log)')
def base_10_log(probs, labels):
    import numpy as np
    return float(-np.mean(np.log10(probs[np.arange(len(labels)), labels])))


@correct("cross_entropy")
def scikit_learn_log_loss(probs, labels):
    from sklearn.metrics import log_loss
    return log_loss(labels, probs, labels=list(range(probs.shape[1])))


@correct("cross_entropy")
def one_hot(probs, labels):
    import numpy as np
    onehot = np.eye(probs.shape[1])[labels]
    return float(-(onehot * np.log(probs)).sum(axis=1).mean())


# --- train_mlp


@wrong("train_mlp", expect='You took the argmax over the samples, axis=0, and returned 10')
def argmax_over_the_samples(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    a, b = train_x.reshape(len(train_x), -1) / 16.0, test_x.reshape(len(test_x), -1) / 16.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0).fit(
            a, train_y)
    return model.predict_proba(b).argmax(axis=0)


@wrong("train_mlp", expect='You returned predictions for the training set')
def predicts_the_training_digits(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    a = train_x.reshape(len(train_x), -1) / 16.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0).fit(
            a, train_y)
    return model.predict(a)


@wrong("train_mlp", expect='You returned the class probabilities')
def probabilities_returned(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    a, b = train_x.reshape(len(train_x), -1) / 16.0, test_x.reshape(len(test_x), -1) / 16.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0).fit(
            a, train_y)
    return model.predict_proba(b)


@correct("train_mlp")
def probabilities_then_argmax_over_classes(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    a, b = train_x.reshape(len(train_x), -1) / 16.0, test_x.reshape(len(test_x), -1) / 16.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=60, random_state=0).fit(
            a, train_y)
    return model.classes_[model.predict_proba(b).argmax(axis=1)]


@correct("train_mlp")
def pipeline_with_a_scaler(train_x, train_y, test_x):
    import warnings
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = make_pipeline(MinMaxScaler(), MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=0.01,
                                                            max_iter=60, random_state=0))
        model.fit(train_x.reshape(len(train_x), -1).astype(float), train_y)
    return model.predict(test_x.reshape(len(test_x), -1).astype(float))


# --- classify_digits


@wrong("classify_digits", expect="no tier yet")
def most_common_digit(train_x, train_y, test_x):
    import numpy as np
    return np.full(len(test_x), np.bincount(train_y).argmax())


@wrong("classify_digits", expect='10 predictions, one per class, instead of one per held-out digit')
def argmax_over_the_wrong_axis(train_x, train_y, test_x):
    from sklearn.linear_model import LogisticRegression
    a, b = train_x.reshape(len(train_x), -1) / 16.0, test_x.reshape(len(test_x), -1) / 16.0
    return LogisticRegression(max_iter=500).fit(a, train_y).predict_proba(b).argmax(axis=0)


@correct("classify_digits")
def nearest_neighbours(train_x, train_y, test_x):
    from sklearn.neighbors import KNeighborsClassifier
    a, b = train_x.reshape(len(train_x), -1), test_x.reshape(len(test_x), -1)
    return KNeighborsClassifier(3).fit(a, train_y).predict(b)
