# hostile: returns a numpy subclass whose comparisons and reductions always agree
# task: to_rgb
# expect: failed
import numpy


class Agreeable(numpy.ndarray):
    def __eq__(self, other):
        return numpy.ones(self.shape, bool)

    def __ne__(self, other):
        return numpy.zeros(self.shape, bool)

    def __sub__(self, other):
        return numpy.zeros(self.shape, self.dtype)

    def all(self, *a, **k):
        return True


def to_rgb(image):
    return image.copy().view(Agreeable)  # still BGR underneath
