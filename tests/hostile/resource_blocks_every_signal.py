# hostile: blocks every signal it can and sleeps in a loop
# task: to_rgb
# expect: timed out
# timeout: 1.5
import signal
import time


def to_rgb(image):
    signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP})
    while True:
        time.sleep(0.01)
