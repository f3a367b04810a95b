"""Machines' side of a grading run: the export formats, where a run is delivered, GitHub Actions
annotations, git refs, and the ``--min-score`` pass mark.

It reads a finished :class:`~grader.grading.results.GradeRun` and never recomputes a score; nothing
in :mod:`grader.course`, :mod:`grader.engine` or :mod:`grader.checks` imports it.
"""
