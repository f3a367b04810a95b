"""Day 8 controls: statistics and GLCM mistakes, and correct answers written with SciPy or plain NumPy."""
from tests.controls import correct, wrong

# --- channel_means


@wrong("channel_means", expect="Your channel means are in RGB order (blue")
def red_first(image):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return (float(gray.mean()), float(image[..., 2].mean()), float(image[..., 1].mean()), float(image[..., 0].mean()))


@wrong("channel_means", expect="gray: expected")
def scikit_image_gray(image):
    from skimage.color import rgb2gray
    gray = rgb2gray(image[..., ::-1]) * 255  # BT.709 weights, not OpenCV's
    return (float(gray.mean()),) + tuple(float(image[..., c].mean()) for c in range(3))


@correct("channel_means")
def numpy_weights(image):
    import numpy as np
    means = image.reshape(-1, 3).mean(axis=0)
    gray = 0.114 * means[0] + 0.587 * means[1] + 0.299 * means[2]  # the mean of a weighted sum
    return (gray, *means.tolist())


# --- moments


@wrong("moments", expect="You gave Pearson")
def pearson_kurtosis(gray):
    from scipy import stats
    x = gray.ravel().astype(float)
    return (x.mean(), x.std(), stats.skew(x), stats.kurtosis(x, fisher=False))


@wrong("moments", expect="std: expected")
def variance_for_spread(gray):
    from scipy import stats
    x = gray.ravel().astype(float)
    return (x.mean(), x.var(), stats.skew(x), stats.kurtosis(x))


@correct("moments")
def scipy_stats(gray):
    from scipy import stats
    x = gray.ravel().astype(float)
    return (x.mean(), x.std(), stats.skew(x), stats.kurtosis(x))


@correct("moments")
def unbiased_estimates(gray):
    # Sample statistics (as pandas reports them) differ by far less than the tolerance on a picture.
    from scipy import stats
    x = gray.ravel().astype(float)
    return (x.mean(), x.std(ddof=1), stats.skew(x, bias=False), stats.kurtosis(x, bias=False))


# --- histogram


@wrong("histogram", expect="values are off")
def bins_over_the_picture_range(gray):
    import numpy as np
    counts, _ = np.histogram(gray, bins=256)
    return counts


@wrong("histogram", expect="values are off")
def shares_not_counts(gray):
    import numpy as np
    return np.histogram(gray, bins=256, range=(0, 256), density=True)[0]


@correct("histogram")
def opencv_calc_hist(gray):
    import cv2
    return cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel()


@correct("histogram")
def numpy_histogram_full_range(gray):
    import numpy as np
    return np.histogram(gray, bins=256, range=(0, 256))[0]


# --- quantize


@wrong("quantize", expect="You rounded gray / 16, which makes 17 levels")
def rounded(gray, levels):
    import numpy as np
    return np.round(gray / (256 // levels)).astype(np.uint8)


@wrong("quantize", expect="You kept the 0..255 scale (0, 16, 32, ...)")
def kept_the_scale(gray, levels):
    step = 256 // levels
    return gray // step * step


@correct("quantize")
def bit_shift(gray, levels):
    import numpy as np
    return np.right_shift(gray, int(np.log2(256 // levels)))


# --- glcm


@wrong("glcm", expect="not symmetric: pass symmetric=True")
def not_symmetric(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix
    return graycomatrix(gray // (256 // levels), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels,
                        normed=True)


@wrong("glcm", expect="pass normed=True")
def not_normed(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix
    return graycomatrix(gray // (256 // levels), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels,
                        symmetric=True)


@wrong("glcm", expect="Your angles come in the order 0°, 90°, 45°, 135°")
def angles_by_axis_first(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix
    return graycomatrix(gray // (256 // levels), [1], [0, np.pi / 2, np.pi / 4, 3 * np.pi / 4], levels=levels,
                        symmetric=True, normed=True)


@wrong("glcm", expect="given in degrees")
def angles_in_degrees(gray, levels):
    from skimage.feature import graycomatrix
    return graycomatrix(gray // (256 // levels), [1], [0, 45, 90, 135], levels=levels, symmetric=True, normed=True)


@wrong("glcm", expect="Your matrix counts 256 grey levels")
def not_quantised(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix
    return graycomatrix(gray, [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=256, symmetric=True, normed=True)


@wrong("glcm", expect="use `from skimage.feature import graycomatrix, graycoprops`", outcome="error")
def old_tutorial_name(gray, levels):
    import numpy as np
    from skimage.feature import greycomatrix
    return greycomatrix(gray // 16, [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels,
                        symmetric=True, normed=True)


@correct("glcm")
def numpy_glcm(gray, levels):
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


# --- glcm_properties


@wrong("glcm_properties", expect="not symmetric: pass symmetric=True")
def props_not_symmetric(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix, graycoprops
    p = graycomatrix(gray // (256 // levels), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels,
                     normed=True)
    return {n: graycoprops(p, n)[0] for n in ["contrast", "dissimilarity", "homogeneity", "energy", "correlation",
                                              "ASM"]}


@wrong("glcm_properties", expect="energy is the square root of ASM")
def energy_is_asm(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix, graycoprops
    p = graycomatrix(gray // (256 // levels), [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=levels,
                     symmetric=True, normed=True)
    out = {n: graycoprops(p, n)[0] for n in ["contrast", "dissimilarity", "homogeneity", "correlation", "ASM"]}
    out["energy"] = (p[:, :, 0, :] ** 2).sum(axis=(0, 1))
    return out


@wrong("glcm_properties", expect="come from 256 grey levels, not 16")
def props_not_quantised(gray, levels):
    import numpy as np
    from skimage.feature import graycomatrix, graycoprops
    p = graycomatrix(gray, [1], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=256, symmetric=True, normed=True)
    return {n: graycoprops(p, n)[0] for n in ["contrast", "dissimilarity", "homogeneity", "energy", "correlation",
                                              "ASM"]}


@wrong("glcm_properties", expect="given in degrees")
def props_in_degrees(gray, levels):
    from skimage.feature import graycomatrix, graycoprops
    p = graycomatrix(gray // (256 // levels), [1], [0, 45, 90, 135], levels=levels, symmetric=True, normed=True)
    return {n: graycoprops(p, n)[0] for n in ["contrast", "dissimilarity", "homogeneity", "energy", "correlation",
                                              "ASM"]}


@correct("glcm_properties")
def numpy_properties(gray, levels):
    import numpy as np
    q = (gray // (256 // levels)).astype(np.int64)
    h, w = q.shape
    i, j = np.mgrid[0:levels, 0:levels].astype(float)
    out = {n: [] for n in ["contrast", "dissimilarity", "homogeneity", "energy", "correlation", "ASM"]}
    for dr, dc in [(0, 1), (1, 1), (1, 0), (1, -1)]:
        a = q[max(0, -dr):h - max(0, dr), max(0, -dc):w - max(0, dc)]
        b = q[max(0, -dr) + dr:h - max(0, dr) + dr, max(0, -dc) + dc:w - max(0, dc) + dc]
        p = np.bincount((a * levels + b).ravel(), minlength=levels * levels).reshape(levels, levels).astype(float)
        p = p + p.T
        p /= p.sum()
        mi, mj = (i * p).sum(), (j * p).sum()
        si, sj = np.sqrt((p * (i - mi) ** 2).sum()), np.sqrt((p * (j - mj) ** 2).sum())
        out["contrast"].append((p * (i - j) ** 2).sum())
        out["dissimilarity"].append((p * np.abs(i - j)).sum())
        out["homogeneity"].append((p / (1 + (i - j) ** 2)).sum())
        out["ASM"].append((p ** 2).sum())
        out["energy"].append(np.sqrt((p ** 2).sum()))
        out["correlation"].append((p * (i - mi) * (j - mj)).sum() / (si * sj))
    return {k: np.array(v) for k, v in out.items()}


# --- classify_textures (challenge: wrong answers stay below bronze, correct ones reach a tier)


@wrong("classify_textures", expect="no tier yet")
def always_brick(train_patches, train_labels, test_patches):
    return ["brick"] * len(test_patches)


@wrong("classify_textures", expect="no tier yet")
def by_brightness(train_patches, train_labels, test_patches):
    import numpy as np
    names = sorted(set(train_labels))
    labels = np.array(train_labels)
    centres = {n: np.mean([p.mean() for p, lab in zip(train_patches, labels) if lab == n]) for n in names}
    return [min(names, key=lambda n: abs(p.mean() - centres[n])) for p in test_patches]


@correct("classify_textures")
def histogram_nearest_centroid(train_patches, train_labels, test_patches):
    # First-order only: a 16-bin histogram per patch; enough for silver here.
    import numpy as np
    def feat(p):
        return np.bincount((p // 16).ravel(), minlength=16) / p.size
    train = np.array([feat(p) for p in train_patches])
    test = np.array([feat(p) for p in test_patches])
    mu, sd = train.mean(0), train.std(0) + 1e-9
    train, test = (train - mu) / sd, (test - mu) / sd
    labels = np.array(train_labels)
    names = sorted(set(train_labels))
    cents = np.array([train[labels == n].mean(0) for n in names])
    return [names[k] for k in ((test[:, None] - cents[None]) ** 2).sum(2).argmin(1)]
