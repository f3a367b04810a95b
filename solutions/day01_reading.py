"""Day 1 - Read and manipulate images: reference solutions."""
import cv2
import numpy as np


def read_image(path, gray=False):
    # cv2.imread never raises for a missing file; it returns None, so check.
    flags = cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR
    image = cv2.imread(str(path), flags)
    if image is None:
        raise FileNotFoundError(f"no picture could be read from {path}")
    return image


def to_rgb(image):
    # Reversing the channel axis turns BGR into RGB.
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def shape_of(image):
    # NumPy shapes list rows (height) first; gray pictures have no channel axis.
    height, width = image.shape[:2]
    channels = image.shape[2] if image.ndim == 3 else 1
    return (int(height), int(width), int(channels))


def pick(image, x, y, channel):
    # Rows are y and columns are x: index [y, x], never [x, y].
    plane = image[:, :, channel].copy()
    return plane, int(image[y, x, channel])


def crop(image, x, y, width, height):
    # Slicing takes rows (y) first, then columns (x).
    return image[y:y + height, x:x + width].copy()


def resize(image, width, height):
    # dsize is (width, height); INTER_AREA averages when shrinking, and
    # behaves like bilinear interpolation when enlarging.
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)


def flip_rotate(image, action):
    # flipCode 1 mirrors around the vertical axis (left-right), 0 around the horizontal one.
    if action == "flip_horizontal":
        return cv2.flip(image, 1)
    if action == "flip_vertical":
        return cv2.flip(image, 0)
    if action == "rotate_cw":
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    if action == "rotate_ccw":
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)
    raise ValueError(f"unknown action {action!r}")


def montage(images, height):
    # Scale every picture to the same height, keep its proportions, make it
    # 3-channel, and join the row left to right.
    parts = []
    for image in images:
        h, w = image.shape[:2]
        width = round(w * height / h)
        scaled = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
        if scaled.ndim == 2:
            scaled = cv2.cvtColor(scaled, cv2.COLOR_GRAY2BGR)
        parts.append(scaled)
    return np.hstack(parts)
