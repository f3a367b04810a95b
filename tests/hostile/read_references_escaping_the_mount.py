# hostile: makes its own user and mount namespace to unmount what hides reference_images/, then copies
# task: to_rgb
# expect: failed
# if-off references hidden: passed
import ctypes
import os

import cv2

COURSE = "__COURSE__"


def to_rgb(image):
    libc = ctypes.CDLL(None, use_errno=True)
    folder = os.path.join(COURSE, "reference_images", "expected", "day01", "to_rgb")
    if libc.unshare(0x10000000 | 0x00020000) == 0:  # CLONE_NEWUSER | CLONE_NEWNS
        for target in (os.path.join(COURSE, "reference_images"), COURSE, "/"):
            libc.umount2(target.encode(), 2)
    try:
        for name in sorted(os.listdir(folder)):
            ref = cv2.imread(os.path.join(folder, name), cv2.IMREAD_UNCHANGED)
            if ref is not None and ref.shape == image.shape:
                return ref
    except OSError:
        pass
    return image.copy()
