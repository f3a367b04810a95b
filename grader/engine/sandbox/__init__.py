"""The Linux sandbox backend: namespaces, a separate user, limits, and a worker that forks a child per case.

:mod:`~grader.engine.sandbox.isolation` sets up the worker's namespaces and read-only view and each
child's user, capabilities and limits; :mod:`~grader.engine.sandbox.worker` is the worker process.
This is the only place in pixelkata that may use POSIX-only APIs (``fork``, ``resource``, ``unshare``),
and only :mod:`grader.engine.backends` imports it.
"""
