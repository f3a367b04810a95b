# hostile: a syntax error
# task: to_rgb
# expect: error
# phrase: has a syntax error


def to_rgb(image:
    return image
