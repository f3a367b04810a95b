"""Day 4 catalogue: other correct answers and classic mistakes (instructor side, never released).

Each function is ``<task>__<name>`` with the task's signature; grader/course/day04.toml lists them.
"""
import cv2
import numpy as np


# --- add


def add__numpy_wider(first, second, saturate):
    # A wider integer type holds the true sum; then clip or wrap back into uint8.
    total = first.astype(np.int32) + second
    return (np.minimum(total, 255) if saturate else total % 256).astype(np.uint8)


def add__cv2_and_numpy(first, second, saturate):
    return cv2.add(first, second) if saturate else np.add(first, second, dtype=np.uint8)


def add__always_wraps(first, second, saturate):
    return first + second


def add__always_saturates(first, second, saturate):
    return cv2.add(first, second)
