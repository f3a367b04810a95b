# control: to_rgb written with slicing instead of cvtColor
# task: to_rgb
# expect: passed


def to_rgb(image):
    return image[:, :, ::-1].copy()
