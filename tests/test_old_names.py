"""Day 8: a learner who copies greycomatrix / greycoprops from an old tutorial is told the new names."""
from __future__ import annotations

import pytest

from grader.grading import grade
from grader.grading.results import Outcome
from tests.conftest import learner_folder

FIX = "use `from skimage.feature import graycomatrix, graycoprops`"


def test_the_old_names_at_the_top_of_day_8_error_every_task_with_the_fix(project, runner, tmp_path):
    source = (project.solutions / "day08_texture.py").read_text()
    old = "from skimage.feature import graycomatrix, graycoprops"
    assert old in source
    source = source.replace(old, "from skimage.feature import greycomatrix, greycoprops")
    run = grade(project, exercises=learner_folder(tmp_path, project, 8, source), day=8, runner=runner)
    assert all(t.outcome is Outcome.ERROR for t in run.tasks)
    for t in run.tasks:
        assert "cannot import name 'greycomatrix'" in t.message, t.message  # the real error is kept
        assert FIX in t.message, t.message


@pytest.mark.parametrize("body", [
    "from skimage.feature import greycoprops\n    return greycoprops(None)",
    "import skimage.feature\n    return skimage.feature.greycomatrix(gray)",
])
def test_the_old_names_inside_a_function_get_the_fix_too(body, project, runner, tmp_path):
    source = (project.solutions / "day08_texture.py").read_text()
    source += f"\n\ndef glcm(gray, levels):\n    {body}\n"
    run = grade(project, exercises=learner_folder(tmp_path, project, 8, source), day=8, task="glcm", runner=runner)
    (task,) = run.tasks
    assert task.outcome is Outcome.ERROR
    assert FIX in task.message, task.message
