"""Plain-data encoding of the values that cross between processes and onto disk.

A value is stored as one JSON document plus one file per array. Arrays go to
`.npy` files read back with ``allow_pickle=False`` (or to lossless PNG for uint8
pictures in references); everything else is JSON. Nothing is ever pickled, so a
value written by learner code can carry data but never code.
"""
from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Caps applied when reading a value back. A learner may return anything; the
# grader refuses to load more than this rather than run out of memory.
MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_ARRAY_BYTES = 256 * 1024 * 1024

# dtypes a value may carry; object arrays and structured dtypes are refused.
SAFE_KINDS = set("biuf")  # bool, signed, unsigned, float


@dataclass(frozen=True)
class Unsupported:
    """Stands for a returned object that cannot be carried as plain data."""

    type_name: str
    reason: str

    def __repr__(self) -> str:  # shown in messages
        return f"<{self.type_name}>"


class ValueError_(Exception):
    """A stored value is malformed, too large or unsafe to read."""


def _describe_type(value) -> str:
    t = type(value)
    mod = t.__module__
    return t.__name__ if mod in ("builtins", None) else f"{mod}.{t.__name__}"


def encode(value, folder: Path, *, prefix: str = "", png: bool = False, dir_fd: int | None = None) -> object:
    """Turn ``value`` into a JSON-able tree, writing arrays into ``folder``.

    Array files are named ``{prefix}aN.npy`` (or ``.png`` when ``png`` is set
    and the array is a uint8 picture). With ``dir_fd`` (an open folder; ``folder`` is then unused) each
    file is created afresh in it, never through a link: :func:`create` raises ``FileExistsError`` for
    anything already there.
    """
    _counter = [0]

    def enc(v):
        if v is None or type(v) in (bool, str, int):
            return v
        if type(v) is float:
            return v if math.isfinite(v) else {"__float__": repr(v)}
        if isinstance(v, np.ndarray):
            if type(v) is not np.ndarray:
                # numpy subclasses (matrix, masked arrays, ...) are carried as
                # their plain data, with their type noted for the messages.
                note = _describe_type(v)
                try:
                    v = np.asarray(v).view(np.ndarray)
                except Exception:
                    return {"__unsupported__": note, "reason": "could not be read as an array"}
                return {"__subclass__": note, "value": enc(v)}
            if v.dtype.kind not in SAFE_KINDS or v.dtype.fields is not None:
                return {"__unsupported__": f"numpy array of dtype {v.dtype}",
                        "reason": "holds Python objects or records, not numbers"}
            if v.nbytes > MAX_ARRAY_BYTES:
                return {"__unsupported__": f"numpy array of shape {v.shape}",
                        "reason": f"is larger than {MAX_ARRAY_BYTES // 2**20} MiB"}
            _counter[0] += 1
            name = f"{prefix}a{_counter[0]}"
            if png and _png_able(v):
                import cv2

                fname = name + ".png"
                ok, buf = cv2.imencode(".png", v)
                if not ok:
                    raise ValueError_("could not encode PNG")
                with create(folder, fname, dir_fd) as fh:
                    fh.write(buf.tobytes())
            else:
                fname = name + ".npy"
                with create(folder, fname, dir_fd) as fh:
                    np.save(fh, np.ascontiguousarray(v), allow_pickle=False)
            return {"__array__": fname}
        if isinstance(v, np.generic):
            if isinstance(v, str):  # np.str_ (an element of an array of names) is plain text
                return str.__str__(v)
            if v.dtype.kind not in SAFE_KINDS:
                return {"__unsupported__": f"numpy scalar of dtype {v.dtype}", "reason": "is not a number"}
            item = v.item()
            if isinstance(item, float) and not math.isfinite(item):
                item = {"__float__": repr(item)}
            return {"__scalar__": item, "dtype": v.dtype.str}
        # A subclass of a plain Python type (an IntEnum, a str subclass, a namedtuple, ...) is carried as the plain
        # value it holds, read through the base type's own methods: an override of __str__, __iter__ or items()
        # never decides what is graded. (NumPy's scalars, some of which subclass float or str, are handled above.)
        if isinstance(v, str):
            return str.__str__(v)
        if isinstance(v, int) and not isinstance(v, bool):
            return int.__int__(v)
        if isinstance(v, float):
            v = float.__float__(v)
            return v if math.isfinite(v) else {"__float__": repr(v)}
        if isinstance(v, tuple):
            return {"__tuple__": [enc(x) for x in tuple.__iter__(v)]}
        if isinstance(v, list):
            return [enc(x) for x in list.__iter__(v)]
        if isinstance(v, dict):
            items = list(dict.items(v))
            if all(isinstance(k, str) for k, _ in items):
                return {"__dict__": {str.__str__(k): enc(x) for k, x in items}}
        return {"__unsupported__": _describe_type(v), "reason": "is not an array, number, string or tuple"}

    return enc(value)


def _png_able(a: np.ndarray) -> bool:
    return a.dtype == np.uint8 and (a.ndim == 2 or (a.ndim == 3 and a.shape[2] in (3, 4))) and a.size > 0


def create(folder: Path | None, name: str, dir_fd: int | None = None):
    """A binary file ``name`` opened for writing: in ``folder`` (replaced if it exists), or with ``dir_fd``
    created afresh in that open folder, never through a link (``FileExistsError`` for anything already
    there, so nothing put in the folder beforehand can redirect the write)."""
    if dir_fd is None:
        return open(Path(folder) / name, "wb")
    if not name or "/" in name or name in (".", ".."):
        raise OSError(errno.EINVAL, f"{name!r} is not a plain file name")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) \
        | getattr(os, "O_BINARY", 0)
    return open(os.open(name, flags, 0o644, dir_fd=dir_fd), "wb")


def save(value, folder: Path | None, stem: str, *, png: bool = False, dir_fd: int | None = None) -> list:
    """Write ``value`` as ``stem.json`` plus array files named ``stem.aN.*``.

    Returns every file written (their names alone with ``dir_fd``: then every file is created afresh in that
    open folder, see :func:`create`, and ``folder`` is unused).
    """
    if dir_fd is not None:
        tree = encode(value, None, prefix=f"{stem}.", png=png, dir_fd=dir_fd)
        with create(None, f"{stem}.json", dir_fd) as fh:
            fh.write((json.dumps({"value": tree}, sort_keys=True, indent=1) + "\n").encode())
        return sorted(n for n in os.listdir(dir_fd) if n.startswith(f"{stem}.a")) + [f"{stem}.json"]
    folder.mkdir(parents=True, exist_ok=True)
    for old in files_of(folder, stem):
        old.unlink(missing_ok=True)
    tree = encode(value, folder, prefix=f"{stem}.", png=png)
    doc = folder / f"{stem}.json"
    doc.write_text(json.dumps({"value": tree}, sort_keys=True, indent=1) + "\n")
    return files_of(folder, stem)


def load(folder: Path, stem: str, *, dir_fd: int | None = None):
    """Read back a value written by :func:`save` (or by a worker).

    With ``dir_fd`` (an open folder written by learner code) every file is
    opened relative to it, never through a link, and must have exactly one
    name: a hard link to a reference is refused like a symbolic one.
    """
    doc = _read_regular(_name(folder, f"{stem}.json", dir_fd), MAX_JSON_BYTES, dir_fd=dir_fd)
    try:
        tree = loads(doc)["value"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError_(f"{stem}.json is not a value document") from exc
    return decode(tree, folder, dir_fd=dir_fd)


def _name(folder, name: str, dir_fd: int | None):
    return name if dir_fd is not None else Path(folder) / name


#: A JSON escape of a UTF-16 surrogate (U+D800 to U+DFFF): the only way a lone one, which no encoding can write, reaches
#: decoded text (``str(ValueError("\ud800"))``, a file name from ``os.listdir`` that is not UTF-8).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(data: bytes | str):
    """``json.loads`` for a document written by a worker or learner code, with every lone UTF-16 surrogate in its
    text replaced by U+FFFD: such text can be neither printed, nor stored in SQLite, nor written as UTF-8, so one
    left in a learner's exception message or returned string would stop the grader at the first place it is shown.
    Raises ValueError for a document that is not JSON."""
    tree = json.loads(data)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return _clean_text(tree) if _SURROGATE_ESCAPE.search(raw) else tree


def _clean_text(tree):
    if isinstance(tree, str):
        return _LONE_SURROGATE.sub("\ufffd", tree)
    if isinstance(tree, list):
        return [_clean_text(x) for x in tree]
    if isinstance(tree, dict):
        return {_clean_text(k): _clean_text(v) for k, v in tree.items()}
    return tree


def decode(tree, folder: Path, *, dir_fd: int | None = None):
    def dec(t):
        if t is None or isinstance(t, (bool, int, float, str)):
            return t
        if isinstance(t, list):
            return [dec(x) for x in t]
        if isinstance(t, dict):
            if "__array__" in t:
                return _load_array(folder, str(t["__array__"]), dir_fd)
            if "__float__" in t:
                return float(t["__float__"])
            if "__scalar__" in t:
                dtype = np.dtype(str(t["dtype"]))
                if dtype.kind not in SAFE_KINDS:
                    raise ValueError_("unsafe scalar dtype")
                raw = t["__scalar__"]
                if isinstance(raw, dict):
                    raw = float(raw["__float__"])
                return dtype.type(raw)
            if "__tuple__" in t:
                return tuple(dec(x) for x in t["__tuple__"])
            if "__dict__" in t:
                return {str(k): dec(v) for k, v in t["__dict__"].items()}
            if "__subclass__" in t:
                return dec(t["value"])
            if "__unsupported__" in t:
                return Unsupported(str(t["__unsupported__"]), str(t.get("reason", "")))
        raise ValueError_(f"unknown value node {str(t)[:60]!r}")

    try:
        return dec(tree)
    except (TypeError, KeyError, AttributeError, OverflowError) as exc:  # a malformed node written by hand
        raise ValueError_(f"malformed value ({type(exc).__name__}: {str(exc)[:80]})") from exc
    except RecursionError as exc:
        raise ValueError_("value nested too deeply") from exc


def subclass_note(folder: Path, stem: str, *, dir_fd: int | None = None) -> str | None:
    """The numpy subclass name a returned array had, if any (for messages)."""
    try:
        tree = loads(_read_regular(_name(folder, f"{stem}.json", dir_fd), MAX_JSON_BYTES,
                                   dir_fd=dir_fd))["value"]
    except Exception:
        return None
    if isinstance(tree, dict) and "__subclass__" in tree:
        return str(tree["__subclass__"])
    return None


def _load_array(folder: Path, name: str, dir_fd: int | None = None) -> np.ndarray:
    if "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
        raise ValueError_(f"array file name {name!r} is not allowed")
    path = _name(folder, name, dir_fd)
    if name.endswith(".png"):
        import cv2

        data = _read_regular(path, MAX_ARRAY_BYTES, dir_fd=dir_fd)
        arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if arr is None:
            raise ValueError_(f"{name} is not a readable PNG")
        return arr
    if not name.endswith(".npy"):
        raise ValueError_(f"array file {name!r} has an unknown type")
    data = _read_regular(path, MAX_ARRAY_BYTES + 4096, dir_fd=dir_fd)
    import io

    try:
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as exc:
        raise ValueError_(f"{name} is not a readable .npy array") from exc
    if arr.dtype.kind not in SAFE_KINDS:
        raise ValueError_(f"{name} has dtype {arr.dtype}")
    return arr


def _read_regular(path, cap: int, *, dir_fd: int | None = None) -> bytes:
    """Read a regular file without following symlinks, refusing more than ``cap`` bytes.

    ``path`` is a name inside the folder open as ``dir_fd`` when one is given;
    such a file (written by learner code) must also have a single link.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    shown = os.path.basename(os.fspath(path))
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ValueError_(f"{shown} could not be opened safely ({exc.strerror})") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError_(f"{shown} is not a regular file")
        if dir_fd is not None and st.st_nlink != 1:
            raise ValueError_(f"{shown} is a hard link to another file")
        if st.st_size > cap:
            raise ValueError_(f"{shown} is {st.st_size} bytes, more than the {cap}-byte limit")
        chunks = []
        remaining = cap + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > cap:
            raise ValueError_(f"{shown} is larger than the {cap}-byte limit")
        return data
    finally:
        os.close(fd)


def files_of(folder: Path, stem: str) -> list[Path]:
    """Every file belonging to the stored value ``stem`` (JSON first)."""
    out = [folder / f"{stem}.json"]
    out += sorted(p for p in folder.glob(f"{stem}.a*") if p.suffix in (".npy", ".png"))
    return out
