"""The grader's tree by role: the import directions in pyproject.toml hold, and every room says what it is."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GRADER = ROOT / "grader"


def test_import_contracts_hold():
    pytest.importorskip("importlinter", reason="import-linter is a test dependency: pip install -e '.[test]'")
    run = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                          "sys.exit(lint_imports_command())"],
                         cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_the_top_level_holds_at_most_six_modules():
    modules = sorted(p.name for p in GRADER.glob("*.py"))
    assert len(modules) <= 6, modules


def test_every_package_says_what_lives_there_and_what_it_may_import():
    for init in sorted(GRADER.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 15, f"{init.relative_to(ROOT)} needs a docstring that says what lives there"


def test_the_terminal_view_does_not_pull_in_the_linux_sandbox():
    code = ("import sys; import grader.cli, grader.learner.terminal, grader.learner.report; "
            "print(sorted(m for m in sys.modules if m.startswith('grader.engine.sandbox') or m == 'resource'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "grader.engine.sandbox" not in out, out
