"""Folders a case may take the permissions away from, given back to their owner: any platform.

Where learner code runs as the owner of the grader's folders (an ordinary user's grading, the portable
backend), ``os.chmod(folder, 0)`` on its case folder, its box or the folder above would make the grader's
next step fail, and the grader would be blamed. Both sides give the permissions back before they need them.
"""
from __future__ import annotations

import os
import stat


def owner_may_enter(folder) -> None:
    """Give the owner back read, write and search permission on ``folder`` when it is a folder that lacks them.
    Only its owner (or root) may: for anyone else the attempt fails and is let go. A link or a missing path is
    left alone; never raises. (On Windows a folder's mode bits are only its read-only flag: nothing to do.)"""
    try:
        st = os.lstat(folder)
        if stat.S_ISDIR(st.st_mode) and st.st_mode & 0o700 != 0o700:
            os.chmod(folder, stat.S_IMODE(st.st_mode) | 0o700)
    except OSError:
        pass


def give_back(folder: str, levels: int = 3) -> None:
    """:func:`owner_may_enter` for ``folder`` and the ``levels`` folders above it, from the top down (a folder
    can only be reached once the one above it can)."""
    chain = [str(folder)]
    for _ in range(levels):
        chain.append(os.path.dirname(chain[-1]))
    for each in reversed(chain):
        owner_may_enter(each)


def remove_tree(path) -> None:
    """Remove ``path`` and everything in it, never following a link; folders a case took the permissions
    away from are given back to their owner first. Whatever cannot be removed stays; never raises."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    if not os.path.lexists(path):
        return
    stack = [str(path)]
    while stack:
        folder = stack.pop()
        owner_may_enter(folder)
        try:
            with os.scandir(folder) as entries:
                stack.extend(e.path for e in entries if e.is_dir(follow_symlinks=False))
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)
