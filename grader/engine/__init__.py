"""Running learner code: the runner, its two backends (the Linux sandbox, the portable workers) and their workers.

The runner hands a case to a worker process and reads back how it ended and what it returned, as
plain data (:mod:`grader.values`); it judges nothing. :mod:`grader.engine.backends` chooses the
backend, and it alone imports the Linux sandbox, which alone may use POSIX-only APIs; the portable
backend runs on Windows, macOS and Linux alike. The engine imports nothing from
:mod:`grader.learner`, :mod:`grader.classroom` or :mod:`grader.ci`.
"""
