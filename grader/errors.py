"""Errors the grader reports to a person, each a sentence that says what to do next."""
from __future__ import annotations


class PixelkataError(Exception):
    """A usage or set-up problem: shown as one line, exit code 2 (the CLI's error handler sets the code)."""


class ReferenceError_(PixelkataError):
    """A reference file is missing, modified or unreadable."""
