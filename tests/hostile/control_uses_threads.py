# control: swaps the channels in three threads
# task: to_rgb
# expect: passed
import threading

import numpy


def to_rgb(image):
    out = numpy.empty_like(image)

    def copy(channel):
        out[:, :, channel] = image[:, :, 2 - channel]

    threads = [threading.Thread(target=copy, args=(c,)) for c in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out
