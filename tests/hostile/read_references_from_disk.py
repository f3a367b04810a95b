# hostile: copies the expected answer out of reference_images/ instead of computing it
# task: to_rgb
# expect: failed
# if-off references hidden: passed
import os

import cv2

COURSE = "__COURSE__"


def to_rgb(image):
    folder = os.path.join(COURSE, "reference_images", "expected", "day01", "to_rgb")
    try:
        for name in sorted(os.listdir(folder)):
            if name.endswith(".png"):
                ref = cv2.imread(os.path.join(folder, name), cv2.IMREAD_UNCHANGED)
                if ref is not None and ref.shape == image.shape:
                    return ref
    except OSError:
        pass
    return image.copy()  # nothing found: still BGR
