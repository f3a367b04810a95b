"""References are made by a command, hash-checked when read, and re-verified against the solutions."""
from __future__ import annotations

import json

import numpy as np
import pytest

from grader.course import build
from grader.errors import ReferenceError_
from grader.grading import grade
from grader.course.references import References, library_versions
from tests.conftest import copy_project


def test_verify_passes_on_the_committed_references(project, runner):
    assert build.verify(project, runner=runner) == []


def test_verify_reports_a_modified_file(tmp_path, project, runner):
    course = copy_project(tmp_path, project)
    target = next((course.references / "expected" / "day01" / "crop").glob("*.png"))
    target.write_bytes(target.read_bytes()[:-10] + b"0123456789")
    problems = build.verify(course, runner=runner, days=[2])  # every hash is checked, whatever the days
    assert [p.where for p in problems] == [target.relative_to(course.references).as_posix()]
    assert "SHA-256" in problems[0].problem


def test_verify_reports_a_stray_file(tmp_path, project, runner):
    course = copy_project(tmp_path, project)
    (course.references / "expected" / "day01" / "extra.png").write_bytes(b"x")
    problems = build.verify(course, runner=runner, days=[2])
    assert any("stray" in p.problem for p in problems)


def test_verify_reports_drift_when_the_solution_no_longer_reproduces_a_reference(tmp_path, project, runner):
    course = copy_project(tmp_path, project)
    sol = course.solutions / "day01_reading.py"
    sol.write_text(sol.read_text().replace("interpolation=cv2.INTER_AREA)\n\n\ndef flip",
                                           "interpolation=cv2.INTER_LINEAR)\n\n\ndef flip"))
    problems = build.verify(course, runner=runner, days=[1])
    drifted = {p.where: p.problem for p in problems}
    assert set(drifted) == {"day01.resize case shrink", "day01.resize case stretch"}
    assert "the check still passes" in drifted["day01.resize case shrink"]
    assert "the check still passes" in drifted["day01.resize case stretch"]
    # The mistakes' stored outcomes do not depend on the solution (every one is stored, equal to the solution's
    # output or not): they stay current.
    assert build.verify(course, runner=runner, days=[2]) == []  # only the days asked for are re-run


def test_grading_refuses_a_modified_reference_and_never_creates_a_missing_one(tmp_path, project, runner):
    course = copy_project(tmp_path, project)
    target = next((course.references / "expected" / "day01" / "to_rgb").glob("*.png"))
    target.write_bytes(b"not a png")
    with pytest.raises(ReferenceError_, match="has been modified"):
        grade(course, exercises=course.solutions, day=1, task="to_rgb", runner=runner)
    target.unlink()
    with pytest.raises(ReferenceError_, match="is missing"):
        grade(course, exercises=course.solutions, day=1, task="to_rgb", runner=runner)
    assert not target.exists()


def test_build_is_reproducible_byte_for_byte(tmp_path, project, runner):
    committed = References(project.references).manifest
    if committed["versions"] != library_versions():
        pytest.skip(f"references were built with {committed['versions']}, this machine has {library_versions()}")
    course = copy_project(tmp_path, project)
    build.build(course, runner=runner, log=lambda *_: None)
    rebuilt = json.loads((course.references / "manifest.json").read_text())
    assert rebuilt == committed


def test_the_manifest_records_versions_and_every_input_has_an_origin(project):
    manifest = References(project.references).manifest
    assert set(manifest["versions"]) >= {"numpy", "opencv", "scikit-image", "scikit-learn"}
    sources = (project.references / "SOURCES.md").read_text()
    for rel in manifest["files"]:
        if rel.startswith("inputs/"):
            assert rel in sources


def test_verify_names_each_library_whose_version_differs_from_the_one_the_references_were_built_with():
    from grader.course.references import version_changes

    recorded = {"numpy": "2.4.6", "opencv": "5.0.0", "scikit-image": "0.26.0"}
    installed = {"numpy": "2.4.6", "opencv": "5.0.1", "scikit-image": "0.26.0", "scikit-learn": "1.9.1"}
    assert version_changes(recorded, installed) == [
        "opencv: references built with 5.0.0, this machine has 5.0.1",
        "scikit-learn: references built with an unrecorded version, this machine has 1.9.1",
    ]
    assert version_changes(installed, dict(installed)) == []


SWAPS_BLUE_AND_GREEN = "def to_rgb__swaps_blue_and_green(image):\n    return image[:, :, [1, 0, 2]].copy()\n"


def _edit_swaps_blue_and_green(course):
    """The catalogued mistake now swaps green and red, and reference_images/ is not rebuilt."""
    module = course.root / "catalogue" / "day01_reading.py"
    text = module.read_text()
    assert SWAPS_BLUE_AND_GREEN in text
    module.write_text(text.replace(SWAPS_BLUE_AND_GREEN,
                                   "def to_rgb__swaps_blue_and_green(image):\n    return image[:, :, [0, 2, 1]].copy()\n"))


def test_the_committed_mistake_outputs_come_from_the_committed_catalogue(project):
    assert build.stale_mistake_outputs(project) == []


def test_verify_reports_the_stored_outputs_of_an_edited_mistake_as_stale(tmp_path, project, runner):
    course = copy_project(tmp_path, project)
    _edit_swaps_blue_and_green(course)
    for days in ([1], [2]):  # `references verify 1`, and a day other than the edited one
        problems = build.verify(course, runner=runner, days=days)
        assert [p.where for p in problems] == ["mistakes/day01/to_rgb.xz"]
        assert problems[0].problem.startswith("stale: the catalogued mistakes or the references changed")
        assert problems[0].problem.endswith("rebuild with `pixelkata references build`")


def test_a_release_refuses_stale_mistake_outputs_even_unchecked(tmp_path, project):
    from grader.course import release as releasing
    from grader.errors import PixelkataError

    course = copy_project(tmp_path, project)
    _edit_swaps_blue_and_green(course)
    with pytest.raises(PixelkataError, match=r"stale for 1 task\(s\) \(the first, reference_images/mistakes/day01/"
                                             r"to_rgb\.xz: stale: .*`pixelkata references build`\), then commit"):
        releasing.release(course, tmp_path / "out", check=False)
    assert not (tmp_path / "out").exists()


def test_a_manifest_without_mistake_sources_has_every_stored_mistake_file_stale(tmp_path, project):
    course = copy_project(tmp_path, project)
    path = course.references / "manifest.json"
    doc = json.loads(path.read_text())
    stored = set(doc["mistake_sources"])
    del doc["mistake_sources"]
    path.write_text(json.dumps(doc))
    problems = build.stale_mistake_outputs(course)
    assert len(problems) == len(stored) > 0
    assert "day01.to_rgb" in stored and "mistakes/day01/to_rgb.xz" in {p.where for p in problems}
    assert all("records no source" in p.problem for p in problems)


def test_the_hashed_source_of_a_function_is_what_it_can_reach_and_nothing_else(tmp_path):
    module = tmp_path / "day99_demo.py"
    module.write_bytes(b'"""Demo."""\r\nimport numpy as np\r\nSCALE = 2\r\n\r\n\r\n'
                       b'def _twice(x):\r\n    return x * SCALE\r\n\r\n\r\n'
                       b'@staticmethod\r\ndef mistake(image):\r\n    return _twice(image)\r\n\r\n\r\n'
                       b'def other(image):\r\n    return image\r\n')
    assert build.reachable_source(module, ["mistake"]) == (
        '"""Demo."""\nimport numpy as np\nSCALE = 2\n'
        'def _twice(x):\n    return x * SCALE\n'
        '@staticmethod\ndef mistake(image):\n    return _twice(image)\n')
    assert build.reachable_source(module, ["gone"]).endswith("<missing: gone>")
    module.write_text("def broken(:\n")
    assert build.reachable_source(module, ["broken"]) == "<day99_demo.py unreadable: SyntaxError>"


def test_check_course_refuses_stored_mistake_outputs_the_catalogue_no_longer_makes(tmp_path, project):
    from grader.course.lint import _stored_mistake_problems

    course = copy_project(tmp_path, project)
    assert _stored_mistake_problems(course) == []
    _edit_swaps_blue_and_green(course)
    problems = _stored_mistake_problems(course)
    assert len(problems) == 1 and problems[0].startswith("reference_images/mistakes/day01/to_rgb.xz: stale: ")


def test_a_process_decodes_a_reference_once_yet_checks_its_hash_at_every_grade(tmp_path, project, course,
                                                                             monkeypatch):
    from grader import values
    from grader.course import references

    monkeypatch.setattr(references, "DECODED", references._Decoded(limit=2**30))
    decoded = []
    real_load = values.load
    monkeypatch.setattr(values, "load", lambda *a, **k: decoded.append(a[1]) or real_load(*a, **k))
    copy = copy_project(tmp_path, project)
    task = course.day(1).task("to_rgb")
    case = task.cases[0]
    first = References(copy.references).expected(task, case)  # each grade makes its own References
    second = References(copy.references).expected(task, case)
    second[0, 0] = 255 - second[0, 0]  # whoever gets a reference may change it: what is kept does not
    third = References(copy.references).expected(task, case)
    assert decoded == [case.id, case.id]  # kept from its second decoding on: a one-off grade copies nothing
    assert np.array_equal(first, third) and third.flags.writeable
    target = next((copy.references / "expected" / "day01" / "to_rgb").glob(f"{case.id}.a*.png"))
    target.write_bytes(b"not a png")
    with pytest.raises(ReferenceError_, match="has been modified"):
        References(copy.references).expected(task, case)


def test_a_rebuilt_reference_is_decoded_anew_in_a_process_that_kept_the_old_one(tmp_path, project, course,
                                                                                monkeypatch):
    from grader.course import references

    monkeypatch.setattr(references, "DECODED", references._Decoded(limit=2**30))
    copy = copy_project(tmp_path, project)
    task = course.day(1).task("to_rgb")
    case = task.cases[0]
    for _ in range(3):
        old = References(copy.references).expected(task, case)
    target = next((copy.references / "expected" / "day01" / "to_rgb").glob(f"{case.id}.a*.png"))
    import cv2

    cv2.imwrite(str(target), 255 - old)
    manifest = copy.references / "manifest.json"
    doc = json.loads(manifest.read_text())
    doc["files"][target.relative_to(copy.references).as_posix()] = references.sha256(target)
    manifest.write_text(json.dumps(doc))
    assert np.array_equal(References(copy.references).expected(task, case), 255 - old)
