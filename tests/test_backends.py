"""Which backend grades: the option, the environment variable, and the automatic choice."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.engine import backends
from grader.errors import PixelkataError

ROOT = Path(__file__).resolve().parent.parent
# shared/ lies beside the clone in CI; PIXELKATA_WINDOWS_LIKE may point elsewhere.
WINDOWS_LIKE = Path(os.environ.get("PIXELKATA_WINDOWS_LIKE") or ROOT.parent / "shared" / "tools" / "windows-like")


@pytest.fixture
def no_choice(monkeypatch):
    monkeypatch.delenv(backends.BACKEND_ENV, raising=False)
    monkeypatch.delenv(backends.NAMESPACES_ENV, raising=False)


def test_an_explicit_request_wins_over_the_environment_variable(no_choice, monkeypatch):
    monkeypatch.setenv(backends.BACKEND_ENV, "sandbox")
    chosen = backends.choose("portable")
    assert chosen.name == "portable"
    assert chosen.why == "asked for by --backend=portable"


def test_the_environment_variable_chooses_when_no_option_does(no_choice, monkeypatch):
    monkeypatch.setenv(backends.BACKEND_ENV, "Portable")
    chosen = backends.choose()
    assert chosen.name == "portable"
    assert chosen.why == "asked for by PIXELKATA_BACKEND=portable"


def test_an_unknown_backend_is_a_one_line_usage_error(no_choice, monkeypatch):
    monkeypatch.setenv(backends.BACKEND_ENV, "docker")
    with pytest.raises(PixelkataError) as err:
        backends.choose()
    assert str(err.value) == "PIXELKATA_BACKEND 'docker' is not a backend: use auto, sandbox or portable."


def test_auto_picks_portable_off_linux(no_choice, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    chosen = backends.choose()
    assert (chosen.name, chosen.why) == ("portable", "macOS has no Linux namespaces")
    monkeypatch.setattr(sys, "platform", "win32")
    assert backends.choose().why == "Windows has no Linux namespaces"


def test_the_sandbox_asked_for_off_linux_says_what_to_use_instead(no_choice, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(PixelkataError) as err:
        backends.choose("sandbox")
    assert "use --backend portable" in str(err.value)


def test_auto_picks_portable_where_linux_refuses_namespaces_and_says_why(no_choice, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(backends, "_PROBE", (False, "Operation not permitted"))
    chosen = backends.choose()
    assert (chosen.name, chosen.why) == ("portable", "this Linux refuses new namespaces (Operation not permitted)")


def test_auto_keeps_the_sandbox_where_namespaces_work_or_are_turned_off_on_purpose(no_choice, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(backends, "_PROBE", (True, ""))
    assert backends.choose().name == "sandbox"
    monkeypatch.setattr(backends, "_PROBE", (False, "Operation not permitted"))
    monkeypatch.setenv(backends.NAMESPACES_ENV, "0")
    assert backends.choose().name == "sandbox"  # the sandbox's own fallback, asked for


def _sandbox_loads() -> bool:
    try:
        backends.linux_sandbox()
    except ImportError:
        return False
    return sys.platform.startswith("linux")


@pytest.mark.skipif(not _sandbox_loads(), reason="probes Linux namespaces with the Linux sandbox's own code")
def test_the_namespace_probe_answers_in_words():
    works, why = backends.linux_sandbox().probe_namespaces()
    assert isinstance(works, bool)
    assert works or why  # a refusal always says why


@pytest.mark.skipif(not WINDOWS_LIKE.is_dir(), reason="needs ../shared/tools/windows-like")
def test_a_python_without_posix_modules_gets_the_portable_backend_and_the_sandbox_command_says_so(tmp_path):
    env = {"PYTHONPATH": f"{WINDOWS_LIKE}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "grader", "sandbox"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    assert first.startswith("Backend: portable (this Python has no 'resource' module, which the Linux sandbox needs): "), first
    assert "No module named" not in out.stdout and "not on Windows" not in out.stdout
    assert "Protections around your code on this machine:" in out.stdout  # no claim about the user it cannot check
    assert "✘ references hidden" in out.stdout
    assert "Traceback" not in out.stderr


@pytest.mark.skipif(not WINDOWS_LIKE.is_dir(), reason="needs ../shared/tools/windows-like")
@pytest.mark.parametrize("command", [["--backend", "sandbox", "sandbox"], ["--backend", "sandbox", "grade", "1"]])
def test_asking_a_python_without_posix_modules_for_the_sandbox_is_one_line_saying_what_to_use(tmp_path, command):
    env = {"PYTHONPATH": f"{WINDOWS_LIKE}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "grader", *command], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=180)
    assert out.returncode == 2
    assert out.stderr.strip() == ("Error: the sandbox backend needs the 'resource' module, which this Python does "
                                  "not have: use --backend portable (or leave the backend on auto).")
