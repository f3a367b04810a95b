# hostile: leaves a symbolic link to the expected reference picture as its output
# task: to_rgb
# expect: failed
# if-portable: error
import glob
import json
import os

COURSE = "__COURSE__"


def to_rgb(image):
    out = os.path.join(os.path.dirname(os.getcwd()), "out")
    refs = sorted(glob.glob(os.path.join(COURSE, "reference_images", "expected", "day01", "to_rgb", "*.png")))
    target = refs[0] if refs else os.path.join(COURSE, "reference_images", "expected", "day01", "to_rgb", "haori.a1.png")
    os.symlink(target, os.path.join(out, "value.a1.png"))
    with open(os.path.join(out, "value.json"), "w") as fh:
        json.dump({"value": {"__array__": "value.a1.png"}}, fh)
    with open(os.path.join(out, "result.json"), "w") as fh:
        json.dump({"status": "returned", "elapsed": 0.0}, fh)
    os._exit(0)
