# hostile: raises an ordinary exception
# task: to_rgb
# expect: error
# phrase: raised ZeroDivisionError


def to_rgb(image):
    return image / 0 if image.size < 0 else 1 // 0
