"""Day 3 controls: RGB order, white bands, (x, y) read as [x, y], HSV of the wrong order; NumPy answers."""
from tests.controls import correct, wrong

# --- split_channels


@wrong("split_channels", expect="blue:")
def rgb_order(image):
    import cv2
    b, g, r = cv2.split(image)
    return r, g, b


@correct("split_channels")
def sliced(image):
    return image[:, :, 0], image[:, :, 1], image[:, :, 2]


@correct("split_channels")
def moved_axis(image):
    import numpy as np
    return tuple(np.moveaxis(image, 2, 0))


# --- keep_channel


@wrong("keep_channel", expect="a grayscale picture came back where a colour one")
def only_the_plane(image, channel):
    return image[:, :, channel].copy()


@wrong("keep_channel", expect="You zeroed the channel to keep and kept the other two")
def zeroes_the_kept_channel(image, channel):
    out = image.copy()
    out[:, :, channel] = 0
    return out


@correct("keep_channel")
def multiplied_by_a_mask(image, channel):
    import numpy as np
    keep = np.zeros(3, np.uint8)
    keep[channel] = 1
    return image * keep


@correct("keep_channel")
def merged(image, channel):
    import cv2
    import numpy as np
    planes = [np.zeros(image.shape[:2], np.uint8) for _ in range(3)]
    planes[channel] = cv2.extractChannel(image, channel)
    return cv2.merge(planes)


# --- paint_band


@wrong("paint_band", expect="in the right place but its colour differs, (255, 255, 255)")
def white_band(image, channel, start, stop, axis):
    out = image.copy()
    if axis == 0:
        out[start:stop] = 255
    else:
        out[:, start:stop] = 255
    return out


@wrong("paint_band", expect="where the reference drew nothing")
def rows_and_columns_swapped(image, channel, start, stop, axis):
    out = image.copy()
    if axis == 0:
        out[:, start:stop, channel] = 255
    else:
        out[start:stop, :, channel] = 255
    return out


@correct("paint_band")
def index_tuple(image, channel, start, stop, axis):
    import numpy as np
    out = image.copy()
    index = [slice(None), slice(None), channel]
    index[axis] = slice(start, stop)
    out[tuple(index)] = np.uint8(255)
    return out


# --- pixel_facts


@wrong("pixel_facts", expect="You read the pixel at image[x, y]", outcome="error")
def indexed_x_then_y(image, x, y):
    return (tuple(image.min(axis=(0, 1))), tuple(image.max(axis=(0, 1))), tuple(image[x, y]))


@wrong("pixel_facts", expect="minimum: expected")
def one_number_for_all_channels(image, x, y):
    return int(image.min()), int(image.max()), tuple(int(v) for v in image[y, x])


@correct("pixel_facts")
def min_max_loc_per_channel(image, x, y):
    import cv2
    lows, highs = [], []
    for c in range(3):
        lo, hi, _, _ = cv2.minMaxLoc(image[:, :, c])
        lows.append(int(lo))
        highs.append(int(hi))
    return tuple(lows), tuple(highs), image[y, x]


@correct("pixel_facts")
def reshaped(image, x, y):
    flat = image.reshape(-1, 3)
    return list(flat.min(axis=0)), list(flat.max(axis=0)), list(image[y][x])


# --- to_hsv


@wrong("to_hsv", expect="You converted with COLOR_RGB2HSV, reading the BGR picture")
def read_as_rgb(image):
    import cv2
    return cv2.cvtColor(image, cv2.COLOR_RGB2HSV)


@wrong("to_hsv", expect="Your hue runs 0..255 (COLOR_BGR2HSV_FULL)")
def full_hue_range(image):
    import cv2
    return cv2.cvtColor(image, cv2.COLOR_BGR2HSV_FULL)


@wrong("to_hsv", expect="0..1 float picture")
def skimage_floats(image):
    from skimage.color import rgb2hsv
    return rgb2hsv(image[:, :, ::-1])


@correct("to_hsv")
def skimage_scaled(image):
    import numpy as np
    from skimage.color import rgb2hsv
    hsv = rgb2hsv(image[:, :, ::-1])
    h = np.round(hsv[..., 0] * 180) % 180
    return np.stack([h, np.round(hsv[..., 1] * 255), np.round(hsv[..., 2] * 255)], axis=2).astype(np.uint8)


# --- colour_mask


@wrong("colour_mask", expect="IoU")
def bounds_on_bgr(image, lower, upper):
    import cv2
    import numpy as np
    return cv2.inRange(image, np.array(lower), np.array(upper))


@wrong("colour_mask", expect="You converted with COLOR_RGB2HSV, so the ring")
def hsv_of_rgb(image, lower, upper):
    import cv2
    import numpy as np
    return cv2.inRange(cv2.cvtColor(image, cv2.COLOR_RGB2HSV), np.array(lower), np.array(upper))


@wrong("colour_mask", expect="inverted")
def inverted_mask(image, lower, upper):
    import cv2
    import numpy as np
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    return cv2.bitwise_not(cv2.inRange(hsv, np.array(lower), np.array(upper)))


@correct("colour_mask")
def numpy_comparisons(image, lower, upper):
    import cv2
    import numpy as np
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    return np.all((hsv >= lower) & (hsv <= upper), axis=2)


@correct("colour_mask")
def skimage_hsv(image, lower, upper):
    import numpy as np
    from skimage.color import rgb2hsv
    hsv = rgb2hsv(image[:, :, ::-1]) * np.array([180, 255, 255])
    hsv[..., 0] %= 180
    hsv = np.round(hsv)
    return (np.all((hsv >= lower) & (hsv <= upper), axis=2) * 255).astype(np.uint8)


# --- ring_masks (challenge)


@wrong("ring_masks", expect="no tier yet")
def rings_read_as_rgb(image):
    import cv2
    import numpy as np
    h, s, v = cv2.split(cv2.cvtColor(image, cv2.COLOR_RGB2HSV))
    col = (s >= 120) & (v >= 70)
    return np.stack([col & (h >= 90) & (h <= 130), col & (h >= 10) & (h <= 35), v < 70,
                     col & (h >= 55) & (h <= 89), col & ((h >= 160) | (h <= 9))])


@wrong("ring_masks", expect="no tier yet")
def black_forgotten(image):
    import cv2
    import numpy as np
    h, s, v = cv2.split(cv2.cvtColor(image, cv2.COLOR_BGR2HSV))
    col = (s >= 90) & (v >= 70)
    return np.stack([col & (h >= 90) & (h <= 130), col & (h >= 10) & (h <= 35), np.zeros_like(col),
                     col & (h >= 55) & (h <= 89), col & ((h >= 160) | (h <= 9))])


@wrong("ring_masks", expect="no tier yet")
def official_bgr_within_80(image):
    import numpy as np
    colours = [(200, 129, 0), (49, 177, 252), (0, 0, 0), (81, 166, 0), (78, 51, 238)]
    return np.stack([np.all(np.abs(image.astype(int) - c) <= 80, axis=2) for c in colours])


@correct("ring_masks")
def hsv_thresholds_without_blur(image):
    import cv2
    import numpy as np
    h, s, v = cv2.split(cv2.cvtColor(image, cv2.COLOR_BGR2HSV))
    col = (s >= 120) & (v >= 70)
    return np.stack([col & (h >= 90) & (h <= 130), col & (h >= 10) & (h <= 35), v < 70,
                     col & (h >= 55) & (h <= 89), col & ((h >= 160) | (h <= 9))])
