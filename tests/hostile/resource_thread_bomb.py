# hostile: starts sleeping threads without end
# task: to_rgb
# expect: error
# requires: processes
import threading
import time


def to_rgb(image):
    while True:
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
