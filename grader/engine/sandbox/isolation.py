"""Isolation around the child process that runs learner code.

Used by :mod:`grader.engine.sandbox.worker`, in three layers:

* **Once per worker** (Linux): the worker enters new mount, network and PID
  namespaces (directly when the grader is root, otherwise inside an
  unprivileged user namespace). Its first process stays outside as a small
  *launcher*; the worker proper is the namespace's init. In its mount
  namespace every file system is read-only, the course's references and
  solutions are covered by empty folders, and a small tmpfs, the *box*, is the
  only writable place: each case gets a fresh folder there. The network
  namespace has no interface up.
* **Per child**, after the fork: a separate unprivileged user when the grader
  is root (so ``RLIMIT_NPROC`` applies and the child cannot signal root's
  processes), no capabilities, ``no_new_privs``, CPU / memory / file size /
  open files / processes limits, a scrubbed environment.
* **After each case**: the child's process group is killed, then everything
  left in the worker's PID namespace (a ``setsid`` daemon included), or,
  without one, everything re-parented to the worker as child subreaper.

Each part is best effort per platform, and :func:`describe` says plainly
which protections are on and, for each one that is off, why.
"""
from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
import stat
import sys
import time
from dataclasses import dataclass, field

DEFAULT_MEMORY = 2 * 1024**3  # bytes of data segment per case
# The grader's own bookkeeping in the child (writing the result) may use this
# much above the learner's limit, so a learner who fills memory still gets a verdict.
MEMORY_RESERVE = 64 * 1024**2
# Largest file a case may write: room for the largest array the grader reads
# back (values.MAX_ARRAY_BYTES, 256 MiB) plus its .npy header.
DEFAULT_FILE_SIZE = 257 * 1024**2
DEFAULT_OPEN_FILES = 256
DEFAULT_PROCESSES = 64  # processes and threads of one case
BOX_SIZE = 512 * 1024**2  # the tmpfs holding a worker's case folder
BOX_INODES = 4096
# Unprivileged users for the children when the grader is root: one per worker
# slot, so children of different workers cannot signal each other either. Each
# grader process takes a block of its own (see sandbox_uid), so two graders on one
# machine never share a user, and neither counts nor kills the other's processes.
SANDBOX_UID_BASE = 60100
UID_BLOCK = 64  # users per grader: worker slots 0 to 63
UID_BLOCKS = 64  # graders at once on one machine
EXIT_OUT_OF_MEMORY = 71  # the child could not even write its result
#: The ``grader`` package folder (three levels above this file).
GRADER_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMESPACES_ENV = "PIXELKATA_NAMESPACES"  # "0" turns the namespaces off

# Set before the numeric libraries load: one thread each, so results do not
# depend on the machine and process limits do not break their start-up.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
}

_LINUX = sys.platform.startswith("linux")
_CLONE_NEWNS, _CLONE_NEWUSER, _CLONE_NEWPID, _CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_NOATIME, _MS_NODIRATIME, _MS_RELATIME = 1024, 2048, 1 << 21
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 32, 4096, 16384, 1 << 18
_MNT_DETACH = 2
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_CAPBSET_DROP = 1, 4, 24
_PR_SET_CHILD_SUBREAPER, _PR_SET_NO_NEW_PRIVS = 36, 38
_SYS_MOUNT_SETATTR = 442  # the same number on every architecture (a post-5.1 syscall)
_AT_FDCWD, _AT_RECURSIVE, _MOUNT_ATTR_RDONLY = -100, 0x8000, 1

@dataclass
class SandboxState:
    """What one worker achieved of its protections: filled by :func:`enter_worker`, read by :func:`describe`.

    Each ``*_why`` field says, in words for the learner, why the protection beside it is off.
    """

    linux: bool = _LINUX
    root: bool = False  # the grader (and so the worker) runs as root
    namespaces: str = ""  # "" when off, else "root" or "user" (an unprivileged user namespace)
    namespaces_why: str = "not tried"
    read_only: bool = False
    read_only_why: str = "needs a mount namespace"
    box: str | None = None
    box_private: bool = False
    box_why: str = "needs a mount namespace"
    proc: bool = False  # /proc shows only the worker's PID namespace
    uid: int | None = None  # the user children run as, when not the grader's own
    uid_why: str = ""
    subreaper: bool = False
    nproc: int | None = None
    nproc_why: str = "not set up: this is not a worker process"
    hidden: dict = field(default_factory=dict)  # path -> mounted
    hide_why: str = "needs a mount namespace"
    unblock_why: str = ""


_state = SandboxState()


def worker_environment(base: dict | None = None) -> dict:
    """A scrubbed environment for the worker: nothing of the grader's secrets."""
    base = os.environ if base is None else base
    keep = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT", NAMESPACES_ENV)
    env = {k: base[k] for k in keep if k in base}
    env.update(THREAD_ENV)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    env["MPLBACKEND"] = "Agg"
    return env


# ------------------------------------------------------------ libc helpers

_libc = None


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _prctl(option: int, arg: int = 0) -> None:
    _check(_c().prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)),
           f"prctl({option})")


def _mount(source, target, fstype, flags: int, data=None) -> None:
    enc = (lambda s: None if s is None else os.fsencode(s))
    _check(_c().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {target}")


def _umount(target) -> None:
    _check(_c().umount2(os.fsencode(target), _MNT_DETACH), f"umount {target}")


# --------------------------------------------------------- once per worker


def enter_worker(box: str | None = None, uid: int | None = None) -> None:
    """Runs first in the worker, before anything heavy is imported.

    With namespaces this forks: the calling process becomes the launcher,
    waits for the worker and never returns; the worker (the new PID
    namespace's init) returns and carries on.
    """
    os.environ.update(THREAD_ENV)
    _state.root = os.geteuid() == 0
    _state.box = box
    namespaces = _LINUX and os.environ.get(NAMESPACES_ENV, "1") != "0"
    if not _LINUX:
        _state.namespaces_why = "needs Linux namespaces"
    elif not namespaces:
        _state.namespaces_why = f"turned off by {NAMESPACES_ENV}=0"
    if namespaces:
        _enter_namespaces()
    _setup_worker(box, uid)


def _enter_namespaces() -> None:
    root = _state.root
    flags = _CLONE_NEWNS | _CLONE_NEWNET | _CLONE_NEWPID | (0 if root else _CLONE_NEWUSER)
    uid, gid = os.getuid(), os.getgid()
    try:
        _check(_c().unshare(flags), "unshare")
    except OSError as exc:
        kind = "as root" if root else "in an unprivileged user namespace"
        _state.namespaces_why = f"this system does not allow new namespaces {kind} ({exc.strerror})"
        return
    if not root:
        try:
            with open("/proc/self/setgroups", "w") as fh:
                fh.write("deny")
            with open("/proc/self/uid_map", "w") as fh:
                fh.write(f"0 {uid} 1")
            with open("/proc/self/gid_map", "w") as fh:
                fh.write(f"0 {gid} 1")
        except OSError as exc:  # namespaces exist but are of no use; carry on without
            _state.namespaces_why = f"the user namespace could not map your user ({exc.strerror})"
            return
    _state.namespaces = "root" if root else "user"
    pid = os.fork()
    if pid:
        _launcher(pid)


def die_with_parent() -> None:
    """Ask the kernel to kill this process when the thread that started it ends (Linux; best effort)."""
    if _LINUX:
        try:
            _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except OSError:
            pass


def probe_namespaces() -> tuple[bool, str]:
    """Whether a worker could enter its namespaces here: tried in a short-lived forked process.

    Returns ``(True, "")``, or ``(False, why)`` in words (the system's own error). Used by
    :func:`grader.engine.backends.choose` to pick the portable backend where namespaces are refused
    (for example Ubuntu 24.04's default AppArmor rule for unprivileged user namespaces).
    """
    if not _LINUX:
        return False, "needs Linux namespaces"
    root = os.geteuid() == 0
    flags = _CLONE_NEWNS | _CLONE_NEWNET | _CLONE_NEWPID | (0 if root else _CLONE_NEWUSER)
    uid, gid = os.getuid(), os.getgid()
    libc = _c()
    pid = os.fork()
    if pid == 0:  # the probe: unshare, map the user as a worker would, and report by exit code
        code = 0
        try:
            if libc.unshare(flags) != 0:
                code = 100 + ctypes.get_errno() % 100
            elif not root:
                for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
                    with open(f"/proc/self/{name}", "w") as fh:
                        fh.write(text)
        except OSError as exc:
            code = 100 + (exc.errno or 1) % 100
        except BaseException:
            code = 99
        os._exit(code)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99
    if code == 0:
        return True, ""
    if code >= 100:
        return False, os.strerror(code - 100)
    return False, "the namespace probe failed"


def _launcher(pid: int) -> None:
    """Outside the PID namespace: hold no protocol pipe, die with the grader, report the worker's end."""
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    try:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def _setup_worker(box: str | None, uid: int | None) -> None:
    pid_ns = bool(_state.namespaces)
    if _LINUX:
        try:
            # Die with whoever started us (the grader, or the launcher).
            _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except OSError:
            pass
        try:
            # A child running as the same user must not ptrace the worker or
            # read its /proc entries (protocol pipes, memory).
            _prctl(_PR_SET_DUMPABLE, 0)
        except OSError:
            pass
    if not pid_ns:
        _state.subreaper = _set_subreaper()
    # The worker must not die of the signals a child might send it. As PID
    # namespace init it ignores every signal without a handler anyway.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if pid_ns:
        _setup_mounts(box, uid)
    elif box:
        _state.box_why = f"needs a mount namespace ({_state.namespaces_why})"
        _state.read_only_why = _state.box_why
        _state.hide_why = _state.box_why
    _choose_user(uid)
    _choose_nproc()


def _setup_mounts(box: str | None, uid: int | None) -> None:
    try:
        _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    except OSError as exc:
        _state.read_only_why = _state.box_why = _state.hide_why = f"mounts are not allowed ({exc.strerror})"
        return
    _state.hide_why = ""
    if _state.root and uid is not None:
        try:
            _unblock(_needed_paths(box))
        except OSError as exc:
            _state.unblock_why = f"could not open the way to Python for user {uid} ({exc.strerror})"
    try:
        _read_only_everything()
        _state.read_only = True
    except OSError as exc:
        _state.read_only_why = f"could not make the file systems read-only ({exc.strerror})"
    if box:
        try:
            _mount("tmpfs", box, "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC,
                   f"size={BOX_SIZE},nr_inodes={BOX_INODES},mode=0711")
            _state.box_private = True
        except OSError as exc:
            _state.box_why = f"could not mount a tmpfs for the case folders ({exc.strerror})"
    try:
        _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
        _state.proc = True
    except OSError:
        pass  # other PIDs stay listed but cannot be signalled from inside


def _needed_paths(box: str | None) -> list[str]:
    """What a child must be able to read: Python, its libraries, the grader, and the way to its box."""
    paths = [p for p in sys.path if p] + [sys.prefix, sys.base_prefix, sys.exec_prefix,
                                          os.path.dirname(GRADER_DIR)]
    if box:
        paths.append(os.path.dirname(os.path.abspath(box)))
    return sorted({os.path.realpath(p) for p in paths if os.path.exists(p)})


def _first_blocked(path: str):
    """The highest folder on the way to ``path`` that other users cannot pass, and the next step below it."""
    parts = path.strip("/").split("/")
    current = "/"
    for part in parts:
        st = os.stat(current)
        if not st.st_mode & stat.S_IXOTH:
            return current, os.path.join(current, part)
        current = os.path.join(current, part)
    return None


def _unblock(needed: list[str]) -> None:
    """Let the child's user reach ``needed`` when a folder on the way is closed to other users (e.g. /root).

    In the worker's mount namespace only, such a folder is covered by an empty
    tmpfs that other users may pass, and only the entries leading to the
    needed paths are bound back into it: the rest of the folder (a home
    directory's other files) disappears from the child's view.
    """
    for _ in range(8):  # each round opens the highest closed folder; nested ones take another round
        blocked: dict = {}
        for path in needed:
            found = _first_blocked(path)
            if found:
                blocked.setdefault(found[0], set()).add(found[1])
        if not blocked:
            return
        for folder in sorted(blocked, key=len):
            if any(folder.startswith(other + os.sep) for other in blocked if other != folder):
                continue  # inside another covered folder: next round
            keep = {entry: os.open(entry, os.O_PATH) for entry in sorted(blocked[folder])}
            try:
                _mount("tmpfs", folder, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=64k,mode=0755")
                for entry, fd in keep.items():
                    if stat.S_ISDIR(os.fstat(fd).st_mode):
                        os.makedirs(entry, exist_ok=True)
                    else:
                        os.makedirs(os.path.dirname(entry), exist_ok=True)
                        open(entry, "w").close()
                    _mount(f"/proc/self/fd/{fd}", entry, None, _MS_BIND | _MS_REC)
            finally:
                for fd in keep.values():
                    os.close(fd)
    raise OSError(errno.ELOOP, "too many closed folders nested on the way to Python")


def _read_only_everything() -> None:
    class MountAttr(ctypes.Structure):
        _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                    ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]

    attr = MountAttr(_MOUNT_ATTR_RDONLY, 0, 0, 0)
    libc = _c()
    if libc.syscall(ctypes.c_long(_SYS_MOUNT_SETATTR), ctypes.c_int(_AT_FDCWD), b"/",
                    ctypes.c_uint(_AT_RECURSIVE), ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr))) == 0:
        return
    if ctypes.get_errno() != errno.ENOSYS:
        _check(-1, "mount_setattr")
    # Kernels before 5.12: remount each mount read-only, keeping its other flags.
    keep = _MS_NOSUID | _MS_NODEV | _MS_NOEXEC | _MS_NOATIME | _MS_NODIRATIME | _MS_RELATIME
    with open("/proc/self/mountinfo") as fh:
        points = [line.split()[4] for line in fh]
    for point in points:
        point = point.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")
        try:
            flags = os.statvfs(point).f_flag & keep
            _mount(None, point, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY | flags)
        except OSError:
            if point == "/":
                raise


def _set_subreaper() -> bool:
    """Make orphaned descendants (e.g. a ``setsid`` daemon) become our children."""
    if not _LINUX:
        return False
    try:
        _prctl(_PR_SET_CHILD_SUBREAPER, 1)
        return True
    except OSError:
        return False


def _traversable_by_others(path: str) -> bool:
    try:
        current = os.path.realpath(path)
        while True:
            st = os.stat(current)
            if stat.S_ISDIR(st.st_mode) and not st.st_mode & stat.S_IXOTH:
                return False
            parent = os.path.dirname(current)
            if parent == current:
                return True
            current = parent
    except OSError:
        return True  # a missing sys.path entry is no obstacle


def _choose_user(uid: int | None) -> None:
    if not _state.root:
        _state.uid_why = "the grader is not root, so your code runs as you"
        return
    if uid is None:
        _state.uid_why = "no user was given to the worker"
        return
    # The child must still read Python, the libraries and the grader as that user.
    needed = _needed_paths(_state.box)
    for path in needed:
        if not _traversable_by_others(path):
            _state.uid_why = (f"{path} is not readable by other users, so your code keeps root's user "
                                 "(without any capability); install the course and its Python in world-readable "
                                 "folders" + (f"; {_state.unblock_why}" if _state.unblock_why else ""))
            return
    _state.uid = int(uid)


def _choose_nproc() -> None:
    if _state.uid is not None:
        _state.nproc = DEFAULT_PROCESSES
        _state.nproc_why = f"{DEFAULT_PROCESSES} processes and threads per case (separate user)"
    elif _state.namespaces == "user":
        _state.nproc = DEFAULT_PROCESSES
        _state.nproc_why = f"{DEFAULT_PROCESSES} processes and threads per case (user namespace)"
    elif _state.root:
        _state.nproc_why = "root's processes are not limited by RLIMIT_NPROC and no separate user is in use"
    elif _LINUX:
        # RLIMIT_NPROC counts every process of this user: leave room for what already runs.
        mine = _threads_of(os.getuid())
        if mine is not None:
            _state.nproc = mine + 2 * DEFAULT_PROCESSES
            _state.nproc_why = (f"about {2 * DEFAULT_PROCESSES} more than your user already runs "
                                   "(RLIMIT_NPROC counts all of your processes)")
        else:
            _state.nproc_why = "could not count your user's processes"
    else:
        _state.nproc_why = "RLIMIT_NPROC would count all of your processes"


def _threads_of(uid: int) -> int | None:
    total = 0
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as fh:
                text = fh.read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        try:
            if int(fields["Uid"].split()[0]) == uid:
                total += int(fields["Threads"])
        except (KeyError, ValueError, IndexError):
            continue
    return total


def child_uid() -> int | None:
    """The user a child runs as, when it is not the grader's own."""
    return _state.uid


def box_is_private() -> bool:
    return bool(_state.box_private)


def has_pid_namespace() -> bool:
    return bool(_state.namespaces)


# ------------------------------------------------------------------ per job


def hide(paths, keep: str | None = None) -> None:
    """Cover each folder in ``paths`` with an empty, unreadable tmpfs for the next children.

    A folder holding ``keep`` (the learner's module, e.g. when grading the
    solutions themselves) is not hidden. Mounts are kept between jobs and only
    changed when the set changes.
    """
    if _state.hide_why:
        return
    wanted = set()
    for path in paths or ():
        path = os.path.realpath(path)
        if keep and (os.path.realpath(keep) + os.sep).startswith(path + os.sep):
            continue
        if os.path.isdir(path):
            wanted.add(path)
    current = _state.hidden
    for path in [p for p in current if p not in wanted]:
        try:
            _umount(path)
        except OSError:
            pass
        del current[path]
    for path in sorted(wanted - set(current)):
        try:
            _mount("tmpfs", path, "tmpfs", _MS_RDONLY | _MS_NOSUID | _MS_NODEV | _MS_NOEXEC,
                   "size=4k,nr_inodes=2,mode=000")
            current[path] = True
        except OSError as exc:
            _state.hide_why = f"could not cover {path} ({exc.strerror})"


# ---------------------------------------------------------------- per child


def enter_child(job: dict, home: str, *, cpu: bool = True) -> None:
    """In the forked child, before any learner code: drop privileges, apply limits, scrub the environment.

    A day child (``cpu=False``) runs many cases: its CPU limit is set case by case (:func:`case_limits`).
    """
    _drop_privileges()
    apply_child_limits(job, cpu=cpu)
    os.environ.clear()
    os.environ.update(THREAD_ENV)
    os.environ.update({"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": home,
                       "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"})


def _drop_privileges() -> None:
    if not _LINUX:
        return
    uid = _state.uid
    in_userns = _state.namespaces == "user"
    if uid is not None or in_userns or os.geteuid() == 0:
        # Empty the bounding set first, while we may: nothing executed later can regain a capability.
        for cap in range(_last_cap() + 1):
            try:
                _prctl(_PR_CAPBSET_DROP, cap)
            except OSError:
                break
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # clears every capability
    elif in_userns or os.geteuid() == 0:
        _capset_zero()
    try:
        _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    except OSError:
        pass
    try:
        # Changing user made the child non-dumpable; make its own /proc usable to it again.
        _prctl(_PR_SET_DUMPABLE, 1)
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # cleared by the change of user
    except OSError:
        pass


def _last_cap() -> int:
    try:
        with open("/proc/sys/kernel/cap_last_cap") as fh:
            return int(fh.read())
    except (OSError, ValueError):
        return 40


def _capset_zero() -> None:
    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)()
    _check(_c().capset(ctypes.byref(header), data), "capset")


def case_cpu(job: dict) -> int:
    """A case's CPU limit in whole seconds (the rlimit's unit), rounded up: its ``cpu_limit``, else its timeout."""
    cpu = job.get("cpu_limit")
    return max(1, int(-(-float(cpu) // 1))) if cpu else max(1, int(-(-float(job.get("timeout", 10.0)) // 1)))


def apply_child_limits(job: dict, *, cpu: bool = True) -> None:
    """Resource limits for the child that runs learner code."""
    if cpu:
        seconds = case_cpu(job)
        # SIGXCPU at the soft limit; the kernel's SIGKILL one second later catches code that ignores it.
        _limit(resource.RLIMIT_CPU, seconds, seconds + 1)
    memory = int(job.get("memory") or DEFAULT_MEMORY)
    _limit(_data_limit(), memory, memory + MEMORY_RESERVE)
    _limit(resource.RLIMIT_FSIZE, DEFAULT_FILE_SIZE, DEFAULT_FILE_SIZE)
    _limit(resource.RLIMIT_CORE, 0, 0)
    _limit(resource.RLIMIT_NOFILE, DEFAULT_OPEN_FILES, DEFAULT_OPEN_FILES)
    if _state.nproc and hasattr(resource, "RLIMIT_NPROC"):
        _limit(resource.RLIMIT_NPROC, _state.nproc, _state.nproc)
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:
        pass


def case_limits(job: dict) -> None:
    """In a day child, before each case: SIGXCPU once the case has used its own CPU seconds (the limit counts
    the whole process, so it starts from what earlier cases used), and the memory limit back at the case's
    allowance (the grader's storing of the previous result used the reserve above it). The kernel's hard CPU
    limit cannot be raised again once lowered, so the worker itself kills a case one second past its limit."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _limit(resource.RLIMIT_CPU, int(-(-(spent + case_cpu(job)) // 1)), resource.RLIM_INFINITY)
    memory = int(job.get("memory") or DEFAULT_MEMORY)
    try:
        _, hard = resource.getrlimit(_data_limit())
        resource.setrlimit(_data_limit(), (min(memory, hard), hard))
    except (ValueError, OSError):
        pass


def use_memory_reserve() -> None:
    """Let the grader's own code in the child use the reserve above the learner's limit."""
    which = _data_limit()
    try:
        _, hard = resource.getrlimit(which)
        resource.setrlimit(which, (hard, hard))
    except (ValueError, OSError):
        pass


def _data_limit():
    return getattr(resource, "RLIMIT_DATA", resource.RLIMIT_AS)


def _limit(which, soft: int, hard: int) -> None:
    try:
        cur_soft, cur_hard = resource.getrlimit(which)
        if cur_hard != resource.RLIM_INFINITY:
            hard = min(hard, cur_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass


# ---------------------------------------------------------------- clean-up


def kill_group(pid: int) -> None:
    """Kill the process group the child leads (it called ``setsid``)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def end_case(pid: int) -> int:
    """Kill whatever the case started and reap it; returns how many processes were still running."""
    kill_group(pid)
    if _state.namespaces and os.getpid() == 1:
        # As the namespace's init, kill(-1) reaches every other process in it,
        # whatever session, group or nested namespace it moved to.
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        killed = 0
        while True:
            try:
                os.waitpid(-1, 0)
                killed += 1
            except ChildProcessError:
                return killed
            except InterruptedError:
                continue
    return reap_descendants()


def innermost_pid(pid: int) -> int | None:
    """``pid``'s number in its own (innermost) PID namespace, from ``NSpid`` in ``/proc/PID/status``."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except (OSError, ValueError, IndexError):
        return None
    return pid


def children_of(pid: int) -> list[int]:
    """The processes ``pid`` started that still run (its main thread's children, from ``/proc``)."""
    return _children_of(pid)


def _children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def reap_descendants(rounds: int = 50) -> int:
    """Kill and reap anything still attached to the worker after a case.

    With the subreaper flag set, a daemon that escaped the child's process
    group (double fork plus ``setsid``) is re-parented to the worker, so it
    shows up here. Returns how many were killed.
    """
    me = os.getpid()
    killed = 0
    for _ in range(rounds):
        pids = _children_of(me)
        if not pids:
            break
        for pid in pids:
            for kill in (lambda p: os.killpg(p, signal.SIGKILL), lambda p: os.kill(p, signal.SIGKILL)):
                try:
                    kill(pid)
                except (ProcessLookupError, PermissionError):
                    pass
            killed += 1
        for pid in pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    # Collect any zombie left over.
    while True:
        try:
            done, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if not done:
            break
    return killed


# ------------------------------------------------------------------ report


def describe(state: SandboxState | None = None) -> list[dict]:
    """Every protection around learner code, whether it is on here, and how (or why not).

    ``state`` defaults to this worker's own (see :func:`enter_worker`); a test may pass any
    :class:`SandboxState`. Returns a list of ``{"name", "on", "detail", "applies"}`` in a fixed
    order, plain JSON; ``applies`` is False for a protection that has no meaning here (a separate
    user when the grader is not root).
    """
    st = _state if state is None else state
    out = []
    for part in _PROTECTIONS:
        name, on, detail, *applies = part(st)
        out.append({"name": name, "on": bool(on), "detail": detail, "applies": applies[0] if applies else True})
    return out


def _wall_clock(st):
    return "wall clock", True, "each case is stopped at its time limit (10 s unless the task sets another)"


def _cpu_time(st):
    return "CPU time", True, "RLIMIT_CPU: SIGXCPU at the time limit, SIGKILL one second later"


def _memory(st):
    if st.linux and hasattr(resource, "RLIMIT_DATA"):
        return "memory", True, f"RLIMIT_DATA: {DEFAULT_MEMORY // 2**20} MiB per case unless the task sets memory_mb"
    return "memory", False, "this platform does not enforce RLIMIT_DATA or RLIMIT_AS, so memory is not limited"


def _processes(st):
    if st.nproc is not None:
        return "processes", True, f"RLIMIT_NPROC: {st.nproc_why}"
    return "processes", False, st.nproc_why


def _separate_user(st):
    if st.uid is not None:
        return "separate user", True, f"your code runs as user {st.uid}, not as root, with no capabilities"
    if st.root:
        return "separate user", False, st.uid_why
    return ("separate user", False, "does not apply: the grader is not root, so your code runs as you"
            + (" (without capabilities, inside a user namespace)" if st.namespaces == "user" else ""), False)


def _signals(st):
    if st.namespaces:
        return "signals", True, "a PID namespace hides the grader, and the worker, its init, ignores signals from inside"
    if st.uid is not None:
        return "signals", True, f"user {st.uid} may not signal the grader or the worker"
    return "signals", False, ("your code runs as the grader's user with no PID namespace, so it can signal the "
                              f"grader and the worker ({st.namespaces_why})")


def _process_secrets(st):
    if st.namespaces and st.proc:
        return "process secrets", True, "the grader's processes are not even listed in the /proc your code sees"
    if st.uid is not None:
        return "process secrets", True, f"user {st.uid} cannot read the grader's environment or memory through /proc"
    if st.root:
        return "process secrets", True, ("without capabilities, your code cannot read root's processes' environment "
                                         "or memory through /proc")
    return "process secrets", False, "your code runs as you and can read your other processes' environment through /proc"


def _clean_up(st):
    if st.namespaces:
        return "clean-up", True, "everything a case started dies with its PID namespace sweep, setsid daemons included"
    if st.subreaper:
        return "clean-up", True, ("the case's process group is killed and the worker, as child subreaper, "
                                  "kills anything re-parented to it")
    return "clean-up", False, "only the case's process group is killed: a setsid daemon can survive (needs Linux prctl)"


def _references_hidden(st):
    if st.namespaces and not st.hide_why:
        return "references hidden", True, ("reference_images/ and solutions/ are covered by empty folders in the "
                                           "worker's mount namespace")
    return "references hidden", False, ("your code can read reference_images/ and solutions/: "
                                        f"{st.hide_why or 'needs a mount namespace'}")


def _read_only_files(st):
    if st.read_only:
        return "read-only files", True, ("everything but the case's own folder is read-only (results and progress "
                                         "files included)")
    if st.uid is not None:
        return "read-only files", True, f"user {st.uid} can write only its case folder and world-writable folders"
    return "read-only files", False, f"your code can write wherever you can: {st.read_only_why}"


def _disk(st):
    if st.box_private:
        return "disk", True, f"the case folder is a {BOX_SIZE // 2**20} MiB tmpfs, emptied after every case"
    return "disk", False, f"each file is limited to {DEFAULT_FILE_SIZE // 2**20} MiB, but not the total: {st.box_why}"


def _network(st):
    if st.namespaces:
        return "network", True, "no network: the worker's network namespace has no interface up"
    return "network", False, f"your code can use the network: {st.namespaces_why}"


def _environment(st):
    return "environment", True, "scrubbed: the grader's environment variables are not passed on"


def _output(st):
    return "output", True, ("8 KiB of stdout and stderr kept per case; returned arrays read without pickle, "
                            "links or files over 256 MiB")


# The order describe() lists them in (the terminal view and the hostile corpus read them by name).
_PROTECTIONS = (_wall_clock, _cpu_time, _memory, _processes, _separate_user, _signals, _process_secrets,
                _clean_up, _references_hidden, _read_only_files, _disk, _network, _environment, _output)


# ------------------------------------------------------------ measurement


def _start_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            text = fh.read()
        return int(text[text.rindex(")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def now_ticks() -> int:
    """The clock /proc/<pid>/stat start times are in (clock ticks since boot)."""
    return int(time.clock_gettime(time.CLOCK_BOOTTIME) * os.sysconf("SC_CLK_TCK"))


def _under_another_worker(pid: int, parents: dict, ours: set) -> bool:
    """Whether ``pid`` runs below another grader's sandbox worker (another course or test run on this
    machine, whose children use the same sandbox users): not one of ours, however its user looks."""
    up, hops = parents.get(pid), 0
    while up and up not in ours and hops < 64:
        try:
            with open(f"/proc/{up}/cmdline", "rb") as fh:
                if b"grader.engine.sandbox.worker" in fh.read():
                    return True
        except OSError:
            pass
        up, hops = parents.get(up), hops + 1
    return False


def sandbox_processes(launchers: dict) -> list[tuple[int, int, int]]:
    """Processes that belong to the workers' sandboxes but are not the workers themselves.

    ``launchers`` maps each worker's outer process id to ``(uid, pid_namespace)``:
    the user its children run as (or None) and whether the worker proper is
    the launcher's child in a PID namespace. Returns ``(launcher, pid,
    start_ticks)`` for every other descendant of a worker, and for every
    process of a sandbox user. Linux only; empty elsewhere.
    """
    if not _LINUX:
        return []
    parents, owners = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                text = fh.read()
            parents[int(name)] = int(text[text.rindex(")") + 2:].split()[1])
            owners[int(name)] = os.stat(f"/proc/{name}").st_uid
        except (OSError, ValueError, IndexError):
            continue
    found = {}
    for launcher, (uid, pid_ns) in launchers.items():
        # The worker proper is the launcher itself or, with a PID namespace, its one child.
        workers = {launcher} | ({p for p, pp in parents.items() if pp == launcher} if pid_ns else set())
        for pid in parents:
            if pid in workers:
                continue
            up, hops = parents.get(pid), 0
            while up and up not in workers and hops < 64:
                up, hops = parents.get(up), hops + 1
            if up in workers or (uid is not None and owners.get(pid) == uid
                                 and not _under_another_worker(pid, parents, workers)):
                ticks = _start_ticks(pid)
                if ticks is not None:
                    found[pid] = (launcher, pid, ticks)
    return sorted(found.values())


_uid_block: tuple[int, int] | None = None  # (first user, the lock's descriptor), once claimed


def sandbox_uid(slot: int) -> int:
    """The user a worker in ``slot`` (0 to ``UID_BLOCK - 1``) runs its children as, when the grader is root.

    The first call claims a block of ``UID_BLOCK`` users for this grader process: block k holds
    ``SANDBOX_UID_BASE + k * UID_BLOCK`` onwards, and is held by an exclusive ``flock`` on a file in
    :func:`uid_lock_folder` until the process ends (the kernel drops the lock then, however it ends). Raises :class:`OSError` when all ``UID_BLOCKS`` blocks are taken.
    """
    global _uid_block
    if not 0 <= slot < UID_BLOCK:
        raise ValueError(f"worker slot {slot} is outside 0..{UID_BLOCK - 1}")
    if _uid_block is None:
        _uid_block = _claim_uid_block()
    return _uid_block[0] + slot


def uid_lock_folder() -> str:
    """Where graders hold their blocks of users: one folder per machine and user, whatever ``TMPDIR`` says
    (two graders with different temporary folders must still see each other's locks). Root (the only user
    that runs cases as other users) uses ``/run``, where no other user can create the folder first; others
    use ``/tmp``."""
    if os.geteuid() == 0 and os.path.isdir("/run") and os.access("/run", os.W_OK):
        return "/run/pixelkata-uids"
    return f"/tmp/pixelkata-uids-{os.geteuid()}"


def _claim_uid_block() -> tuple[int, int]:
    import fcntl

    folder = uid_lock_folder()
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
        raise OSError(errno.EPERM, f"{folder} is not a folder of this user that only this user may write to: "
                                   "remove it (or fix its owner and mode) and grade again")
    for k in range(UID_BLOCKS):
        try:
            fd = os.open(os.path.join(folder, f"block-{k}.lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError:
            continue  # a link or folder in a block's place: that block is not used
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        os.set_inheritable(fd, False)
        return SANDBOX_UID_BASE + k * UID_BLOCK, fd
    raise OSError(errno.EUSERS, f"{UID_BLOCKS} graders already run on this machine (or their lock files in "
                                f"{folder} are unusable): wait for one to finish")
