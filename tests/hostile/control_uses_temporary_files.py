# control: round-trips the picture through a temporary file and its working folder
# task: to_rgb
# expect: passed
import os
import tempfile

import cv2
import numpy


def to_rgb(image):
    with tempfile.NamedTemporaryFile(suffix=".npy", delete=False) as fh:
        numpy.save(fh, image)
    back = numpy.load(fh.name)
    os.unlink(fh.name)
    cv2.imwrite("scratch.png", back)
    again = cv2.imread("scratch.png")
    return cv2.cvtColor(again, cv2.COLOR_BGR2RGB)
