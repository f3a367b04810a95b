# hostile: fills memory into a module-level list to the last byte, catches its own MemoryError, keeps it all
# task: to_rgb
# expect: failed
# if-portable: error
import numpy

HOARD = []


def to_rgb(image):
    for size in (64 << 20, 1 << 20, 4096, 64):
        try:
            while True:
                HOARD.append(numpy.empty(size, numpy.uint8))
        except MemoryError:
            pass
    return image  # unchanged, and no memory left to do anything else
