# hostile: writes its own result file claiming a pass, with no value, and ends the process
# task: to_rgb
# expect: error
import json
import os


def to_rgb(image):
    out = os.path.join(os.path.dirname(os.getcwd()), "out")
    with open(os.path.join(out, "result.json"), "w") as fh:
        json.dump({"status": "passed", "outcome": "passed", "points": 2}, fh)
    os._exit(0)
