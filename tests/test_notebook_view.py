"""The notebook's check(): its records, its words about the learner's functions, and its two views."""
from __future__ import annotations

import html
import re

from grader import check
from grader.learner import progress
from tests.conftest import copy_project


def pick(image, channel, x, y):
    raise NotImplementedError  # a learner who has not written it yet


def crop(image, x, y, width, height):
    return image[y:y + height, x:x + width + 1]  # one column too many


def runs_in(course) -> int:
    db = progress.default_path(course)
    return len(progress.load_runs(db)[0]) if db.exists() else 0


def test_functions_from_the_notebook_are_named_and_not_recorded_unless_asked(tmp_path, project):
    course = copy_project(tmp_path, project)
    result = check(1, pick, crop, root=course.root)
    assert runs_in(course) == 0
    by_name = {t.name: t for t in result.run.tasks}
    assert by_name["pick"].message.startswith("Write pick() in your notebook: ")
    assert by_name["read_image"].message.startswith("Write read_image() in exercises/day01_reading.py: ")
    everything = " ".join([t.message for t in result.run.tasks] + [c.traceback for t in result.run.tasks
                                                                    for c in t.cases])
    assert "pixelkata-notebook-" not in everything
    page = result._repr_html_()
    assert "pixelkata-notebook-" not in page
    assert "your notebook&#39;s pick(), crop(); the rest from exercises/day01_reading.py" in html.unescape(page)

    check(1, pick, root=course.root, record=True)
    assert runs_in(course) == 1
    check(1, root=course.root)  # the learner's own exercises/: recorded
    assert runs_in(course) == 2


def test_the_text_form_has_no_terminal_colour_codes(tmp_path, project):
    course = copy_project(tmp_path, project)
    text = repr(check(1, crop, root=course.root))
    assert "\x1b[" not in text
    assert re.search(r"^  ✘ crop\s+failed", text, re.M), text


def test_the_inline_view_shows_the_graded_day_first_in_a_frame_sized_to_it(tmp_path, project):
    course = copy_project(tmp_path, project)
    small = check(3, root=course.root)._repr_html_()
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', small).group(1))
    days = re.findall(r'data-day="(\d+)"', page)
    assert days[0] == "3" and sorted(days, key=int) == [str(n) for n in range(1, len(days) + 1)]
    assert "onload=" in small and "scrollHeight" in small
    height = int(re.search(r"height:(\d+)px", small).group(1))
    assert 300 < height <= 4000  # a first guess; tests/test_report_browser.py checks the frame takes its page's height


def resize(image, width, height):
    scaled = image
    return cv2_undefined.resize(scaled, (width, height))  # noqa: F821 - a learner's slip: an undefined name


def test_an_error_in_a_notebook_function_is_told_at_that_functions_own_line(tmp_path, project):
    course = copy_project(tmp_path, project)
    result = check(1, resize, root=course.root)
    task = next(t for t in result.run.tasks if t.name == "resize")
    case = task.cases[0]
    assert case.message.startswith("resize() raised NameError (line 3 of resize() in your notebook): "), case.message
    assert 'File "resize() in your notebook", line 3, in resize' in case.traceback, case.traceback
    everything = " ".join([t.message for t in result.run.tasks] + [c.traceback for c in task.cases])
    assert "/tmp" not in everything and "pixelkata-notebook-" not in everything


class Cropper:
    def crop(self, image, x, y, width, height):
        return image[y:y + height, x:x + width]


def _rows(image, y, height):
    return image[y:y + height]


def crop_with_a_helper(image, x, y, width, height):
    return _rows(image, y, height)[:, x:x + width]  # _rows lives in this notebook, not in the graded copy


def crop_with_an_import(image, x, y, width, height):
    return html.escape(image)  # html is imported by this notebook, not by exercises/day01_reading.py


def crop_with_an_imported_helper(image, x, y, width, height):
    return copy_project(image)  # a function this notebook imported from another module (tests.conftest)


def made_in_a_function(k):
    def crop(image, x, y, width, height):
        return image[y:y + height, x:x + width * k]
    return crop


def refusal(**named):
    import pytest

    from grader.learner.notebook import NotebookError

    with pytest.raises(NotebookError) as caught:
        check(1, **named)
    assert caught.value._render_traceback_() == [f"NotebookError: {caught.value}"]  # one line in a notebook
    return str(caught.value)


def test_a_bound_method_is_refused_up_front_with_what_to_pass():
    assert refusal(crop=Cropper().crop) == (
        "crop is a method of a Cropper object, and its self cannot be passed to the grader: check() grades plain "
        "functions, written with def at the top level of a notebook cell; write crop as one (no self) and pass that.")


def test_a_lambda_is_refused_in_one_line():
    assert refusal(crop=lambda image, x, y, width, height: image) == (
        "crop is a lambda: write it with def at the top level of a notebook cell (def crop(...):) and pass that "
        "function; check() grades plain functions only.")


def test_names_the_graded_copy_cannot_see_are_told_up_front():
    assert refusal(crop=made_in_a_function(1)) == (
        "crop() uses k from the code around it (the function that made it, or a loop there), which the grader "
        "cannot see: only crop()'s own source is graded. Define k inside crop(), and write crop with def at the "
        "top level of a notebook cell.")
    assert refusal(crop=crop_with_a_helper) == (
        "crop() uses _rows, which your notebook has but the grader cannot see: only crop()'s own source is graded, "
        "in a copy of day01_reading.py. Define _rows inside crop() (with any import it needs), or put it in "
        "exercises/day01_reading.py.")
    assert refusal(crop=crop_with_an_import) == (
        "crop() uses html, which your notebook has but the grader cannot see: only crop()'s own source is graded, "
        "in a copy of day01_reading.py. Import html inside crop(), or at the top of exercises/day01_reading.py.")
    assert refusal(crop=crop_with_an_imported_helper) == (
        "crop() uses copy_project, which your notebook has but the grader cannot see: only crop()'s own source is "
        "graded, in a copy of day01_reading.py. Import copy_project inside crop() (from tests.conftest import "
        "copy_project), or at the top of exercises/day01_reading.py.")
