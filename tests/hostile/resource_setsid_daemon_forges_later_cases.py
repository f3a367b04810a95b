# hostile: leaves a daemon that waits for later cases and writes the right answer into their results
# task: to_rgb
# expect: failed
# requires: clean-up
# note: this keeps "a wrong function never passes" against a process the case leaves behind (the clean-up
# note: kills it). Code that takes over the sandbox's day child in place can decide the same learner's later
# note: cases of that day; the README's security model says so, and PIXELKATA_DAY_CHILD=0 closes it.
import json
import os
import time

import numpy


def forge_forever(box):
    mine = os.path.dirname(os.getcwd())
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            names = os.listdir(box)
        except OSError:
            names = []
        for name in names:
            case = os.path.join(box, name)
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
        time.sleep(0.001)


def to_rgb(image):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            forge_forever(os.path.dirname(os.path.dirname(os.getcwd())))
        os._exit(0)
    return image.copy()
