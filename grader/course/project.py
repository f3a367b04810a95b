"""Where a course lives on disk: its exercises, solutions and reference pictures."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.errors import PixelkataError


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def references(self) -> Path:
        return self.root / "reference_images"

    @property
    def exercises(self) -> Path:
        return self.root / "exercises"

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    def exercises_folder(self, exercises: str | Path | None = None) -> Path:
        """The folder of day modules to grade: ``exercises`` if given, else the learner's own ``exercises/``.

        Raises :class:`~grader.errors.PixelkataError` when that folder does not exist.
        """
        folder = Path(exercises) if exercises is not None else self.exercises
        if not folder.is_dir():
            raise PixelkataError(f"exercises folder {folder} does not exist: run from the course folder, "
                                 "or point --exercises at the folder holding your dayNN_*.py files.")
        return folder

    @property
    def state(self) -> Path:
        """The learner's own data (progress, reports): ``.pixelkata/``."""
        return self.root / ".pixelkata"


def is_course_root(path: Path) -> bool:
    return (path / "reference_images").is_dir() and (path / "exercises").is_dir()


def find_project(root: str | Path | None = None, start: Path | None = None) -> Project:
    """The course folder: ``root`` if given, else the nearest folder up from ``start`` holding one."""
    if root is not None:
        path = Path(root).expanduser().resolve()
        if not path.is_dir():
            raise PixelkataError(f"--root {root}: no such folder. Pass the course folder (the one holding "
                                 "exercises/ and reference_images/).")
        if not (path / "reference_images").is_dir():
            raise PixelkataError(f"{path} has no reference_images/ folder: pass the course folder "
                                 "(the one holding exercises/ and reference_images/).")
        return Project(path)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_course_root(folder):
            return Project(folder)
    raise PixelkataError(f"no pixelkata course in {here} or above it: run this inside the course folder "
                         "(the one holding exercises/ and reference_images/), or pass --root PATH.")
