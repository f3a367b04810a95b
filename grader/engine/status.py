"""How one case of learner code ended: the statuses the worker, the runner and grading share.

A worker's child writes one of :data:`CHILD_STATUSES` into its ``result.json``; the runner adds
the statuses only an outside observer can see (a time-out, a crash, a lost worker); grading turns
each into an outcome and a sentence. ``Status`` is a ``str`` enum, so a status read back from JSON
compares equal to its member (``Status("returned") is Status.RETURNED``) and is written to JSON as
its plain value.
"""
from __future__ import annotations

import enum


class Status(str, enum.Enum):
    """How one case ended, as seen by the worker or the runner (never a verdict)."""

    #: The function returned a value (the value is in the case's ``out/`` folder).
    RETURNED = "returned"
    #: The function raised an exception (``SystemExit`` and ``KeyboardInterrupt`` included).
    RAISED = "raised"
    #: The function raised ``NotImplementedError``: the stub is untouched.
    NOT_ATTEMPTED = "not_attempted"
    #: Importing the learner's module failed (syntax error, an exception at its top level).
    IMPORT_ERROR = "import_error"
    #: The module has no callable of the task's name.
    MISSING_FUNCTION = "missing_function"
    #: The returned value cannot be read back as plain data (see :mod:`grader.values`).
    BAD_VALUE = "bad_value"
    #: The case ran past its wall-clock limit and was stopped.
    TIMEOUT = "timeout"
    #: The case's process was ended by a signal (a segmentation fault, the CPU limit, the kernel's OOM killer).
    CRASHED = "crashed"
    #: Not even the result could be written: the memory limit was reached.
    OUT_OF_MEMORY = "out_of_memory"
    #: The case's process ended without writing a result (``os._exit``, a killed interpreter).
    NO_OUTPUT = "no_output"
    #: The worker that ran the case disappeared while the case ran (the case may have killed it).
    WORKER_LOST = "worker_lost"
    #: The grader's own side failed (a case folder that could not be prepared, unreadable arguments).
    GRADER_ERROR = "grader_error"

    def __str__(self) -> str:  # the plain value in messages, on every Python version
        return self.value


#: What a case's own process may write as its status; anything else in ``result.json`` counts as no output.
CHILD_STATUSES = frozenset({
    Status.RETURNED, Status.RAISED, Status.NOT_ATTEMPTED, Status.IMPORT_ERROR, Status.MISSING_FUNCTION,
    Status.BAD_VALUE, Status.GRADER_ERROR,
})

#: Statuses after which nothing of the module ran to completion when it was not even imported:
#: the day's other cases would end the same way.
MODULE_STOPPERS = frozenset({
    Status.IMPORT_ERROR, Status.TIMEOUT, Status.NO_OUTPUT, Status.CRASHED, Status.WORKER_LOST,
    Status.OUT_OF_MEMORY,
})


def from_child(text) -> Status | None:
    """The status a case's process wrote, or None when it is not one a case may write."""
    try:
        status = Status(str(text))
    except ValueError:
        return None
    return status if status in CHILD_STATUSES else None
