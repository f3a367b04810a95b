"""What every worker imports once, whichever backend runs it: learner code usually imports these
libraries, so importing them before the first case spares every case the cost.

:data:`PRELOAD` is imported when a worker starts. A day may name more (its ``preload`` list in
``dayNN.toml``, carried by each :class:`~grader.engine.jobs.Job`): a worker imports those once, on
the first job that asks, before that job's case runs, and keeps them for every later case. Days
that never need them (scikit-learn costs over a second) never pay for them.
"""
from __future__ import annotations

import operator
import os
import re
import traceback

PRELOAD = (
    "numpy", "cv2", "skimage", "skimage.color", "skimage.util", "skimage.filters", "skimage.feature",
    "skimage.metrics", "skimage.morphology", "skimage.measure", "skimage.exposure", "skimage.transform",
    "skimage.io", "skimage.draw", "skimage.segmentation",
    # scikit-image imports these anyway; named so the course's own code may use them (check-course).
    "scipy.ndimage", "PIL.Image",
)


def safe_str(exc, limit: int = 2000) -> str:
    """``str(exc)``, cut to ``limit`` characters, even for an exception whose ``__str__`` raises."""
    try:
        text = str(exc)
    except BaseException:
        text = "<the exception's message could not be shown>"
    return text[:limit]


#: A module name a job may ask a worker to import: dotted Python names, nothing else.
MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def import_modules(names) -> list[str]:
    """Import each of ``names`` (dotted module names); returns the ones that failed, each as
    "name (the error)". A name that is not a module name fails without being imported."""
    missing = []
    for name in names:
        if not isinstance(name, str) or not MODULE_NAME.match(name):
            missing.append(f"{safe_str(name, 80)!s} (not a module name)")
            continue
        try:
            __import__(name)
        except Exception as exc:
            missing.append(f"{name} ({type(exc).__name__}: {safe_str(exc, 200)})")
    return missing


def preload() -> list[str]:
    """Import the usual libraries once; returns the ones that failed, each as "name (the error)"."""
    missing = import_modules(PRELOAD)
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:
        pass
    return missing


def is_request(message: dict) -> bool:
    """Whether a message a worker reads asks it to import modules (rather than run a case)."""
    return isinstance(message, dict) and "preload" in message and "dir" not in message


def answer(message: dict) -> dict:
    """A worker's reply to ``{"preload": [names]}``: it imports them (once: a module already imported
    costs nothing) and says which failed and how long it took. No learner code runs here."""
    import time

    names = message.get("preload")
    if not isinstance(names, list):
        return {"preloaded": [], "missing": ["(the preload list is not a list)"], "seconds": 0.0}
    started = time.perf_counter()
    missing = import_modules(names)
    return {"preloaded": names, "missing": missing, "seconds": round(time.perf_counter() - started, 3)}


def drop_working_folder_from_path() -> None:
    """``python -m`` puts the working folder (the grader's scratch folder) first on ``sys.path``; a case
    can write there (always in portable mode; in the sandbox without namespaces), so a ``sklearn.py`` it left
    would be imported in place of the real library by every later case and every fresh worker. Each worker
    calls this first; the grader's own package comes from ``PYTHONPATH``."""
    import os
    import sys

    here = os.path.realpath(os.getcwd())
    sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) != here]


#: The ``grader`` package folder: traceback frames inside it are the grader's, never shown to the learner.
_GRADER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def safe_type(value) -> str:
    """The name of ``value``'s type, even for an object whose type misbehaves."""
    try:
        return str(type(value).__name__)
    except BaseException:
        return "object"


def _library_folders() -> tuple:
    """The folders of the standard library and of installed packages (site-packages), longest first."""
    import sysconfig

    found = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            found.add(os.path.abspath(sysconfig.get_paths()[key]))
        except (KeyError, OSError, ValueError):
            pass
    try:
        import site

        found.update(os.path.abspath(p) for p in site.getsitepackages() + [site.getusersitepackages()])
    except (AttributeError, OSError, ValueError):
        pass
    return tuple(sorted(found, key=len, reverse=True))


def _library_of(filename: str, folders: tuple) -> str | None:
    """The package (``skimage``) or ``the standard library`` a frame's file belongs to; None for the learner's."""
    path = os.path.abspath(filename)
    for folder in folders:
        if path.startswith(folder + os.sep):
            if os.path.basename(folder) in ("site-packages", "dist-packages"):
                return path[len(folder) + 1:].split(os.sep, 1)[0].split(".", 1)[0]
            return "the standard library"
    return None


def exception_info(exc: BaseException, learner_path: str) -> dict:
    """The exception as plain data, with only the learner's own frames in its traceback (both workers).

    Frames of the grader are never shown. Frames inside a library (NumPy, scikit-image, the standard library)
    after the learner's last frame are said in one line (which library, file and function raised), so the
    learner's own line is never pushed out of the few lines a view shows; a traceback with no frame of the
    learner's (a library's import) keeps the library's frames."""
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if not os.path.abspath(f.filename).startswith(_GRADER_DIR + os.sep)
                  and "importlib._bootstrap" not in f.filename]
        folders = _library_folders()
        own = [f for f in frames if _library_of(f.filename, folders) is None]
        if own and own[-1] is not frames[-1]:
            inner = frames[-1]
            where = _library_of(inner.filename, folders)
            tb = "".join(traceback.format_list(own[-8:])) + (
                f"  ... raised inside {where} ({os.path.basename(inner.filename)}, line {inner.lineno}, "
                f"in {inner.name})\n")
        else:
            tb = "".join(traceback.format_list((own or frames)[-8:]))
        learner_line = None
        for f in reversed(frames):
            if os.path.abspath(f.filename) == os.path.abspath(learner_path):
                learner_line = f.lineno
                break
    except BaseException:
        tb, learner_line = "", None
    return {
        "type": type(exc).__name__,
        "mro": [c.__name__ for c in type(exc).__mro__],
        "message": safe_str(exc),
        "traceback": tb[-6000:],
        "lineno": learner_line,
        "code": exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, (int, str, type(None))) else None,
    }


class Baseline:
    """The libraries a learner may patch, as they were before any case ran: which modules ``sys.modules``
    holds, and what each public module of NumPy, OpenCV, scikit-image, SciPy, Pillow, scikit-learn, the
    builtins and the grader holds under each public name.

    A worker that runs several cases in one process (the sandbox's day child) asks :meth:`changed` after
    each: a case that replaced ``cv2.GaussianBlur``, ``np.sum`` or a builtin, or removed a module, must not
    reach a later case. Names a library adds by itself as it is used (lazily loaded submodules, caches,
    ``None`` placeholders) are not watched; nor are private submodules (``numpy._core``), which learner
    code does not patch. Everything is compared by identity, never with ``==`` (a learner's object may claim
    to equal anything), in C: about a millisecond per check.

    The sandbox worker takes it once, before it forks any child (no learner code ever runs in the worker),
    and :meth:`extend` adds a day's own libraries once they are imported; every day child inherits it.
    """

    WATCHED = ("builtins", "numpy", "cv2", "skimage", "scipy", "PIL", "sklearn", "grader",
               "os", "posixpath", "json", "time", "signal", "math", "io", "copy", "pathlib", "shutil")

    def __init__(self):
        self.modules = {}
        self.attrs = []  # (module name, its namespace, the pin of the names watched in it)
        self.seen = {}  # every module now, and watched ones a case imported from their own files
        self.roots = {}  # each watched package's folder
        # Each watched function and its code object: ``f.__code__ = other`` keeps the name, changes the function.
        self.functions, self.codes = [], []
        self._known: set = set()
        self._pinned = pin({})
        self.extend()

    def extend(self) -> None:
        """Watch every watched module loaded since the last look (a day's own libraries, once imported)."""
        import sys

        from types import FunctionType

        for name, mod in list(sys.modules.items()):
            parts = name.split(".")
            if (name in self.modules or mod is None or parts[0] not in self.WATCHED
                    or any(p.startswith("_") for p in parts[1:])):
                continue
            try:
                space = vars(mod)
            except TypeError:
                continue
            self.modules[name] = mod
            mine = parts[0] == "grader"  # the grader's own functions, private ones included
            kept = {k: v for k, v in space.items()
                    if v is not None and (not k.startswith("_") or name == "builtins" or mine)}
            if kept:
                self.attrs.append((name, space, pin(kept)))
            where = getattr(mod, "__path__", None)
            if "." not in name and where:
                self.roots[name] = os.path.realpath(list(where)[0])
            for value in kept.values():
                for func in (value, getattr(value, "_implementation", None)):  # NumPy's dispatched functions
                    code = getattr(func, "__code__", None) if isinstance(func, FunctionType) else None
                    if code is not None and id(func) not in self._known:  # one function is often under several names
                        self._known.add(id(func))
                        self.functions.append(func)
                        self.codes.append(code)
        self._pinned = pin(self.modules)
        self.seen = dict(sys.modules)
        self.settings = library_settings()

    def changed(self, limit: int = 3) -> list[str]:
        """What a case replaced or removed ("numpy", "sys.modules['cv2']"): at most ``limit`` names, [] if nothing."""
        import sys

        found = settings_changed(self.settings)[:limit]
        try:
            if not holds(sys.modules, self._pinned):
                found += [f"sys.modules[{name!r}]" for name, mod in self.modules.items()
                          if sys.modules.get(name, _GONE) is not mod][:limit]
            found += [name for name in self.added(limit) if name not in found]
            for name, space, pinned in self.attrs:
                if len(found) >= limit:
                    break
                if not holds(space, pinned):
                    _, keys, was = pinned
                    found.append(next((f"{name}.{k}" for k, v in zip(keys, was) if space.get(k, _GONE) is not v),
                                      name))
        except BaseException:  # the check itself was broken by the case: take it as changed
            return found or ["the grader's view of the libraries"]
        if len(found) < limit:
            try:
                # One pass in C; == on code objects is identity first, then content: a swapped-in copy of the
                # same code changes nothing (a code object cannot be a learner's class, so == is the interpreter's).
                if list(map(_CODE, self.functions)) != self.codes:
                    found += [f"{getattr(f, '__module__', '?')}.{getattr(f, '__qualname__', '?')}.__code__"
                              for f, code in zip(self.functions, self.codes) if f.__code__ != code][:limit - len(found)]
            except BaseException:
                found.append("the grader's view of the functions")
        return found[:limit]

    def added(self, limit: int = 3) -> list[str]:
        """Watched modules a case put into ``sys.modules`` that are not what importing them from disk makes: not a
        module, or not from a file inside its package's folder (``sys.modules["scipy.signal"] = fake``). A real
        submodule a case imports (``import scipy.signal``) stays for later cases, as it would in one process."""
        import sys
        from types import ModuleType

        found = []
        now = sys.modules
        names = list(now.keys() - self.seen.keys())
        if not holds(now, pin(self.seen)):  # one replaced (or removed, which a later import makes afresh)
            names += [name for name, mod in self.seen.items() if now.get(name, mod) is not mod]
        for name in names:
            mod = now.get(name)
            top = name.split(".")[0]
            if top not in self.WATCHED or mod is None or "._" in name:  # private ones are not watched (above)
                continue  # (not kept: the learner's own module is a new one in every case)
            root = self.roots.get(top)
            where = getattr(mod, "__file__", None) if isinstance(mod, ModuleType) else None
            spec = getattr(mod, "__spec__", None)
            if (isinstance(mod, ModuleType) and root and isinstance(where, str)
                    and os.path.realpath(where).startswith(root + os.sep)
                    and getattr(spec, "origin", None) == where):
                self.seen[name] = mod
                continue
            found.append(f"sys.modules[{name!r}]")
            if len(found) >= limit:
                break
        return found


def library_settings() -> tuple:
    """The libraries' global settings that one case's documented call can change for every later case in the
    same process, as ``(call, repr of the value)`` pairs: NumPy's error handling and print options, OpenCV's
    threads and optimisations, scikit-learn's configuration (``sklearn.set_config(transform_output="pandas")``)
    once it is imported. Compared before and after a case as text, so no learner's object can claim equality."""
    import sys

    found = []
    np = sys.modules.get("numpy")
    if np is not None:
        found += [("numpy.seterr", np.geterr()), ("numpy.set_printoptions", np.get_printoptions())]
    cv2 = sys.modules.get("cv2")
    if cv2 is not None:
        found += [("cv2.setNumThreads", cv2.getNumThreads()), ("cv2.setUseOptimized", cv2.useOptimized())]
    sklearn = sys.modules.get("sklearn")
    if sklearn is not None and hasattr(sklearn, "get_config"):
        found.append(("sklearn.set_config", sklearn.get_config()))
    return tuple((name, repr(value)) for name, value in found)


def settings_changed(before: tuple) -> list[str]:
    """The settings calls (``"sklearn.set_config"``) whose value differs from ``before`` (what
    :func:`library_settings` gave); [] when none. A library imported since (its settings are its defaults) is
    not compared; settings that cannot be read are reported as changed."""
    try:
        now = library_settings()
        if now == before:
            return []
        was = dict(before)
        return [name for name, value in now if name in was and was[name] != value]
    except Exception:
        return ["the libraries' settings"]


def pin(space: dict) -> tuple:
    """``(getter, keys, values)``: what ``space`` holds now, for :func:`holds` to compare by identity later."""
    keys, values = tuple(space), tuple(space.values())
    # One key: itemgetter would return the value itself, not a tuple of one.
    getter = operator.itemgetter(*keys, *keys) if len(keys) == 1 else operator.itemgetter(*keys) if keys else None
    return getter, keys, values * 2 if len(keys) == 1 else values


def holds(space: dict, pinned: tuple) -> bool:
    """Whether ``space`` still holds the very same object under each pinned key: identity, never ``==`` (a
    learner's object may claim to equal anything), in C. A key gone, or a lookup that raises, is a change."""
    getter, _, was = pinned
    if getter is None:
        return True
    try:
        return all(map(operator.is_, getter(space), was))
    except Exception:
        return False


_GONE = object()
_CODE = operator.attrgetter("__code__")
