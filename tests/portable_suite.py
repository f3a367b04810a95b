"""The learner-facing tests, run in the portable backend: ``python -m tests.portable_suite [PYTEST ARGS]``.

What a learner on Windows or macOS meets: the stubs and the solutions graded, the broken and
hostile corpus, watch, the notebook ``check()``, the report and the command line, plus the
portable backend's own tests. ``.ci/run`` runs this a second time under
``../shared/tools/windows-like`` (a Python without fork, resource, killpg or SIGKILL for the
grader's code); the GitHub workflow runs it on windows-latest and macos-latest.
"""
from __future__ import annotations

import os
import sys

FILES = [
    "tests/test_portable.py",
    "tests/test_portable_corpus.py",
    "tests/test_backends.py",
    "tests/test_worker_failures.py",
    "tests/test_runner_days.py",
    "tests/test_grading_days.py",
    # The stubs and the solutions, and every correct answer written another way (failing a right answer is the
    # worst fault). The wrong-answer controls are judged in the grader from plain data, the same in both
    # backends, so they run once, in the main suite.
    "tests/test_course.py::test_every_stub_grades_not_attempted_with_what_to_do",
    "tests/test_course.py::test_every_solution_passes_and_every_challenge_reaches_gold",
    "tests/test_course.py::test_correct_answer_written_another_way_passes",
    # An untouched day judged without running reads as the portable worker's run of the stub reads.
    "tests/test_untouched.py",
    "tests/test_learner_breakage.py",
    "tests/test_learner_traceback.py",
    # A killed grader's scratch folder is swept with psutil, the same on every platform.
    "tests/test_scratch_sweep.py",
    "tests/test_watch.py",
    "tests/test_watch_stops.py",
    "tests/test_help_commands.py",
    "tests/test_report.py",
    "tests/test_cli.py",
]


def main(argv=None) -> int:
    import pytest

    os.environ["PIXELKATA_BACKEND"] = "portable"
    return pytest.main(["-q", "-p", "no:cacheprovider", *FILES, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
