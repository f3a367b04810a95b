"""Day 1 controls: the classic mistakes, and correct answers written another way."""
from tests.controls import correct, wrong

# --- read_image


@wrong("read_image", expect="red and blue swapped")
def skimage_rgb(path, gray=False):
    import skimage.io
    return skimage.io.imread(path, as_gray=gray)


@wrong("read_image", expect="instead of raising FileNotFoundError")
def no_none_check(path, gray=False):
    import cv2
    return cv2.imread(path, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)


@wrong("read_image", expect="by more than 1 grey level")
def gray_bt709(path, gray=False):
    import cv2
    import numpy as np
    from skimage.color import rgb2gray
    image = cv2.imread(path)
    if image is None:
        raise FileNotFoundError(path)
    if gray:
        return (rgb2gray(image[:, :, ::-1]) * 255).round().astype(np.uint8)
    return image


@wrong("read_image", expect="raise FileNotFoundError instead")
def generic_exception(path, gray=False):
    import cv2
    image = cv2.imread(path, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)
    if image is None:
        raise Exception("bad file " + path)
    return image


@correct("read_image")
def skimage_then_bgr(path, gray=False):
    import os
    import cv2
    import skimage.io
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} does not exist")
    rgb = skimage.io.imread(path)
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if gray else bgr


@correct("read_image")
def imdecode(path, gray=False):
    import cv2
    import numpy as np
    data = np.fromfile(path, np.uint8)
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)


# --- to_rgb


@wrong("to_rgb", expect="You returned the input picture unchanged")
def unchanged(image):
    return image


@wrong("to_rgb", expect="every pixel whose blue and green differ")
def swaps_blue_and_green(image):
    return image[:, :, [1, 0, 2]].copy()


@correct("to_rgb")
def reversed_axis(image):
    return image[:, :, ::-1].copy()


@correct("to_rgb")
def fancy_index(image):
    return image[..., [2, 1, 0]]


# --- shape_of


@wrong("shape_of", expect="a NumPy shape is (height, width, channels)")
def width_first(image):
    channels = image.shape[2] if image.ndim == 3 else 1
    return (image.shape[1], image.shape[0], channels)


@wrong("shape_of", expect="ValueError", outcome="error")
def assumes_three_axes(image):
    height, width, channels = image.shape
    return (height, width, channels)


@correct("shape_of")
def padded_shape(image):
    import numpy as np
    return np.atleast_3d(image).shape


# --- pick


@wrong("pick", expect="You read image[x, y], another pixel")
def x_and_y_swapped(image, x, y, channel):
    return image[:, :, channel], int(image[x, y, channel])


@wrong("pick", expect="plane:")
def wrong_channel_axis(image, x, y, channel):
    return image[channel], int(image[y, x, channel])


@correct("pick")
def numpy_scalar_value(image, x, y, channel):
    return image[..., channel], image[y, x][channel]


# --- crop


@wrong("crop", expect="has its height and width swapped")
def x_and_y_swapped_crop(image, x, y, width, height):
    return image[x:x + width, y:y + height]


@wrong("crop", expect="one row or column too big or too small")
def one_pixel_too_many(image, x, y, width, height):
    return image[y:y + height + 1, x:x + width + 1]


@correct("crop")
def skimage_crop(image, x, y, width, height):
    from skimage.util import crop
    h, w = image.shape[:2]
    pad = ((y, h - y - height), (x, w - x - width)) + (((0, 0),) if image.ndim == 3 else ())
    return crop(image, pad, copy=True)


# --- resize


@wrong("resize", expect="has its height and width swapped")
def dsize_as_shape(image, width, height):
    import cv2
    return cv2.resize(image, (height, width))


@wrong("resize", expect="not close enough")
def crops_instead(image, width, height):
    import cv2
    out = image[:height, :width]
    return cv2.copyMakeBorder(out, 0, height - out.shape[0], 0, width - out.shape[1], cv2.BORDER_REPLICATE)


@correct("resize")
def bilinear(image, width, height):
    import cv2
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)


@correct("resize")
def skimage_resize(image, width, height):
    import numpy as np
    from skimage.transform import resize as sk_resize
    out = sk_resize(image, (height, width), anti_aliasing=True, preserve_range=True)
    return out.round().astype(np.uint8)


# --- flip_rotate


@wrong("flip_rotate", expect="flipped along the other axis")
def flip_codes_swapped(image, action):
    import cv2
    if action == "flip_horizontal":
        return cv2.flip(image, 0)
    if action == "flip_vertical":
        return cv2.flip(image, 1)
    if action == "rotate_cw":
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)


@wrong("flip_rotate", expect="is turned the wrong way")
def rotations_swapped(image, action):
    import numpy as np
    if action == "flip_horizontal":
        return np.fliplr(image).copy()
    if action == "flip_vertical":
        return np.flipud(image).copy()
    return np.rot90(image, k=1 if action == "rotate_cw" else -1).copy()


@wrong("flip_rotate", expect="mirrored left to right")
def transpose_for_rotation(image, action):
    import cv2
    import numpy as np
    if action.startswith("rotate"):
        return np.ascontiguousarray(image.transpose(1, 0, 2))
    return cv2.flip(image, 1 if action == "flip_horizontal" else 0)


@correct("flip_rotate")
def numpy_only(image, action):
    import numpy as np
    out = {"flip_horizontal": lambda: np.fliplr(image), "flip_vertical": lambda: np.flipud(image),
           "rotate_cw": lambda: np.rot90(image, k=-1), "rotate_ccw": lambda: np.rot90(image, k=1)}[action]()
    return np.ascontiguousarray(out)


# --- montage (challenge: wrong answers stay below bronze, correct ones reach a tier)


@wrong("montage", expect="no tier yet")
def squashed_squares(images, height):
    import cv2
    import numpy as np
    parts = []
    for image in images:
        part = cv2.resize(image, (height, height))
        parts.append(part if part.ndim == 3 else cv2.cvtColor(part, cv2.COLOR_GRAY2BGR))
    return np.hstack(parts)


@correct("montage")
def skimage_montage(images, height):
    import numpy as np
    from skimage.color import gray2rgb
    from skimage.transform import resize as sk_resize
    parts = []
    for image in images:
        h, w = image.shape[:2]
        part = sk_resize(image, (height, round(w * height / h)), anti_aliasing=True, preserve_range=True)
        part = part.round().astype(np.uint8)
        parts.append(part if part.ndim == 3 else gray2rgb(part))
    return np.concatenate(parts, axis=1)
