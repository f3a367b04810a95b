# hostile: ends the process with os._exit(0) instead of returning
# task: to_rgb
# expect: error
# phrase: ended its own process


def to_rgb(image):
    import os
    os._exit(0)
