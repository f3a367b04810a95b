"""The hostile corpus (tests/hostile/): every submission ends as its header says, and the figures hold.

The corpus runs in a separate process, ``python -m tests.hostile_corpus
--json``, started with a secret environment variable the learner code must
not see (only a variable a process started with shows in /proc). It runs once
as the suite's own user with every protection this machine allows, and again,
with the entries that do not need their full time limit, in the fallback
modes: without namespaces, and (when the suite runs as root) as an
unprivileged user with and without them. Run with ``-s`` to see the figures.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from grader.grading.results import Outcome
from grader.engine.sandbox.worker import OUTPUT_CAP
from tests.hostile_corpus import CORPUS, SECRET_NAME, load_entries

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534
ENTRIES = load_entries()

MODES = {
    "as this user": ([], {}),
    "no namespaces": (["--quick"], {"PIXELKATA_NAMESPACES": "0"}),
    "unprivileged user": (["--quick"], {"as_user": True}),
    "unprivileged user, no namespaces": (["--quick"], {"as_user": True, "PIXELKATA_NAMESPACES": "0"}),
}


def _start(mode: str) -> subprocess.Popen:
    flags, extra = MODES[mode]
    extra = dict(extra)
    cmd = [sys.executable, "-m", "tests.hostile_corpus", "--json", *flags]
    if extra.pop("as_user", False):
        cmd = [sys.executable, "-m", "tests.as_user", str(NOBODY), *cmd]
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    env[SECRET_NAME] = secrets.token_hex(8)
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _collect(proc: subprocess.Popen, mode: str) -> dict:
    out, err = proc.communicate(timeout=900)
    try:
        return json.loads(out)
    except ValueError:
        raise AssertionError(f"the corpus run '{mode}' printed no JSON (exit {proc.returncode}):\n{err[-3000:]}")


def _root_only(mode: str) -> bool:
    return MODES[mode][1].get("as_user", False)


@pytest.fixture(scope="module")
def corpus_runs() -> dict:
    """Every mode's JSON document; the modes run side by side."""
    started = {m: _start(m) for m in MODES if os.geteuid() == 0 or not _root_only(m)}
    return {mode: _collect(proc, mode) for mode, proc in started.items()}


def by_name(doc: dict) -> dict:
    return {r["name"]: r for r in doc["results"]}


def test_the_corpus_has_forty_hostile_entries_and_correct_controls():
    hostile = [e for e in ENTRIES if e.kind == "hostile"]
    controls = [e for e in ENTRIES if e.kind == "control"]
    assert len(hostile) >= 40 and len(controls) >= 5
    assert len({e.name for e in ENTRIES}) == len(list(CORPUS.glob("*.py")))
    assert all(c.expect is Outcome.PASSED for c in controls)
    assert all(h.expect is not Outcome.PASSED for h in hostile)
    assert all(e.summary for e in ENTRIES), "every entry says what it does"


@pytest.mark.parametrize("name", [e.name for e in ENTRIES])
def test_each_submission_ends_as_its_header_says(name, corpus_runs):
    result = by_name(corpus_runs["as this user"])[name]
    assert not result["exception"], result["exception"]
    assert not result["problems"], result["problems"]
    assert result["ok"], f"{result['outcome']} (expected {result['expected']}): {result['message']}"


def test_the_figures_hold(corpus_runs):
    doc = corpus_runs["as this user"]
    f = doc["figures"]
    print("\nHostile corpus, " + ", ".join(
        f"{p['name']} {'on' if p['on'] else 'OFF'}" for p in doc["protections"]))
    for key, value in f.items():
        print(f"  {key}: {value}")
    assert f["hostile submissions graded"] + len(f["skipped (a protection they need is off here)"]) >= 40
    assert f["false passes"] == []
    assert f["correct controls failed"] == []
    assert f["grader exceptions"] == []
    assert f["unexpected outcomes"] == []
    assert f["sandbox processes alive 1 s after a case"] == 0
    assert f["longest timed-out case over limit + 1 s"] is not None and f["longest timed-out case over limit + 1 s"] <= 0
    assert 0 < f["largest captured output bytes"] <= OUTPUT_CAP


def test_every_protection_that_is_off_says_why(corpus_runs):
    for mode, doc in corpus_runs.items():
        names = [p["name"] for p in doc["protections"]]
        assert {"wall clock", "CPU time", "memory", "processes", "signals", "process secrets", "clean-up",
                "references hidden", "read-only files", "disk", "network", "environment"} <= set(names), mode
        for p in doc["protections"]:
            assert p["detail"].strip(), (mode, p)


def test_with_the_network_off_no_connection_gets_through(corpus_runs):
    for mode, doc in corpus_runs.items():
        network = next(p for p in doc["protections"] if p["name"] == "network")
        if network["on"]:
            assert doc["figures"]["connections that reached the test's port"] == 0, mode


@pytest.mark.parametrize("mode", [m for m in MODES if m != "as this user"])
def test_the_fallback_modes_hold_too(mode, corpus_runs):
    if mode not in corpus_runs:
        pytest.skip("needs root: the suite runs as an ordinary user, so it cannot start the grader as another "
                    "one (the main run already covers the non-root path)")
    doc = corpus_runs[mode]
    f = doc["figures"]
    assert f["grader exceptions"] == [], f["grader exceptions"]
    assert f["unexpected outcomes"] == [], f["unexpected outcomes"]
    assert f["false passes"] == []
    assert f["correct controls failed"] == []
    assert f["sandbox processes alive 1 s after a case"] == 0
