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
import lzma
import platform
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from grader import values
from grader.checks import Raised
from grader.course import stubs
from grader.course.cases import truth_input
from grader.course.stubs import MANIFEST  # named there, where reading the manifest needs no NumPy
from grader.errors import ReferenceError_

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


class _Decoded:
    """What reference files decode to, kept for the whole process by what they hold (their SHA-256, checked against
    the manifest by the :class:`References` that asks, each time): a ``watch`` or ``batch`` process grades many times
    and decodes each picture once. Least recently used entries go beyond ``limit`` bytes. Thread-safe."""

    def __init__(self, limit: int):
        self.limit = limit
        self._entries: OrderedDict = OrderedDict()  # key -> (value, bytes)
        self._bytes = 0
        self._seen: set = set()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key, value) -> None:
        size = _nbytes(value)
        if size > self.limit:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= old[1] if old else 0
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.limit:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def seen(self, key) -> bool:
        """Whether ``key`` was asked for before in this process (and remember that it has been now)."""
        with self._lock:
            before = key in self._seen
            self._seen.add(key)
            return before

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._seen.clear()


DECODED = _Decoded(limit=128 * 2**20)


def _nbytes(value) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (bytes, bytearray, str)):
        return len(value)
    if isinstance(value, (list, tuple)):
        return 64 + sum(_nbytes(v) for v in value)
    if isinstance(value, dict):
        return 64 + sum(_nbytes(k) + _nbytes(v) for k, v in value.items())
    return 64


def _read_only_copy(value):
    """A copy of a decoded value to keep: its arrays copied and read-only, its lists, tuples and dicts new."""
    return _copied(value, writable=False)


def _fresh_copy(value):
    """A kept value as decoding gives it: new, writable arrays, lists, tuples and dicts (whoever gets it may change
    it without changing what is kept)."""
    return _copied(value, writable=True)


def _copied(value, *, writable: bool):
    if isinstance(value, np.ndarray):
        copy = value.copy(order="K")
        if not writable:
            copy.setflags(write=False)
        return copy
    if isinstance(value, list):
        return [_copied(v, writable=writable) for v in value]
    if isinstance(value, tuple):
        return tuple(_copied(v, writable=writable) for v in value)
    if isinstance(value, dict):
        return {k: _copied(v, writable=writable) for k, v in value.items()}
    return value


class References:
    """Read-only, hash-checked access to ``reference_images/``."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._manifest = None
        self._timings = None
        self._verified: set[str] = set()
        self._inputs: dict[str, np.ndarray] = {}
        self._blobs: dict[str, tuple] = {}
        self._stored: dict[tuple, list] | None = None  # (folder, stem) -> its files, in manifest order
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

    def stub_digests(self) -> dict:
        """Each day file's :func:`~grader.course.stubs.stub_digest` as the course ships it
        (``{"day01_reading.py": hex}``); empty for references built before they were recorded."""
        return stubs.recorded(self.manifest)

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
        rel = f"inputs/{name}"
        path = self.input_path(name)
        key = ("input", path.suffix, self.manifest["files"][rel])  # what the file holds, hash-checked just now
        arr = DECODED.get(key)
        if arr is None:
            arr = read_array(path, f"reference_images/{rel}")
            arr.setflags(write=False)
            DECODED.put(key, arr)
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
        listed = self._stored_files(folder_rel, stem)
        if doc_rel not in listed:
            raise ReferenceError_(f"the reference for {task.key} case {case.id} is missing "
                                  f"(reference_images/{doc_rel}): {REBUILD}.")
        recorded = self.manifest.get("cases", {}).get(case_key(task, case))
        if recorded != case_fingerprint(case):
            raise ReferenceError_(f"the reference for {task.key} case {case.id} was built for other arguments "
                                  f"than the course manifest now gives: {REBUILD}.")
        for rel in listed:
            self.verified(rel)
        # What the files hold (each hash-checked just now), by the names the document gives its arrays.
        key = ("expected",) + tuple((rel.rsplit("/", 1)[-1], self.manifest["files"][rel]) for rel in listed)
        kept = DECODED.get(key)
        if kept is not None:
            return _fresh_copy(kept)
        try:
            value = values.load(self.folder / folder_rel, stem)
        except (values.ValueError_, OSError, ValueError) as exc:
            raise ReferenceError_(f"reference_images/{doc_rel} is unreadable ({exc}): {REBUILD}.") from None
        if DECODED.seen(key):  # decoded a second time in this process (watch, batch): kept from now on
            DECODED.put(key, _read_only_copy(value))
        return value

    def _stored_files(self, folder_rel: str, stem: str) -> list:
        """The manifest's files of the stored value ``folder_rel/stem``: ``stem.json`` and its arrays
        ``stem.aN.<ext>``, in manifest order (indexed once: the manifest lists every reference file)."""
        with self._lock:
            index = self._stored
        if index is None:
            index = {}
            for rel in self.manifest["files"]:
                folder, _, name = rel.rpartition("/")
                if name.endswith(".json"):
                    index.setdefault((folder, name[:-len(".json")]), []).append(rel)
                    continue
                parts = name.rsplit(".", 2)  # stem, "aN", extension
                if len(parts) == 3 and parts[1].startswith("a"):
                    index.setdefault((folder, parts[0]), []).append(rel)
            with self._lock:
                self._stored = index
        return list(index.get((folder_rel, stem), ()))

    def _blob(self, rel: str) -> tuple[dict, bytes]:
        """A task's packed mistake outputs, hash-checked and unpacked once: (index by case and mistake,
        the outputs' bytes). The file is LZMA-packed ``index JSON`` + newline + bytes."""
        with self._lock:
            cached = self._blobs.get(rel)
        if cached is not None:
            return cached
        size = int(self.manifest.get("mistake_blobs", {}).get(rel, -1))
        if not 0 <= size <= values.MAX_ARRAY_BYTES:
            raise ValueError(f"{rel} has no recorded size")
        path = self.verified(rel)
        key = ("blob", size, self.manifest["files"][rel])  # what the file holds, hash-checked just now
        found = DECODED.get(key)
        if found is None:
            raw = lzma.LZMADecompressor().decompress(path.read_bytes(), max_length=size + 1)
            if len(raw) != size:
                raise ValueError(f"{rel} unpacks to {len(raw)} bytes, not {size}")
            head, _, data = raw.partition(b"\n")
            found = (json.loads(head), data)
            DECODED.put(key, found)
        with self._lock:
            self._blobs[rel] = found
        return found

    def mistake_outputs(self, task, case, args: tuple, *, with_reference: bool = True) -> dict | None:
        """Each catalogued mistake's outcome on this visible case, as ``references build`` stored it.

        Returns ``{mistake name: value}``, a value being what the mistake returned or a
        :class:`~grader.checks.Raised` (a mistake left out of the build, ``mistakes_not_stored``, is absent;
        references of an earlier form also leave out an output equal to the solution's or to another
        mistake's, and exceptions), or None when nothing is stored for the case or the case's arguments
        changed since (a hidden variant, a stale build). ``args`` are the case's materialised arguments: an
        output may be stored as its difference from one of them or from the case's reference
        (``with_reference=False`` for a case judged without one, such as a case that must raise). Raises
        ReferenceError_ when the stored file cannot be read.
        """
        listed = self.manifest.get("mistakes", {})
        if not isinstance(listed, dict):
            raise ReferenceError_(f"{self.folder / MANIFEST}'s list of stored mistake outputs is unreadable: "
                                  f"{REBUILD}.")
        index = listed.get(case_key(task, case))
        if not isinstance(index, dict) or index.get("fingerprint") != case_fingerprint(case):
            return None
        out = {}
        bases = None
        try:
            header, blob = self._blob(str(index["blob"]))
            for name, spec in (header.get(case.id) or {}).items():
                if RAISED in spec:
                    kind, names, message = spec[RAISED]
                    out[name] = Raised(str(kind), [str(n) for n in names], str(message))
                    continue
                if bases is None:
                    bases = array_bases(self.expected(task, case) if with_reference else None, args)
                out[name] = decode_value(blob, spec, bases)
        except (values.ValueError_, OSError, ValueError, KeyError, IndexError, TypeError, AttributeError,
                lzma.LZMAError, RecursionError) as exc:
            raise ReferenceError_(f"the stored outputs of {task.key}'s mistakes on case {case.id} are unreadable "
                                  f"({exc}): {REBUILD}.") from None
        return out


def stores_outcomes(check) -> bool:
    """Whether ``references build`` stores the catalogued mistakes' outcomes on a case judged by ``check``: a
    case with a reference (naming compares an answer with each outcome as the check would), and a case whose
    outcome is judged exactly, an exception included (a case that must raise: naming looks for the very same
    outcome). Not a case judged by statistics alone (random noise): its mistakes' outputs are random."""
    return bool(check.needs_reference or check.accepts_exceptions)


MISTAKES = "mistakes"  # reference_images/mistakes/dayNN/<task>/: the catalogued mistakes' outputs
RAISED = "raised"  # a stored outcome's spec key: the exception a mistake raised, [type, bases, message (stored empty)]


def mistakes_folder(task) -> str:
    return f"{MISTAKES}/day{task.day:02d}/{task.name}"


def array_bases(reference, args) -> dict:
    """The arrays a stored output may be a difference from: every array in the reference (``ref0``, ...)
    and in the arguments (``arg0``, ...), in a fixed order."""
    def walk(value):
        if isinstance(value, np.ndarray):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from walk(item)
        elif isinstance(value, dict):
            for key in sorted(value):
                yield from walk(value[key])
    bases = {f"ref{i}": a for i, a in enumerate(walk(reference))}
    bases.update({f"arg{i}": a for i, a in enumerate(walk(list(args)))})
    return bases


# How a base may be turned before an output is stored against it: mistakes often flip, turn or reorder
# the channels of the right answer or of the input.
TURNS = {
    "same": lambda a: a,
    "flipud": lambda a: a[::-1],
    "fliplr": lambda a: a[:, ::-1],
    "rot90": lambda a: np.rot90(a, 1),
    "rot180": lambda a: np.rot90(a, 2),
    "rot270": lambda a: np.rot90(a, 3),
    "transpose": lambda a: np.swapaxes(a, 0, 1),
    "channels": lambda a: a[..., ::-1],
}


def _turned(base: np.ndarray, turn: str):
    if turn != "same" and base.ndim < 2 or (turn == "channels" and (base.ndim != 3 or base.shape[2] not in (3, 4))):
        return None
    return np.ascontiguousarray(TURNS[turn](base))


def encode_array(value: np.ndarray, bases: dict) -> tuple[dict, bytes]:
    """One array in its most compressible form. Candidates: the array itself; its difference from a base
    (an array of the reference or the arguments, possibly flipped, turned or with its channels reversed:
    :data:`TURNS`) when both hold integers; its bits XOR a base's of its dtype (floats close to the base
    share their high bits); for float64, its bits XOR ``a * base + b`` fitted to it, per column of a 2-D
    array, else over the whole array (the coefficients stored first): a rescaled or re-standardised answer. Returns the spec (``base``, ``turn``, ``how``, ``dtype``, ``shape``,
    ``stored``: the dtype of the bytes) and the bytes."""
    value = np.ascontiguousarray(value)
    candidates = [(("raw", "same", "raw"), b"", value)]  # (spec, bytes before the array, packed array)
    for name, raw_base in bases.items():
        if not isinstance(raw_base, np.ndarray):
            continue
        for turn in TURNS:
            base = _turned(raw_base, turn)
            if base is None or base.shape != value.shape:
                continue
            if base.dtype == value.dtype and value.dtype.kind in "fiu":
                bits = np.dtype(f"u{value.dtype.itemsize}")
                candidates.append(((name, turn, "xor"), b"", value.view(bits) ^ base.view(bits)))
            if value.dtype.kind in "biu" and base.dtype.kind in "biu":
                diff = value.astype(np.int64) - base.astype(np.int64)
                for kind in (np.int8, np.int16, np.int32, np.int64):
                    info = np.iinfo(kind)
                    if diff.size == 0 or (diff.min() >= info.min and diff.max() <= info.max):
                        candidates.append(((name, turn, "diff"), b"", diff.astype(kind)))
                        break
            if turn == "same" and value.dtype == np.float64 and base.dtype.kind in "fiu" and value.size > 2 \
                    and np.isfinite(value).all() and np.isfinite(base).all():
                base64 = base.astype(np.float64)
                coef = _fit_columns(_as_columns(value), _as_columns(base64))
                bits = np.dtype("u8")
                rest = value.view(bits) ^ _columns(base64, coef).view(bits)
                candidates.append(((name, turn, "affine"), coef.tobytes(), rest))

    def score(candidate) -> int:  # packed size of a sample of the rows: the same choice, far faster
        packed = candidate[2]
        sample = packed[::8] if packed.ndim and packed.shape[0] >= 64 else packed
        return len(candidate[1]) + _packed_size(np.ascontiguousarray(sample).tobytes())

    (name, turn, how), head, packed = min(candidates, key=score)
    stored, data = packed.dtype, head + np.ascontiguousarray(packed).tobytes()
    spec = {"base": name, "turn": turn, "how": how, "dtype": value.dtype.str, "shape": list(value.shape),
            "stored": np.dtype(stored).str}
    return spec, data


def _as_columns(a: np.ndarray) -> np.ndarray:
    """A 2-D array as it is (one fit per column), anything else as one column (one fit for all)."""
    return a if a.ndim == 2 else a.reshape(-1, 1)


def _fit_columns(value: np.ndarray, base: np.ndarray) -> np.ndarray:
    """(2, columns) float64: the least-squares a and b of ``value ≈ a * base + b``, column by column."""
    mb, mv = base.mean(axis=0), value.mean(axis=0)
    var = ((base - mb) ** 2).mean(axis=0)
    with np.errstate(all="ignore"):
        a = np.where(var > 0, ((base - mb) * (value - mv)).mean(axis=0) / np.where(var > 0, var, 1), 0.0)
    return np.ascontiguousarray(np.stack([a, mv - a * mb]))


def _columns(base: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """``a * base + b`` in the base's shape (elementwise IEEE arithmetic: the same on every machine)."""
    return np.ascontiguousarray((_as_columns(base) * coef[0] + coef[1]).reshape(base.shape))


def decode_array(data: bytes, spec: dict, bases: dict) -> np.ndarray:
    """The array :func:`encode_array` turned into ``data``."""
    dtype, stored = np.dtype(spec["dtype"]), np.dtype(spec["stored"])
    if dtype.kind not in values.SAFE_KINDS or stored.kind not in values.SAFE_KINDS:
        raise ValueError(f"unsafe dtype {dtype} / {stored}")
    shape = tuple(int(n) for n in spec["shape"])
    how, turn = spec["how"], spec.get("turn", "same")
    if turn not in TURNS:
        raise ValueError(f"unknown turn {turn!r}")
    extra = 2 * (shape[-1] if len(shape) == 2 else 1) * 8 if how == "affine" else 0
    if len(data) != int(np.prod(shape, dtype=np.int64)) * stored.itemsize + extra:
        raise ValueError(f"{len(data)} bytes do not make an array of shape {shape}")
    packed = np.frombuffer(data[extra:], dtype=stored).reshape(shape)
    if how == "raw":
        return packed.astype(dtype)
    raw_base = bases.get(spec["base"])
    base = _turned(raw_base, turn) if isinstance(raw_base, np.ndarray) else None
    if base is None or base.shape != shape:
        raise ValueError(f"its base {spec['base']} is not an array of shape {shape}")
    if how == "affine":
        coef = np.frombuffer(data[:extra], dtype=np.float64).reshape(2, -1)
        return (packed ^ _columns(base.astype(np.float64), coef).view(stored)).view(dtype).copy()
    if how == "xor":
        return (packed ^ np.ascontiguousarray(base.astype(dtype)).view(stored)).view(dtype).copy()
    if how == "diff":
        return (base.astype(np.int64) + packed).astype(dtype)
    raise ValueError(f"unknown encoding {how!r}")


def channel_bases(bases: dict) -> dict:
    """The 2-D planes a channel may be stored against: every channel of every base, and its 2-D bases."""
    planes = {}
    for name, base in bases.items():
        if isinstance(base, np.ndarray) and base.ndim == 3 and base.shape[2] <= 4:
            planes.update({f"{name}.c{c}": base[..., c] for c in range(base.shape[2])})
        elif isinstance(base, np.ndarray) and base.ndim == 2:
            planes[name] = base
    return planes


def _packed_size(data: bytes) -> int:
    import zlib

    return len(zlib.compress(data, 6))


SMALL_TREE = 2000  # characters: a value's tree up to this size lives in the manifest, larger ones in the blob


def encode_value(value, bases: dict, blob: bytearray) -> dict:
    """Store any plain value (what a mistake returned) in ``blob``, the task's bytes that ``references
    build`` LZMA-packs into one file: each array as :func:`encode_array` gives it, the rest as a
    :mod:`grader.values` tree, kept in the spec when small. Returns the spec (offsets into the blob)."""
    arrays = []

    def put(data: bytes) -> list:
        blob.extend(data)
        return [len(blob) - len(data), len(data)]

    def keep(encoded) -> int:
        spec, data = encoded
        spec["at"] = put(data)
        arrays.append(spec)
        return len(arrays) - 1

    def enc(v):
        if isinstance(v, np.ndarray) and type(v) is not np.ndarray:
            v = np.asarray(v).view(np.ndarray)  # a subclass is stored as its plain data
        if type(v) is np.ndarray and v.dtype.kind in values.SAFE_KINDS and v.dtype.fields is None:
            whole = encode_array(v, bases)
            if v.ndim == 3 and v.shape[2] in (3, 4):
                # Channel by channel, each against any base's channels, when that packs smaller: a mistake
                # that zeroes, keeps or reorders channels.
                planes = channel_bases(bases)
                parts = [encode_array(np.ascontiguousarray(v[..., c]), planes) for c in range(v.shape[2])]
                if sum(_packed_size(d) for _, d in parts) < _packed_size(whole[1]):
                    return {"__stack__": [keep(part) for part in parts]}
            return {"__xz__": keep(whole)}
        if type(v) is tuple:
            return {"__tuple__": [enc(x) for x in v]}
        if type(v) is list:
            return [enc(x) for x in v]
        if type(v) is dict and all(type(k) is str for k in v):
            return {"__dict__": {k: enc(x) for k, x in v.items()}}
        if isinstance(v, np.ndarray):
            return {"__unsupported__": f"numpy array of dtype {v.dtype}", "reason": "not stored"}
        return values.encode(v, Path("."))  # a number, a string, None: writes no file

    tree = enc(value)
    doc = json.dumps(tree, sort_keys=True)
    spec = {"arrays": arrays}
    if len(doc) <= SMALL_TREE:
        spec["tree"] = tree
    else:
        spec["tree_at"] = put(doc.encode())
    return spec


def decode_value(blob: bytes, spec: dict, bases: dict):
    """The value :func:`encode_value` stored in ``blob``."""
    def part(at):
        start, length = int(at[0]), int(at[1])
        if start < 0 or length < 0 or start + length > len(blob):
            raise ValueError("an offset outside the stored outputs")
        return blob[start:start + length]

    tree = spec["tree"] if "tree" in spec else json.loads(part(spec["tree_at"]))
    arrays = spec.get("arrays") or []

    here = Path(".")

    def dec(t):
        if t is None or isinstance(t, (bool, int, float, str)):
            return t  # a plain leaf, as values.decode gives it back (outputs may hold many thousands)
        if isinstance(t, dict) and "__xz__" in t:
            a = arrays[int(t["__xz__"])]
            return decode_array(part(a["at"]), a, bases)
        if isinstance(t, dict) and "__stack__" in t:
            planes = channel_bases(bases)
            return np.stack([decode_array(part(arrays[int(i)]["at"]), arrays[int(i)], planes)
                             for i in t["__stack__"]], axis=-1)
        if isinstance(t, list):
            return [dec(x) for x in t]
        if isinstance(t, dict) and "__tuple__" in t:
            return tuple(dec(x) for x in t["__tuple__"])
        if isinstance(t, dict) and "__dict__" in t:
            return {str(k): dec(v) for k, v in t["__dict__"].items()}
        return values.decode(t, here)

    return dec(tree)


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
