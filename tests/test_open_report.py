"""`--open` where no browser can start prints pixelkata's own one line, and nothing from the opener."""
from __future__ import annotations

import os

import pytest

from tests.conftest import copy_project
from tests.test_cli import run_cli

NOISY_OPENER = """#!/bin/sh
echo "xdg-open: no method available for opening '$1'" >&2
echo "/usr/bin/xdg-open: 882: x-www-browser: not found" >&2
echo "something on stdout"
exit 3
"""


@pytest.fixture
def noisy_opener(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(NOISY_OPENER)
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr("sys.platform", "linux")


@pytest.mark.parametrize("display", [":0", None], ids=["opener-fails", "no-display"])
def test_open_without_a_browser_says_so_in_one_line(capfd, tmp_path, project, monkeypatch, noisy_opener, display):
    if display:
        monkeypatch.setenv("DISPLAY", display)
    else:
        monkeypatch.delenv("DISPLAY", raising=False)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    course = copy_project(tmp_path, project)
    code, out, err = run_cli(capfd, "grade", "1", "shape_of", "--root", str(course.root), "--open")  # capfd: the opener writes to the real stderr
    report = course.state / "report.html"
    assert code == 0
    assert err.splitlines()[-2:] == [f"Report: {report}",
                                     f"Could not start a web browser here: open {report} in your browser yourself."]
    assert "xdg-open" not in out + err and "x-www-browser" not in out + err and "something on stdout" not in out
