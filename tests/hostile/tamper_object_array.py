# hostile: returns an object array holding the right picture and an object that equals anything
# task: to_rgb
# expect: failed
import numpy


class Yes:
    def __eq__(self, other):
        return True


def to_rgb(image):
    out = numpy.empty(2, dtype=object)
    out[0] = image[:, :, ::-1].copy()
    out[1] = Yes()
    return out
