# hostile: monkeypatches OpenCV's comparison functions, then returns a wrong picture
# task: to_rgb
# expect: failed
import cv2
import numpy

cv2.norm = lambda *a, **k: 0.0
cv2.absdiff = lambda a, b, *r: numpy.zeros_like(a)
cv2.compare = lambda a, b, op, *r: numpy.full_like(a, 255)
cv2.PSNR = lambda *a, **k: float("inf")


def to_rgb(image):
    return image.copy()
