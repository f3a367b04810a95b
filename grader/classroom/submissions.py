"""Reading a class's submissions: one entry per learner, whatever form it takes.

An entry of the submissions folder is a folder (holding an ``exercises/`` tree
or just the day files), a ``.zip`` of one, or a git repository (graded at HEAD
or at a given ref). Only the learner's day modules, the course's
``dayNN_*.py`` names, are ever read out of an entry, as bytes: nothing else in
it (references, tests, the grader, ``conftest.py``, ``sitecustomize.py``,
``.pth`` files) can reach grading. Anything that tries to point outside the
entry (a ``../`` or absolute zip member, a symbolic link, a git ``.git`` file or
alternates pointing elsewhere) is refused, and the entry gets that sentence as
its problem instead of a grade.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.errors import PixelkataError

MAX_MODULE_BYTES = 1024 * 1024  # a day module larger than this is not source code
MAX_ZIP_MEMBERS = 20000
GIT_TIMEOUT = 60.0
IGNORED_TOP = {"__MACOSX"}


@dataclass(frozen=True)
class Entry:
    """One learner's entry in the submissions folder."""

    learner: str  # shown in the gradebook: the entry's name without .zip / .git
    path: Path
    kind: str  # "folder", "zip", "git" or "other"


@dataclass
class Submission:
    """What will be graded for one entry: its day modules, or why nothing can be."""

    entry: Entry
    modules: dict = field(default_factory=dict)  # day file name -> source bytes
    problem: str = ""  # set when the entry cannot be graded at all
    revision: str = ""  # the git commit graded, for git entries

    @property
    def learner(self) -> str:
        return self.entry.learner

    @property
    def content_hash(self) -> str:
        """A hash of exactly what grading sees: a changed hash means grade again."""
        h = hashlib.sha256()
        for name in sorted(self.modules):
            data = self.modules[name]
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
        h.update(b"\0problem\0" + self.problem.encode())
        return h.hexdigest()

    def write(self, folder: Path) -> Path:
        """Write the day modules, and nothing else, into a fresh ``exercises/`` under ``folder``."""
        exercises = folder / "exercises"
        exercises.mkdir(parents=True)
        for name, data in self.modules.items():
            (exercises / name).write_bytes(data)
        return exercises


def discover(folder: Path) -> list[Entry]:
    """Every learner entry in ``folder``, sorted by name (dot files are skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PixelkataError(f"submissions folder {folder} does not exist: pass the folder holding one "
                             "entry (folder, .zip or git repository) per learner.")
    entries = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith("."):
            continue
        entries.append(Entry(learner=_learner_name(path), path=path, kind=_kind(path)))
    seen: dict[str, int] = {}
    for e in entries:
        seen[e.learner] = seen.get(e.learner, 0) + 1
    # alice/ and alice.zip side by side: keep them apart by their full names.
    return [Entry(e.path.name, e.path, e.kind) if seen[e.learner] > 1 else e for e in entries]


def _learner_name(path: Path) -> str:
    name = path.name
    for suffix in (".zip", ".git"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _kind(path: Path) -> str:
    if path.is_dir():
        if (path / ".git").exists() or (path / ".git").is_symlink() or _is_bare_repo(path):
            return "git"
        return "folder"
    if path.is_file() and path.suffix.lower() == ".zip":
        return "zip"
    return "other"


def _is_bare_repo(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def shard(entries: list, spec: str | None) -> list:
    """Every N-th entry starting at the I-th, for ``--shard I/N`` (I counts from 1)."""
    if not spec:
        return list(entries)
    index, count = parse_shard(spec)
    return [e for i, e in enumerate(entries) if i % count == index - 1]


def parse_shard(spec: str) -> tuple[int, int]:
    try:
        i, n = (int(x) for x in str(spec).split("/"))
    except ValueError:
        raise PixelkataError(f"--shard {spec!r} must look like I/N, e.g. 2/4 for the second of four shards.") from None
    if n < 1 or not 1 <= i <= n:
        raise PixelkataError(f"--shard {spec}: I must be between 1 and N, e.g. 1/4 to 4/4.")
    return i, n


def read(entry: Entry, module_names: list[str], *, ref: str | None = None) -> Submission:
    """Read the day modules of one entry. Never raises for anything the entry holds."""
    sub = Submission(entry)
    try:
        if entry.kind == "folder":
            _read_folder(sub, module_names)
        elif entry.kind == "zip":
            _read_zip(sub, module_names)
        elif entry.kind == "git":
            _read_git(sub, module_names, ref)
        else:
            sub.problem = (f"{entry.path.name} is neither a folder, a .zip file nor a git repository: "
                           "submit one of those.")
    except Refused as exc:
        sub.modules = {}
        sub.problem = str(exc)
    if not sub.problem and not sub.modules:
        wanted = module_names[0] if module_names else "dayNN_*.py"
        sub.problem = (f"no day files found in {entry.path.name}: it should hold exercises/{wanted} "
                       f"(or {wanted} at its top), as the course gave them out.")
    return sub


class Refused(Exception):
    """The entry holds something that must not be graded; the message says what."""


# ---------------------------------------------------------------- where the day files sit


def _bases(top_dirs: list[str]) -> list[str]:
    """Folders to look in for day files, most likely first (relative POSIX, '' is the top)."""
    bases = ["exercises/", ""]
    tops = [t for t in top_dirs if t not in IGNORED_TOP and not t.startswith(".")]
    if len(tops) == 1:  # a zip of the folder itself: alice/exercises/day01_reading.py
        bases += [f"{tops[0]}/exercises/", f"{tops[0]}/"]
    return bases


def _choose(present: set, module_names: list[str], top_dirs: list[str]) -> dict:
    """{day file name: its relative path} from the first base holding any day file."""
    for base in _bases(top_dirs):
        found = {name: base + name for name in module_names if base + name in present}
        if found:
            return found
    return {}


# ---------------------------------------------------------------- folders


def _read_folder(sub: Submission, module_names: list[str]) -> None:
    root = sub.entry.path
    try:
        tops = [p.name for p in root.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError as exc:
        raise Refused(f"{root.name} cannot be read ({exc.strerror}): check its permissions.") from None
    if not tops and not any(root.iterdir()):
        raise Refused(f"{root.name} is empty: the learner submitted nothing.")
    present = set()
    for base in _bases(tops):
        for name in module_names:
            rel = base + name
            if os.path.lexists(root / rel):
                present.add(rel)
    for name, rel in _choose(present, module_names, tops).items():
        sub.modules[name] = _read_file_safely(root, rel)


def _read_file_safely(root: Path, rel: str) -> bytes:
    """Read ``root/rel`` refusing symbolic links at every level and anything but a regular file."""
    path = root
    for part in PurePosixPath(rel).parts:
        path = path / part
        try:
            st = os.lstat(path)
        except OSError as exc:
            raise Refused(f"{rel} cannot be read ({exc.strerror}).") from None
        if stat.S_ISLNK(st.st_mode):
            raise Refused(f"{rel} is a symbolic link: links are refused because they can point outside "
                          "the submission; submit the file itself.")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise Refused(f"{rel} cannot be read ({exc.strerror}).") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(f"{rel} is not a regular file: submit the Python file itself.")
        if st.st_size > MAX_MODULE_BYTES:
            raise Refused(f"{rel} is {st.st_size:,} bytes, more than a day module can be "
                          f"({MAX_MODULE_BYTES:,}): submit the source file only.")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_MODULE_BYTES + 1)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- zip files


def _read_zip(sub: Submission, module_names: list[str]) -> None:
    path = sub.entry.path
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refused(f"{path.name} is not a readable zip file ({exc}): ask the learner to zip the folder again.") from None
    with zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise Refused(f"{path.name} holds {len(members):,} files, far more than a course folder: "
                          "zip only the exercises/ folder.")
        by_name = {}
        for info in members:
            name = info.filename
            problem = _escapes(name)
            if problem:
                raise Refused(f"{path.name} was refused: its entry {name!r} {problem}. "
                              "Ask the learner to zip the course folder itself.")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise Refused(f"{path.name} was refused: its entry {name!r} is a symbolic link, which could "
                              "point outside the submission. Ask the learner to zip real files.")
            if not info.is_dir():
                by_name[name] = info
        if not by_name:
            raise Refused(f"{path.name} is an empty zip file: the learner submitted nothing.")
        tops = sorted({n.split("/", 1)[0] for n in by_name if "/" in n})
        for name, rel in _choose(set(by_name), module_names, tops).items():
            info = by_name[rel]
            if info.file_size > MAX_MODULE_BYTES:
                raise Refused(f"{rel} in {path.name} is {info.file_size:,} bytes, more than a day module can be: "
                              "submit the source file only.")
            try:
                with zf.open(info) as fh:
                    data = fh.read(MAX_MODULE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
                raise Refused(f"{rel} in {path.name} cannot be unpacked ({exc}): ask the learner to zip "
                              "the folder again without a password.") from None
            if len(data) > MAX_MODULE_BYTES:
                raise Refused(f"{rel} in {path.name} unpacks to more than a day module can be.")
            sub.modules[name] = data


def _escapes(name: str) -> str:
    """Why a member name points outside its folder, or ''."""
    if "\\" in name:
        name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "climbs out of the folder with '..'"
    if "\0" in name:
        return "has a NUL byte in its name"
    return ""


# ---------------------------------------------------------------- git repositories


def _git_dir(root: Path) -> Path:
    dot = root / ".git"
    if dot.is_symlink() or (dot.exists() and not dot.is_dir()):
        raise Refused(f"{root.name}/.git is not a plain folder (a link or a 'gitdir:' file can point at another "
                      "repository): submit a normal clone.")
    git_dir = dot if dot.is_dir() else root
    if (git_dir / "objects" / "info" / "alternates").exists():
        raise Refused(f"{root.name} borrows objects from another repository (objects/info/alternates): "
                      "submit a self-contained clone (git clone --no-shared).")
    return git_dir


def git_environment() -> dict:
    """No system or global configuration, no prompts, no optional locks."""
    env = {k: os.environ[k] for k in ("PATH", "LANG", "SYSTEMROOT") if k in os.environ}
    env.update({
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "HOME": tempfile.gettempdir(),
        "LC_ALL": "C",
    })
    return env


# Settings a repository's own config could use to run a program; the command line
# overrides them. Only plumbing commands that read objects are used (rev-parse,
# ls-tree, cat-file): they never check out files, so no filter or hook is involved.
SAFE_GIT_CONFIG = ("core.hooksPath=/dev/null", "core.fsmonitor=false", "core.pager=cat",
                   "safe.directory=*", "protocol.allow=never", "core.sshCommand=false",
                   "credential.helper=", "uploadpack.packObjectsHook=")


def _git(git_dir: Path, *args: str) -> bytes:
    cmd = ["git"]
    for setting in SAFE_GIT_CONFIG:
        cmd += ["-c", setting]
    cmd += ["--git-dir", str(git_dir), *args]
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=git_environment(), timeout=GIT_TIMEOUT, cwd=tempfile.gettempdir())
    except subprocess.TimeoutExpired:
        raise Refused(f"git took longer than {GIT_TIMEOUT:g} s to read {git_dir.parent.name}: check the "
                      "repository is not damaged.") from None
    if done.returncode != 0:
        raise _GitFailed(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""])
    return done.stdout


class _GitFailed(Exception):
    pass


def _read_git(sub: Submission, module_names: list[str], ref: str | None) -> None:
    root = sub.entry.path
    if shutil.which("git") is None:
        raise Refused(f"{root.name} is a git repository but git is not installed here: install git, "
                      "or grade a plain copy of the folder.")
    ref = ref or "HEAD"
    if ref.startswith("-") or any(c in ref for c in "\0\n"):
        raise PixelkataError(f"--ref {ref!r} is not a git ref: give a branch, tag or commit such as main.")
    git_dir = _git_dir(root)
    try:
        commit = _git(git_dir, "rev-parse", "--verify", "--quiet", "--end-of-options",
                      f"{ref}^{{commit}}").decode().strip()
    except _GitFailed:
        commit = ""
    if not commit:
        if ref == "HEAD":
            raise Refused(f"{root.name} is a git repository with no commit yet: the learner must commit "
                          "their work.")
        raise Refused(f"{root.name} has no commit at {ref!r}: check the ref name, or omit --ref to grade HEAD.")
    sub.revision = commit
    try:
        listing = _git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit)
    except _GitFailed as exc:
        raise Refused(f"git cannot list {root.name} at {commit[:12]} ({exc}): check the repository.") from None
    tree = {}
    for line in listing.split(b"\0"):
        if not line:
            continue
        meta, _, path = line.partition(b"\t")
        mode, kind, obj = meta.decode().split()
        tree[path.decode("utf-8", "replace")] = (mode, kind, obj)
    tops = sorted({p.split("/", 1)[0] for p in tree if "/" in p})
    for name, rel in _choose(set(tree), module_names, tops).items():
        mode, kind, obj = tree[rel]
        if mode == "120000":
            raise Refused(f"{rel} in {root.name} is a symbolic link: links are refused because they can point "
                          "outside the submission; commit the file itself.")
        if kind != "blob":
            continue
        try:
            size = int(_git(git_dir, "cat-file", "-s", obj).strip() or 0)
            if size > MAX_MODULE_BYTES:
                raise Refused(f"{rel} in {root.name} is {size:,} bytes, more than a day module can be.")
            sub.modules[name] = _git(git_dir, "cat-file", "blob", obj)
        except _GitFailed as exc:
            raise Refused(f"git cannot read {rel} in {root.name} ({exc}): check the repository.") from None
