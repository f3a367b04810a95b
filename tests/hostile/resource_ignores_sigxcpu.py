# hostile: ignores SIGXCPU (the soft CPU limit) and spins
# task: to_rgb
# expect: timed out
# timeout: 1.5
import signal


def to_rgb(image):
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    while True:
        pass
