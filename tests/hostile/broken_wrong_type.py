# hostile: returns a string instead of a picture
# task: to_rgb
# expect: failed


def to_rgb(image):
    return "an RGB picture"
