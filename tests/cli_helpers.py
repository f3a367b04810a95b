"""Running the command line inside the test process, through the same entry point as the console script."""
from __future__ import annotations

import contextlib
import io

from grader.cli import main


def run_cli(*args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``pixelkata ARGS``."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()
