"""Day 3 - Play with colour: reference solutions."""
import cv2
import numpy as np


def split_channels(image):
    # OpenCV's channel order is blue, green, red.
    b, g, r = cv2.split(image)
    return b, g, r


def keep_channel(image, channel):
    # Start from black and copy back the one plane that stays.
    out = np.zeros_like(image)
    out[:, :, channel] = image[:, :, channel]
    return out


def paint_band(image, channel, start, stop, axis):
    # Only one channel goes to 255; the other two keep their values.
    out = image.copy()
    if axis == 0:
        out[start:stop, :, channel] = 255
    else:
        out[:, start:stop, channel] = 255
    return out


def pixel_facts(image, x, y):
    # Reduce over rows and columns (axes 0 and 1) to keep one number per channel.
    minimum = tuple(int(v) for v in image.min(axis=(0, 1)))
    maximum = tuple(int(v) for v in image.max(axis=(0, 1)))
    pixel = tuple(int(v) for v in image[y, x])  # row y, column x
    return minimum, maximum, pixel


def to_hsv(image):
    # OpenCV's 8-bit HSV: hue 0..179 (degrees halved), saturation and value 0..255.
    return cv2.cvtColor(image, cv2.COLOR_BGR2HSV)


def colour_mask(image, lower, upper):
    # inRange keeps pixels whose three HSV values all lie within the bounds.
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    return cv2.inRange(hsv, np.array(lower, np.uint8), np.array(upper, np.uint8))


# Hue ranges (OpenCV's 0..179) of the coloured rings; red wraps around 0.
HUES = {"blue": [(90, 130)], "yellow": [(10, 35)], "green": [(55, 89)], "red": [(160, 179), (0, 9)]}


def ring_masks(image):
    # A small median blur removes most of the noise without moving the rings' edges.
    hsv = cv2.cvtColor(cv2.medianBlur(image, 3), cv2.COLOR_BGR2HSV)
    h, s, v = cv2.split(hsv)
    # Coloured rings are strongly saturated and not too dark; the grey background
    # has low saturation even where the light is warm.
    coloured = (s >= 120) & (v >= 70)
    masks = {}
    for name, ranges in HUES.items():
        hue = np.zeros(h.shape, bool)
        for lo, hi in ranges:
            hue |= (h >= lo) & (h <= hi)
        masks[name] = coloured & hue
    # Black has no hue; it is simply dark.
    masks["black"] = v < 70
    return np.stack([masks[n] for n in ("blue", "yellow", "black", "green", "red")]).astype(np.uint8) * 255
