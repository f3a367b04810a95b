"""The grader's scratch folders in the system's temporary folder, and the sweep of those a killed grader left.

Every grader process removes its scratch folders when it ends, Ctrl-C and SIGTERM included; a grader killed
outright (``kill -9``, a crash, a laptop switched off) cannot. Each folder therefore holds a small record of the
process that made it (:data:`OWNER`: its process id and start time), and a grader that starts removes, in the
background, every such folder of its own user's whose process is gone. Folders without the record, of another
user, or changed in the last :data:`QUIET_SECONDS` are left alone. Any platform (psutil).
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
import threading
import time
from pathlib import Path

PREFIX = "pixelkata-"
OWNER = ".pixelkata-owner"  # {"pid": int, "started": float (seconds since the epoch, psutil's create_time)}
#: A folder changed more recently than this is never swept: its grader may live in another process namespace
#: (a container sharing /tmp), where its process id means nothing here.
QUIET_SECONDS = 600


def make(prefix: str = PREFIX) -> Path:
    """A new private folder in the temporary folder, named ``prefix`` + random letters, with its owner's record.
    Raises OSError when the temporary folder refuses it."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        record = {"pid": os.getpid(), "started": _started(os.getpid())}
        fd = os.open(path / OWNER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(json.dumps(record))
    except (OSError, ValueError):
        pass  # a folder without the record is never swept: nothing is lost but the clean-up
    return path


def _started(pid: int) -> float | None:
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except (psutil.Error, OSError, ValueError):
        return None


def _gone(record: dict) -> bool:
    """Whether the process a record names has ended (its id unused, or reused by a process started later)."""
    pid, started = record.get("pid"), record.get("started")
    if not isinstance(pid, int) or isinstance(pid, bool) or not isinstance(started, (int, float)):
        return False  # an unreadable record: not ours to judge
    now = _started(pid)
    return now is None or abs(now - float(started)) > 1.0


def abandoned(folder: Path | None = None) -> list[Path]:
    """This user's scratch folders in ``folder`` (default: the temporary folder) whose grader is gone."""
    folder = Path(folder or tempfile.gettempdir())
    me = os.geteuid() if hasattr(os, "geteuid") else None  # Windows: the temporary folder is the user's own
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISDIR(st.st_mode) or (me is not None and st.st_uid != me):
                continue
            if time.time() - st.st_mtime < QUIET_SECONDS:
                continue
            record = json.loads((Path(entry.path) / OWNER).read_text())
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and _gone(record):
            found.append(Path(entry.path))
    return found


def sweep(folder: Path | None = None) -> list[Path]:
    """Remove :func:`abandoned` folders; returns those it tried. Never raises."""
    from grader.engine import folders as _folders

    try:
        gone = abandoned(folder)
    except Exception:  # noqa: BLE001 - housekeeping never stops a grade
        return []
    for path in gone:
        _folders.remove_tree(path)
    return gone


def sweep_in_background() -> None:
    """:func:`sweep` in a daemon thread, once per process: a grade never waits for it."""
    global _swept
    with _lock:
        if _swept:
            return
        _swept = True
    threading.Thread(target=sweep, name="pixelkata-sweep", daemon=True).start()


_lock = threading.Lock()
_swept = False
