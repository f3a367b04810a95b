"""The course as data and everything made from it.

Here live the manifest (``course.toml`` and the ``dayNN.toml`` files) and its loader, the project's
folders, each case's arguments, the input pictures, the references (``references build`` and
``verify``), hidden variants, ``check-course``, ``release`` and a course folder's settings. It may
import :mod:`grader.values`, :mod:`grader.errors`, :mod:`grader.checks`, :mod:`grader.engine` and
:mod:`grader.grading`, never :mod:`grader.learner`, :mod:`grader.classroom` or :mod:`grader.ci`.
"""
from grader.course.manifest import (  # noqa: F401  (the course's public names)
    FORMAT, TIERS, Case, Course, CourseError, Day, Task, load_course, manifest_dir, tomllib,
)
