# control: crops with numpy.take along each axis
# task: crop
# expect: passed
import numpy


def crop(image, x, y, width, height):
    rows = numpy.take(image, numpy.arange(y, y + height), axis=0)
    return numpy.take(rows, numpy.arange(x, x + width), axis=1)
