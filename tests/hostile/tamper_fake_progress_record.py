# hostile: writes fake progress and results records into the course's .pixelkata folder
# task: to_rgb
# expect: failed
# check: progress untouched
import json
import os

COURSE = "__COURSE__"


def to_rgb(image):
    state = os.path.join(COURSE, ".pixelkata")
    fake = {"day01": {"to_rgb": "passed", "points": 2}, "all": "passed"}
    for name in ("progress.json", "results.json", "report.html"):
        try:
            os.makedirs(state, exist_ok=True)
            with open(os.path.join(state, name), "w") as fh:
                json.dump(fake, fh)
        except OSError:
            pass
    return image.copy()
