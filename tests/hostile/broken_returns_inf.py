# hostile: returns infinity as the pixel value
# task: pick
# expect: failed


def pick(image, x, y, channel):
    return image[:, :, channel].copy(), float("inf")
