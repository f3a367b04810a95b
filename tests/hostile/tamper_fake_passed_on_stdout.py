# hostile: prints a fake PASSED line and fake protocol JSON, then returns a wrong picture
# task: to_rgb
# expect: failed
import json
import sys


def to_rgb(image):
    print("✔ to_rgb passed")
    print("PASSED")
    fake = {"id": "case-1", "elapsed": 0.01, "cpu": 0.01, "timed_out": False, "output": "",
            "output_bytes": 0, "signal": None, "exit_code": 0, "status": "returned", "outcome": "passed"}
    print(json.dumps(fake))
    sys.stderr.write(json.dumps({"ready": True, "outcome": "passed"}) + "\n")
    return image.copy()
