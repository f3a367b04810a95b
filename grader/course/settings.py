"""Course settings an instructor sets in ``pixelkata.toml`` at the course root.

Example, in a released course::

    [course]
    solutions = false   # `pixelkata solution` refuses to show solutions

A missing file means the defaults.
"""
from __future__ import annotations

from grader.course import tomllib
from grader.errors import PixelkataError

SETTINGS_FILE = "pixelkata.toml"
DEFAULTS = {"solutions": True}


def load(project) -> dict:
    path = project.root / SETTINGS_FILE
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        return dict(DEFAULTS)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PixelkataError(f"{path} cannot be read ({exc}): fix it or remove it.") from None
    course = raw.get("course", {})
    if not isinstance(course, dict):
        raise PixelkataError(f"{path}: [course] must be a table of settings.")
    unknown = sorted(set(course) - set(DEFAULTS))
    if unknown:
        raise PixelkataError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(DEFAULTS)}.")
    return {**DEFAULTS, **course}


def solutions_allowed(project) -> bool:
    return bool(load(project)["solutions"])
