# control: prints 2 MB of progress, then returns the right answer
# task: to_rgb
# expect: passed


def to_rgb(image):
    for i in range(20000):
        print(f"row {i}: " + "." * 90)
    return image[:, :, [2, 1, 0]]
