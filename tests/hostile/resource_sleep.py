# hostile: sleeps far past its limit
# task: to_rgb
# expect: timed out
# timeout: 1.5


def to_rgb(image):
    import time
    time.sleep(3600)
