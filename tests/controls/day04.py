"""Day 4 controls: dsize as (height, width), wrap against saturation, inverted thresholds; NumPy answers."""
from tests.controls import correct, wrong

# --- resize_pair


@wrong("resize_pair", expect="have their height and width swapped")
def dsize_as_shape(first, second, width, height):
    import cv2
    return cv2.resize(first, (height, width)), cv2.resize(second, (height, width))


@correct("resize_pair")
def skimage_resize(first, second, width, height):
    import numpy as np
    from skimage.transform import resize
    return tuple(resize(p, (height, width), anti_aliasing=True, preserve_range=True).round().astype(np.uint8)
                 for p in (first, second))


# --- add


@wrong("add", expect="saturates at 255 as cv2.add does")
def always_saturates(first, second, saturate):
    import cv2
    return cv2.add(first, second)


@wrong("add", expect="wraps around past 255")
def always_wraps(first, second, saturate):
    return first + second


@correct("add")
def wider_type(first, second, saturate):
    import numpy as np
    total = first.astype(np.int32) + second
    return (np.minimum(total, 255) if saturate else total % 256).astype(np.uint8)


# --- blend


@wrong("blend", expect="You added the uint8 pictures before halving, so the sum wrapped around")
def halves_a_wrapped_sum(first, second, alpha):
    return (first + second) // 2


@wrong("blend", expect="Your weights are the wrong way round")
def weights_the_wrong_way(first, second, alpha):
    import cv2
    return cv2.addWeighted(first, 1 - alpha, second, alpha, 0)


@wrong("blend", expect="still as floats in 0..255")
def forgot_to_convert(first, second, alpha):
    return alpha * first + (1 - alpha) * second


@correct("blend")
def numpy_floats(first, second, alpha):
    import numpy as np
    return np.round(alpha * first.astype(np.float64) + (1 - alpha) * second).astype(np.uint8)


# --- threshold


@wrong("threshold", expect="inverted (255 - x)")
def inverted_type(image, value):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.threshold(gray, value, 255, cv2.THRESH_BINARY_INV)[1]


@wrong("threshold", expect="IoU")
def default_127(image, value):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.threshold(gray, 127, 255, cv2.THRESH_BINARY)[1]


@wrong("threshold", expect="a colour picture came back where a grayscale one")
def colour_thresholded(image, value):
    import cv2
    return cv2.threshold(image, value, 255, cv2.THRESH_BINARY)[1]


@wrong("threshold", expect="wrap it with np.array")
def returns_a_list(image, value):
    import cv2
    return cv2.threshold(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), value, 255, cv2.THRESH_BINARY)[1].tolist()


@correct("threshold")
def numpy_where(image, value):
    import cv2
    import numpy as np
    return np.where(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) >= value, 255, 0).astype(np.uint8)


# --- otsu


@wrong("otsu", expect="value: expected")
def forgot_the_otsu_flag(image):
    import cv2
    return cv2.threshold(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 0, 255, cv2.THRESH_BINARY)


@wrong("otsu", expect="expected a tuple of 2 (value, mask)")
def mask_only(image):
    import cv2
    return cv2.threshold(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


@correct("otsu")
def skimage_otsu(image):
    import cv2
    from skimage.filters import threshold_otsu
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    value = threshold_otsu(gray)
    return value, gray > value


# --- adaptive_threshold


@wrong("adaptive_threshold", expect="IoU")
def one_global_threshold(image, block_size, c):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]


@wrong("adaptive_threshold", expect="inverted")
def paper_instead_of_writing(image, block_size, c):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block_size, c)


@correct("adaptive_threshold")
def skimage_threshold_local(image, block_size, c):
    import cv2
    from skimage.filters import threshold_local
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return gray <= threshold_local(gray, block_size, method="mean", offset=c)


@correct("adaptive_threshold")
def box_filter(image, block_size, c):
    import cv2
    import numpy as np
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    local = cv2.blur(gray.astype(np.float32), (block_size, block_size), borderType=cv2.BORDER_REPLICATE)
    return ((gray <= local - c) * 255).astype(np.uint8)


# --- colourise


@wrong("colourise", expect="red and blue swapped")
def shown_as_rgb(image, colormap):
    import cv2
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.cvtColor(cv2.applyColorMap(gray, getattr(cv2, "COLORMAP_" + colormap.upper())), cv2.COLOR_BGR2RGB)


@wrong("colourise", expect="Your gray levels use skimage")
def skimage_gray_weights(image, colormap):
    import cv2
    import numpy as np
    from skimage.color import rgb2gray
    gray = np.round(rgb2gray(image[:, :, ::-1]) * 255).astype(np.uint8)
    return cv2.applyColorMap(gray, getattr(cv2, "COLORMAP_" + colormap.upper()))


@correct("colourise")
def lookup_table(image, colormap):
    import cv2
    import numpy as np
    table = cv2.applyColorMap(np.arange(256, dtype=np.uint8)[:, None], getattr(cv2, "COLORMAP_" + colormap.upper()))
    return table[cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 0]


# --- composite (challenge)


@wrong("composite", expect="no tier yet")
def uint8_products(figure, alpha, background):
    import cv2
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height))
    a = alpha[:, :, None]
    return a * figure // 255 + (255 - a) * background // 255


@wrong("composite", expect="no tier yet")
def alpha_the_wrong_way(figure, alpha, background):
    import cv2
    import numpy as np
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height))
    a = alpha[:, :, None] / 255.0
    return np.round((1 - a) * figure + a * background).astype(np.uint8)


@wrong("composite", expect="no tier yet")
def one_global_alpha(figure, alpha, background):
    import cv2
    height, width = figure.shape[:2]
    a = float(alpha.mean()) / 255
    return cv2.addWeighted(figure, a, cv2.resize(background, (width, height)), 1 - a, 0)


@correct("composite")
def integer_weights(figure, alpha, background):
    import cv2
    import numpy as np
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR).astype(np.uint32)
    a = alpha[:, :, None].astype(np.uint32)
    return ((a * figure + (255 - a) * background + 127) // 255).astype(np.uint8)


@correct("composite")
def on_off_mask(figure, alpha, background):
    # Only bronze: the half-transparent aura and shield are lost.
    import cv2
    import numpy as np
    height, width = figure.shape[:2]
    background = cv2.resize(background, (width, height))
    return np.where(alpha[:, :, None] > 127, figure, background)
