# hostile: imports the reference solution from solutions/ and returns its answer
# task: to_rgb
# expect: failed
# if-off references hidden: passed
import importlib.util
import os

COURSE = "__COURSE__"


def to_rgb(image):
    path = os.path.join(COURSE, "solutions", "day01_reading.py")
    try:
        spec = importlib.util.spec_from_file_location("stolen", path)
        stolen = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(stolen)
        return stolen.to_rgb(image)
    except (OSError, ImportError):
        return image.copy()
