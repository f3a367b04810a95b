"""Day 4 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day04.toml lists them.
"""
import cv2
import numpy as np


# --- resize_pair


def resize_pair__skimage_resize(first, second, width, height):
    import numpy as np
    from skimage.transform import resize
    return tuple((resize(p, (height, width), anti_aliasing=True, preserve_range=True).round().astype(np.uint8) for p in (first, second)))


def resize_pair__dsize_as_shape(first, second, width, height):
    import cv2
    return (cv2.resize(first, (height, width)), cv2.resize(second, (height, width)))


# --- add


def add__wider_type(first, second, saturate):
    import numpy as np
    total = first.astype(np.int32) + second
    return (np.minimum(total, 255) if saturate else total % 256).astype(np.uint8)


def add__always_saturates(first, second, saturate):
    import cv2
    return cv2.add(first, second)


def add__always_wraps(first, second, saturate):
    return first + second


# --- blend


def blend__numpy_floats(first, second, alpha):
    import numpy as np
    return np.round(alpha * first.astype(np.float64) + (1 - alpha) * second).astype(np.uint8)


def blend__halves_a_wrapped_sum(first, second, alpha):
    return (first + second) // 2


def blend__weights_the_wrong_way(first, second, alpha):
    import cv2
    return cv2.addWeighted(first, 1 - alpha, second, alpha, 0)


def blend__forgot_to_convert(first, second, alpha):
    return alpha * first + (1 - alpha) * second


# --- threshold


def threshold__numpy_where(image, value):
    import cv2
    import numpy as np
    return np.where(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) >= value, 255, 0).astype(np.uint8)


def threshold__inverted_type(image, value):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.threshold(gray, value, 255, cv2.THRESH_BINARY_INV)[1]


def threshold__default_127(image, value):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.threshold(gray, 127, 255, cv2.THRESH_BINARY)[1]


def threshold__colour_thresholded(image, value):
    import cv2
    return cv2.threshold(image, value, 255, cv2.THRESH_BINARY)[1]


def threshold__returns_a_list(image, value):
    import cv2
    return cv2.threshold(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), value, 255, cv2.THRESH_BINARY)[1].tolist()


# --- otsu


def otsu__skimage_otsu(image):
    import cv2
    from skimage.filters import threshold_otsu
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    value = threshold_otsu(gray)
    return (value, gray > value)


def otsu__forgot_the_otsu_flag(image):
    import cv2
    return cv2.threshold(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 0, 255, cv2.THRESH_BINARY)


def otsu__mask_only(image):
    import cv2
    return cv2.threshold(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


# --- adaptive_threshold


def adaptive_threshold__skimage_threshold_local(image, block_size, c):
    import cv2
    from skimage.filters import threshold_local
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return gray <= threshold_local(gray, block_size, method='mean', offset=c)


def adaptive_threshold__box_filter(image, block_size, c):
    import cv2
    import numpy as np
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    local = cv2.blur(gray.astype(np.float32), (block_size, block_size), borderType=cv2.BORDER_REPLICATE)
    return ((gray <= local - c) * 255).astype(np.uint8)


def adaptive_threshold__one_global_threshold(image, block_size, c):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]


def adaptive_threshold__paper_instead_of_writing(image, block_size, c):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block_size, c)


# --- colourise


def colourise__lookup_table(image, colormap):
    import cv2
    import numpy as np
    table = cv2.applyColorMap(np.arange(256, dtype=np.uint8)[:, None], getattr(cv2, 'COLORMAP_' + colormap.upper()))
    return table[cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 0]


def colourise__shown_as_rgb(image, colormap):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.cvtColor(cv2.applyColorMap(gray, getattr(cv2, 'COLORMAP_' + colormap.upper())), cv2.COLOR_BGR2RGB)


def colourise__skimage_gray_weights(image, colormap):
    import cv2
    import numpy as np
    from skimage.color import rgb2gray
    gray = np.round(rgb2gray(image[:, :, ::-1]) * 255).astype(np.uint8)
    return cv2.applyColorMap(gray, getattr(cv2, 'COLORMAP_' + colormap.upper()))


# --- composite


def composite__integer_weights(figure, alpha, background):
    import cv2
    import numpy as np
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR).astype(np.uint32)
    a = alpha[:, :, None].astype(np.uint32)
    return ((a * figure + (255 - a) * background + 127) // 255).astype(np.uint8)



def composite__uint8_products(figure, alpha, background):
    import cv2
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height))
    a = alpha[:, :, None]
    return a * figure // 255 + (255 - a) * background // 255


def composite__alpha_the_wrong_way(figure, alpha, background):
    import cv2
    import numpy as np
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height))
    a = alpha[:, :, None] / 255.0
    return np.round((1 - a) * figure + a * background).astype(np.uint8)


def composite__one_global_alpha(figure, alpha, background):
    import cv2
    height, width = figure.shape[:2]
    a = float(alpha.mean()) / 255
    return cv2.addWeighted(figure, a, cv2.resize(background, (width, height)), 1 - a, 0)


def blend__truncated(first, second, alpha):
    import numpy as np
    mixed = alpha * first.astype(np.float64) + (1 - alpha) * second.astype(np.float64)
    return mixed.astype(np.uint8)  # cuts the fraction off instead of rounding


def blend__float32_round(first, second, alpha):
    import numpy as np
    mixed = np.float32(alpha) * first.astype(np.float32) + np.float32(1 - alpha) * second.astype(np.float32)
    return np.clip(np.round(mixed), 0, 255).astype(np.uint8)


def add__cv2_and_numpy(first, second, saturate):
    import cv2
    import numpy as np
    return cv2.add(first, second) if saturate else np.add(first, second, dtype=np.uint8)


# --- more entries


def resize_pair__pillow(first, second, width, height):
    import numpy as np
    from PIL import Image
    return tuple(np.asarray(Image.fromarray(np.ascontiguousarray(p[..., ::-1])).resize((width, height), Image.BOX))[..., ::-1].copy()
                 for p in (first, second))


def resize_pair__only_first(first, second, width, height):
    import cv2
    return cv2.resize(first, (width, height), interpolation=cv2.INTER_AREA), second



def add__numpy_for_both(first, second, saturate):
    return first + second if not saturate else (first.astype(int) + second).clip(0, 255).astype(first.dtype)


def add__int16_without_clip(first, second, saturate):
    import numpy as np
    return (first.astype(np.int16) + second).astype(np.uint8)  # wraps in both cases


def otsu__mask_first(image):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    value, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return mask, value


def threshold__skimage_gray(image, value):
    import numpy as np
    from skimage.color import rgb2gray
    gray = np.round(rgb2gray(image[..., ::-1]) * 255)  # BT.709 weights
    return np.where(gray > value, 255, 0).astype(np.uint8)


def colourise__numpy_lut(image, colormap):
    import cv2
    import numpy as np
    lut = cv2.applyColorMap(np.arange(256, dtype=np.uint8).reshape(256, 1), getattr(cv2, "COLORMAP_" + colormap.upper()))
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return lut[gray, 0]



def threshold__cv2_compare(image, value):
    import cv2
    return cv2.compare(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), value, cv2.CMP_GT)


def otsu__numpy_between_class_variance(image):
    import cv2
    import numpy as np
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    p = np.bincount(gray.ravel(), minlength=256) / gray.size
    omega = np.cumsum(p)  # share of pixels at or below each level
    mu = np.cumsum(p * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * omega - mu) ** 2 / (omega * (1 - omega))
    value = int(np.argmax(np.nan_to_num(between, nan=0.0, posinf=0.0)))
    return float(value), np.where(gray > value, 255, 0).astype(np.uint8)


def composite__pillow_composite(figure, alpha, background):
    import cv2
    import numpy as np
    from PIL import Image
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height))
    mixed = Image.composite(Image.fromarray(figure), Image.fromarray(background), Image.fromarray(alpha))
    return np.asarray(mixed).copy()
