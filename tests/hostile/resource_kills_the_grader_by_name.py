# hostile: looks for the grader and pytest in /proc and kills them, then returns a wrong picture
# task: to_rgb
# expect: failed
# requires: signals
import os
import signal


def to_rgb(image):
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read()
        except OSError:
            continue
        if b"pytest" in cmd or b"grader" in cmd or b"pixelkata" in cmd:
            for sig in (signal.SIGSTOP, signal.SIGKILL):
                try:
                    os.kill(int(pid), sig)
                except OSError:
                    pass
    return image.copy()
