# hostile: leaves a double-forked setsid daemon behind and returns a wrong picture
# task: to_rgb
# expect: failed
# requires: clean-up
import os
import signal
import time


def to_rgb(image):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                signal.signal(sig, signal.SIG_IGN)
            time.sleep(3600)
        os._exit(0)
    time.sleep(0.1)
    return image.copy()
