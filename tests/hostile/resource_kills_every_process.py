# hostile: sends SIGKILL to every process it may signal (kill -1), then returns a wrong picture
# task: to_rgb
# expect: failed
# requires: signals
import os
import signal
import time


def to_rgb(image):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for sig in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(-1, sig)
        except OSError:
            pass
    time.sleep(0.2)
    return image.copy()
