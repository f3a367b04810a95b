"""What every worker imports once, whichever backend runs it: learner code usually imports these
libraries, so importing them before the first case spares every case the cost."""
from __future__ import annotations

PRELOAD = (
    "numpy", "cv2", "skimage", "skimage.color", "skimage.util", "skimage.filters", "skimage.feature",
    "skimage.metrics", "skimage.morphology", "skimage.measure", "skimage.exposure", "skimage.transform",
    "skimage.io", "skimage.draw", "skimage.segmentation",
)


def safe_str(exc, limit: int = 2000) -> str:
    """``str(exc)``, cut to ``limit`` characters, even for an exception whose ``__str__`` raises."""
    try:
        text = str(exc)
    except BaseException:
        text = "<the exception's message could not be shown>"
    return text[:limit]


def preload() -> list[str]:
    """Import the usual libraries once; returns the ones that failed, each as "name (the error)"."""
    missing = []
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception as exc:
            missing.append(f"{name} ({type(exc).__name__}: {safe_str(exc, 200)})")
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:
        pass
    return missing
