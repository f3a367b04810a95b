"""The broken and hostile corpus in the portable backend: nothing passes that should not, nothing is left running.

The corpus runs in a separate process (``python -m tests.hostile_corpus --json --quick --backend
portable``), started with a secret environment variable, as tests/test_hostile.py runs it for the
sandbox. Portable mode protects less (``pixelkata sandbox`` lists what): an entry that needs a
protection portable mode lacks is skipped, one that gets through because of it is counted apart,
and an entry whose outcome differs by design says so in its ``# if-portable:`` header.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from grader.engine.jobs import OUTPUT_CAP
from tests.hostile_corpus import SECRET_NAME

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env[SECRET_NAME] = secrets.token_hex(8)
    env["PIXELKATA_BACKEND"] = "portable"  # the declared promise (tests/protections.py) is the portable one
    out = subprocess.run([sys.executable, "-m", "tests.hostile_corpus", "--json", "--quick", "--backend", "portable"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    try:
        return json.loads(out.stdout)
    except ValueError:
        raise AssertionError(f"the portable corpus run printed no JSON (exit {out.returncode}):\n{out.stderr[-3000:]}")


def test_the_corpus_runs_in_the_portable_backend(corpus):
    assert corpus["backend"] == "portable"
    off = {p["name"] for p in corpus["protections"] if not p["on"]}
    assert {"references hidden", "network", "read-only files"} <= off


def test_no_false_pass_no_grader_exception_and_every_entry_ends_as_expected(corpus):
    f = corpus["figures"]
    assert f["promised protections that are off"] == []
    assert f["false passes"] == []
    assert f["correct controls failed"] == []
    assert f["grader exceptions"] == []
    assert f["unexpected outcomes"] == []
    assert f["hostile submissions graded"] >= 40


def test_nothing_a_case_started_is_left_running(corpus):
    assert corpus["figures"]["sandbox processes alive 1 s after a case"] == 0


def test_time_limits_and_output_caps_hold(corpus):
    f = corpus["figures"]
    assert f["longest timed-out case over limit + 1 s"] is not None
    assert f["longest timed-out case over limit + 1 s"] <= 0
    assert 0 < f["largest captured output bytes"] <= OUTPUT_CAP


def test_the_attacks_portable_mode_lets_through_are_the_ones_it_says_it_does_not_stop(corpus):
    f = corpus["figures"]
    allowed = {"network_loopback_connect", "read_environment_secret", "read_references_escaping_the_mount",
               "read_references_from_disk", "read_solutions_from_disk"}
    assert set(f["passes let through by a protection that is off here"]) <= allowed
