# hostile: returns a 1.2 GB array
# task: to_rgb
# expect: failed
# phrase: larger than
import numpy


def to_rgb(image):
    return numpy.zeros((20000, 20000, 3), numpy.uint8)
