"""The hostile corpus (tests/hostile/): every submission ends as its header says, and the figures hold.

The corpus runs in a separate process, ``python -m tests.hostile_corpus
--json``, started with a secret environment variable the learner code must
not see (only a variable a process started with shows in /proc). It runs once
as the suite's own user with every protection this machine allows, and again,
with the entries that do not need their full time limit, in the fallback
modes: without namespaces, and (when the suite runs as root) as an
unprivileged user with and without them. Run with ``-s`` to see the figures.

What each entry must end as comes from the promise each mode declares (:mod:`tests.protections`): the
suite's own modes from ``PIXELKATA_REQUIRE_PROTECTIONS``, the modes without namespaces from the README's
fallback. A promised protection that is off fails its mode, with its reason; an entry that cannot run
is a pytest skip with its reason, never a pass.
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
from tests import protections as promises
from tests.hostile_corpus import CORPUS, SECRET_NAME, load_entries, quick

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534
ENTRIES = load_entries()

MODES = {
    "as this user": ([], {}),
    "no namespaces": (["--quick", "--promise", "no-namespaces"], {"PIXELKATA_NAMESPACES": "0"}),
    "unprivileged user": (["--quick"], {"as_user": True}),
    "unprivileged user, no namespaces": (["--quick", "--promise", "no-namespaces"],
                                         {"as_user": True, "PIXELKATA_NAMESPACES": "0"}),
}
PORTABLE = os.environ.get(promises.BACKEND_ENV, "").strip().lower() == "portable"


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


def _runs_here(mode: str) -> str:
    """Why ``mode`` cannot run here, or ''."""
    if _root_only(mode) and not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return ("needs root: the suite runs as an ordinary user, so it cannot start the grader as another one "
                "(the main run already covers the non-root path)")
    if PORTABLE and mode != "as this user":
        return "the portable backend has no namespaces or separate users: its one mode is the main run"
    return ""


@pytest.fixture(scope="module")
def corpus_runs() -> dict:
    """Every mode's JSON document; the modes run side by side."""
    started = {m: _start(m) for m in MODES if not _runs_here(m)}
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


@pytest.mark.parametrize("mode", list(MODES))
def test_every_protection_the_machine_promises_is_on(mode, corpus_runs):
    if _runs_here(mode):
        pytest.skip(_runs_here(mode))
    doc = corpus_runs[mode]
    promise = promises.Promise.from_json(doc["promise"])
    missing = promises.missing(promise, doc["protections"])
    assert not missing, (f"{mode}: promised by {promise.source}, but off:\n  " + "\n  ".join(missing))


@pytest.mark.parametrize("name", [e.name for e in ENTRIES])
def test_each_submission_ends_as_its_header_says(name, corpus_runs):
    result = by_name(corpus_runs["as this user"])[name]
    if result["skipped"]:
        pytest.skip(f"{name} was not run: {result['skipped']}")
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
    skipped = f["skipped (a protection they need is off or not promised here)"]
    assert f["hostile submissions graded"] + len(skipped) >= 40
    assert f["promised protections that are off"] == []
    assert f["false passes"] == []
    assert f["correct controls failed"] == []
    assert f["grader exceptions"] == []
    assert f["unexpected outcomes"] == []
    assert f["sandbox processes alive 1 s after a case"] == 0
    # How long the longest one took against its limit + 1 s is a figure of
    # `python -m benchmarks.hostile_figures`: wall-clock time is no test's business.
    assert f["longest timed-out case"] != "none", "no case timed out, so the time limit was never exercised"
    assert 0 < f["largest captured output bytes"] <= OUTPUT_CAP


def test_every_protection_that_is_off_says_why(corpus_runs):
    for mode, doc in corpus_runs.items():
        names = [p["name"] for p in doc["protections"]]
        assert {"wall clock", "CPU time", "memory", "processes", "signals", "process secrets", "clean-up",
                "references hidden", "read-only files", "disk", "network", "environment"} <= set(names), mode
        for p in doc["protections"]:
            assert p["detail"].strip(), (mode, p)


def test_where_the_network_is_promised_off_no_connection_gets_through(corpus_runs):
    promised = [m for m, doc in corpus_runs.items() if "network" in doc["promise"]["on"]]
    if not promised:
        pytest.skip("no mode here promises the network off (PIXELKATA_REQUIRE_PROTECTIONS=all does)")
    for mode in promised:
        assert corpus_runs[mode]["figures"]["connections that reached the test's port"] == 0, mode


@pytest.mark.parametrize("mode", [m for m in MODES if m != "as this user"])
def test_the_fallback_modes_hold_too(mode, corpus_runs):
    if _runs_here(mode):
        pytest.skip(_runs_here(mode))
    doc = corpus_runs[mode]
    f = doc["figures"]
    assert f["grader exceptions"] == [], f["grader exceptions"]
    assert f["unexpected outcomes"] == [], f["unexpected outcomes"]
    assert f["false passes"] == []
    assert f["correct controls failed"] == []
    assert f["sandbox processes alive 1 s after a case"] == 0


def test_with_namespaces_forced_off_the_full_promise_fails_and_names_what_is_missing(corpus_runs):
    """The run without namespaces, judged by PIXELKATA_REQUIRE_PROTECTIONS=all: it must go red."""
    if _runs_here("no namespaces"):
        pytest.skip(_runs_here("no namespaces"))
    doc = corpus_runs["no namespaces"]
    full = promises.declared({promises.REQUIRE_ENV: "all"}, as_root=os.geteuid() == 0)
    missing = {line.split(":")[0] for line in promises.missing(full, doc["protections"])}
    assert {"references hidden", "disk", "network"} <= missing
    header = {e.name: e.expect.value for e in ENTRIES}
    red = {r["name"] for r in doc["results"] if not r["skipped"] and r["outcome"] != header[r["name"]]}
    assert {"read_references_from_disk", "read_solutions_from_disk", "read_references_escaping_the_mount",
            "network_loopback_connect", "resource_fills_the_disk"} <= red
