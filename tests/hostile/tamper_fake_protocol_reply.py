# hostile: writes a fake "all passed" reply into the worker's protocol pipe through /proc
# task: to_rgb
# expect: failed
import json
import os


def to_rgb(image):
    fake = json.dumps({"id": "x", "elapsed": 0.0, "timed_out": False, "output": "", "output_bytes": 0,
                       "signal": None, "exit_code": 0, "outcome": "passed"}) + "\n"
    for pid in {os.getppid(), 1}:
        for fd in (0, 1, 2):
            try:
                with open(f"/proc/{pid}/fd/{fd}", "w") as fh:
                    fh.write(fake * 3)
            except OSError:
                pass
    return image.copy()
