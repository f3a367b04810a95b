# hostile: sends SIGSTOP to its parent, the worker, then returns a wrong picture
# task: to_rgb
# expect: failed
# if-off signals: timed out
# timeout: 1.5
# if-portable: error
import os
import signal
import time


def to_rgb(image):
    try:
        os.kill(os.getppid(), signal.SIGSTOP)
    except OSError:
        pass
    time.sleep(0.2)
    return image.copy()
