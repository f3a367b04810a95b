# hostile: leaves a pickled object array as its output, whose unpickling would run code in the grader
# task: to_rgb
# expect: failed
# check: marker absent
# if-portable: error
import json
import os
import pickle

import numpy

MARKER = "__MARKER__"


class Payload:
    def __reduce__(self):
        return (os.system, (f"touch {MARKER}",))


def to_rgb(image):
    out = os.path.join(os.path.dirname(os.getcwd()), "out")
    arr = numpy.empty(1, dtype=object)
    arr[0] = Payload()
    numpy.save(os.path.join(out, "value.a1.npy"), arr, allow_pickle=True)
    with open(os.path.join(out, "value.a2.pkl"), "wb") as fh:
        pickle.dump(Payload(), fh)
    with open(os.path.join(out, "value.json"), "w") as fh:
        json.dump({"value": {"__array__": "value.a1.npy"}}, fh)
    with open(os.path.join(out, "result.json"), "w") as fh:
        json.dump({"status": "returned", "elapsed": 0.0}, fh)
    os._exit(0)
