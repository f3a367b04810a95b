# hostile: waits for a signal that never comes
# task: to_rgb
# expect: timed out
# timeout: 1.5


def to_rgb(image):
    import signal
    while True:
        signal.pause()
