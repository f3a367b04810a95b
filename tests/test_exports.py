"""Every output format: its documented shape, and the same points as the terminal."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from grader.ci import exports
from grader.checks import Verdict
from grader.ci.exports.gradescope import results as gradescope_results
from grader.ci.exports.json import document
from grader.ci.exports.markdown import cell
from grader.grading.results import CaseResult, DayResult, GradeRun, Outcome, aggregate
from grader.learner.terminal import points
from tests.conftest import ROOT

SCHEMA = ROOT / "docs" / "results.schema.json"
JUNIT_XSD = ROOT / "tests" / "schemas" / "junit-10.xsd"
TASK_LINE = re.compile(r"^  \S (\w+)\s.*?\s(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")
TOTAL_LINE = re.compile(r"^Total: (\S+)/(\S+) points")


def terminal_points(run) -> tuple[dict, tuple]:
    """Per-task (points, max) and the total, as the terminal prints them."""
    text = exports.render("text", run)
    tasks = {m.group(1): (m.group(2), m.group(3)) for m in map(TASK_LINE.match, text.splitlines()) if m}
    total = next(m.groups() for m in map(TOTAL_LINE.match, text.splitlines()) if m)
    return tasks, total


def test_the_mixed_run_has_every_kind_of_result(mixed_run):
    outcomes = {t.name: t.outcome for t in mixed_run.tasks}
    assert outcomes["read_image"] is Outcome.PASSED and outcomes["crop"] is Outcome.FAILED
    assert outcomes["resize"] is Outcome.ERROR and outcomes["shape_of"] is Outcome.NOT_ATTEMPTED
    assert mixed_run.days[0].challenge.tier == "gold"


def test_every_format_shows_the_terminals_points(mixed_run):
    tasks, total = terminal_points(mixed_run)
    assert set(tasks) == {t.name for t in mixed_run.tasks}

    doc = json.loads(exports.render("json", mixed_run))
    shown = {t["task"]: (points(t["points"]), points(t["max_points"])) for d in doc["days"] for t in d["tasks"]}
    assert shown == tasks
    assert (points(doc["points"]), points(doc["max_points"])) == total

    gs = json.loads(exports.render("gradescope", mixed_run))
    shown = {t["name"].split()[3].rstrip(":"): (points(t["score"]), points(t["max_score"])) for t in gs["tests"]}
    assert shown == tasks
    assert points(gs["score"]) == total[0]

    md = exports.render("markdown", mixed_run)
    rows = {m.group(1): (m.group(2), m.group(3))
            for m in re.finditer(r"^\| \S \| (\w+) \|.*\| (\S+)/(\S+) \|$", md, re.M)}
    assert rows == tasks
    assert f"## pixelkata: {total[0]}/{total[1]} points" in md

    suite = ET.fromstring(exports.render("junit", mixed_run)).find("testsuite")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert (props["points"], props["max_points"]) == total


# --- JSON


def test_json_carries_format_version_and_each_tasks_verdict(mixed_run):
    doc = document(mixed_run)
    assert doc["format"] == "pixelkata-results" and doc["version"] == 1
    crop = next(t for t in doc["days"][0]["tasks"] if t["task"] == "crop")
    assert crop["outcome"] == "failed" and crop["day"] == 1 and crop["max_points"] == 2
    assert "has its height and width swapped" in crop["message"]
    assert crop["hint"].startswith("The rows run from y to y + height")  # the hint for the mistake named
    resize = next(t for t in doc["days"][0]["tasks"] if t["task"] == "resize")
    assert resize["outcome"] == "error" and "NameError" in resize["message"]
    to_rgb = next(t for t in doc["days"][0]["tasks"] if t["task"] == "to_rgb")
    assert to_rgb["metric"]["name"] == "pixels equal or rounded" and to_rgb["metric"]["threshold"] == 1.0
    montage = next(t for t in doc["days"][0]["tasks"] if t["task"] == "montage")
    assert montage["tier"] == "gold" and set(montage["tiers"]) == {"bronze", "silver", "gold"}


def _validator():
    jsonschema = pytest.importorskip("jsonschema", reason="JSON-Schema validation needs pip install -e '.[test]'")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_validates_against_the_documented_schema(mixed_run, solutions_run, stubs_run):
    validator = _validator()
    for run in (mixed_run, solutions_run, stubs_run):
        errors = list(validator.iter_errors(json.loads(exports.render("json", run))))
        assert not errors, [e.message for e in errors]


def test_the_schema_rejects_a_document_that_drifts_from_it(mixed_run):
    validator = _validator()
    doc = document(mixed_run)
    doc["days"][0]["tasks"][0]["points"] = "2"
    assert not validator.is_valid(doc)
    doc = document(mixed_run)
    doc["days"][0]["tasks"][0]["undocumented"] = 1
    assert not validator.is_valid(doc)


def test_json_turns_a_nan_metric_into_null(mixed_run):
    task = mixed_run.days[0].tasks[0]
    case = CaseResult("c", Outcome.FAILED, "bad", verdict=Verdict(False, "bad", metric="SSIM", value=float("nan"),
                                                                    threshold=0.9))
    run = GradeRun(course=mixed_run.course, exercises=mixed_run.exercises,
                   days=[DayResult(day=mixed_run.days[0].day, tasks=[aggregate(task.task, [case])])])
    text = exports.render("json", run)
    assert "NaN" not in text
    assert json.loads(text)["days"][0]["tasks"][0]["metric"]["value"] is None


# --- JUnit


def test_junit_has_a_suite_per_day_and_a_case_per_task_case(mixed_run):
    root = ET.fromstring(exports.render("junit", mixed_run))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == len(mixed_run.days)
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == [f"{t.name}[{c.case_id}]" for t in mixed_run.tasks for c in t.cases]
    by_name = {c.get("name"): c for c in cases}
    failure = by_name["crop[earring]"].find("failure")
    crop = next(t for t in mixed_run.tasks if t.name == "crop")
    assert failure is not None and failure.get("message") == crop.cases[0].message
    assert by_name["resize[shrink]"].find("error").get("type") == "error"
    assert "NameError" in by_name["resize[shrink]"].find("error").text
    assert by_name["shape_of[colour]"].find("skipped") is not None
    assert list(by_name["read_image[colour]"]) == []  # passed: no child element
    assert list(by_name["montage[gallery]"]) == []  # the gold challenge passed
    n_cases = sum(len(t.cases) for t in mixed_run.tasks)
    assert suites[0].get("tests") == root.get("tests") == str(n_cases)
    assert suites[0].get("failures") == str(len(crop.cases))
    assert suites[0].get("skipped") == str(sum(len(t.cases) for t in mixed_run.tasks
                                               if t.outcome is Outcome.NOT_ATTEMPTED))


def _junit_schema():
    xmlschema = pytest.importorskip("xmlschema", reason="XSD validation needs pip install -e '.[test]'")
    return xmlschema.XMLSchema(str(JUNIT_XSD))


def test_junit_validates_against_the_jenkins_junit_schema(mixed_run, solutions_run, stubs_run):
    schema = _junit_schema()
    for run in (mixed_run, solutions_run, stubs_run):
        schema.validate(exports.render("junit", run))


def test_the_junit_schema_check_can_fail(mixed_run):
    schema = _junit_schema()
    text = exports.render("junit", mixed_run)
    assert not schema.is_valid(text.replace('<testsuite name=', '<testsuite title=', 1))
    assert not schema.is_valid(text.replace("<testsuites ", '<testsuites skipped="1" ', 1))


def test_junit_stays_well_formed_when_learner_text_holds_control_characters(mixed_run):
    task = mixed_run.days[0].tasks[0]
    case = CaseResult("c", Outcome.ERROR, "read_image() raised ValueError: \x00\x1b[31mred\x07 & <b>",
                      traceback="Traceback\x0c", output="printed \x01 bytes")
    run = GradeRun(course=mixed_run.course, exercises=mixed_run.exercises,
                   days=[DayResult(day=mixed_run.days[0].day, tasks=[aggregate(task.task, [case])])])
    root = ET.fromstring(exports.render("junit", run))
    error = root.find("testsuite/testcase/error")
    assert "red" in error.get("message") and "& <b>" in error.get("message")
    assert root.find("testsuite/testcase/system-out").text.startswith("printed")


def test_a_challenge_case_is_judged_by_its_tier_not_its_own_bar(mixed_run, course):
    montage = course.day(1).task("montage")
    # SSIM 0.7 misses the check's own 0.98 bar but reaches bronze (0.6): the challenge passes.
    case = CaseResult("gallery", Outcome.FAILED, "SSIM 0.700 < 0.980",
                      verdict=Verdict(False, "SSIM 0.700 < 0.980", metric="SSIM", value=0.7, threshold=0.98))
    result = aggregate(montage, [case])
    assert result.tier == "bronze" and result.outcome is Outcome.PASSED
    run = GradeRun(course=mixed_run.course, exercises=mixed_run.exercises,
                   days=[DayResult(day=course.day(1), tasks=[result])])
    assert list(ET.fromstring(exports.render("junit", run)).find("testsuite/testcase")) == []
    assert document(run)["days"][0]["tasks"][0]["cases"][0]["outcome"] == "passed"


# --- Gradescope

# The autograder results.json fields (Gradescope's "Autograder Specifications" page).
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def test_gradescope_fields_have_the_documented_names_and_types(mixed_run):
    doc = json.loads(exports.render("gradescope", mixed_run))
    assert isinstance(doc["score"], float)
    assert isinstance(doc["execution_time"], (int, float))
    assert isinstance(doc["output"], str) and doc["visibility"] in VISIBILITY
    assert doc["stdout_visibility"] in VISIBILITY
    assert set(doc) <= {"score", "execution_time", "output", "output_format", "test_output_format",
                        "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
    assert len(doc["tests"]) == len(mixed_run.tasks)
    for test in doc["tests"]:
        assert set(test) <= {"score", "max_score", "status", "name", "name_format", "number", "output",
                             "output_format", "tags", "visibility", "extra_data"}
        assert isinstance(test["name"], str) and isinstance(test["number"], str)
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITY
        assert isinstance(test["output"], str) and all(isinstance(t, str) for t in test["tags"])
    assert doc["score"] == pytest.approx(sum(t["score"] for t in doc["tests"]))


def test_gradescope_output_says_what_to_fix(mixed_run):
    tests = {t["name"].split()[3].rstrip(":"): t for t in gradescope_results(mixed_run)["tests"]}
    assert tests["crop"]["status"] == "failed" and "has its height and width swapped" in tests["crop"]["output"]
    assert "Hint: " in tests["crop"]["output"]
    assert tests["montage"]["output"].startswith("gold: 3/3 points")


# --- Markdown


def test_markdown_lists_every_task_and_what_to_fix(mixed_run):
    md = exports.render("markdown", mixed_run)
    assert "| ✘ | crop | failed |" in md and "| ! | resize | error |" in md
    assert "| · | shape_of | not attempted |" in md and "| ★ | montage | gold |" in md
    fix = md.split("**To fix:**", 1)[1]
    assert "**crop** (failed)" in fix and "**resize** (error)" in fix and "shape_of" not in fix


def test_markdown_cells_cannot_break_the_table():
    assert cell("a | b\nc <script>") == "a \\| b c &lt;script&gt;"


def test_markdown_of_an_empty_run_says_nothing_was_graded(mixed_run):
    run = GradeRun(course=mixed_run.course, exercises=mixed_run.exercises, days=[])
    assert "No exercises were graded." in exports.render("markdown", run)


def test_every_grader_package_is_listed_for_installation():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from setuptools import find_packages

    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    listed = set(find_packages(str(ROOT), include=find["include"]))
    found = {p.parent.relative_to(ROOT).as_posix().replace("/", ".") for p in (ROOT / "grader").rglob("__init__.py")}
    assert found <= listed, f"{sorted(found - listed)} would not be installed: check [tool.setuptools.packages.find]"


def test_gradescope_and_markdown_say_a_metric_once_when_the_message_ends_with_it(mixed_run, course):
    crop = course.day(1).task("crop")
    v = Verdict(False, metric="pixels equal", value=0.97, threshold=1.0)
    case = CaseResult("c", Outcome.FAILED, f"You cropped one row too many. ({v.summary()})", verdict=v)
    run = GradeRun(course=mixed_run.course, exercises=mixed_run.exercises,
                   days=[DayResult(day=course.day(1), tasks=[aggregate(crop, [case])])])
    output = gradescope_results(run)["tests"][0]["output"]
    assert output.count("pixels equal 97.0% < 100.0%") == 1 and "You cropped one row too many." in output, output
    markdown = exports.render("markdown", run)
    assert markdown.count("pixels equal 97.0% &lt; 100.0%") == 1 and "You cropped one row too many." in markdown
    assert document(run)["days"][0]["tasks"][0]["message"].endswith("(pixels equal 97.0% < 100.0%)")  # JSON as it was
