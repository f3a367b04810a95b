"""Views of a grading run for machines and CI, one module per format.

Each format is one function that takes a :class:`~grader.grading.results.GradeRun`
and returns the text to write. Every one reads outcomes, points and messages
from the run's records and never recomputes a score, so all of them agree
with the terminal.
"""
from __future__ import annotations

from grader.grading.results import GradeRun

FORMATS = ("text", "json", "junit", "gradescope", "markdown")


def render(fmt: str, run: GradeRun, *, show_hints: bool = True) -> str:
    """``run`` in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        from grader.ci.exports.text import to_text
        return to_text(run, show_hints=show_hints)
    if fmt == "json":
        from grader.ci.exports.json import to_json
        return to_json(run)
    if fmt == "junit":
        from grader.ci.exports.junit import to_junit
        return to_junit(run)
    if fmt == "gradescope":
        from grader.ci.exports.gradescope import to_gradescope
        return to_gradescope(run)
    if fmt == "markdown":
        from grader.ci.exports.markdown import to_markdown
        return to_markdown(run)
    raise ValueError(f"unknown format {fmt!r}")
