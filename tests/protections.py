"""What the machine running the tests promises to protect: declared here, never read from the sandbox.

The tests must not take the sandbox's word (``describe()``) for which protections are on: when namespace
set-up fails quietly, ``describe()`` says so, and tests that believed it would expect the attacks to
succeed. So the protections a machine must have are declared:

``PIXELKATA_REQUIRE_PROTECTIONS``
    ``all``: every protection of the backend in use (the Linux sandbox's full list, or the portable
    backend's with ``PIXELKATA_BACKEND=portable``). ``.ci/run`` sets it, so a protection that is off fails
    the run and says why.
    A comma-separated list of names (e.g. ``network,references hidden``): those, plus the baseline.
    Unset, empty or ``none``: only the baseline every Linux sandbox keeps (time, memory, clean-up,
    environment, output), so a contributor's machine without namespaces still runs the suite; every
    hostile entry whose outcome depends on an unpromised protection is then a pytest skip with its reason.

A :class:`Promise` says which protections must be on and which are known to be off; the rest are unknown,
and nothing is expected of them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

REQUIRE_ENV = "PIXELKATA_REQUIRE_PROTECTIONS"
BACKEND_ENV = "PIXELKATA_BACKEND"

#: Every protection of the Linux sandbox, in describe()'s names (README, "Security model").
SANDBOX = ("wall clock", "CPU time", "memory", "processes", "separate user", "signals", "process secrets",
           "clean-up", "references hidden", "read-only files", "disk", "network", "environment", "output")
#: What the Linux sandbox keeps in every mode, namespaces or not, root or not.
BASELINE = ("wall clock", "CPU time", "memory", "clean-up", "environment", "output")
#: What the portable backend promises (README, "Security model": portable mode). Its clean-up kills what
#: a case leaves below the worker, but not a process that leaves the tree, so it reports clean-up off.
PORTABLE = ("wall clock", "memory", "environment", "output")
#: What only the sandbox's namespaces give: off whenever they are.
NAMESPACES_ONLY = ("references hidden", "disk", "network")
#: Off, too, when the grader is an ordinary user without namespaces: the learner's code runs as that user.
OWN_USER_ONLY = ("signals", "process secrets", "read-only files")


@dataclass(frozen=True)
class Promise:
    on: frozenset  # must be on: one that is off fails the tests, with describe()'s reason
    off: frozenset  # known to be off: the hostile entries expect what their header says for it
    source: str  # where the promise comes from, for messages

    def unknown(self, names) -> list:
        """Those of ``names`` the promise says nothing about."""
        return [n for n in names if n not in self.on and n not in self.off]

    def as_json(self) -> dict:
        return {"on": sorted(self.on), "off": sorted(self.off), "source": self.source}

    @classmethod
    def from_json(cls, doc: dict) -> "Promise":
        return cls(frozenset(doc["on"]), frozenset(doc["off"]), doc["source"])


def applicable(as_root: bool) -> tuple:
    """The sandbox's protections that mean something for this user (a separate user only as root)."""
    return tuple(p for p in SANDBOX if as_root or p != "separate user")


def declared(env=None, *, as_root: bool | None = None) -> Promise:
    """The promise ``env`` (default: this process's environment) declares for the suite's own user.

    Raises ValueError, naming the known protections, for a name that is not one.
    """
    env = os.environ if env is None else env
    as_root = (hasattr(os, "geteuid") and os.geteuid() == 0) if as_root is None else as_root
    everything = applicable(as_root)
    portable = env.get(BACKEND_ENV, "").strip().lower() == "portable"
    full = PORTABLE if portable else everything
    never = frozenset(everything) - frozenset(full)  # the backend cannot give these at all
    raw = env.get(REQUIRE_ENV, "").strip()
    backend = "the portable backend" if portable else "the Linux sandbox"
    if raw.lower() == "all":
        return Promise(frozenset(full), never, f"{REQUIRE_ENV}=all ({backend})")
    baseline = frozenset(BASELINE) & frozenset(full)
    if raw.lower() in ("", "none"):
        return Promise(baseline, never, f"{REQUIRE_ENV} unset: the baseline of {backend}")
    names = [n.strip() for n in raw.split(",") if n.strip()]
    bad = [n for n in names if n not in everything]
    if bad:
        raise ValueError(f"{REQUIRE_ENV} names {bad}, which are not protections; use 'all' or names from: "
                         f"{', '.join(everything)}")
    beyond = [n for n in names if n in never]
    if beyond:
        raise ValueError(f"{REQUIRE_ENV} requires {beyond}, which {backend} never gives")
    return Promise(baseline | frozenset(names), never, f"{REQUIRE_ENV}={raw} ({backend})")


def without_namespaces(*, as_root: bool) -> Promise:
    """The promise of the Linux sandbox run with ``PIXELKATA_NAMESPACES=0`` (the README's fallback)."""
    off = set(NAMESPACES_ONLY) | (set() if as_root else set(OWN_USER_ONLY))
    return Promise(frozenset(BASELINE), frozenset(off),
                   "PIXELKATA_NAMESPACES=0: " + ("as root" if as_root else "as an ordinary user"))


def missing(promise: Promise, limits) -> list[str]:
    """Each promised protection that ``limits`` (a describe() list) reports off, as 'name: why'."""
    rows = {p["name"]: p for p in limits or ()}
    out = []
    for name in sorted(promise.on, key=lambda n: SANDBOX.index(n) if n in SANDBOX else len(SANDBOX)):
        row = rows.get(name)
        if row is None:
            out.append(f"{name}: not listed by the backend at all")
        elif not row["on"]:
            out.append(f"{name}: {row['detail']}")
    return out
