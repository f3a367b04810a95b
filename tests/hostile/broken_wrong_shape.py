# hostile: returns a picture of the wrong shape
# task: to_rgb
# expect: failed
# phrase: the size differs


def to_rgb(image):
    return image[:10, :, ::-1].copy()
