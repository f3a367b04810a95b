"""The clock a worker starts around the learner's function: how long the imports it makes take.

Both workers use it (the sandbox's forked child, the portable worker between cases), so a speed note
counts the function's own work apart from a cold ``import scipy.stats`` inside it on every platform.
"""
from __future__ import annotations

import builtins
import importlib
import time

#: The import functions as the worker found them, taken when this module is first imported (the worker does
#: that before it runs any learner code). Learner code may replace them, at its module's top level or inside
#: the function, and may break them; :meth:`ImportClock.uninstall` always puts these back.
GENUINE = (builtins.__import__, importlib.import_module)


class ImportClock:
    """Times the imports the learner's function makes while it runs (a cold ``import scipy.stats`` inside
    the function), so that a speed note counts the function's own work apart from them."""

    SHOWN = 0.05  # seconds: an import slower than this is named

    def __init__(self):
        self.seconds = 0.0
        self.slow: list = []
        self._depth = 0

    def install(self) -> None:
        real_import, real_import_module = builtins.__import__, importlib.import_module

        def timed(fn, label):
            def call(*args, **kwargs):
                if self._depth:
                    return fn(*args, **kwargs)
                self._depth += 1
                began = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    self._depth -= 1
                    spent = time.perf_counter() - began
                    self.seconds += spent
                    if spent >= self.SHOWN:
                        name = label(*args, **kwargs)
                        if name not in self.slow:
                            self.slow.append(name)
            return call

        def import_label(name, globals=None, locals=None, fromlist=(), level=0):
            subs = [f for f in (fromlist or ()) if isinstance(f, str) and f != "*"]
            return f"{name}.{subs[0]}" if len(subs) == 1 else str(name)

        self._real = (real_import, real_import_module)
        builtins.__import__ = timed(real_import, import_label)
        importlib.import_module = timed(real_import_module, lambda name, package=None: str(name))

    def uninstall(self) -> None:
        """Put the genuine import functions back (see :func:`restore_imports`)."""
        restore_imports()
        self._real = None

    def report(self) -> dict:
        return {"import_seconds": round(self.seconds, 4), "slow_imports": self.slow[:3]}


def restore_imports() -> None:
    """Put the genuine import functions back, whatever the learner's code did to them: before the worker
    imports anything of its own (describing an exception, storing the result, the next case in the same
    process). Imports nothing itself."""
    builtins.__import__, importlib.import_module = GENUINE
