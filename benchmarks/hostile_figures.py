"""Grade the hostile corpus (tests/hostile/) and print the figures the sandbox must hold.

    python -m benchmarks.hostile_figures [--all-modes]

The corpus runs in a child process started with a secret environment
variable, as a real grader would hold one (only a variable a process started
with is visible in /proc). Prints: submissions graded, false passes, correct
controls failed, grader exceptions, sandbox processes alive 1 s after each
case, the longest timed-out case against its target (its time limit + 1 s:
the grader stops a runaway case within a second of its limit), the largest
captured output against its cap, and which protections are on here and which
are off, with why. A wall-clock figure depends on the machine's load, so it is
printed here, met or MISSED, and never asserted by a test. ``--all-modes`` repeats it without namespaces and, as
root, as an unprivileged user with and without them.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534


def run(flags: list, env_extra: dict, as_user: bool) -> dict:
    from tests.hostile_corpus import SECRET_NAME

    cmd = [sys.executable, "-m", "tests.hostile_corpus", "--json", *flags]
    if as_user:
        cmd = [sys.executable, "-m", "tests.as_user", str(NOBODY), *cmd]
    env = dict(os.environ, PYTHONPATH=str(ROOT), **env_extra)
    env[SECRET_NAME] = secrets.token_hex(8)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        raise SystemExit(f"the corpus printed no JSON (exit {proc.returncode}):\n{proc.stderr[-3000:]}")


def load() -> str:
    try:
        return "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "unknown"


def show(title: str, doc: dict) -> None:
    print(title + f" (load average {load()})")
    for key, value in doc["figures"].items():
        if key.endswith(" bytes") or key.endswith("over limit + 1 s"):
            continue
        if isinstance(value, list):
            value = f"{len(value)}" + (f" ({', '.join(value)})" if value else "")
        if key == "longest timed-out case":
            over = doc["figures"]["longest timed-out case over limit + 1 s"]
            value += "" if over is None else (": met" if over <= 0 else f": MISSED by {over:.2f} s")
        print(f"  {key}: {value}")
    print("  protections:")
    for p in doc["protections"]:
        mark = "n/a" if not p.get("applies", True) else ("on " if p["on"] else "OFF")
        print(f"    {mark} {p['name']}: {p['detail']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all-modes", action="store_true", help="also run the fallback modes (the quick subset)")
    args = parser.parse_args(argv)
    who = "root" if os.geteuid() == 0 else "an ordinary user"
    show(f"Full corpus as {who}, every protection this machine allows:", run([], {}, False))
    if args.all_modes:
        show("\nQuick subset without namespaces (PIXELKATA_NAMESPACES=0):",
             run(["--quick"], {"PIXELKATA_NAMESPACES": "0"}, False))
        if os.geteuid() == 0:
            show(f"\nQuick subset as user {NOBODY}:", run(["--quick"], {}, True))
            show(f"\nQuick subset as user {NOBODY} without namespaces:",
                 run(["--quick"], {"PIXELKATA_NAMESPACES": "0"}, True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
