# hostile: writes a value document whose array file names point outside its output folder
# task: to_rgb
# expect: failed
# if-portable: error
import json
import os

COURSE = "__COURSE__"


def to_rgb(image):
    out = os.path.join(os.path.dirname(os.getcwd()), "out")
    ref = os.path.join(COURSE, "reference_images", "expected", "day01", "to_rgb", "haori.a1.png")
    with open(os.path.join(out, "value.json"), "w") as fh:
        json.dump({"value": {"__tuple__": [{"__array__": "../../../" + ref}, {"__array__": ref}]}}, fh)
    with open(os.path.join(out, "result.json"), "w") as fh:
        json.dump({"status": "returned", "elapsed": 0.0}, fh)
    os._exit(0)
