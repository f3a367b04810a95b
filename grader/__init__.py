"""pixelkata's grading engine: runs learner code in isolation and judges what it returns.

In a notebook: ``from grader import check`` then ``check(1)``.
"""

import logging
import warnings

__version__ = "0.1.0"

# A library's log records are its user's to show: without a handler of theirs, nothing of ours reaches the
# terminal (Python's last-resort handler would print a grader bug's traceback under a learner's results).
logging.getLogger(__name__).addHandler(logging.NullHandler())
# NumPy's warnings about a learner's odd values (all NaN, division by zero) met while our code judges them are
# not the learner's to read: the message says what is wrong with the value.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"grader(\.|$)")


def check(day, *functions, **options):
    """Grade one day from a notebook (see :mod:`grader.learner.notebook`)."""
    from grader.learner.notebook import check as _check

    return _check(day, *functions, **options)
