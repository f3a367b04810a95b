"""The stubs as the course ships them, known by their digests.

``references build`` records each day file's :func:`stub_digest` under :data:`STUBS` in the reference
manifest; grading takes a learner's file with that digest as untouched and judges it without running it
(:func:`grader.grading.untouched_days`). Plain ``hashlib`` and ``json``: the CLI asks :func:`all_untouched`
before it starts any worker.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

#: The reference manifest's file name in ``reference_images/`` (here, where reading it needs no NumPy).
MANIFEST = "manifest.json"
#: The reference manifest's key: ``{"day01_reading.py": "<SHA-256 hex>", ...}``.
STUBS = "stubs"


def stub_digest(path: Path) -> str | None:
    """The SHA-256 (hex) of a day file's bytes with CRLF line endings read as LF, so a Windows checkout of a stub
    matches the digest recorded from a Linux one; None when the file cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def recorded(manifest: dict) -> dict:
    """The manifest's stub digests (``{file name: hex}``); empty for references built before they were recorded."""
    found = manifest.get(STUBS) if isinstance(manifest, dict) else None
    if not isinstance(found, dict):
        return {}
    return {str(name): digest for name, digest in found.items() if isinstance(digest, str)}


def untouched(exercises: Path, shipped: dict, names=None) -> set:
    """The day files (of ``names``, default every one ``shipped`` records) that are in ``exercises`` with the
    digest ``shipped`` (:func:`recorded`) gives them: the stubs as handed out."""
    return {name for name in (shipped if names is None else names)
            if name in shipped and stub_digest(Path(exercises) / name) == shipped[name]}


def all_untouched(exercises: Path, references: Path) -> bool:
    """Whether every day file the manifest in the ``references`` folder records a stub digest for is in
    ``exercises`` with that digest: then no grade of that folder runs learner code. False whenever that is not
    certain (no digests recorded, an unreadable manifest, a file missing or changed)."""
    try:
        shipped = recorded(json.loads((Path(references) / MANIFEST).read_text()))
    except (OSError, ValueError):
        return False
    return bool(shipped) and untouched(exercises, shipped) == set(shipped)
