"""Day 11 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each entry is ``<task>__<name>`` with the task's signature; grader/course/day11.toml lists them.
Helpers the entries call are copied from solutions/day11_classify.py, so this module stands alone.
"""
import cv2
import numpy as np
from skimage.feature import hog
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


# --- helpers from the reference solution


def colour_histogram(image, bins):
    # A bins x bins x bins histogram over (B, G, R), flattened, as shares of the pixels.
    hist = cv2.calcHist([image], [0, 1, 2], None, [bins] * 3, [0, 256] * 3).ravel()
    return hist / hist.sum()


def scale(train_x, test_x):
    # Learn the mean and spread from the training set only, then apply the same
    # transformation to both: the test set must stay unseen.
    scaler = StandardScaler().fit(train_x)
    return scaler.transform(train_x), scaler.transform(test_x)


def knn_predict(train_x, train_y, test_x, k=5):
    train_s, test_s = scale(train_x, test_x)
    return KNeighborsClassifier(n_neighbors=k).fit(train_s, train_y).predict(test_s)


# --- colour_histogram


def colour_histogram__numpy_histogramdd(image, bins):
    import numpy as np
    h, _ = np.histogramdd(image.reshape(-1, 3).astype(float), bins=bins, range=[(0, 256)] * 3)
    return h.ravel() / h.sum()


def colour_histogram__numpy_bin_numbers(image, bins):
    import numpy as np
    q = (image.astype(np.int64) * bins // 256).reshape(-1, 3)
    return np.bincount((q[:, 0] * bins + q[:, 1]) * bins + q[:, 2], minlength=bins ** 3) / len(q)


def colour_histogram__counts_not_shares(image, bins):
    import cv2
    return cv2.calcHist([image], [0, 1, 2], None, [bins] * 3, [0, 256] * 3).ravel()


def colour_histogram__one_histogram_per_channel(image, bins):
    import numpy as np
    parts = [np.histogram(image[..., c], bins=bins, range=(0, 256))[0] for c in range(3)]
    h = np.concatenate(parts).astype(float)
    return h / h.sum()


def colour_histogram__bins_over_the_pictures_own_range(image, bins):
    import numpy as np
    h, _ = np.histogramdd(image.reshape(-1, 3), bins=bins)
    return h.ravel() / h.sum()


# --- hog_features


def hog_features__float_picture(image):
    from skimage.feature import hog
    from skimage.util import img_as_float
    return hog(img_as_float(image), orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), channel_axis=-1)


def hog_features__rgb_order(image):
    from skimage.feature import hog
    return hog(image[..., ::-1], orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), channel_axis=2)


def hog_features__gray_first(image):
    import cv2
    from skimage.feature import hog
    return hog(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2))


def hog_features__cells_of_four(image):
    from skimage.feature import hog
    return hog(image, orientations=9, pixels_per_cell=(4, 4), cells_per_block=(2, 2), channel_axis=-1)


# --- scale


def scale__numpy_mean_and_std(train_x, test_x):
    import numpy as np
    mean, std = (train_x.mean(axis=0), train_x.std(axis=0))
    std = np.where(std == 0, 1.0, std)
    return ((train_x - mean) / std, (test_x - mean) / std)


def scale__scaler_fitted_on_both_sets(train_x, test_x):
    import numpy as np
    from sklearn.preprocessing import StandardScaler
    scaler = StandardScaler().fit(np.vstack([train_x, test_x]))
    return (scaler.transform(train_x), scaler.transform(test_x))


def scale__each_set_on_its_own(train_x, test_x):
    from sklearn.preprocessing import StandardScaler
    return (StandardScaler().fit_transform(train_x), StandardScaler().fit_transform(test_x))


def scale__scaler_fitted_on_the_test_set(train_x, test_x):
    from sklearn.preprocessing import StandardScaler
    scaler = StandardScaler().fit(test_x)
    return (scaler.transform(train_x), scaler.transform(test_x))


# --- knn_predict


def knn_predict__numpy_majority_of_neighbours(train_x, train_y, test_x, k=5):
    import numpy as np
    a, b = scale(train_x, test_x)
    d = ((b[:, None, :] - a[None, :, :]) ** 2).sum(axis=2)
    nearest = np.argsort(d, axis=1)[:, :k]
    return np.array([np.bincount(train_y[row]).argmax() for row in nearest])


def knn_predict__pipeline(train_x, train_y, test_x, k=5):
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=k)).fit(train_x, train_y).predict(test_x)


def knn_predict__predicts_the_training_set(train_x, train_y, test_x, k=5):
    from sklearn.neighbors import KNeighborsClassifier
    a, b = scale(train_x, test_x)
    return KNeighborsClassifier(n_neighbors=k).fit(a, train_y).predict(a)


def knn_predict__probabilities_not_labels(train_x, train_y, test_x, k=5):
    from sklearn.neighbors import KNeighborsClassifier
    a, b = scale(train_x, test_x)
    return KNeighborsClassifier(n_neighbors=k).fit(a, train_y).predict_proba(b)


def knn_predict__k_as_large_as_the_training_set(train_x, train_y, test_x, k=5):
    from sklearn.neighbors import KNeighborsClassifier
    a, b = scale(train_x, test_x)
    return KNeighborsClassifier(n_neighbors=len(a)).fit(a, train_y).predict(b)


# --- confusion


def confusion__scikit_learn(y_true, y_pred, n_classes):
    from sklearn.metrics import confusion_matrix
    return confusion_matrix(y_true, y_pred, labels=list(range(n_classes)))


def confusion__bincount(y_true, y_pred, n_classes):
    import numpy as np
    return np.bincount(y_true * n_classes + y_pred, minlength=n_classes ** 2).reshape(n_classes, n_classes)


def confusion__predictions_as_rows(y_true, y_pred, n_classes):
    import numpy as np
    m = np.zeros((n_classes, n_classes), int)
    np.add.at(m, (y_pred, y_true), 1)
    return m


def confusion__fancy_index_counts_repeats_once(y_true, y_pred, n_classes):
    import numpy as np
    m = np.zeros((n_classes, n_classes), int)
    m[y_true, y_pred] += 1
    return m


# --- holdout_accuracy


def holdout_accuracy__pipeline_score(x, y, seed):
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    a, b, ya, yb = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
    return make_pipeline(StandardScaler(), KNeighborsClassifier(5)).fit(a, ya).score(b, yb)


def holdout_accuracy__scored_on_the_training_part(x, y, seed):
    import numpy as np
    from sklearn.model_selection import train_test_split
    a, b, ya, yb = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
    return float(np.mean(knn_predict(a, ya, a, k=5) == ya))


def holdout_accuracy__not_stratified(x, y, seed):
    import numpy as np
    from sklearn.model_selection import train_test_split
    a, b, ya, yb = train_test_split(x, y, test_size=0.25, random_state=seed)
    return float(np.mean(knn_predict(a, ya, b, k=5) == yb))


# --- classify_crowd


def classify_crowd__skimage_hog_and_logistic_regression(train_images, train_y, test_images):
    import numpy as np
    from skimage.feature import hog
    from sklearn.linear_model import LogisticRegression

    def describe(stack):
        return np.array([np.concatenate([colour_histogram(p, 4), hog(p, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), channel_axis=-1)]) for p in stack])
    a, b = scale(describe(train_images), describe(test_images))
    return LogisticRegression(max_iter=2000).fit(a, train_y).predict(b)


def classify_crowd__raw_pixels_nearest_neighbours(train_images, train_y, test_images):
    from sklearn.neighbors import KNeighborsClassifier
    n, m = (len(train_images), len(test_images))
    return KNeighborsClassifier(5).fit(train_images.reshape(n, -1), train_y).predict(test_images.reshape(m, -1))


def classify_crowd__every_face_one_class(train_images, train_y, test_images):
    import numpy as np
    return np.zeros(len(test_images), np.int64)


def classify_crowd__scaler_fitted_on_the_test_set(train_images, train_y, test_images):
    import numpy as np
    from skimage.feature import hog
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    def describe(stack):
        return np.array([np.concatenate([colour_histogram(p, 4), hog(p, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), channel_axis=-1)]) for p in stack])
    a, b = describe(train_images), describe(test_images)
    scaler = StandardScaler().fit(b)
    return SVC().fit(scaler.transform(a), train_y).predict(scaler.transform(b))
