"""Which runner backend grades on this machine, and the one door to the Linux sandbox.

Two backends run learner code behind one interface (``start_worker``, ``processes``,
``remove_tree``):

* **sandbox** (:mod:`grader.engine.sandbox`): Linux, where new namespaces are allowed (as root or
  as an ordinary user). A worker forks an isolated child per case: namespaces, a separate user,
  rlimits, a read-only view with the references hidden, no network.
* **portable** (:mod:`grader.engine.portable`): Windows, macOS, and Linux where namespaces are
  refused. Subprocess workers, started without fork, each import the numeric libraries once and
  run cases in sequence; the grader enforces the wall clock and a memory ceiling, and kills the
  whole process tree of a case with psutil.

:func:`choose` picks one: the ``backend`` argument (the CLI's ``--backend``), else the
``PIXELKATA_BACKEND`` variable, else ``auto``. The Linux sandbox needs POSIX-only APIs (``fork``,
``resource``, ``unshare``), so it is imported here alone, and only when a sandbox worker is about to
start: a module that merely shows results never pulls it in.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from grader.engine import folders
from grader.errors import PixelkataError

#: The folder that holds the ``grader`` package (two levels above this file): a worker's ``PYTHONPATH``.
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BACKEND_ENV = "PIXELKATA_BACKEND"
NAMESPACES_ENV = "PIXELKATA_NAMESPACES"  # "0": the sandbox without namespaces (its own fallback modes)
NAMES = ("auto", "sandbox", "portable")


def linux_sandbox():
    """The Linux sandbox's isolation module, imported on first use."""
    from grader.engine.sandbox import isolation

    return isolation


class SandboxBackend:
    """The Linux sandbox: namespaces, a separate user, limits, a forked child per case."""

    name = "sandbox"
    promise = ("each case runs in a forked child inside Linux namespaces, with limits on time, CPU, memory, "
               "processes and disk, without network, and without sight of the references")

    def __init__(self, why: str):
        self.why = why
        self._zygote = None  # the pool's zygote: forks each worker with the libraries already imported

    def prepare_scratch(self, scratch: Path) -> None:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            scratch.chmod(0o711)  # without a mount namespace, the child's own user must reach its case folder

    def start_worker(self, scratch: Path, slot: int):
        from grader.engine.sandbox.client import SandboxWorker, Zygote

        zygote = self._zygote
        if zygote is None or zygote.scratch != scratch:
            try:
                zygote = self._zygote = Zygote(scratch, PACKAGE_ROOT)
            except OSError:
                zygote = None
        if zygote is not None and zygote.proc.poll() is not None:
            # A zygote that ended is not started again: each worker then imports the libraries itself, as it
            # would without one, and a set-up problem shows in that worker's own log.
            zygote = None
        return SandboxWorker(scratch, slot, package_root=PACKAGE_ROOT, zygote=zygote)

    def processes(self, workers) -> list:
        by_pid = {w.proc.pid: w for w in workers}
        sandbox = linux_sandbox()
        found = sandbox.sandbox_processes({pid: (w.uid, w.pid_namespace) for pid, w in by_pid.items()})
        # A day child between two cases of its day (or running one) is no case's leftover: it is the worker's.
        return [(by_pid[launcher].slot, pid, ticks) for launcher, pid, ticks in found
                if not by_pid[launcher].is_day_child(pid)]

    def now_ticks(self) -> int:
        """The clock :meth:`processes` gives start times in."""
        return linux_sandbox().now_ticks()

    def remove_tree(self, path: Path) -> None:
        from grader.engine.sandbox.client import _remove_tree

        zygote, self._zygote = self._zygote, None
        if zygote is not None:
            zygote.close()
        _remove_tree(path)


class PortableBackend:
    """Subprocess workers on any platform: wall clock, memory ceiling, whole-tree kill; no isolation."""

    name = "portable"
    promise = ("each case runs in a worker process under a wall-clock limit and a memory ceiling, and the "
               "processes it started are killed after it; your code is not isolated from your files, your "
               "network or the references")

    def __init__(self, why: str):
        self.why = why

    def prepare_scratch(self, scratch: Path) -> None:
        pass

    def start_worker(self, scratch: Path, slot: int):
        from grader.engine.portable.client import PortableWorker

        return PortableWorker(scratch, slot, package_root=PACKAGE_ROOT)

    def processes(self, workers) -> list:
        from grader.engine.portable.client import leftover_processes

        return leftover_processes(workers)

    def now_ticks(self) -> int:
        """The clock :meth:`processes` gives start times in."""
        from grader.engine.portable.client import now_ticks

        return now_ticks()

    def remove_tree(self, path: Path) -> None:
        from grader.engine.portable.client import _REMOVER

        _REMOVER.wait()
        folders.remove_tree(path)


def choose(requested: str | None = None):
    """The backend to run learner code with, and why it was chosen (its ``why``).

    ``requested`` (or ``PIXELKATA_BACKEND``) is "sandbox", "portable" or "auto". Auto picks the
    sandbox on Linux when this user may create namespaces (or when ``PIXELKATA_NAMESPACES=0`` asks
    for the sandbox without them), and the portable backend everywhere else. Raises
    :class:`~grader.errors.PixelkataError` for an unknown name, or for "sandbox" off Linux.
    """
    requested = requested or _REQUESTED
    source = "--backend" if requested else BACKEND_ENV
    name = (requested or os.environ.get(BACKEND_ENV) or "auto").strip().lower()
    if name not in NAMES:
        raise PixelkataError(f"{source} {name!r} is not a backend: use auto, sandbox or portable.")
    linux = sys.platform.startswith("linux")
    if name == "portable":
        return PortableBackend(f"asked for by {source}=portable")
    if name == "sandbox":
        if not linux:
            raise PixelkataError(f"the sandbox backend needs Linux namespaces, and this is {sys.platform}: "
                                 "use --backend portable (or leave the backend on auto).")
        try:
            linux_sandbox()
        except ImportError as exc:  # a Linux Python without the POSIX modules the sandbox needs
            missing = getattr(exc, "name", None) or "a module"
            raise PixelkataError(f"the sandbox backend needs the {missing!r} module, which this Python does not "
                                 "have: use --backend portable (or leave the backend on auto).") from None
        return SandboxBackend(f"asked for by {source}=sandbox")
    if not linux:
        return PortableBackend(f"{_platform_name()} has no Linux namespaces")
    if os.environ.get(NAMESPACES_ENV, "1") == "0":
        return SandboxBackend(f"{NAMESPACES_ENV}=0 asks for the Linux sandbox without namespaces")
    try:
        works, why = namespaces_work()
    except ImportError as exc:  # a Linux Python without the POSIX modules the sandbox needs
        missing = getattr(exc, "name", None)
        return PortableBackend(f"this Python has no {missing!r} module, which the Linux sandbox needs" if missing
                               else "this Python lacks a module the Linux sandbox needs")
    if works:
        return SandboxBackend("this Linux allows new namespaces")
    return PortableBackend(f"this Linux refuses new namespaces ({why})")


_PROBE: tuple | None = None
_REQUESTED: str | None = None


def request(name: str | None) -> None:
    """Make ``name`` the backend every later :func:`choose` without an argument picks (the CLI's ``--backend``)."""
    global _REQUESTED
    _REQUESTED = name


def namespaces_work() -> tuple[bool, str]:
    """Whether this user may create the sandbox's namespaces here, and if not, why (probed once)."""
    global _PROBE
    if _PROBE is None:
        _PROBE = linux_sandbox().probe_namespaces()
    return _PROBE


def _platform_name() -> str:
    if sys.platform == "win32":
        return "Windows"
    if sys.platform == "darwin":
        return "macOS"
    return sys.platform


def protections_off(limits) -> list[str]:
    """Names of the protections a worker's ``describe()`` reports as off."""
    return [p["name"] for p in limits or ()
            if isinstance(p, dict) and not p.get("on") and p.get("applies", True)]
