"""A day whose file is still the course's stub as shipped is judged without being run, and reads exactly as a run.

`references build` records each stub's SHA-256 (CRLF read as LF) in the reference manifest; grade() takes a file
with that digest as untouched. The proofs that every stub grades *not attempted* (tests/test_course.py, check-course)
run the stubs for real (``run_untouched=True``); here the two ways are held equal, field by field.
"""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from grader import grading
from grader.course import build, stubs
from grader.course.references import References
from grader.grading import grade, untouched_days
from grader.grading.results import Outcome
from tests.conftest import copy_project

CROP_STUB = "    # TODO: slice rows first (y), then columns (x).\n    raise NotImplementedError\n"
CROP_DONE = "    return image[y:y + height, x:x + width]\n"


class Watched:
    """A runner that notes the module of every job handed to it or to one of its lanes, and passes it on."""

    def __init__(self, runner):
        self.runner = runner
        self.modules: list[str] = []
        self.lanes = 0

    def __getattr__(self, name):
        return getattr(self.runner, name)

    def run(self, job, **kwargs):
        self.modules.append(job.module.name)
        return self.runner.run(job, **kwargs)

    def lane(self):
        self.lanes += 1
        return _WatchedLane(self.runner.lane(), self.modules)


class _WatchedLane:
    def __init__(self, lane, modules):
        self.lane = lane
        self.modules = modules

    def __getattr__(self, name):
        return getattr(self.lane, name)

    def run(self, job, **kwargs):
        self.modules.append(job.module.name)
        return self.lane.run(job, **kwargs)

    def close(self):
        self.lane.close()


def stub_copy(tmp_path, project, name="exercises"):
    folder = tmp_path / name
    shutil.copytree(project.exercises, folder)
    return folder


def same_array(a, b) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b))


def test_the_course_stubs_graded_without_running_read_exactly_as_graded_by_running(project, course, runner):
    running = Watched(runner)
    ran = grade(project, exercises=project.exercises, runner=running, keep_images=True, run_untouched=True)
    assert len(running.modules) == sum(len(t.cases) for t in course.tasks())  # every case run for real
    watched = Watched(runner)
    judged = grade(project, exercises=project.exercises, runner=watched, keep_images=True)
    assert watched.modules == [] and watched.lanes == 0  # nothing went to a worker

    assert [d.day.number for d in judged.days] == [d.day.number for d in ran.days]
    assert [d.error for d in judged.days] == [d.error for d in ran.days]
    pairs = list(zip(ran.tasks, judged.tasks, strict=True))
    assert len(pairs) == 90  # 77 tasks and 13 challenges
    for real, quick in pairs:
        key = real.task.key
        assert quick.task.key == key
        assert (quick.outcome, quick.points, quick.max_points, quick.message, quick.score, quick.tier) == \
               (real.outcome, real.points, real.max_points, real.message, real.score, real.tier), key
        assert len(quick.cases) == len(real.cases), key
        for a, b in zip(real.cases, quick.cases):
            where = f"{key} case {a.case_id}"
            assert (b.case_id, b.outcome, b.message, b.traceback, b.note, b.output, b.output_bytes, b.earned) == \
                   (a.case_id, a.outcome, a.message, a.traceback, a.note, a.output, a.output_bytes, a.earned), where
            assert (b.verdict, b.before_naming, b.unlike, b.matches) == (a.verdict, a.before_naming, a.unlike,
                                                                         a.matches), where
            assert b.images.keys() == a.images.keys(), where
            for name in a.images:
                assert same_array(a.images[name], b.images[name]), (where, name)
    # The run's own figures alike, but for the time it took.
    assert (judged.points, judged.max_points, judged.counts(), judged.exit_code()) == \
           (ran.points, ran.max_points, ran.counts(), ran.exit_code())
    assert {t.outcome for t in judged.tasks} == {Outcome.NOT_ATTEMPTED}
    assert judged.tasks[0].message == ("Write read_image() in exercises/day01_reading.py: read a picture file in "
                                       "colour (BGR) or grayscale, and raise FileNotFoundError for a missing file.")
    assert "expected" in judged.tasks[0].cases[0].images  # the report shows what to make


def test_a_grade_of_untouched_days_alone_starts_no_worker(tmp_path, project, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(grading, "Runner", refused)
    run = grade(project, exercises=stub_copy(tmp_path, project), day=[11, 13])
    assert [d.day.number for d in run.days] == [11, 13]
    assert {t.outcome for t in run.tasks} == {Outcome.NOT_ATTEMPTED}
    assert run.limits == []  # no learner code ran, under no protections


def test_only_the_attempted_day_of_a_grade_goes_to_the_workers(tmp_path, project, course, runner):
    folder = stub_copy(tmp_path, project)
    day01 = folder / "day01_reading.py"
    day01.write_text(day01.read_text().replace(CROP_STUB, CROP_DONE))
    watched = Watched(runner)
    run = grade(project, exercises=folder, day=[1, 11, 13], runner=watched)
    assert set(watched.modules) == {"day01_reading.py"}
    assert len(watched.modules) == sum(len(t.cases) for t in course.day(1).tasks)
    outcomes = {t.task.key: t.outcome for t in run.tasks}
    assert outcomes["day01.crop"] is Outcome.PASSED
    assert outcomes["day01.resize"] is Outcome.NOT_ATTEMPTED
    assert {o for k, o in outcomes.items() if not k.startswith("day01.")} == {Outcome.NOT_ATTEMPTED}


@pytest.mark.parametrize("edit", [
    pytest.param(lambda b: b.replace(b"slice rows first", b"slice rows First", 1), id="one byte changed"),
    pytest.param(lambda b: b + b"\n", id="a newline added at the end"),
    pytest.param(lambda b: b.replace(CROP_STUB.encode(), CROP_DONE.encode()), id="a function filled in"),
    pytest.param(lambda b: b.replace(b"slice rows first", b"slice rows First", 1).replace(b"\n", b"\r\n"),
                 id="an edited stub with CRLF endings"),
])
def test_an_edited_stub_is_run(tmp_path, project, course, runner, edit):
    folder = stub_copy(tmp_path, project)
    day01 = folder / "day01_reading.py"
    day01.write_bytes(edit(day01.read_bytes()))
    assert untouched_days(course.days, folder, References(project.references)) == set(range(2, 14))
    watched = Watched(runner)
    run = grade(project, exercises=folder, day=1, task="crop", runner=watched)
    assert watched.modules == ["day01_reading.py"] * 2  # crop's two cases, each run
    assert run.tasks[0].outcome in (Outcome.NOT_ATTEMPTED, Outcome.PASSED)


def test_a_stub_with_crlf_line_endings_counts_as_untouched(tmp_path, project, course, runner):
    folder = stub_copy(tmp_path, project)
    for path in folder.glob("day*.py"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # a Windows checkout (core.autocrlf)
    assert untouched_days(course.days, folder, References(project.references)) == set(range(1, 14))
    watched = Watched(runner)
    run = grade(project, exercises=folder, day=1, runner=watched, keep_images=True)
    assert watched.modules == []
    assert {t.outcome for t in run.tasks} == {Outcome.NOT_ATTEMPTED}


def test_references_without_stub_digests_grade_every_day_by_running_it(tmp_path, project, course, runner):
    older = copy_project(tmp_path, project)
    path = older.references / "manifest.json"
    doc = json.loads(path.read_text())
    del doc["stubs"]
    path.write_text(json.dumps(doc))
    assert untouched_days(course.days, older.exercises, References(older.references)) == set()
    watched = Watched(runner)
    run = grade(older, exercises=older.exercises, day=1, task="crop", runner=watched)
    assert watched.modules == ["day01_reading.py"] * 2
    assert run.tasks[0].outcome is Outcome.NOT_ATTEMPTED


def test_the_digest_reads_crlf_as_lf_and_nothing_else(tmp_path):
    path = tmp_path / "day99_demo.py"
    path.write_bytes(b"x = 1\ny = 2\n")
    assert stubs.stub_digest(path) == "8353afe579a16d27abc038055bf713459ba6ef418c65b143b526a09dd529e500"
    path.write_bytes(b"x = 1\r\ny = 2\r\n")
    assert stubs.stub_digest(path) == "8353afe579a16d27abc038055bf713459ba6ef418c65b143b526a09dd529e500"
    path.write_bytes(b"x = 1\ry = 2\r")  # a lone CR is another file
    assert stubs.stub_digest(path) == "161fcf94ec18f19708894f7a4c11ac50d6e8357369e98a5e9e03db36c021957e"
    assert stubs.stub_digest(tmp_path / "missing.py") is None


# ---------------------------------------------------------------- the digests, kept true


def test_the_committed_manifest_records_the_digest_of_every_committed_stub(project, course):
    recorded = References(project.references).stub_digests()
    assert sorted(recorded) == sorted(d.filename for d in course.days) and len(recorded) == 13
    assert build.stale_stub_digests(project, course) == []
    assert untouched_days(course.days, project.exercises, References(project.references)) == set(range(1, 14))


def test_verify_and_check_course_refuse_a_stub_edited_since_the_build(tmp_path, project, course, runner):
    from grader.course.lint import check_course

    edited = copy_project(tmp_path, project)
    day03 = edited.exercises / "day03_colour.py"
    day03.write_text(day03.read_text() + "\n# one more line\n")
    want = ("stale: exercises/day03_colour.py changed since the references were built (its digest differs from "
            "the one recorded); rebuild with `pixelkata references build`")
    problems = build.verify(edited, runner=runner, days=[2])
    assert [(p.where, p.problem) for p in problems] == [("manifest.json", want)]
    # check-course says so before it grades anything (the course is not sound: nothing would be proved).
    assert check_course(edited, runner=runner, log=lambda *a: None) == [f"reference_images/manifest.json: {want}"]


def test_references_without_stub_digests_are_stale_in_the_course_repository_only(tmp_path, project, course):
    older = copy_project(tmp_path, project)
    path = older.references / "manifest.json"
    doc = json.loads(path.read_text())
    del doc["stubs"]
    path.write_text(json.dumps(doc))
    problems = build.stale_stub_digests(older, course)
    assert [(p.where, p.problem) for p in problems] == [
        ("manifest.json", "stale: it records no digest of the stubs in exercises/ (references built before they "
                          "were); rebuild with `pixelkata references build`")]
    shutil.rmtree(older.root / "catalogue")  # a learner's copy: its exercises/ are theirs to edit
    assert build.stale_stub_digests(older, course) == []


def test_a_release_refuses_stale_stub_digests_even_unchecked(tmp_path, project):
    from grader.course import release as releasing
    from grader.errors import PixelkataError

    edited = copy_project(tmp_path, project)
    day05 = edited.exercises / "day05_edges.py"
    day05.write_bytes(day05.read_bytes().replace(b"TODO", b"TO DO", 1))
    with pytest.raises(PixelkataError, match=r"^the stubs' digests in reference_images/manifest\.json are stale \(1 "
                                             r"problem\(s\), the first: stale: exercises/day05_edges\.py changed .*"
                                             r"`pixelkata references build`\), then commit and release again\.$"):
        releasing.release(edited, tmp_path / "out", check=False)
    assert not (tmp_path / "out").exists()


def test_the_cli_grading_only_stubs_starts_no_worker(tmp_path, project, monkeypatch):
    from grader.engine import runner as engine_runner
    from tests.cli_helpers import run_cli

    def refused(*args, **kwargs):
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(engine_runner, "Runner", refused)
    monkeypatch.setattr(grading, "Runner", refused)
    course = copy_project(tmp_path, project)
    code, out, err = run_cli("grade", "--root", course.root, "--all")
    assert code == 0, out + err
    assert "Total: 0/206 points · 0 of 77 tasks passed, 77 not attempted" in out


def test_references_build_refuses_to_record_a_solved_working_copy_as_the_stub(tmp_path, project, course):
    from grader.errors import PixelkataError

    solved = copy_project(tmp_path, project)
    day01 = solved.exercises / "day01_reading.py"
    day01.write_text(day01.read_text().replace(CROP_STUB, CROP_DONE))
    with pytest.raises(PixelkataError, match=r"^exercises/day01_reading\.py: crop\(\) is not the stub \(it must raise "
                                             r"NotImplementedError\).*`git checkout -- exercises/day01_reading\.py`"):
        build.shipped_stub_digests(solved, course)
    day01.write_text(day01.read_text().replace(CROP_DONE, CROP_STUB))
    assert build.shipped_stub_digests(solved, course) == References(project.references).stub_digests()


def test_only_running_the_stubs_proves_them_so_the_proofs_run_them(tmp_path, project, runner):
    # A stub that raises NotImplementedError on a branch it never takes, recorded as shipped: the digest alone
    # would call it not attempted, which is why check-course and the stub tests grade with run_untouched=True.
    odd = copy_project(tmp_path, project)
    day01 = odd.exercises / "day01_reading.py"
    day01.write_text(day01.read_text().replace(CROP_STUB, "    if image is None:\n        raise NotImplementedError\n"
                                                          "    return image\n"))
    path = odd.references / "manifest.json"
    doc = json.loads(path.read_text())
    doc["stubs"]["day01_reading.py"] = stubs.stub_digest(day01)
    path.write_text(json.dumps(doc))
    judged = grade(odd, exercises=odd.exercises, day=1, task="crop", runner=runner)
    ran = grade(odd, exercises=odd.exercises, day=1, task="crop", runner=runner, run_untouched=True)
    assert judged.tasks[0].outcome is Outcome.NOT_ATTEMPTED
    assert ran.tasks[0].outcome is Outcome.FAILED
