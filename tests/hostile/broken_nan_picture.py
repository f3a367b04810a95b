# hostile: returns a picture full of NaN
# task: to_rgb
# expect: failed
import numpy


def to_rgb(image):
    return numpy.full(image.shape, numpy.nan)
