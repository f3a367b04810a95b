# hostile: returns NaN as the pixel value
# task: pick
# expect: failed


def pick(image, x, y, channel):
    return image[:, :, channel].copy(), float("nan")
