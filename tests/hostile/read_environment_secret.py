# hostile: looks for an environment variable set on the grader, in its own environment and in /proc
# task: to_rgb
# expect: failed
# if-off process secrets: passed
import os

SECRET = "__SECRET_NAME__"


def found() -> bool:
    if SECRET in os.environ:
        return True
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/environ", "rb") as fh:
                    if SECRET.encode() in fh.read():
                        return True
            except OSError:
                pass
    return False


def to_rgb(image):
    if found():
        return image[:, :, ::-1].copy()  # a pass here means the secret leaked
    return image.copy()
