"""pixelkata's grading engine: runs learner code in isolation and judges what it returns.

In a notebook: ``from grader import check`` then ``check(1)``.
"""

__version__ = "0.1.0"


def check(day, *functions, **options):
    """Grade one day from a notebook (see :mod:`grader.learner.notebook`)."""
    from grader.learner.notebook import check as _check

    return _check(day, *functions, **options)
