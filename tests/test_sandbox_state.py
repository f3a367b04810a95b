"""What `pixelkata sandbox` reports for each state a worker can end up in, checked without real namespaces."""
from __future__ import annotations

import sys

import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("the Linux sandbox's own report", allow_module_level=True)

from grader.engine.sandbox.isolation import SandboxState, describe  # noqa: E402
from grader.engine.status import Status, from_child  # noqa: E402


def by_name(state: SandboxState) -> dict:
    return {p["name"]: p for p in describe(state)}


def test_root_with_namespaces_and_a_separate_user_has_every_protection_on():
    state = SandboxState(root=True, namespaces="root", namespaces_why="", read_only=True, box="/tmp/box",
                         box_private=True, proc=True, uid=60100, nproc=64, nproc_why="64 per case", hide_why="")
    report = describe(state)
    assert [p["name"] for p in report] == [
        "wall clock", "CPU time", "memory", "processes", "separate user", "signals", "process secrets",
        "clean-up", "references hidden", "read-only files", "disk", "network", "environment", "output"]
    assert all(p["on"] for p in report)
    protections = by_name(state)
    assert protections["separate user"]["detail"] == "your code runs as user 60100, not as root, with no capabilities"
    assert protections["processes"]["detail"] == "RLIMIT_NPROC: 64 per case"


def test_an_ordinary_user_without_namespaces_is_told_why_each_protection_is_off():
    why = "this system does not allow new namespaces in an unprivileged user namespace (Operation not permitted)"
    state = SandboxState(namespaces_why=why, box_why=f"needs a mount namespace ({why})",
                         read_only_why=f"needs a mount namespace ({why})", hide_why=f"needs a mount namespace ({why})",
                         subreaper=True, nproc=200, nproc_why="about 128 more than your user already runs")
    protections = by_name(state)
    assert protections["separate user"] == {
        "name": "separate user", "on": False, "applies": False,
        "detail": "does not apply: the grader is not root, so your code runs as you"}
    assert protections["network"]["on"] is False
    assert protections["network"]["detail"] == f"your code can use the network: {why}"
    assert protections["signals"]["on"] is False
    assert protections["signals"]["detail"].endswith(f"({why})")
    assert protections["clean-up"]["on"] is True  # the subreaper still sweeps a setsid daemon
    assert protections["references hidden"]["detail"] == \
        f"your code can read reference_images/ and solutions/: needs a mount namespace ({why})"
    assert protections["disk"]["detail"] == \
        f"each file is limited to 257 MiB, but not the total: needs a mount namespace ({why})"


def test_a_user_namespace_says_the_code_runs_as_you_without_capabilities():
    state = SandboxState(namespaces="user", proc=True, hide_why="", nproc=64, nproc_why="64 (user namespace)")
    protections = by_name(state)
    assert protections["separate user"]["detail"] == ("does not apply: the grader is not root, so your code runs "
                                                      "as you (without capabilities, inside a user namespace)")
    assert protections["process secrets"]["on"] is True
    assert protections["references hidden"]["on"] is True


def test_root_whose_python_other_users_cannot_read_keeps_roots_user_and_says_so():
    state = SandboxState(root=True, uid_why="/root/.venv is not readable by other users", subreaper=False,
                         nproc_why="root's processes are not limited by RLIMIT_NPROC")
    protections = by_name(state)
    assert protections["separate user"] == {"name": "separate user", "on": False, "applies": True,
                                            "detail": "/root/.venv is not readable by other users"}
    assert protections["processes"] == {"name": "processes", "on": False, "applies": True,
                                        "detail": "root's processes are not limited by RLIMIT_NPROC"}
    assert protections["clean-up"]["on"] is False
    # Without capabilities, root's own processes stay unreadable.
    assert protections["process secrets"]["on"] is True


def test_off_linux_memory_is_reported_as_not_limited():
    protections = by_name(SandboxState(linux=False))
    assert protections["memory"] == {
        "name": "memory", "on": False, "applies": True,
        "detail": "this platform does not enforce RLIMIT_DATA or RLIMIT_AS, so memory is not limited"}


def test_a_status_read_back_from_json_is_the_shared_member_and_strangers_are_refused():
    assert from_child("returned") is Status.RETURNED
    assert from_child("raised") is Status.RAISED
    # Only the outside can tell a time-out or a lost worker: a case that writes one is not believed.
    assert from_child("timeout") is None
    assert from_child("worker_lost") is None
    assert from_child("passed") is None
    assert from_child(None) is None
    assert str(Status.NOT_ATTEMPTED) == "not_attempted"
