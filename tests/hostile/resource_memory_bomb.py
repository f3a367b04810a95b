# hostile: asks numpy for 64 GiB at once
# task: to_rgb
# expect: error
# phrase: used too much memory
import numpy


def to_rgb(image):
    return numpy.ones((1 << 36,), numpy.uint8)
