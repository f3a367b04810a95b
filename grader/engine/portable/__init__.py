"""The portable backend: subprocess workers that run on Windows, macOS and any Linux, without fork.

:mod:`~grader.engine.portable.client` is the grader's side (start a worker, enforce the wall clock
and the memory ceiling, kill the whole process tree with psutil); :mod:`~grader.engine.portable.worker`
is the worker process, which runs one case after another in itself. Nothing here may use
POSIX-only APIs; it is imported through :mod:`grader.engine.backends`.
"""
