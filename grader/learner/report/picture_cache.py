"""Encoded report pictures kept between runs: ``.pixelkata/pictures.db``, beside the progress database.

A learner grades again and again, and most pictures on the page do not
change between two runs: every input, every expected output, and every
answer that is still the same. Encoding them is the report's main cost, so
each encoding is stored under the SHA-256 of the exact pixels it was made
from (with their shape and dtype) and of the settings that made it (the
encoding kind, its quality settings and the OpenCV version). A picture whose
pixels change gets a new key, so an old encoding is never shown for it.

The cache is only ever a shortcut: when its file cannot be opened, read or
written (a read-only folder, a full disk, another run holding it, a damaged
file) the report is drawn by encoding every picture, exactly as without it.
Entries not used for the longest time are dropped once the file holds more
than :data:`MAX_BYTES` of pictures.
"""
from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path

FILE_NAME = "pictures.db"
MAX_BYTES = 64 * 2**20  # of data URIs; a full course's report holds about 2 MiB of pictures
_SCHEMA = """CREATE TABLE IF NOT EXISTS pictures (
    key TEXT PRIMARY KEY,   -- SHA-256 of the pixels, their shape and dtype, and the encoding settings
    uri TEXT NOT NULL,      -- the data: URI
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    used REAL NOT NULL      -- when a report last showed it (seconds since the epoch)
)"""


class PictureCache:
    """An open cache file; look up with :meth:`get`, add with :meth:`put`, and :meth:`close` to save.

    Every method is safe to call from several threads, and none raises: a
    failing cache behaves as an empty one that keeps nothing.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._new: dict = {}  # key -> (uri, width, height)
        self._used: set = set()
        self._conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = _open(self.path)
        except sqlite3.DatabaseError as exc:
            if "not a database" not in str(exc) and "malformed" not in str(exc):
                return
            try:  # a damaged cache holds nothing worth keeping: start a new one
                self.path.unlink()
                self._conn = _open(self.path)
            except (sqlite3.Error, OSError):
                self._conn = None
        except (sqlite3.Error, OSError):
            self._conn = None

    def get(self, key: str):
        """``(uri, width, height)`` stored under ``key``, or None."""
        with self._lock:
            found = self._new.get(key)
            if found is None and self._conn is not None:
                try:
                    found = self._conn.execute("SELECT uri, width, height FROM pictures WHERE key = ?",
                                               (key,)).fetchone()
                except sqlite3.Error:
                    found = None
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self._used.add(key)
            return tuple(found)

    def put(self, key: str, uri: str, width: int, height: int) -> None:
        with self._lock:
            self._new[key] = (uri, int(width), int(height))

    def close(self) -> None:
        """Store what was added, mark what was used, and drop the least recently used beyond MAX_BYTES."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            now = time.time()
            try:
                with contextlib.closing(conn):
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        conn.executemany("INSERT OR REPLACE INTO pictures VALUES (?, ?, ?, ?, ?)",
                                         [(k, u, w, h, now) for k, (u, w, h) in self._new.items()])
                        conn.executemany("UPDATE pictures SET used = ? WHERE key = ?",
                                         [(now, k) for k in self._used if k not in self._new])
                        _trim(conn)
                        conn.execute("COMMIT")
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
            except sqlite3.Error:
                pass  # another run holds the file, or it cannot be written: nothing is kept this time


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=0.5, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(_SCHEMA)
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _trim(conn) -> None:
    total = conn.execute("SELECT COALESCE(SUM(LENGTH(uri)), 0) FROM pictures").fetchone()[0]
    if total <= MAX_BYTES:
        return
    for key, size in conn.execute("SELECT key, LENGTH(uri) FROM pictures ORDER BY used").fetchall():
        if total <= MAX_BYTES:
            break
        conn.execute("DELETE FROM pictures WHERE key = ?", (key,))
        total -= size
