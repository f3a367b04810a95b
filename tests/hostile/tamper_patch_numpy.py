# hostile: monkeypatches the numpy comparisons a grader might use, then returns a wrong picture
# task: to_rgb
# expect: failed
import numpy

numpy.array_equal = lambda *a, **k: True
numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda a, b, *r, **k: numpy.ones(numpy.shape(a), bool)
numpy.testing.assert_array_equal = lambda *a, **k: None
numpy.mean = lambda *a, **k: 0.0
numpy.abs = lambda a, *r, **k: numpy.zeros_like(a)


def to_rgb(image):
    return image.copy()  # still BGR
