"""Run a command as another, unprivileged user: how the tests try the grader's non-root path as root.

    python -m tests.as_user UID COMMAND [ARG ...]

Root only. Where Python or this checkout sit in folders other users cannot
pass (``/root`` holding a pyenv Python, say), the command gets a private
mount namespace in which those folders show only the way to what it needs,
the same way the grader's workers open it for their children.
"""
from __future__ import annotations

import os
import sys

from grader.engine.sandbox import isolation as sandbox

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or os.geteuid() != 0:
        print(__doc__, file=sys.stderr)
        return 2
    uid, command = int(argv[0]), argv[1:]
    needed = sandbox._needed_paths(None) + [ROOT, os.path.dirname(os.path.realpath(sys.executable))]
    if any(not sandbox._traversable_by_others(p) for p in needed):
        sandbox._check(sandbox._c().unshare(sandbox._CLONE_NEWNS), "unshare")
        sandbox._mount(None, "/", None, sandbox._MS_REC | sandbox._MS_PRIVATE)
        sandbox._unblock(sorted(set(needed)))
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUDO_", "XDG_"))}
    env.update({"HOME": "/tmp", "USER": "nobody", "TMPDIR": "/tmp"})
    os.execvpe(command[0], command, env)
    return 1


if __name__ == "__main__":
    sys.exit(main())
