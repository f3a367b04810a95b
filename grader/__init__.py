"""pixelkata's grading engine: runs learner code in isolation and judges what it returns."""

__version__ = "0.1.0"
