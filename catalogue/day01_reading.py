"""Day 1 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day01.toml lists them.
"""
import cv2
import numpy as np


# --- read_image


def read_image__skimage_then_bgr(path, gray=False):
    import os
    import cv2
    import skimage.io
    if not os.path.exists(path):
        raise FileNotFoundError(f'{path} does not exist')
    rgb = skimage.io.imread(path)
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if gray else bgr


def read_image__imdecode(path, gray=False):
    import cv2
    import numpy as np
    data = np.fromfile(path, np.uint8)
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)


def read_image__skimage_rgb(path, gray=False):
    import skimage.io
    return skimage.io.imread(path, as_gray=gray)


def read_image__no_none_check(path, gray=False):
    import cv2
    return cv2.imread(path, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)


def read_image__gray_bt709(path, gray=False):
    import cv2
    import numpy as np
    from skimage.color import rgb2gray
    image = cv2.imread(path)
    if image is None:
        raise FileNotFoundError(path)
    if gray:
        return (rgb2gray(image[:, :, ::-1]) * 255).round().astype(np.uint8)
    return image


def read_image__generic_exception(path, gray=False):
    import cv2
    image = cv2.imread(path, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)
    if image is None:
        raise Exception('bad file ' + path)
    return image


# --- to_rgb


def to_rgb__reversed_axis(image):
    return image[:, :, ::-1].copy()


def to_rgb__fancy_index(image):
    return image[..., [2, 1, 0]]


def to_rgb__unchanged(image):
    return image


def to_rgb__swaps_blue_and_green(image):
    return image[:, :, [1, 0, 2]].copy()


# --- shape_of


def shape_of__padded_shape(image):
    import numpy as np
    return np.atleast_3d(image).shape


def shape_of__width_first(image):
    channels = image.shape[2] if image.ndim == 3 else 1
    return (image.shape[1], image.shape[0], channels)


# --- pick


def pick__numpy_scalar_value(image, x, y, channel):
    return (image[..., channel], image[y, x][channel])


def pick__x_and_y_swapped(image, x, y, channel):
    return (image[:, :, channel], int(image[x, y, channel]))


def pick__wrong_channel_axis(image, x, y, channel):
    return (image[channel], int(image[y, x, channel]))


# --- crop


def crop__skimage_crop(image, x, y, width, height):
    from skimage.util import crop
    h, w = image.shape[:2]
    pad = ((y, h - y - height), (x, w - x - width)) + (((0, 0),) if image.ndim == 3 else ())
    return crop(image, pad, copy=True)


def crop__x_and_y_swapped_crop(image, x, y, width, height):
    return image[x:x + width, y:y + height]


def crop__one_pixel_too_many(image, x, y, width, height):
    return image[y:y + height + 1, x:x + width + 1]


# --- resize


def resize__bilinear(image, width, height):
    import cv2
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)


def resize__skimage_resize(image, width, height):
    import numpy as np
    from skimage.transform import resize as sk_resize
    out = sk_resize(image, (height, width), anti_aliasing=True, preserve_range=True)
    return out.round().astype(np.uint8)


def resize__dsize_as_shape(image, width, height):
    import cv2
    return cv2.resize(image, (height, width))


def resize__crops_instead(image, width, height):
    import cv2
    out = image[:height, :width]
    return cv2.copyMakeBorder(out, 0, height - out.shape[0], 0, width - out.shape[1], cv2.BORDER_REPLICATE)


# --- flip_rotate


def flip_rotate__numpy_only(image, action):
    import numpy as np
    out = {'flip_horizontal': lambda: np.fliplr(image), 'flip_vertical': lambda: np.flipud(image), 'rotate_cw': lambda: np.rot90(image, k=-1), 'rotate_ccw': lambda: np.rot90(image, k=1)}[action]()
    return np.ascontiguousarray(out)


def flip_rotate__flip_codes_swapped(image, action):
    import cv2
    if action == 'flip_horizontal':
        return cv2.flip(image, 0)
    if action == 'flip_vertical':
        return cv2.flip(image, 1)
    if action == 'rotate_cw':
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)


def flip_rotate__rotations_swapped(image, action):
    import numpy as np
    if action == 'flip_horizontal':
        return np.fliplr(image).copy()
    if action == 'flip_vertical':
        return np.flipud(image).copy()
    return np.rot90(image, k=1 if action == 'rotate_cw' else -1).copy()


def flip_rotate__transpose_for_rotation(image, action):
    import cv2
    import numpy as np
    if action.startswith('rotate'):
        return np.ascontiguousarray(image.transpose(1, 0, 2))
    return cv2.flip(image, 1 if action == 'flip_horizontal' else 0)


# --- montage


def montage__skimage_montage(images, height):
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


def montage__squashed_squares(images, height):
    import cv2
    import numpy as np
    parts = []
    for image in images:
        part = cv2.resize(image, (height, height))
        parts.append(part if part.ndim == 3 else cv2.cvtColor(part, cv2.COLOR_GRAY2BGR))
    return np.hstack(parts)


def montage__rgb_order(images, height):
    import cv2
    import numpy as np
    parts = []
    for image in images:
        h, w = image.shape[:2]
        scaled = cv2.resize(image, (round(w * height / h), height), interpolation=cv2.INTER_AREA)
        # converted for plt.imshow, and returned that way: red and blue swapped
        parts.append(cv2.cvtColor(scaled, cv2.COLOR_GRAY2RGB if scaled.ndim == 2 else cv2.COLOR_BGR2RGB))
    return np.hstack(parts)


# --- more entries


def to_rgb__channels_reversed_in_place(image):
    out = image.copy()
    out[..., 0], out[..., 2] = image[..., 2], image[..., 0]
    return out


def shape_of__unpacked(image):
    if image.ndim == 2:
        height, width = image.shape
        return (height, width, 1)
    height, width, channels = image.shape
    return (height, width, channels)


def shape_of__no_channel_for_gray(image):
    return tuple(image.shape)  # a gray picture gives (height, width): its 1 channel is missing


def shape_of__three_channels_always(image):
    h, w = image.shape[:2]
    return (h, w, 3)  # a gray picture has 1 channel, not 3


def pick__numpy_item(image, x, y, channel):
    import numpy as np
    return np.ascontiguousarray(image[..., channel]), int(image.item(y, x, channel))


def pick__rgb_channel_numbers(image, x, y, channel):
    c = 2 - channel  # channels counted as R, G, B
    return image[:, :, c].copy(), int(image[y, x, c])



def crop__end_as_size(image, x, y, width, height):
    return image[y:height, x:width].copy()  # width and height used as end points


def resize__pillow(image, width, height):
    import numpy as np
    from PIL import Image
    return np.asarray(Image.fromarray(np.ascontiguousarray(image[..., ::-1])).resize((width, height), Image.BOX))[..., ::-1].copy()



def flip_rotate__skimage_and_numpy(image, action):
    import numpy as np
    return {"flip_horizontal": image[:, ::-1], "flip_vertical": image[::-1],
            "rotate_cw": np.rot90(image, -1), "rotate_ccw": np.rot90(image, 1)}[action].copy()


def montage__numpy_concatenate(images, height):
    import cv2
    import numpy as np
    parts = []
    for image in images:
        h, w = image.shape[:2]
        scaled = cv2.resize(image, (round(w * height / h), height), interpolation=cv2.INTER_AREA)
        parts.append(np.dstack([scaled] * 3) if scaled.ndim == 2 else scaled)
    return np.concatenate(parts, axis=1)


def crop__pillow_crop(image, x, y, width, height):
    import numpy as np
    from PIL import Image
    return np.asarray(Image.fromarray(image).crop((x, y, x + width, y + height))).copy()
