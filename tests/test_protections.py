"""The protections this machine must have are declared (PIXELKATA_REQUIRE_PROTECTIONS), and required."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import protections as promises

ROOT = Path(__file__).resolve().parent.parent
EVERY = {"wall clock", "CPU time", "memory", "processes", "signals", "process secrets", "clean-up",
         "references hidden", "read-only files", "disk", "network", "environment", "output"}


def test_this_machine_has_every_protection_it_promises(runner):
    promise = promises.declared()
    missing = promises.missing(promise, runner.limits())
    assert not missing, f"promised by {promise.source}, but off:\n  " + "\n  ".join(missing)


def test_all_means_every_protection_of_the_backend_in_use():
    as_root = promises.declared({promises.REQUIRE_ENV: "all"}, as_root=True)
    assert as_root.on == EVERY | {"separate user"} and as_root.off == frozenset()
    as_user = promises.declared({promises.REQUIRE_ENV: "ALL"}, as_root=False)
    assert as_user.on == EVERY and as_user.off == frozenset()
    portable = promises.declared({promises.REQUIRE_ENV: "all", promises.BACKEND_ENV: "portable"}, as_root=True)
    assert portable.on == {"wall clock", "memory", "environment", "output"}
    assert portable.off == {"CPU time", "processes", "separate user", "signals", "process secrets", "clean-up",
                            "references hidden", "read-only files", "disk", "network"}


def test_without_the_variable_only_the_baseline_is_promised_and_the_rest_is_unknown():
    promise = promises.declared({}, as_root=False)
    assert promise.on == {"wall clock", "CPU time", "memory", "clean-up", "environment", "output"}
    assert promise.unknown(["network", "memory", "signals"]) == ["network", "signals"]
    assert promises.declared({promises.REQUIRE_ENV: "none"}, as_root=False) == promise


def test_a_list_of_names_adds_them_to_the_baseline_and_a_wrong_name_is_refused():
    promise = promises.declared({promises.REQUIRE_ENV: "network, references hidden"}, as_root=False)
    assert promise.on == {"wall clock", "CPU time", "memory", "clean-up", "environment", "output", "network",
                          "references hidden"}
    with pytest.raises(ValueError, match=r"names \['netwrok'\], which are not protections"):
        promises.declared({promises.REQUIRE_ENV: "netwrok"}, as_root=False)
    with pytest.raises(ValueError, match="the portable backend never gives"):
        promises.declared({promises.REQUIRE_ENV: "network", promises.BACKEND_ENV: "portable"}, as_root=False)


def test_a_promised_protection_that_is_off_is_named_with_its_reason():
    limits = [{"name": "network", "on": False, "detail": "turned off by PIXELKATA_NAMESPACES=0", "applies": True},
              {"name": "memory", "on": True, "detail": "RLIMIT_DATA", "applies": True}]
    promise = promises.Promise(frozenset({"memory", "network", "disk"}), frozenset(), "a test")
    assert promises.missing(promise, limits) == ["disk: not listed by the backend at all",
                                                 "network: turned off by PIXELKATA_NAMESPACES=0"]


@pytest.mark.skipif(not sys.platform.startswith("linux") or
                    os.environ.get(promises.BACKEND_ENV, "").strip().lower() == "portable",
                    reason="breaks the Linux sandbox's namespaces; the portable backend has none")
def test_with_namespaces_forced_off_the_suite_fails_and_names_the_missing_protections():
    env = dict(os.environ, PIXELKATA_NAMESPACES="0", PYTHONPATH=str(ROOT))
    env[promises.REQUIRE_ENV] = "all"
    env.pop(promises.BACKEND_ENV, None)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                           "tests/test_protections.py::test_this_machine_has_every_protection_it_promises"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert "promised by PIXELKATA_REQUIRE_PROTECTIONS=all (the Linux sandbox), but off:" in out
    for line in ("network: your code can use the network: turned off by PIXELKATA_NAMESPACES=0",
                 "references hidden: your code can read reference_images/ and solutions/",
                 "disk: each file is limited to"):
        assert line in out, out[-3000:]
