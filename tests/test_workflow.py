"""The GitHub workflow for learners' course repositories: its safety, and its steps run here.

The steps run as GitHub would run them (bash -e, in the checkout, with
GITHUB_ACTIONS and GITHUB_STEP_SUMMARY set), on a throwaway clone of a course
repository. Two steps are stood in for: actions/checkout (the clone) and the
install, whose command is the README's own and is proven by .ci/run; a stand-in
`pixelkata` runs this checkout's grader.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from grader.course import load_course
from tests.conftest import MIXED_DAY01, ROOT
from tests.gitrepo import GIT_ENV, commit_all, course_repo, git
from tests.test_ci import BLACK_CROP, poison_crop_references

yaml = pytest.importorskip("yaml", reason="reading the workflow needs PyYAML: pip install -e '.[test]'")

WORKFLOW = ROOT / ".github" / "workflows" / "grade.yml"
# 7 points earned, of however many the graded days have: the whole course, or day 1 alone.
COURSE_POINTS = sum(t.points for t in load_course().tasks())
DAY1_POINTS = sum(t.points for t in load_course().day(1).tasks)
SUMMARY = f"## pixelkata: 7/{COURSE_POINTS:g} points"


@pytest.fixture(scope="module")
def workflow() -> dict:
    doc = yaml.safe_load(WORKFLOW.read_text())
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def steps(workflow) -> list[dict]:
    (job,) = workflow["jobs"].values()
    return job["steps"]


def step(workflow, name_part: str) -> dict:
    (found,) = [s for s in steps(workflow) if name_part in s.get("name", "")]
    return found


def readme_command(marker: str) -> str:
    """The first line of the code block after ``<!-- marker -->`` in the README (as .ci/run reads it)."""
    text = (ROOT / "README.md").read_text()
    block = re.search(rf"<!-- {marker} -->\s*```\n(.*?)\n", text)
    assert block, f"no {marker} in README.md"
    return block.group(1)


def test_it_runs_on_pull_request_with_read_only_permissions(workflow):
    assert set(workflow["on"]) == {"pull_request"}
    assert "pull_request_target" not in WORKFLOW.read_text().replace("never `pull_request_target`", "")
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert all(v in ("read", "none") for v in (job.get("permissions") or {}).values())
    checkout = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_no_script_interpolates_pull_request_data(workflow):
    # `${{ }}` in a script would paste text a pull request controls into bash.
    assert all("${{" not in s["run"] for s in steps(workflow) if "run" in s)


def test_it_installs_with_the_readmes_command_from_the_base_branch(workflow):
    install = step(workflow, "Install")
    # The README's one command installs and then grades; the workflow grades in its own step.
    assert readme_command("install command") == install["run"] + " && .venv/bin/pixelkata grade"
    assert install["working-directory"] == "${{ runner.temp }}/grader"
    assert 'git archive "origin/$GITHUB_BASE_REF"' in step(workflow, "from the base branch")["run"]


def test_it_uploads_the_report_and_the_json_even_when_grading_fails(workflow):
    upload = step(workflow, "Upload")
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["if"] == "always()"
    assert set(upload["with"]["path"].split()) == {".pixelkata/report.html", ".pixelkata/results.json"}
    assert '--references-from "origin/$GITHUB_BASE_REF"' in step(workflow, "Grade")["run"]


@pytest.fixture
def actions(tmp_path):
    """A pull request's checkout on a runner: the base branch as origin/main, a GitHub-like environment."""
    origin = course_repo(tmp_path, ROOT, "origin")
    workspace = tmp_path / "workspace"
    git(tmp_path, "clone", "-q", str(origin), str(workspace))
    git(workspace, "checkout", "-q", "-b", "learner-day1")
    module = workspace / "exercises" / "day01_reading.py"
    # Day 1 part done, crop answered with black, and crop's references rewritten to match.
    module.write_text((ROOT / "solutions" / "day01_reading.py").read_text() + MIXED_DAY01 + BLACK_CROP)
    poison_crop_references(workspace)
    commit_all(workspace, "day 1")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    summary = tmp_path / "step-summary.md"
    summary.write_text("")
    env = {**os.environ, **GIT_ENV, "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_WORKSPACE": str(workspace), "GITHUB_BASE_REF": "main", "RUNNER_TEMP": str(temp),
           "PYTHONPATH": str(ROOT)}
    return {"workspace": workspace, "env": env, "summary": summary, "temp": temp}


def run_step(s: dict, actions, env: dict) -> subprocess.CompletedProcess:
    """A `run:` step as GitHub runs it: bash -e, in the workspace or its working-directory."""
    cwd = s.get("working-directory", str(actions["workspace"])).replace("${{ runner.temp }}", str(actions["temp"]))
    return subprocess.run(["bash", "-e", "-c", s["run"]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def stand_in_install(s: dict, actions) -> None:
    """The install step's result: a `pixelkata` in the base checkout's .venv, running this grader."""
    folder = actions["temp"] / "grader"
    assert (folder / "exercises").is_dir(), "the base branch was not taken into the install folder"
    exe = folder / ".venv" / "bin" / "pixelkata"
    exe.parent.mkdir(parents=True)
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m grader "$@"\n')
    exe.chmod(0o755)


def run_workflow(workflow, actions, **overrides) -> subprocess.CompletedProcess:
    env = {**actions["env"], **{k: str(v) for k, v in workflow["env"].items()}, **overrides}
    graded = None
    for s in steps(workflow):
        if "uses" in s:
            continue  # checkout is the clone above; setup-python is this interpreter; uploads are checked after
        if s["name"].startswith("Install"):
            stand_in_install(s, actions)
            continue
        done = run_step(s, actions, env)
        if s["name"] == "Grade":
            graded = done
            break
        assert done.returncode == 0, f"step {s['name']!r} failed: {done.stderr}"
    return graded


def test_the_workflow_grades_a_pull_request_and_reports_back(workflow, actions):
    done = run_workflow(workflow, actions)
    assert done.returncode == 1, done.stderr  # crop failed and resize raised: the check fails
    # The job summary: a table of every task, crop failed against the base branch's references.
    summary = actions["summary"].read_text()
    assert SUMMARY in summary
    assert "| ✘ | crop | failed |" in summary and "| ! | resize | error |" in summary
    assert "| · | shape_of | not attempted |" in summary and "| ★ | montage | gold |" in summary
    # One annotation per failed task, on the line of the learner's function.
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error ")]
    source = (actions["workspace"] / "exercises" / "day01_reading.py").read_text().splitlines()
    assert len(errors) == 2
    for line, name in zip(errors, ("crop", "resize")):
        m = re.match(r"::error file=exercises/day01_reading\.py,line=(\d+),title=pixelkata%3A (\w+) ", line)
        assert m and m.group(2) == name
        assert source[int(m.group(1)) - 1].startswith(f"def {name}(")
    # The artifacts the upload step collects.
    results = json.loads((actions["workspace"] / ".pixelkata" / "results.json").read_text())
    assert results["points"] == 7 and results["version"] == 1


@pytest.mark.parametrize("overrides, code, graded", [
    ({"MIN_SCORE": f"{700 // COURSE_POINTS:g}%"}, 0, COURSE_POINTS),  # just below 7 points' share
    ({"MIN_SCORE": "8"}, 1, COURSE_POINTS),
    ({"ONLY_CHANGED_DAYS": "true"}, 1, DAY1_POINTS),  # day 1 changed, so it alone is graded
])
def test_the_instructors_settings_decide_the_status(workflow, actions, overrides, code, graded):
    done = run_workflow(workflow, actions, **overrides)
    assert done.returncode == code, done.stdout + done.stderr
    assert f"## pixelkata: 7/{graded:g} points" in actions["summary"].read_text()


def test_only_changed_days_grades_nothing_when_no_exercise_changed(workflow, actions):
    git(actions["workspace"], "reset", "-q", "--hard", "origin/main")
    (actions["workspace"] / "notes.md").write_text("just notes")
    commit_all(actions["workspace"], "notes")
    done = run_workflow(workflow, actions, ONLY_CHANGED_DAYS="true")
    assert done.returncode == 0 and "nothing was graded" in done.stdout
    assert "No exercises were graded." in actions["summary"].read_text()
