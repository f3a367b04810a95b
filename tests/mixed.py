"""A Day 1 learner with every outcome: passed, failed, error and not attempted, for the report tests."""
from __future__ import annotations

from pathlib import Path

# Appended to the solution module: later definitions replace the solution's.
OVERRIDES = '''

def to_rgb(image):
    return image.copy()  # failed: the channels were never swapped


def flip_rotate(image, action):
    import cv2
    codes = {"flip_horizontal": 1, "flip_vertical": 0}
    if action in codes:
        return cv2.flip(image, codes[action])
    return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)  # failed: always counter-clockwise


def resize(image, width, height):
    raise ValueError("the size is wrong")  # error


def pick(image, x, y, channel):
    raise NotImplementedError  # not attempted
'''

# What the run gives, task by task (the report test checks the page against these).
EXPECTED = {
    "read_image": "passed", "to_rgb": "failed", "shape_of": "passed", "pick": "not attempted",
    "crop": "passed", "resize": "error", "flip_rotate": "failed", "montage": "passed",
}


def mixed_exercises(tmp_path: Path, project) -> Path:
    """An exercises folder whose day01 module gives every outcome."""
    from grader.course import load_course

    folder = tmp_path / "mixed-exercises"
    folder.mkdir(exist_ok=True)
    day = load_course().day(1)
    source = (project.solutions / day.filename).read_text() + OVERRIDES
    (folder / day.filename).write_text(source)
    return folder
