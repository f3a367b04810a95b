# hostile: recurses without end
# task: to_rgb
# expect: error
# phrase: recursed too deeply


def to_rgb(image, depth=0):
    return to_rgb(image, depth + 1)
