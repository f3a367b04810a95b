"""Day 8 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day08.toml lists them.
"""
import cv2
import numpy as np


# --- channel_means


def channel_means__numpy_weights(image):
    import numpy as np
    means = image.reshape(-1, 3).mean(axis=0)
    gray = 0.114 * means[0] + 0.587 * means[1] + 0.299 * means[2]
    return (gray, *means.tolist())


def channel_means__red_first(image):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return (float(gray.mean()), float(image[..., 2].mean()), float(image[..., 1].mean()), float(image[..., 0].mean()))


def channel_means__scikit_image_gray(image):
    from skimage.color import rgb2gray
    gray = rgb2gray(image[..., ::-1]) * 255
    return (float(gray.mean()),) + tuple((float(image[..., c].mean()) for c in range(3)))


# --- moments


def moments__scipy_stats(gray):
    from scipy import stats
    x = gray.ravel().astype(float)
    return (x.mean(), x.std(), stats.skew(x), stats.kurtosis(x))


def moments__unbiased_estimates(gray):
    from scipy import stats
    x = gray.ravel().astype(float)
    return (x.mean(), x.std(ddof=1), stats.skew(x, bias=False), stats.kurtosis(x, bias=False))


def moments__pearson_kurtosis(gray):
    from scipy import stats
    x = gray.ravel().astype(float)
    return (x.mean(), x.std(), stats.skew(x), stats.kurtosis(x, fisher=False))


def moments__variance_for_spread(gray):
    from scipy import stats
    x = gray.ravel().astype(float)
    return (x.mean(), x.var(), stats.skew(x), stats.kurtosis(x))


# --- histogram


def histogram__opencv_calc_hist(gray):
    import cv2
    return cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel()


def histogram__numpy_histogram_full_range(gray):
    import numpy as np
    return np.histogram(gray, bins=256, range=(0, 256))[0]


def histogram__bins_over_the_picture_range(gray):
    import numpy as np
    counts, _ = np.histogram(gray, bins=256)
    return counts


def histogram__shares_not_counts(gray):
    import numpy as np
    return np.histogram(gray, bins=256, range=(0, 256), density=True)[0]


# --- quantize


def quantize__bit_shift(gray, levels):
    import numpy as np
    return np.right_shift(gray, int(np.log2(256 // levels)))


def quantize__rounded(gray, levels):
    import numpy as np
    return np.round(gray / (256 // levels)).astype(np.uint8)


def quantize__kept_the_scale(gray, levels):
    step = 256 // levels
    return gray // step * step


# --- glcm


def glcm__numpy_glcm(gray, levels):
    import numpy as np
    q = (gray // (256 // levels)).astype(np.int64)
    h, w = q.shape
    out = np.zeros((levels, levels, 1, 4))
    for k, (dr, dc) in enumerate([(0, 1), (1, 1), (1, 0), (1, -1)]):
        a = q[max(0, -dr):h - max(0, dr), max(0, -dc):w - max(0, dc)]
        b = q[max(0, -dr) + dr:h - max(0, dr) + dr, max(0, -dc) + dc:w - max(0, dc) + dc]
        counts = np.bincount((a * levels + b).ravel(), minlength=levels * levels).reshape(levels, levels)
        counts = counts + counts.T
        out[:, :, 0, k] = counts / counts.sum()
    return out


def glcm__not_symmetric(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix
    return graycomatrix(gray // (256 // levels), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels, normed=True)


def glcm__not_normed(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix
    return graycomatrix(gray // (256 // levels), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels, symmetric=True)


def glcm__angles_by_axis_first(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix
    return graycomatrix(gray // (256 // levels), [1], [0, np.pi / 2, np.pi / 4, 3 * np.pi / 4], levels=levels, symmetric=True, normed=True)


def glcm__angles_in_degrees(gray, levels):
    from skimage.feature import graycomatrix
    return graycomatrix(gray // (256 // levels), [1], [0, 45, 90, 135], levels=levels, symmetric=True, normed=True)


def glcm__not_quantised(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix
    return graycomatrix(gray, [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=256, symmetric=True, normed=True)


# --- glcm_properties


def glcm_properties__numpy_properties(gray, levels):
    import numpy as np
    q = (gray // (256 // levels)).astype(np.int64)
    h, w = q.shape
    i, j = np.mgrid[0:levels, 0:levels].astype(float)
    out = {n: [] for n in ['contrast', 'dissimilarity', 'homogeneity', 'energy', 'correlation', 'ASM']}
    for dr, dc in [(0, 1), (1, 1), (1, 0), (1, -1)]:
        a = q[max(0, -dr):h - max(0, dr), max(0, -dc):w - max(0, dc)]
        b = q[max(0, -dr) + dr:h - max(0, dr) + dr, max(0, -dc) + dc:w - max(0, dc) + dc]
        p = np.bincount((a * levels + b).ravel(), minlength=levels * levels).reshape(levels, levels).astype(float)
        p = p + p.T
        p /= p.sum()
        mi, mj = ((i * p).sum(), (j * p).sum())
        si, sj = (np.sqrt((p * (i - mi) ** 2).sum()), np.sqrt((p * (j - mj) ** 2).sum()))
        out['contrast'].append((p * (i - j) ** 2).sum())
        out['dissimilarity'].append((p * np.abs(i - j)).sum())
        out['homogeneity'].append((p / (1 + (i - j) ** 2)).sum())
        out['ASM'].append((p ** 2).sum())
        out['energy'].append(np.sqrt((p ** 2).sum()))
        out['correlation'].append((p * (i - mi) * (j - mj)).sum() / (si * sj))
    return {k: np.array(v) for k, v in out.items()}


def glcm_properties__props_not_symmetric(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix, graycoprops
    p = graycomatrix(gray // (256 // levels), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels, normed=True)
    return {n: graycoprops(p, n)[0] for n in ['contrast', 'dissimilarity', 'homogeneity', 'energy', 'correlation', 'ASM']}


def glcm_properties__energy_is_asm(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix, graycoprops
    p = graycomatrix(gray // (256 // levels), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels, symmetric=True, normed=True)
    out = {n: graycoprops(p, n)[0] for n in ['contrast', 'dissimilarity', 'homogeneity', 'correlation', 'ASM']}
    out['energy'] = (p[:, :, 0, :] ** 2).sum(axis=(0, 1))
    return out


def glcm_properties__props_not_quantised(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix, graycoprops
    p = graycomatrix(gray, [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=256, symmetric=True, normed=True)
    return {n: graycoprops(p, n)[0] for n in ['contrast', 'dissimilarity', 'homogeneity', 'energy', 'correlation', 'ASM']}


def glcm_properties__props_in_degrees(gray, levels):
    from skimage.feature import graycomatrix, graycoprops
    p = graycomatrix(gray // (256 // levels), [1], [0, 45, 90, 135], levels=levels, symmetric=True, normed=True)
    return {n: graycoprops(p, n)[0] for n in ['contrast', 'dissimilarity', 'homogeneity', 'energy', 'correlation', 'ASM']}


# --- classify_textures


def classify_textures__histogram_nearest_centroid(train_patches, train_labels, test_patches):
    import numpy as np

    def feat(p):
        return np.bincount((p // 16).ravel(), minlength=16) / p.size
    train = np.array([feat(p) for p in train_patches])
    test = np.array([feat(p) for p in test_patches])
    mu, sd = (train.mean(0), train.std(0) + 1e-09)
    train, test = ((train - mu) / sd, (test - mu) / sd)
    labels = np.array(train_labels)
    names = sorted(set(train_labels))
    cents = np.array([train[labels == n].mean(0) for n in names])
    return [names[k] for k in ((test[:, None] - cents[None]) ** 2).sum(2).argmin(1)]


def classify_textures__always_brick(train_patches, train_labels, test_patches):
    return ['brick'] * len(test_patches)


def classify_textures__by_brightness(train_patches, train_labels, test_patches):
    import numpy as np
    names = sorted(set(train_labels))
    labels = np.array(train_labels)
    centres = {n: np.mean([p.mean() for p, lab in zip(train_patches, labels) if lab == n]) for n in names}
    return [min(names, key=lambda n: abs(p.mean() - centres[n])) for p in test_patches]


# --- more entries


def channel_means__mean_of_channels_for_gray(image):
    b, g, r = (float(image[:, :, c].mean()) for c in range(3))
    return ((b + g + r) / 3, b, g, r)  # gray as the plain average, not OpenCV's weights


def quantize__floor_divide(gray, levels):
    import numpy as np
    return np.floor_divide(gray, 256 // levels).astype(np.uint8)



def channel_means__opencv_mean(image):
    import cv2
    blue, green, red, _ = cv2.mean(image)
    return (cv2.mean(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))[0], blue, green, red)

