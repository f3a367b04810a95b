"""The answer catalogue: each task's other correct answers and its classic mistakes.

A task's entry in its ``dayNN.toml`` lists them, next to its cases::

    [[tasks.alternatives]]
    name = "numpy_round"            # the code is catalogue/dayNN_topic.py: def blend__numpy_round(...)
    how = "NumPy floats, rounded with np.round"

    [[tasks.mistakes]]
    name = "truncated"              # short name: letters, digits and _
    says = "Every value was cut down ... : round with np.round before converting, or use cv2.addWeighted."
    hint = 2                        # the task's hint (1-based) that fixes it

A task with fewer than :data:`MIN_ALTERNATIVES` alternatives or :data:`MIN_MISTAKES` mistakes says why in
the same entry, and ``check-course`` shows the reason in its table (a short row without one is a problem)::

    pinned = "the statement asks for cv2.Canny by name"     # why fewer than two alternatives
    classic_mistakes = "forgetting the swap is the only one"  # why fewer than three mistakes

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
MIN_ALTERNATIVES = 2  # other correct answers a task whose statement does not pin the library lists
MIN_MISTAKES = 3  # classic mistakes a task that has them lists


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


def reasons(task: str, raw_pinned, raw_classic) -> tuple[str, str]:
    """A task's ``pinned`` and ``classic_mistakes`` sentences (why its catalogue is short), checked."""
    out = []
    for key, raw in (("pinned", raw_pinned), ("classic_mistakes", raw_classic)):
        if raw is None:
            out.append("")
            continue
        if not isinstance(raw, str) or not raw.strip():
            raise CatalogueError(f"task {task!r}: {key} must be a sentence saying why the catalogue is short")
        out.append(" ".join(raw.split()))
    return out[0], out[1]


def short_problems(task) -> list[str]:
    """Why ``task``'s catalogue breaks the scope rule: too few entries with no reason given, or a reason
    left for a row that is no longer short."""
    problems = []
    for count, least, reason, key, what in (
            (len(task.alternatives), MIN_ALTERNATIVES, task.pinned, "pinned", "alternatives"),
            (len(task.mistakes), MIN_MISTAKES, task.classic_mistakes, "classic_mistakes", "mistakes")):
        if count < least and not reason:
            problems.append(f"{task.key}: {count} {what} (fewer than {least}): add entries, or say why in the "
                            f"task's `{key} = \"...\"`.")
        elif count >= least and reason:
            problems.append(f"{task.key}: has {count} {what}, so `{key}` no longer explains a short row: "
                            "remove it.")
    return problems


# What ``sentence_problems`` looks for in a mistake's ``says``. Each pattern is a kind of slip that
# reads as two sentences glued together, found in the course before this check existed.
_RESTART = re.compile(r"[:;]\s+(You|Your|A|An|The|It|This|They)\b")  # "...: You miss edges" (a second subject)
_HAS_ARE = re.compile(r"\b(has|have)\b(?:\s+[\w'()-]+){1,6}?\s+(?:are|is)\s+(\w+(?:ed|en))\b")  # "has X and Y are swapped"
_DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.IGNORECASE)  # "the the"
_ENDS = (".", "!", "?")


def sentence_problems(says: str) -> list[str]:
    """What is wrong with a mistake's ``says`` as a sentence, each as a phrase ('' problems: none).

    The slips a machine can see: an empty sentence, one without its full stop, a sentence that
    restarts after a colon or semicolon with a new subject ("...: You mark edges", "...: Your map
    marks"), a "has/have ... are/is <participle>" construction ("has height and width are swapped"),
    and a word written twice in a row.
    """
    text = " ".join(str(says).split())
    if not text:
        return ["is empty: say what went wrong and how to fix it"]
    problems = []
    if not text.endswith(_ENDS):
        problems.append("does not end with a full stop")
    for m in _RESTART.finditer(text):
        problems.append(f"restarts after {m.group(0)[0]!r} with {m.group(1)!r} ({text[max(0, m.start() - 20):m.end() + 20]!r}): "
                        "go on in lower case, or join the two parts with 'so' or a comma")
    for m in _HAS_ARE.finditer(text):
        problems.append(f"mixes two constructions in {m.group(0)!r}: write '{m.group(1)} its (or their) ... "
                        f"{m.group(2)}', or '... are {m.group(2)}' alone")
    for m in _DOUBLED.finditer(text):
        problems.append(f"repeats {m.group(1)!r} in {m.group(0)!r}")
    return problems


def module_path(root: Path, day_filename: str) -> Path:
    """Where a day's catalogue code lives: ``<course>/catalogue/dayNN_topic.py``."""
    return Path(root) / FOLDER / day_filename
