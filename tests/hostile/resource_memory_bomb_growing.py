# hostile: grows a list of 16 MiB arrays until memory runs out
# task: to_rgb
# expect: error
# phrase: used too much memory
import numpy


def to_rgb(image):
    blocks = []
    while True:
        blocks.append(numpy.empty(16 << 20, numpy.uint8))
