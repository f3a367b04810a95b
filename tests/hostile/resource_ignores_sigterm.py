# hostile: ignores SIGTERM, SIGINT and SIGHUP, then spins
# task: to_rgb
# expect: timed out
# timeout: 1.5
import signal


def to_rgb(image):
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        pass
