"""What the grader's own code meets while judging an odd answer (a NumPy warning, a failed comparison with a
catalogued mistake) never reaches the learner's terminal: the message about the answer says what is wrong."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parent.parent

ODD_ANSWERS = {
    # all NaN: NumPy warns "All-NaN slice encountered" inside the diagnosis
    (4, "blend"): "import numpy as np\n\ndef blend(first, second, alpha):\n    return np.full(first.shape, np.nan)\n",
    # bool pictures: comparing them with a catalogued mistake's uint8 output raised inside OpenCV
    (1, "montage"): ("import numpy as np\n\ndef montage(images, height):\n"
                     "    return np.zeros((height, 10 * len(images), 3), bool)\n"),
}


@pytest.mark.parametrize("day, task", sorted(ODD_ANSWERS))
def test_an_odd_answer_gets_its_message_and_nothing_of_ours_on_the_terminal(tmp_path, project, day, task):
    project = copy_project(tmp_path, project)
    module = next(project.exercises.glob(f"day{day:02d}_*.py"))
    module.write_text(module.read_text() + "\n\n" + ODD_ANSWERS[(day, task)])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    env.pop("PYTHONWARNINGS", None)
    proc = subprocess.run([sys.executable, "-m", "grader", "grade", str(day), task, "--root", str(project.root)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{task}" in proc.stdout and "failed" in proc.stdout or "no tier" in proc.stdout
    for text in (proc.stdout, proc.stderr):
        assert "Traceback" not in text and "Warning" not in text and "grader/" not in text, text
