"""Running learner code: the runner, the runner backends and their workers.

The runner hands a case to a worker process and reads back how it ended and what it returned, as
plain data (:mod:`grader.values`); it judges nothing. Only :mod:`grader.engine.backends` imports the
Linux sandbox, which alone may use POSIX-only APIs. The engine imports nothing from
:mod:`grader.learner`, :mod:`grader.classroom` or :mod:`grader.ci`.
"""
