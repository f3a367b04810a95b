# hostile: reads address 0 through ctypes
# task: to_rgb
# expect: error
# phrase: segmentation fault


def to_rgb(image):
    import ctypes
    ctypes.string_at(0)
