"""The answer catalogue: each task's other correct answers and its classic mistakes.

A task's entry in its ``dayNN.toml`` lists them, next to its cases::

    [[tasks.alternatives]]
    name = "numpy_round"            # the code is catalogue/dayNN_topic.py: def blend__numpy_round(...)
    how = "NumPy floats, rounded with np.round"

    [[tasks.mistakes]]
    name = "truncated"              # short name: letters, digits and _
    says = "Every value was cut down ... : round with np.round before converting, or use cv2.addWeighted."
    hint = 2                        # the task's hint (1-based) that fixes it

The code lives on the instructor's side in ``catalogue/``, a folder beside ``solutions/`` with one module
per day under the same file name. Each entry is one function named ``<task>__<name>`` with the task's
signature; a module imports only libraries, like a learner's, because it runs in the same workers. The
release never ships ``catalogue/``. What the proof requires of every entry, and how a failed answer is
named, are in :mod:`grader.grading.proof` and :mod:`grader.grading.naming`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FOLDER = "catalogue"  # beside solutions/, instructor side only
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogueError(ValueError):
    """A catalogue entry in a day file is malformed (the manifest turns it into a CourseError)."""


@dataclass(frozen=True)
class Alternative:
    """Another correct way to do a task; it must pass every case and variant with a margin."""

    task: str
    name: str
    how: str = ""  # a few words: "scikit-image", "NumPy slicing"

    @property
    def function(self) -> str:
        return f"{self.task}__{self.name}"


@dataclass(frozen=True)
class Mistake:
    """A classic wrong way to do a task; it must fail wherever it changes the output, and be named."""

    task: str
    name: str
    says: str  # one sentence: what went wrong and how to fix it
    hint: int  # 1-based index into the task's hints: the hint that fixes it

    @property
    def function(self) -> str:
        return f"{self.task}__{self.name}"


def parse(task: str, raw_alternatives, raw_mistakes, n_hints: int) -> tuple[tuple, tuple]:
    """Check a task's ``alternatives`` and ``mistakes`` tables; raises CatalogueError with the fix."""
    alternatives, mistakes, seen = [], [], set()
    for kind, raw in (("alternatives", raw_alternatives), ("mistakes", raw_mistakes)):
        if raw is None:
            continue
        if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
            raise CatalogueError(f"task {task!r}: {kind} must be [[tasks.{kind}]] tables")
        for entry in raw:
            name = str(entry.get("name", ""))
            if not _NAME.match(name):
                raise CatalogueError(f"task {task!r}: {kind} entry name {name!r} must be lower-case letters, "
                                     "digits and _ (it names the function <task>__<name>)")
            if name in seen:
                raise CatalogueError(f"task {task!r}: catalogue name {name!r} is used twice")
            seen.add(name)
            if kind == "alternatives":
                unknown = set(entry) - {"name", "how"}
                if unknown:
                    raise CatalogueError(f"task {task!r}: alternative {name!r} has unknown keys {sorted(unknown)}; "
                                         "use name and how")
                alternatives.append(Alternative(task, name, str(entry.get("how", "")).strip()))
                continue
            unknown = set(entry) - {"name", "says", "hint"}
            if unknown:
                raise CatalogueError(f"task {task!r}: mistake {name!r} has unknown keys {sorted(unknown)}; "
                                     "use name, says and hint")
            says = str(entry.get("says", "")).strip()
            if not says:
                raise CatalogueError(f"task {task!r}: mistake {name!r} needs `says`, one sentence naming what "
                                     "went wrong and how to fix it")
            hint = entry.get("hint")
            if not isinstance(hint, int) or isinstance(hint, bool) or not 1 <= hint <= n_hints:
                raise CatalogueError(f"task {task!r}: mistake {name!r} needs `hint`, the number (1 to {n_hints}) "
                                     "of the task's hint that fixes it")
            mistakes.append(Mistake(task, name, says, hint))
    return tuple(alternatives), tuple(mistakes)


def module_path(root: Path, day_filename: str) -> Path:
    """Where a day's catalogue code lives: ``<course>/catalogue/dayNN_topic.py``."""
    return Path(root) / FOLDER / day_filename
