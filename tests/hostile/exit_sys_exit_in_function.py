# hostile: calls sys.exit(0) instead of returning
# task: to_rgb
# expect: error
# phrase: called sys.exit(0)


def to_rgb(image):
    import sys
    sys.exit(0)
