"""What a learner sees and keeps: the terminal view, hints, watch, the notebook ``check()``, the
syllabus list, the progress store and its history, and the HTML report.

It may import the course, the grading entry point, its results and the checks' verdicts; it never
imports :mod:`grader.classroom` or :mod:`grader.ci`, nor the Linux sandbox.
"""
