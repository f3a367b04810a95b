"""Reference files: the inputs and expected outputs under ``reference_images/``.

Everything there is made by :func:`build` from code (input generators and the
reference solutions), listed with its SHA-256 in ``manifest.json`` together
with the library versions that made it. Grading reads references only through
:class:`References`, which refuses a file whose hash does not match and never
creates a missing one.
"""
from __future__ import annotations

import hashlib
import json
import platform
import threading
from pathlib import Path

import numpy as np

from grader import values
from grader.course.cases import truth_input
from grader.errors import ReferenceError_

MANIFEST = "manifest.json"
# How long each reference solution took per case, written by `references build`.
# Not hashed: timings differ from run to run, and they only feed a speed note.
TIMINGS = "timings.json"
UNHASHED = (MANIFEST, TIMINGS)
FORMAT = 1
REBUILD = "run `pixelkata references build` (course authors) or restore the folder with `git checkout reference_images`"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_versions() -> dict:
    """The versions of Python and of every library whose results the references hold (the bonus days'
    classifiers and network are scikit-learn's)."""
    import cv2
    import skimage
    from importlib import metadata

    try:  # read from its metadata: importing scikit-learn only for its version costs over a second
        sklearn = metadata.version("scikit-learn")
    except metadata.PackageNotFoundError:
        sklearn = "not installed"
    return {"python": platform.python_version(), "numpy": np.__version__, "opencv": cv2.__version__,
            "scikit-image": skimage.__version__, "scikit-learn": sklearn}


def version_changes(recorded: dict, installed: dict) -> list[str]:
    """One line per library whose installed version differs from the one the references were built with."""
    return [f"{name}: references built with {recorded.get(name, 'an unrecorded version')}, this machine has "
            f"{installed.get(name, 'none')}"
            for name in sorted(set(recorded) | set(installed)) if recorded.get(name) != installed.get(name)]


class References:
    """Read-only, hash-checked access to ``reference_images/``."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._manifest = None
        self._timings = None
        self._verified: set[str] = set()
        self._inputs: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    @property
    def manifest(self) -> dict:
        if self._manifest is None:
            path = self.folder / MANIFEST
            try:
                doc = json.loads(path.read_text())
            except FileNotFoundError:
                raise ReferenceError_(f"{path} is missing: {REBUILD}.") from None
            except (OSError, ValueError) as exc:
                raise ReferenceError_(f"{path} is unreadable ({exc}): {REBUILD}.") from None
            if doc.get("format") != FORMAT or not isinstance(doc.get("files"), dict):
                raise ReferenceError_(f"{path} is not a pixelkata reference manifest: {REBUILD}.")
            self._manifest = doc
        return self._manifest

    def solution_time(self, task, case) -> float | None:
        """Seconds the reference solution took on this case when the references were built."""
        if self._timings is None:
            try:
                self._timings = json.loads((self.folder / TIMINGS).read_text())
            except (OSError, ValueError):
                self._timings = {}
        value = self._timings.get(case_key(task, case))
        return float(value) if isinstance(value, (int, float)) else None

    def versions(self) -> dict:
        return dict(self.manifest.get("versions", {}))

    def verified(self, rel: str) -> Path:
        """The path of ``rel`` (relative to reference_images/), after checking its hash."""
        path = self.folder / rel
        if rel in self._verified:
            return path
        want = self.manifest["files"].get(rel)
        if want is None:
            raise ReferenceError_(f"reference_images/{rel} is not listed in reference_images/{MANIFEST}: {REBUILD}.")
        try:
            got = sha256(path)
        except FileNotFoundError:
            raise ReferenceError_(f"reference_images/{rel} is missing: {REBUILD}.") from None
        except OSError as exc:
            raise ReferenceError_(f"reference_images/{rel} cannot be read ({exc.strerror}): {REBUILD}.") from None
        if got != want:
            raise ReferenceError_(f"reference_images/{rel} has been modified (its SHA-256 does not match "
                                  f"reference_images/{MANIFEST}): {REBUILD}.")
        with self._lock:
            self._verified.add(rel)
        return path

    def input_path(self, name: str) -> Path:
        return self.verified(f"inputs/{name}")

    def load_input(self, name: str) -> np.ndarray:
        with self._lock:
            cached = self._inputs.get(name)
        if cached is not None:
            return cached
        arr = read_array(self.input_path(name), f"reference_images/inputs/{name}")
        arr.setflags(write=False)
        with self._lock:
            self._inputs[name] = arr
        return arr

    def expected(self, task, case):
        truth = truth_input(case)
        if truth is not None:  # a true answer drawn by the generators, hash-checked like any input
            return self.load_input(truth)
        fixed = case.options.get("expected")
        if fixed is not None:  # a plain true answer written in the manifest (a name, labels, a number)
            return fixed
        folder_rel = expected_folder(task)
        stem = case.id
        doc_rel = f"{folder_rel}/{stem}.json"
        prefix = f"{folder_rel}/{stem}."
        listed = [r for r in self.manifest["files"] if r == doc_rel or
                  (r.startswith(prefix + "a") and r[len(prefix):].count(".") == 1)]
        if doc_rel not in listed:
            raise ReferenceError_(f"the reference for {task.key} case {case.id} is missing "
                                  f"(reference_images/{doc_rel}): {REBUILD}.")
        recorded = self.manifest.get("cases", {}).get(case_key(task, case))
        if recorded != case_fingerprint(case):
            raise ReferenceError_(f"the reference for {task.key} case {case.id} was built for other arguments "
                                  f"than the course manifest now gives: {REBUILD}.")
        for rel in listed:
            self.verified(rel)
        try:
            return values.load(self.folder / folder_rel, stem)
        except (values.ValueError_, OSError, ValueError) as exc:
            raise ReferenceError_(f"reference_images/{doc_rel} is unreadable ({exc}): {REBUILD}.") from None


def case_fingerprint(case) -> str:
    """A hash of what a case feeds the function; a reference is stale when it changes."""
    doc = json.dumps({"args": list(case.args), "kwargs": case.kwargs}, sort_keys=True, default=str)
    return hashlib.sha256(doc.encode()).hexdigest()[:16]


def case_key(task, case) -> str:
    return f"{task.key}/{case.id}"


def expected_folder(task) -> str:
    return f"expected/day{task.day:02d}/{task.name}"


def read_array(path: Path, shown: str) -> np.ndarray:
    import cv2

    if path.suffix == ".npy":
        try:
            return np.load(path, allow_pickle=False)
        except Exception as exc:
            raise ReferenceError_(f"{shown} is not a readable .npy file ({exc}): {REBUILD}.") from None
    data = np.fromfile(path, np.uint8)
    img = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if img is None:
        raise ReferenceError_(f"{shown} is not a readable picture: {REBUILD}.")
    return img
