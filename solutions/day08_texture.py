"""Day 8 - Statistics and texture: reference solutions."""
import cv2
import numpy as np
from skimage.feature import graycomatrix, graycoprops

ANGLES = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]
PROPERTIES = ["contrast", "dissimilarity", "homogeneity", "energy", "correlation", "ASM"]


def channel_means(image):
    # The gray picture is OpenCV's own conversion; each channel is a plane.
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    blue, green, red = (float(image[:, :, c].mean()) for c in range(3))
    return (float(gray.mean()), blue, green, red)


def moments(gray):
    # Population statistics (no n - 1), from the standardised values z.
    # Fisher's kurtosis subtracts 3, so a normal distribution scores 0.
    # (scipy.stats.skew and scipy.stats.kurtosis give the same numbers.)
    x = gray.astype(np.float64).ravel()
    z = (x - x.mean()) / x.std()
    return (float(x.mean()), float(x.std()), float((z ** 3).mean()), float((z ** 4).mean() - 3))


def histogram(gray):
    # One bin per grey level 0..255; bincount never merges the last two.
    return np.bincount(gray.ravel(), minlength=256)


def quantize(gray, levels):
    # Integer division maps 0..255 onto 0..levels-1 in equal steps.
    return (gray // (256 // levels)).astype(np.uint8)


def glcm(gray, levels):
    # Count neighbour pairs at distance 1 in four directions, both ways round
    # (symmetric), as shares of all pairs (normed).
    return graycomatrix(quantize(gray, levels), distances=[1], angles=ANGLES, levels=levels,
                        symmetric=True, normed=True)


def glcm_properties(gray, levels):
    matrix = glcm(gray, levels)
    return {name: graycoprops(matrix, name)[0] for name in PROPERTIES}


def _features(patch):
    # Six GLCM properties, each averaged over the four angles: a texture's
    # fingerprint that does not care which way the patch is turned.
    props = glcm_properties(patch, 16)
    return np.array([props[name].mean() for name in PROPERTIES])


def classify_textures(train_patches, train_labels, test_patches):
    # Nearest centroid on standardised features: each texture is the average
    # fingerprint of its training patches; a test patch takes the nearest one.
    train = np.array([_features(p) for p in train_patches])
    test = np.array([_features(p) for p in test_patches])
    mean, spread = train.mean(axis=0), train.std(axis=0) + 1e-12
    train, test = (train - mean) / spread, (test - mean) / spread
    labels = np.array(train_labels)
    names = sorted(set(train_labels))
    centroids = np.array([train[labels == name].mean(axis=0) for name in names])
    distances = ((test[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return [names[i] for i in distances.argmin(axis=1)]
