# hostile: returns a tuple of the wrong kinds of things
# task: shape_of
# expect: failed


def shape_of(image):
    return ("tall", [image.shape], {"channels": None})
