"""A learner's traceback shows their own lines: a library's frames after them are said in one line, so the
few lines a view shows always hold the learner's line (both workers build it with preload.exception_info)."""
from __future__ import annotations

import importlib.util

import pytest

from grader.engine.preload import exception_info

LEARNER = '''\
import json

import numpy as np
import skimage.transform


def crop(image):
    return skimage.transform.rescale(image, "two")


def parse(text):
    return json.loads(text)


def fine(image):
    return helper(image)


def helper(image):
    raise ValueError("mine")
'''


@pytest.fixture
def learner(tmp_path):
    path = tmp_path / "day01_reading.py"
    path.write_text(LEARNER)
    spec = importlib.util.spec_from_file_location("day01_reading", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, str(path)


def _info(call, path):
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the exception under test
        return exception_info(exc, path)
    raise AssertionError("it did not raise")


def test_an_error_inside_scikit_image_ends_with_one_line_naming_it_after_the_learners_own_line(learner):
    import numpy as np

    module, path = learner
    info = _info(lambda: module.crop(np.zeros((4, 4))), path)
    text = info["traceback"]
    lines = text.rstrip().splitlines()  # (this test's own frames come first: a worker's are the grader's, cut)
    mine = lines.index(f'  File "{path}", line 8, in crop')
    assert lines[mine + 1].strip() == 'return skimage.transform.rescale(image, "two")'
    assert all(line.strip().startswith("^") or line.strip().startswith("~") for line in lines[mine + 2:-1])
    assert lines[-1].startswith("  ... raised inside skimage (_warps.py, line ")
    assert lines[-1].endswith(", in rescale)")
    assert "site-packages" not in info["traceback"] and info["lineno"] == 8


def test_an_error_inside_the_standard_library_is_said_so(learner):
    module, path = learner
    info = _info(lambda: module.parse("{"), path)
    last = info["traceback"].rstrip().splitlines()[-1]
    assert last.startswith("  ... raised inside the standard library (") and info["lineno"] == 12


def test_an_error_in_the_learners_own_code_keeps_every_frame_of_theirs_and_adds_nothing(learner):
    module, path = learner
    info = _info(lambda: module.fine(None), path)
    text = info["traceback"]
    assert text.count(f'File "{path}"') == 2 and "raised inside" not in text and info["lineno"] == 20
