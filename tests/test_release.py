"""`pixelkata release`: the learner's copy holds what it should, installs on its own and grades."""
from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys

import pytest

from grader.course import release as releasing
from grader.course import settings as course_settings
from grader.course import load_course
from grader.errors import PixelkataError
from grader.course.project import Project
from tests.cli_helpers import run_cli
from tests.conftest import ROOT


def files_of(folder):
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def released(tmp_path_factory, project):
    out = tmp_path_factory.mktemp("release") / "course"
    releasing.release(project, out, check=False)
    return out


def test_the_learners_copy_leaves_out_solutions_tests_and_instructor_notes(released, project):
    files = files_of(released)
    assert not any(f.split("/")[0] in ("solutions", "tests", "benchmarks", ".ci") for f in files)
    assert not any("__pycache__" in f or f.endswith(".pyc") for f in files)
    for day in load_course().days:
        assert f"exercises/{day.filename}" in files
        assert (released / "exercises" / day.filename).read_bytes() == (
            project.root / "exercises" / day.filename).read_bytes()  # the folder as it is (check-course vets it)
    assert files >= {f"reference_images/{f}" for f in files_of(project.references)}
    assert {"README.md", "pyproject.toml", "pixelkata.toml", "grader/cli.py", "grader/classroom/templates/class.html.j2"} <= files
    if (ROOT / ".github" / "workflows" / "grade.yml").is_file():
        assert ".github/workflows/grade.yml" in files  # the learner's CI workflow ships
    readme = (released / "README.md").read_text()
    assert "pixelkata grade" in readme and "## Quick start" in readme
    assert "For instructors" not in readme and "pixelkata batch" not in readme and "instructor-only" not in readme
    assert "pytest" not in readme  # the tests do not ship, so neither does their command
    assert course_settings.solutions_allowed(Project(released)) is False
    assert 'edition = "learner"' in (released / "pixelkata.toml").read_text()
    assert course_settings.solutions_allowed(Project(ROOT))  # the instructor's own copy has no settings file


def test_instructor_notes_and_marked_readme_passages_never_ship(tmp_path, project):
    from tests.conftest import copy_project

    course = copy_project(tmp_path, project)
    shutil.copytree(ROOT / "grader", course.root / "grader")
    shutil.copy(ROOT / "pyproject.toml", course.root / "pyproject.toml")
    (course.root / "docs" / "instructor").mkdir(parents=True)
    (course.root / "docs" / "instructor" / "answers.md").write_text("the answers")
    (course.root / "docs" / "grading.instructor.md").write_text("private")
    (course.root / "docs" / "public.md").write_text("intro\n<!-- instructor-only -->\nsecret\n<!-- /instructor-only -->\nend\n")
    (course.root / "README.md").write_text("# course\n")
    done = releasing.release(course, tmp_path / "out", check=False)
    files = files_of(done.out)
    assert "docs/public.md" in files
    assert not any("instructor" in f for f in files)
    assert (done.out / "docs" / "public.md").read_text() == "intro\nend\n"


def test_a_self_study_edition_keeps_the_solutions_and_the_solution_command(tmp_path, project):
    code, out, err = run_cli("release", tmp_path / "self", "--keep-solutions", "--no-check", "--root", ROOT)
    assert code == 0, err
    assert "self-study" in out and "solution command is on" in out
    files = files_of(tmp_path / "self")
    assert {f"solutions/{d.filename}" for d in load_course().days} <= files
    assert course_settings.solutions_allowed(Project(tmp_path / "self")) is True
    code, out, _ = run_cli("release", tmp_path / "self", "--keep-solutions", "--no-solution-command", "--force",
                           "--no-check", "--root", ROOT)
    assert code == 0 and course_settings.solutions_allowed(Project(tmp_path / "self")) is False


@pytest.mark.parametrize("args, phrase", [
    (["--solution-command"], "--solution-command needs --keep-solutions"),
    (["--force"], "is not an earlier release"),
    ([], "already exists and is not empty"),
])
def test_release_refuses_what_it_must_not_do(tmp_path, args, phrase):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "thesis.tex").write_text("precious")
    code, _, err = run_cli("release", target, "--no-check", "--root", ROOT, *args)
    assert code == 2 and phrase in err, err
    assert (target / "thesis.tex").read_text() == "precious"


def test_release_refuses_a_folder_inside_the_course(tmp_path, project):
    with pytest.raises(PixelkataError, match="inside the course"):
        releasing.release(project, project.root / "exercises" / "copy", check=False)


def test_a_course_that_fails_its_check_does_not_ship(tmp_path, project, monkeypatch):
    from grader.course import lint

    monkeypatch.setattr(lint, "check_course", lambda *a, **k: ["day01.crop: the stub's body must raise NotImplementedError."])
    with pytest.raises(PixelkataError, match="not ready to ship.*day01.crop"):
        releasing.release(project, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def _venv(path):
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, capture_output=True)
    # The numeric libraries come from this test environment, so the install needs no download of them;
    # pixelkata itself is built and installed from the released folder alone.
    purelib = subprocess.run([str(path / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(purelib, "pixelkata-test-deps.pth"), "w") as fh:
        fh.write("\n".join(site.getsitepackages()) + "\n")
    return path


def _clean_env():
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


@pytest.mark.release
def test_the_release_installs_in_a_fresh_venv_and_grades_on_its_own(released, tmp_path):
    venv = _venv(tmp_path / "venv")
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(released)], capture_output=True, text=True,
                          env=_clean_env())
    assert done.returncode == 0, done.stderr[-2000:]
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import grader; print(grader.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=_clean_env()).stdout
    assert str(venv) in where and str(ROOT) not in where

    tasks = sum(1 for t in load_course().tasks() if not t.challenge)  # the challenges are counted apart
    pixelkata = str(venv / "bin" / "pixelkata")
    stubs = subprocess.run([pixelkata, "grade"], capture_output=True, text=True, cwd=released, env=_clean_env())
    assert stubs.returncode == 0, stubs.stdout + stubs.stderr
    assert re.search(rf"Total: 0/\d+ points · 0 of {tasks} tasks passed, {tasks} not attempted · "
                     r"0 of 13 challenges with a tier\s*$", stubs.stdout), stubs.stdout

    for day in load_course().days:
        shutil.copy(ROOT / "solutions" / day.filename, released / "exercises" / day.filename)
    solved = subprocess.run([pixelkata, "grade"], capture_output=True, text=True, cwd=released, env=_clean_env())
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert re.search(rf"Total: (\d+)/\1 points · {tasks} of {tasks} tasks passed · 13 of 13 challenges with a tier\s*$",
                     solved.stdout), solved.stdout


def test_the_learners_copy_carries_the_stub_digests_and_knows_its_stubs_untouched(tmp_path, project):
    from grader.course import stubs
    from grader.course.references import References

    released = tmp_path / "course"  # a copy of its own: another test here solves the shared one's exercises
    releasing.release(project, released, check=False)
    digests = References(released / "reference_images").stub_digests()
    assert sorted(digests) == sorted(d.filename for d in load_course().days)
    assert stubs.all_untouched(released / "exercises", released / "reference_images")
    day01 = released / "exercises" / "day01_reading.py"
    kept = day01.read_bytes()
    try:
        day01.write_bytes(kept + b"\n")
        assert not stubs.all_untouched(released / "exercises", released / "reference_images")
    finally:
        day01.write_bytes(kept)


def test_a_catalogued_mistake_is_named_in_the_learners_copy(released, tmp_path, runner):
    """The copy has no catalogue/ to run: the mistakes' outputs stored in reference_images/ name the failure."""
    from grader.grading import grade
    from grader.grading.naming import hint_for
    from tests.conftest import learner_folder

    assert not (released / "catalogue").exists()
    copy = Project(released)
    source = (ROOT / "solutions" / "day04_blending.py").read_text() + \
        "\n\ndef add(first, second, saturate):\n    return first + second\n"
    run = grade(copy, exercises=learner_folder(tmp_path, copy, 4, source), day=4, task="add", runner=runner)
    (t,) = run.tasks
    saturate = next(c for c in t.cases if c.case_id == "saturate")
    assert saturate.verdict.named == ["always_wraps"]
    assert saturate.message.startswith("Your sum wraps around past 255")
    assert hint_for(t) == t.task.hints[1]


def test_a_challenge_matching_a_stored_mistake_earns_no_tier_in_the_learners_copy(released, tmp_path, runner):
    from grader.grading import grade
    from tests.conftest import learner_folder

    copy = Project(released)
    source = (ROOT / "solutions" / "day01_reading.py").read_text() + '''

def montage(images, height):
    parts = []
    for image in images:
        h, w = image.shape[:2]
        scaled = cv2.resize(image, (round(w * height / h), height), interpolation=cv2.INTER_AREA)
        parts.append(cv2.cvtColor(scaled, cv2.COLOR_GRAY2RGB if scaled.ndim == 2 else cv2.COLOR_BGR2RGB))
    return np.hstack(parts)
'''
    run = grade(copy, exercises=learner_folder(tmp_path, copy, 1, source), day=1, task="montage", runner=runner)
    (t,) = run.tasks
    assert t.tier is None and t.points == 0.0
    assert any(c.verdict is not None and c.verdict.named == ["rgb_order"] for c in t.cases)
