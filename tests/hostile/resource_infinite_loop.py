# hostile: loops forever
# task: to_rgb
# expect: timed out
# phrase: did not finish within
# timeout: 1.5


def to_rgb(image):
    while True:
        pass
