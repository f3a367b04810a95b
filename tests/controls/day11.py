"""Day 11 controls: feature, scaling, split and scoring mistakes, and correct answers written with NumPy or
other scikit-learn calls."""
from tests.controls import correct, wrong

# --- colour_histogram


@wrong("colour_histogram", expect='You returned counts, not shares:')
def counts_not_shares(image, bins):
    import cv2
    return cv2.calcHist([image], [0, 1, 2], None, [bins] * 3, [0, 256] * 3).ravel()


@wrong("colour_histogram", expect='You returned three 1-D histograms side by side')
def one_histogram_per_channel(image, bins):
    import numpy as np
    parts = [np.histogram(image[..., c], bins=bins, range=(0, 256))[0] for c in range(3)]
    h = np.concatenate(parts).astype(float)
    return h / h.sum()


@wrong("colour_histogram", expect="Your bins span the picture's own lowest to highest values, not 0..255")
def bins_over_the_pictures_own_range(image, bins):
    import numpy as np
    h, _ = np.histogramdd(image.reshape(-1, 3), bins=bins)
    return h.ravel() / h.sum()


@correct("colour_histogram")
def numpy_histogramdd(image, bins):
    import numpy as np
    h, _ = np.histogramdd(image.reshape(-1, 3).astype(float), bins=bins, range=[(0, 256)] * 3)
    return h.ravel() / h.sum()


@correct("colour_histogram")
def numpy_bin_numbers(image, bins):
    import numpy as np
    q = (image.astype(np.int64) * bins // 256).reshape(-1, 3)
    return np.bincount((q[:, 0] * bins + q[:, 1]) * bins + q[:, 2], minlength=bins ** 3) / len(q)


# --- hog_features


@wrong("hog_features", expect="Only images with two spatial dimensions are supported", outcome="error")
def colour_without_channel_axis(image):
    from skimage.feature import hog
    return hog(image, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2))


@wrong("hog_features", expect='You took HOG of the gray picture, which loses the edges between')
def gray_first(image):
    import cv2
    from skimage.feature import hog
    return hog(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), orientations=9, pixels_per_cell=(8, 8),
               cells_per_block=(2, 2))


@wrong("hog_features", expect='Your HOG has cells of 4 x 4 pixels')
def cells_of_four(image):
    from skimage.feature import hog
    return hog(image, orientations=9, pixels_per_cell=(4, 4), cells_per_block=(2, 2), channel_axis=-1)


@correct("hog_features")
def float_picture(image):
    from skimage.feature import hog
    from skimage.util import img_as_float
    return hog(img_as_float(image), orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), channel_axis=-1)


@correct("hog_features")
def rgb_order(image):
    from skimage.feature import hog
    # Each pixel's strongest channel wins, whichever order the channels come in.
    return hog(image[..., ::-1], orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), channel_axis=2)


# --- scale


@wrong("scale", expect='Your scaler was fitted on the training and test sets together, so the')
def scaler_fitted_on_both_sets(train_x, test_x):
    import numpy as np
    from sklearn.preprocessing import StandardScaler
    scaler = StandardScaler().fit(np.vstack([train_x, test_x]))
    return scaler.transform(train_x), scaler.transform(test_x)


@wrong("scale", expect='You scaled each set with its own statistics, so the test set leaked')
def each_set_on_its_own(train_x, test_x):
    from sklearn.preprocessing import StandardScaler
    return StandardScaler().fit_transform(train_x), StandardScaler().fit_transform(test_x)


@wrong("scale", expect='Your scaler was fitted on the test set (train')
def scaler_fitted_on_the_test_set(train_x, test_x):
    from sklearn.preprocessing import StandardScaler
    scaler = StandardScaler().fit(test_x)
    return scaler.transform(train_x), scaler.transform(test_x)


@correct("scale")
def numpy_mean_and_std(train_x, test_x):
    import numpy as np
    mean, std = train_x.mean(axis=0), train_x.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (train_x - mean) / std, (test_x - mean) / std


# --- knn_predict


@wrong("knn_predict", expect='You returned predictions for the training set')
def predicts_the_training_set(train_x, train_y, test_x, k=5):
    from sklearn.neighbors import KNeighborsClassifier
    a, b = scale(train_x, test_x)
    return KNeighborsClassifier(n_neighbors=k).fit(a, train_y).predict(a)


@wrong("knn_predict", expect='You returned the class probabilities')
def probabilities_not_labels(train_x, train_y, test_x, k=5):
    from sklearn.neighbors import KNeighborsClassifier
    a, b = scale(train_x, test_x)
    return KNeighborsClassifier(n_neighbors=k).fit(a, train_y).predict_proba(b)


@wrong("knn_predict", expect='Your k takes in the whole training set, so every prediction is the')
def k_as_large_as_the_training_set(train_x, train_y, test_x, k=5):
    from sklearn.neighbors import KNeighborsClassifier
    a, b = scale(train_x, test_x)
    return KNeighborsClassifier(n_neighbors=len(a)).fit(a, train_y).predict(b)


@correct("knn_predict")
def numpy_majority_of_neighbours(train_x, train_y, test_x, k=5):
    import numpy as np
    a, b = scale(train_x, test_x)
    d = ((b[:, None, :] - a[None, :, :]) ** 2).sum(axis=2)
    nearest = np.argsort(d, axis=1)[:, :k]
    return np.array([np.bincount(train_y[row]).argmax() for row in nearest])


@correct("knn_predict")
def pipeline(train_x, train_y, test_x, k=5):
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=k)).fit(train_x, train_y).predict(test_x)


# --- confusion


@wrong("confusion", expect='Your rows are the predictions and your columns the truth, the')
def predictions_as_rows(y_true, y_pred, n_classes):
    import numpy as np
    m = np.zeros((n_classes, n_classes), int)
    np.add.at(m, (y_pred, y_true), 1)
    return m


@wrong("confusion", expect='m[y_true, y_pred] += 1 counts each repeated pair only once (relative')
def fancy_index_counts_repeats_once(y_true, y_pred, n_classes):
    import numpy as np
    m = np.zeros((n_classes, n_classes), int)
    m[y_true, y_pred] += 1
    return m


@correct("confusion")
def scikit_learn(y_true, y_pred, n_classes):
    from sklearn.metrics import confusion_matrix
    return confusion_matrix(y_true, y_pred, labels=list(range(n_classes)))


@correct("confusion")
def bincount(y_true, y_pred, n_classes):
    import numpy as np
    return np.bincount(y_true * n_classes + y_pred, minlength=n_classes ** 2).reshape(n_classes, n_classes)


# --- holdout_accuracy


@wrong("holdout_accuracy", expect='You scored the model on the part it learned from, which says nothing')
def scored_on_the_training_part(x, y, seed):
    import numpy as np
    from sklearn.model_selection import train_test_split
    a, b, ya, yb = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
    return float(np.mean(knn_predict(a, ya, a, k=5) == ya))


@wrong("holdout_accuracy", expect="expected")
def split_not_seeded(x, y, seed):
    import numpy as np
    from sklearn.model_selection import train_test_split
    a, b, ya, yb = train_test_split(x, y, test_size=0.25, stratify=y, random_state=seed + 1)
    return float(np.mean(knn_predict(a, ya, b, k=5) == yb))


@wrong("holdout_accuracy", expect='Your split is not stratified, so the quarter held out is not the one')
def not_stratified(x, y, seed):
    import numpy as np
    from sklearn.model_selection import train_test_split
    a, b, ya, yb = train_test_split(x, y, test_size=0.25, random_state=seed)
    return float(np.mean(knn_predict(a, ya, b, k=5) == yb))


@correct("holdout_accuracy")
def pipeline_score(x, y, seed):
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    a, b, ya, yb = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
    return make_pipeline(StandardScaler(), KNeighborsClassifier(5)).fit(a, ya).score(b, yb)


# --- classify_crowd


@wrong("classify_crowd", expect="no tier yet")
def raw_pixels_nearest_neighbours(train_images, train_y, test_images):
    from sklearn.neighbors import KNeighborsClassifier
    n, m = len(train_images), len(test_images)
    return KNeighborsClassifier(5).fit(train_images.reshape(n, -1), train_y).predict(test_images.reshape(m, -1))


@wrong("classify_crowd", expect="Every prediction is 0")
def everyone_a_villager(train_images, train_y, test_images):
    import numpy as np
    return np.zeros(len(test_images), int)


@wrong("classify_crowd", expect="Your scaler was fitted on the test faces")
def scaler_fitted_on_the_test_faces(train_images, train_y, test_images):
    # The reference's features and classifier, the scaler fitted on the faces being classified: right on the
    # 120-face crowd, every face a villager when three come on their own.
    import numpy as np
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    a = np.hstack([_colour_shares(train_images), _gradient_cells(train_images)])
    b = np.hstack([_colour_shares(test_images), _gradient_cells(test_images)])
    scaler = StandardScaler().fit(b)
    return SVC().fit(scaler.transform(a), train_y).predict(scaler.transform(b))


@correct("classify_crowd")
def skimage_hog_and_logistic_regression(train_images, train_y, test_images):
    import numpy as np
    from skimage.feature import hog
    from sklearn.linear_model import LogisticRegression

    def describe(stack):
        return np.array([np.concatenate([colour_histogram(p, 4), hog(p, orientations=9, pixels_per_cell=(8, 8),
                                                                      cells_per_block=(2, 2), channel_axis=-1)])
                         for p in stack])

    a, b = scale(describe(train_images), describe(test_images))
    return LogisticRegression(max_iter=2000).fit(a, train_y).predict(b)
