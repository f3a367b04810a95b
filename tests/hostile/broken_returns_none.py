# hostile: computes the answer but forgets to return it
# task: to_rgb
# expect: failed
# phrase: did you forget to `return` it?
import cv2


def to_rgb(image):
    cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
