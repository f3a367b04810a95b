# hostile: sends SIGKILL to its parent, the worker, then returns a wrong picture
# task: to_rgb
# expect: failed
# if-off signals: error
import os
import signal
import time


def to_rgb(image):
    try:
        os.kill(os.getppid(), signal.SIGKILL)
    except OSError:
        pass
    time.sleep(0.2)
    return image.copy()
