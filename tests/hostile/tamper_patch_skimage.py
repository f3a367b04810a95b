# hostile: replaces scikit-image's SSIM with one that always says 1.0, then returns a blank picture
# task: resize
# expect: failed
import numpy
import skimage.metrics

skimage.metrics.structural_similarity = lambda *a, **k: 1.0
skimage.metrics.mean_squared_error = lambda *a, **k: 0.0
skimage.metrics.peak_signal_noise_ratio = lambda *a, **k: float("inf")


def resize(image, width, height):
    shape = (height, width) + image.shape[2:]
    return numpy.zeros(shape, image.dtype)
