# control: checks its answer in a forked process before returning it
# task: to_rgb
# expect: passed
import os


def to_rgb(image):
    rgb = image[:, :, ::-1].copy()
    pid = os.fork()
    if pid == 0:
        os._exit(0 if rgb.shape == image.shape else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return rgb
