"""Text no stream can write never stops a grade: a lone surrogate in a learner's exception or returned string, and
a terminal or redirected output whose encoding lacks the report's marks (Windows' cp1252)."""
from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.ci.delivery import for_stream
from grader.grading import grade
from tests.conftest import copy_project, learner_folder

ROOT = Path(__file__).resolve().parent.parent

RAISES_A_SURROGATE = """
    def to_rgb(image):
        raise ValueError("no \\ud800 such " + chr(0xDFFF) + " colour")
    """

NAMES_A_SURROGATE = """
    def noise_kind(clean, noisy):
        return "gauss\\udc80ian"
    """


def _day_with(project, tmp_path, day: int, override: str) -> Path:
    solution = next(project.solutions.glob(f"day{day:02d}_*.py"))
    return learner_folder(tmp_path, project, day, solution.read_text() + "\n\n" + textwrap.dedent(override))


def _every_text(run) -> list[str]:
    texts = []
    for t in run.tasks:
        texts.append(t.message)
        for c in t.cases:
            texts += [c.message or "", c.traceback or ""]
    return texts


@pytest.mark.parametrize("day, task, override", [(1, "to_rgb", RAISES_A_SURROGATE),
                                                 (6, "noise_kind", NAMES_A_SURROGATE)],
                         ids=["exception message", "returned string"])
def test_a_lone_surrogate_from_learner_code_reads_as_a_replacement_character(project, runner, tmp_path, day, task,
                                                                            override):
    run = grade(project, exercises=_day_with(project, tmp_path, day, override), day=day, task=task, runner=runner)
    texts = _every_text(run)
    assert any("\ufffd" in text for text in texts), texts
    for text in texts:
        text.encode("utf-8")  # every text can be printed, stored and written as UTF-8


def _cli(course: Path, *args, encoding: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if encoding:
        env["PYTHONIOENCODING"] = encoding  # what Python uses on Windows for output redirected to a file
    return subprocess.run([sys.executable, "-m", "grader", "grade", "1", "--root", str(course), *args],
                          capture_output=True, env=env, timeout=300)


def _runs_recorded(course: Path) -> int:
    with sqlite3.connect(course / ".pixelkata" / "progress.db") as db:
        return db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]


@pytest.mark.parametrize("encoding", [None, "cp1252", "ascii"])
def test_a_grade_whose_output_the_stream_cannot_encode_is_shown_recorded_and_reported(project, tmp_path, encoding):
    course = copy_project(tmp_path, project).root
    (course / "exercises" / "day01_reading.py").write_text(
        (project.solutions / "day01_reading.py").read_text() + "\n\n" + textwrap.dedent(RAISES_A_SURROGATE))
    done = _cli(course, encoding=encoding)
    assert done.returncode == 1, done.stderr.decode(errors="replace")[-2000:]
    shown = done.stdout.decode(encoding or "utf-8", errors="replace")  # (click writes UTF-8 to an ASCII stream)
    assert "to_rgb" in shown and "raised ValueError" in shown
    assert _runs_recorded(course) == 1
    assert (course / ".pixelkata" / "report.html").is_file()


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_a_document_on_a_cp1252_stdout_reads_back_as_the_same_text(project, tmp_path, fmt):
    course = copy_project(tmp_path, project).root
    (course / "exercises" / "day01_reading.py").write_text(
        (project.solutions / "day01_reading.py").read_text() + "\n\n" + textwrap.dedent(RAISES_A_SURROGATE))
    wide, narrow = (_cli(course, "--format", fmt, encoding=e) for e in ("utf-8", "cp1252"))
    assert wide.returncode == narrow.returncode == 1
    if fmt == "json":
        a, b = json.loads(wide.stdout.decode("utf-8")), json.loads(narrow.stdout.decode("cp1252"))
        for doc in (a, b):
            doc.pop("started", None), doc.pop("duration", None)
        messages = [t["message"] for d in a["days"] for t in d["tasks"]]
        assert any("\ufffd" in m for m in messages)  # the text holds characters cp1252 lacks
        assert [t["message"] for d in b["days"] for t in d["tasks"]] == messages
    else:
        import xml.etree.ElementTree as ET

        def failures(raw: bytes) -> list:
            return [f.get("message") for f in ET.fromstring(raw).iter("failure")] + \
                   [e.get("message") for e in ET.fromstring(raw).iter("error")]

        assert failures(wide.stdout) and failures(narrow.stdout) == failures(wide.stdout)


def test_for_stream_keeps_a_document_the_stream_can_write_as_it_is():
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    cp1252 = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    doc = json.dumps({"message": "pixels ≥ 100.0% ✔"}, ensure_ascii=False)
    assert for_stream("json", doc, utf8) == doc
    escaped = for_stream("json", doc, cp1252)
    escaped.encode("cp1252")
    assert json.loads(escaped) == json.loads(doc)
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="≥ ✔"/>\n'
    assert "&#8805;" in for_stream("junit", xml, cp1252)
    assert for_stream("text", "✔ passed", cp1252) == "✔ passed"  # the stream itself writes "?" for the mark
