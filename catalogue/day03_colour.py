"""Day 3 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day03.toml lists them.
"""
import cv2
import numpy as np


# --- split_channels


def split_channels__sliced(image):
    return (image[:, :, 0], image[:, :, 1], image[:, :, 2])


def split_channels__moved_axis(image):
    import numpy as np
    return tuple(np.moveaxis(image, 2, 0))


def split_channels__rgb_order(image):
    import cv2
    b, g, r = cv2.split(image)
    return (r, g, b)


# --- keep_channel


def keep_channel__multiplied_by_a_mask(image, channel):
    import numpy as np
    keep = np.zeros(3, np.uint8)
    keep[channel] = 1
    return image * keep


def keep_channel__merged(image, channel):
    import cv2
    import numpy as np
    planes = [np.zeros(image.shape[:2], np.uint8) for _ in range(3)]
    planes[channel] = cv2.extractChannel(image, channel)
    return cv2.merge(planes)


def keep_channel__only_the_plane(image, channel):
    return image[:, :, channel].copy()


def keep_channel__zeroes_the_kept_channel(image, channel):
    out = image.copy()
    out[:, :, channel] = 0
    return out


# --- paint_band


def paint_band__index_tuple(image, channel, start, stop, axis):
    import numpy as np
    out = image.copy()
    index = [slice(None), slice(None), channel]
    index[axis] = slice(start, stop)
    out[tuple(index)] = np.uint8(255)
    return out


def paint_band__white_band(image, channel, start, stop, axis):
    out = image.copy()
    if axis == 0:
        out[start:stop] = 255
    else:
        out[:, start:stop] = 255
    return out


def paint_band__rows_and_columns_swapped(image, channel, start, stop, axis):
    out = image.copy()
    if axis == 0:
        out[:, start:stop, channel] = 255
    else:
        out[start:stop, :, channel] = 255
    return out


# --- pixel_facts


def pixel_facts__min_max_loc_per_channel(image, x, y):
    import cv2
    lows, highs = ([], [])
    for c in range(3):
        lo, hi, _, _ = cv2.minMaxLoc(image[:, :, c])
        lows.append(int(lo))
        highs.append(int(hi))
    return (tuple(lows), tuple(highs), image[y, x])


def pixel_facts__reshaped(image, x, y):
    flat = image.reshape(-1, 3)
    return (list(flat.min(axis=0)), list(flat.max(axis=0)), list(image[y][x]))


def pixel_facts__one_number_for_all_channels(image, x, y):
    return (int(image.min()), int(image.max()), tuple((int(v) for v in image[y, x])))


# --- to_hsv


def to_hsv__skimage_scaled(image):
    import numpy as np
    from skimage.color import rgb2hsv
    hsv = rgb2hsv(image[:, :, ::-1])
    h = np.round(hsv[..., 0] * 180) % 180
    return np.stack([h, np.round(hsv[..., 1] * 255), np.round(hsv[..., 2] * 255)], axis=2).astype(np.uint8)


def to_hsv__read_as_rgb(image):
    import cv2
    return cv2.cvtColor(image, cv2.COLOR_RGB2HSV)


def to_hsv__full_hue_range(image):
    import cv2
    return cv2.cvtColor(image, cv2.COLOR_BGR2HSV_FULL)


def to_hsv__skimage_floats(image):
    from skimage.color import rgb2hsv
    return rgb2hsv(image[:, :, ::-1])


# --- colour_mask


def colour_mask__numpy_comparisons(image, lower, upper):
    import cv2
    import numpy as np
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    return np.all((hsv >= lower) & (hsv <= upper), axis=2)


def colour_mask__skimage_hsv(image, lower, upper):
    import numpy as np
    from skimage.color import rgb2hsv
    hsv = rgb2hsv(image[:, :, ::-1]) * np.array([180, 255, 255])
    hsv[..., 0] %= 180
    hsv = np.round(hsv)
    return (np.all((hsv >= lower) & (hsv <= upper), axis=2) * 255).astype(np.uint8)


def colour_mask__bounds_on_bgr(image, lower, upper):
    import cv2
    import numpy as np
    return cv2.inRange(image, np.array(lower), np.array(upper))


def colour_mask__hsv_of_rgb(image, lower, upper):
    import cv2
    import numpy as np
    return cv2.inRange(cv2.cvtColor(image, cv2.COLOR_RGB2HSV), np.array(lower), np.array(upper))


def colour_mask__inverted_mask(image, lower, upper):
    import cv2
    import numpy as np
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    return cv2.bitwise_not(cv2.inRange(hsv, np.array(lower), np.array(upper)))


# --- ring_masks


def ring_masks__hsv_thresholds_without_blur(image):
    import cv2
    import numpy as np
    h, s, v = cv2.split(cv2.cvtColor(image, cv2.COLOR_BGR2HSV))
    col = (s >= 120) & (v >= 70)
    return np.stack([col & (h >= 90) & (h <= 130), col & (h >= 10) & (h <= 35), v < 70, col & (h >= 55) & (h <= 89), col & ((h >= 160) | (h <= 9))])


def ring_masks__rings_read_as_rgb(image):
    import cv2
    import numpy as np
    h, s, v = cv2.split(cv2.cvtColor(image, cv2.COLOR_RGB2HSV))
    col = (s >= 120) & (v >= 70)
    return np.stack([col & (h >= 90) & (h <= 130), col & (h >= 10) & (h <= 35), v < 70, col & (h >= 55) & (h <= 89), col & ((h >= 160) | (h <= 9))])


def ring_masks__black_forgotten(image):
    import cv2
    import numpy as np
    h, s, v = cv2.split(cv2.cvtColor(image, cv2.COLOR_BGR2HSV))
    col = (s >= 90) & (v >= 70)
    return np.stack([col & (h >= 90) & (h <= 130), col & (h >= 10) & (h <= 35), np.zeros_like(col), col & (h >= 55) & (h <= 89), col & ((h >= 160) | (h <= 9))])


def ring_masks__official_bgr_within_80(image):
    import numpy as np
    colours = [(200, 129, 0), (49, 177, 252), (0, 0, 0), (81, 166, 0), (78, 51, 238)]
    return np.stack([np.all(np.abs(image.astype(int) - c) <= 80, axis=2) for c in colours])


def colour_mask__hsv_full(image, lower, upper):
    import cv2
    import numpy as np
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV_FULL)  # hue 0..255, bounds given on 0..179
    return cv2.inRange(hsv, np.array(lower, np.uint8), np.array(upper, np.uint8))


# --- more entries


def split_channels__colour_planes(image):
    import numpy as np
    planes = []
    for c in range(3):
        out = np.zeros_like(image)
        out[..., c] = image[..., c]  # a colour picture per channel, where a 2-D plane was asked for
        planes.append(out)
    return tuple(planes)


def pixel_facts__numpy_per_channel(image, x, y):
    mins = tuple(int(image[..., c].min()) for c in range(image.shape[2]))
    maxs = tuple(int(image[..., c].max()) for c in range(image.shape[2]))
    return mins, maxs, tuple(int(v) for v in image[y, x])


def pixel_facts__pixel_as_rgb(image, x, y):
    mins = tuple(int(v) for v in image.min(axis=(0, 1)))
    maxs = tuple(int(v) for v in image.max(axis=(0, 1)))
    return mins, maxs, tuple(int(v) for v in image[y, x][::-1])


def keep_channel__keeps_two(image, channel):
    out = image.copy()
    out[:, :, (channel + 1) % 3] = 0  # zeroes only one of the other two
    return out


def paint_band__numpy_take_put(image, channel, start, stop, axis):
    import numpy as np
    out = image.copy()
    index = [slice(None)] * 3
    index[axis] = slice(start, stop)
    index[2] = channel
    out[tuple(index)] = 255
    return out


def paint_band__stop_inclusive(image, channel, start, stop, axis):
    out = image.copy()
    if axis == 0:
        out[start:stop + 1, :, channel] = 255
    else:
        out[:, start:stop + 1, channel] = 255
    return out


def to_hsv__numpy_formula(image):
    import numpy as np
    x = image.astype(np.float64)
    b, g, r = x[..., 0], x[..., 1], x[..., 2]
    v = x.max(axis=2)
    mn = x.min(axis=2)
    d = v - mn
    s = np.where(v > 0, 255 * d / np.where(v > 0, v, 1), 0)
    safe = np.where(d > 0, d, 1)
    h = np.where(v == r, 60 * (g - b) / safe, np.where(v == g, 120 + 60 * (b - r) / safe, 240 + 60 * (r - g) / safe))
    h = np.where(d > 0, h, 0) % 360
    out = np.stack([np.round(h / 2) % 180, np.round(s), v], axis=2)
    return out.astype(np.uint8)


def pixel_facts__point_as_row_col(image, x, y):
    mins = tuple(int(v) for v in image.min(axis=(0, 1)))
    maxs = tuple(int(v) for v in image.max(axis=(0, 1)))
    return mins, maxs, tuple(int(v) for v in image[x, y])  # (x, y) read as (row, column)
