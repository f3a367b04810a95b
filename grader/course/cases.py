"""Turning a case's argument specs from the manifest into real arguments.

An argument is a plain TOML value, or a table naming an input:
``{ image = "day01/haori.png" }`` (the picture as an array, as cv2.imread
gives it), ``{ array = "day06/x.npy" }``, ``{ path = "day01/haori.png" }``
(a file name; the file is copied next to the learner's code),
``{ missing = "ghost.png" }`` (a file name that does not exist), or
``{ tuple = [...] }``. Lists may nest any of these.

A case may also name its reference itself, ``expected = { image = "day05/outline.png" }``
(or ``{ array = ... }``): a true answer drawn by the input generators (a ring's
true mask, a scene's true outline), used instead of the reference solution's
output when the solution can only approximate the truth.
Where the true answer is a plain value (a noise's name, a test set's labels,
a number), ``expected = "salt"`` or ``expected = ["brick", ...]`` fixes it the
same way.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from grader.course import CourseError

INPUT_KEYS = ("image", "array", "path")


def materialize(case, refs):
    """Return ``(args, kwargs, files)`` for one case; files are copied into the case folder."""
    files: dict = {}
    args = tuple(_value(a, refs, files) for a in case.args)
    kwargs = {k: _value(v, refs, files) for k, v in case.kwargs.items()}
    return args, kwargs, files


def _value(spec, refs, files):
    if isinstance(spec, list):
        return [_value(s, refs, files) for s in spec]
    if not isinstance(spec, dict):
        return spec
    if len(spec) != 1:
        raise CourseError(f"argument table {spec!r} must have exactly one key")
    (key, val), = spec.items()
    if key in ("image", "array"):
        return refs.load_input(str(val))
    if key == "path":
        name = PurePosixPath(str(val)).name
        files[name] = refs.input_path(str(val))
        return name
    if key == "missing":
        return PurePosixPath(str(val)).name
    if key == "tuple":
        return tuple(_value(s, refs, files) for s in val)
    raise CourseError(f"unknown argument kind {key!r}: use image, array, path, missing or tuple")


def truth_input(case) -> str | None:
    """The input file a case names as its reference (``expected = { image = ... }``), or None.

    None also for a case that fixes a plain value (``expected = "salt"``); see :func:`fixed_expected`.
    """
    spec = case.options.get("expected")
    if isinstance(spec, str) and spec.endswith((".png", ".npy")):  # an input named without its table
        raise CourseError(f"case {case.id}: expected must be a table {{ image = ... }} or {{ array = ... }} to "
                          f"name an input, got {spec!r}")
    if spec is None or not isinstance(spec, dict):
        return None
    if len(spec) != 1 or next(iter(spec)) not in ("image", "array"):
        raise CourseError(f"case {case.id}: expected must be a plain value or a table {{ image = ... }} or "
                          f"{{ array = ... }}, got {spec!r}")
    return str(next(iter(spec.values())))


def fixed_expected(case):
    """The answer a case fixes with ``expected = ...`` (an input table or a plain value), or None."""
    return case.options.get("expected")


def inputs_used(case) -> set:
    """Every input file a case names (for the course linter)."""
    found = set()

    def walk(spec):
        if isinstance(spec, list):
            for s in spec:
                walk(s)
        elif isinstance(spec, dict):
            for key, val in spec.items():
                if key in INPUT_KEYS:
                    found.add(str(val))
                elif key == "tuple":
                    walk(val)

    walk(list(case.args))
    walk(list(case.kwargs.values()))
    truth = truth_input(case)
    if truth is not None:
        found.add(truth)
    return found
