# hostile: leaves a hard link to the expected reference picture as its output, else a wrong picture
# task: to_rgb
# expect: failed
# if-portable: error
import json
import os

COURSE = "__COURSE__"


def to_rgb(image):
    out = os.path.join(os.path.dirname(os.getcwd()), "out")
    folder = os.path.join(COURSE, "reference_images", "expected", "day01", "to_rgb")
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".png"))
        os.link(os.path.join(folder, names[0]), os.path.join(out, "value.a1.png"))
    except (OSError, IndexError):
        return image.copy()
    with open(os.path.join(out, "value.json"), "w") as fh:
        json.dump({"value": {"__array__": "value.a1.png"}}, fh)
    with open(os.path.join(out, "result.json"), "w") as fh:
        json.dump({"status": "returned", "elapsed": 0.0}, fh)
    os._exit(0)
