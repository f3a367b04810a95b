"""Which runner backend grades on this machine, and the one door to the Linux sandbox.

The Linux sandbox (:mod:`grader.engine.sandbox`) needs POSIX-only APIs (``fork``, ``resource``,
``unshare``), so it is imported here alone, and only when a worker is about to start: a module that
merely shows results (the terminal view, the report) never pulls it in.
"""
from __future__ import annotations

import os

#: The folder that holds the ``grader`` package (two levels above this file): a worker's ``PYTHONPATH``.
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def linux_sandbox():
    """The Linux sandbox's isolation module, imported on first use."""
    from grader.engine.sandbox import isolation

    return isolation


def protections_off(limits) -> list[str]:
    """Names of the protections a worker's ``describe()`` reports as off."""
    return [p["name"] for p in limits or ()
            if isinstance(p, dict) and not p.get("on") and p.get("applies", True)]
