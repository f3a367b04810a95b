# control: shape_of written with len() on rows and columns
# task: shape_of
# expect: passed


def shape_of(image):
    channels = len(image[0][0]) if image.ndim == 3 else 1
    return (len(image), len(image[0]), channels)
