# control: uses 400 MB of scratch memory, well inside the limit, then returns the right answer
# task: to_rgb
# expect: passed
import numpy


def to_rgb(image):
    scratch = numpy.ones((400, 1024, 1024), numpy.uint8)
    assert int(scratch[::100, ::100, ::100].sum()) > 0
    del scratch
    return numpy.ascontiguousarray(numpy.flip(image, axis=2))
