# hostile: prints to stdout without end
# task: to_rgb
# expect: timed out
# phrase: only the first
# timeout: 1.5


def to_rgb(image):
    line = "flood " * 1000
    while True:
        print(line)
