"""The run as JUnit XML: one testsuite per day, one testcase per case of a task.

Written to the schema CI systems read (Jenkins' xunit ``junit-10.xsd``, which
GitLab, GitHub test-report actions and pytest's own output follow): failures
carry the message, errors and time-outs are ``<error>``, and tasks not yet
attempted are ``<skipped>``. A day's points go in its ``<properties>``.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.ci.exports.metrics import case_message, case_outcome
from grader.grading.results import GradeRun, Outcome
from grader.learner.terminal import points
from grader.grading.naming import hint_for

# Characters XML 1.0 cannot carry at all; learner messages and prints may hold them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text or "")


def _seconds(x) -> str:
    return f"{float(x or 0.0):.3f}"


def to_junit(run: GradeRun) -> str:
    root = ET.Element("testsuites", name="pixelkata", time=_seconds(run.duration))
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for day in run.days:
        d = day.day
        suite = ET.SubElement(root, "testsuite", name=f"day{d.number:02d} {d.title}")
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="points", value=points(day.points))
        ET.SubElement(props, "property", name="max_points", value=points(day.max_points))
        ET.SubElement(props, "property", name="status", value=day.status)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        elapsed = 0.0
        for t in day.tasks:
            for c in t.cases:
                counts["tests"] += 1
                elapsed += float(c.elapsed or 0.0)
                case = ET.SubElement(suite, "testcase", classname=f"exercises.{d.module}",
                                     name=f"{t.name}[{c.case_id}]", time=_seconds(c.elapsed))
                outcome = case_outcome(t, c)
                message = clean(case_message(t, c))
                if outcome is Outcome.FAILED:
                    counts["failures"] += 1
                    el = ET.SubElement(case, "failure", type="failed", message=message)
                    el.text = _details(t, c, message)
                elif outcome in (Outcome.ERROR, Outcome.TIMED_OUT):
                    counts["errors"] += 1
                    el = ET.SubElement(case, "error", type=outcome.value, message=message)
                    el.text = _details(t, c, message)
                elif outcome is Outcome.NOT_ATTEMPTED:
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", type="not attempted", message=message)
                if c.output and outcome is not Outcome.PASSED:
                    ET.SubElement(case, "system-out").text = clean(c.output)
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", str(counts["errors"]))
        suite.set("skipped", str(counts["skipped"]))
        suite.set("time", _seconds(elapsed))
        suite.set("timestamp", run.started.strftime("%Y-%m-%dT%H:%M:%S"))
        for k in totals:
            totals[k] += counts[k]
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _details(t, c, message: str) -> str:
    lines = [message]
    if c.verdict is not None and c.verdict.summary() and c.verdict.summary() not in message:
        lines.append(c.verdict.summary())
    if c.traceback:
        lines.append(clean(c.traceback.rstrip()))
    lines.append(f"{t.task.key}: {points(t.points)}/{points(t.max_points)} points")
    if t.task.hints:
        lines.append("Hint: " + hint_for(t))
    return "\n".join(lines)
