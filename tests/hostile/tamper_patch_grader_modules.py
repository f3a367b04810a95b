# hostile: rewrites the grader's own modules inside its process so they report a pass
# task: to_rgb
# expect: failed
import json
import sys


def to_rgb(image):
    values = sys.modules.get("grader.values")
    if values is not None:
        values.encode = lambda value, folder, prefix="", png=False: {"__scalar__": 1, "dtype": "<i8"}
    for name, module in list(sys.modules.items()):
        if name.startswith("grader.checks") and hasattr(module, "Verdict"):
            module.Verdict.passed = True
    json.dump = lambda obj, fh, *a, **k: fh.write('{"status": "passed", "outcome": "passed"}')
    return image.copy()
