"""Grading a whole class: ``batch``, reading submissions, the gradebook (CSV and SQLite),
``class.html`` and the similarity flags.

It grades through :func:`grader.grading.grade` and may use the course, the engine's runner and the
learner's HTML report; nothing in :mod:`grader.course`, :mod:`grader.engine` or
:mod:`grader.checks` imports it.
"""
