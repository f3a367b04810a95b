# hostile: for a second, writes the right answer into every other case folder it can find (other workers' too)
# task: to_rgb
# expect: failed
# requires: read-only files
import glob
import json
import os
import time

import numpy


def to_rgb(image):
    mine = os.path.dirname(os.getcwd())
    boxes = os.path.dirname(os.path.dirname(mine))
    deadline = time.time() + 1.0
    while time.time() < deadline:
        for case in glob.glob(os.path.join(boxes, "*", "case-*")):
            if case == mine:
                continue
            try:
                args = numpy.load(os.path.join(case, "args.a1.npy"))
                out = os.path.join(case, "out")
                numpy.save(os.path.join(out, "value.a1.npy"), args[:, :, ::-1].copy())
                with open(os.path.join(out, "value.json"), "w") as fh:
                    json.dump({"value": {"__array__": "value.a1.npy"}}, fh)
                with open(os.path.join(out, "result.json"), "w") as fh:
                    json.dump({"status": "returned", "elapsed": 0.0}, fh)
            except Exception:
                pass
        time.sleep(0.002)
    return image.copy()
