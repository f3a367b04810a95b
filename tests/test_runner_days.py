"""A day's cases on one worker: in the Linux sandbox, one forked child runs them in sequence while they end
normally; after any abnormal end, the rest of the day runs one case per child (portable: in a fresh worker).

Each test runs a short "day" through :meth:`Runner.lane`, the way grading hands a day to a worker, and looks
at what each case saw (its process id, the libraries, what it printed) and how the grader reported it.
"""
from __future__ import annotations

import pytest

from grader.engine.jobs import OUTPUT_CAP
from grader.engine.runner import Job, Runner
from grader.engine.status import Status
from tests.test_worker_failures import BACKENDS

LEARNER = '''
import os, sys, time

import cv2
import numpy as np


def double(x):
    return (2 * x, os.getpid())


def misbehave(how):
    if how == "loop":
        while True:
            pass
    if how == "exit":
        os._exit(0)
    if how == "sys_exit":
        sys.exit()
    if how == "segfault":
        import ctypes
        ctypes.string_at(0)
    if how == "memory":
        hoard = []
        while True:
            hoard.append(bytearray(16 * 2**20))
    raise AssertionError(how)


def patch_libraries():
    cv2.GaussianBlur = None
    np.sum = lambda *a, **k: 0
    return 1


def strict_warnings():
    import warnings
    warnings.simplefilter("error")
    np.seterr(all="raise")
    return 1


def divide_with_warnings():
    import warnings
    warnings.warn("a library's warning")
    return float(np.float64(1.0) / np.float64(0.0))


def blur_and_sum(x):
    img = np.full((9, 9), x, np.uint8)
    return int(np.sum(cv2.GaussianBlur(img, (3, 3), 0))), os.getpid()


def start_grandchild():
    import subprocess
    return subprocess.Popen(["sleep", "60"]).pid


def is_alive(pid):
    import psutil
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE  # a killed child nobody reaped is dead
    except psutil.NoSuchProcess:
        return False


def loaded(name):
    return name in sys.modules


def say(text, times=1):
    print(text * times)
    return len(text)
'''


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    path = tmp_path_factory.mktemp("days") / "day_learner.py"
    path.write_text(LEARNER)
    return path


@pytest.fixture(scope="module", params=BACKENDS)
def runner(request):
    with Runner(1, backend=request.param) as pool:
        yield pool


def job(learner, function, *args, **options):
    return Job(module=learner, function=function, args=args, timeout=options.pop("timeout", 10.0), **options)


def test_a_days_cases_run_in_one_sandbox_child_and_each_is_judged_on_its_own(runner, learner):
    with runner.lane() as day:
        runs = [day.run(job(learner, "double", x)) for x in (1, 2, 3, 4)]
    assert [r.status for r in runs] == [Status.RETURNED] * 4
    assert [r.value[0] for r in runs] == [2, 4, 6, 8]
    pids = {r.value[1] for r in runs}
    assert len(pids) == 1  # sandbox: one day child; portable: one warm worker
    assert runner.sandbox_processes() == []  # the day child ends with its day


def test_cases_run_one_at_a_time_get_a_process_each_in_the_sandbox(runner, learner):
    runs = [runner.run(job(learner, "double", x)) for x in (1, 2)]
    assert [r.value[0] for r in runs] == [2, 4]
    if runner.backend.name == "sandbox":
        assert runs[0].value[1] != runs[1].value[1]


@pytest.mark.parametrize("how, status", [
    ("loop", Status.TIMEOUT),
    ("exit", Status.NO_OUTPUT),
    ("sys_exit", Status.RAISED),
    ("segfault", Status.CRASHED),
    ("memory", None),  # MemoryError raised, or the child ended by the limit: either is today's report
])
def test_after_a_case_that_ends_abnormally_the_rest_of_the_day_still_runs_and_passes(runner, learner, how, status):
    memory = 256 * 2**20 if how == "memory" else None
    with runner.lane() as day:
        first = day.run(job(learner, "double", 1, memory=memory))
        bad = day.run(job(learner, "misbehave", how, timeout=1.0, memory=memory))
        later = [day.run(job(learner, "double", x, memory=memory)) for x in (3, 4)]
    if status is not None:
        assert bad.status == status, bad
    else:
        assert bad.status in (Status.RAISED, Status.OUT_OF_MEMORY, Status.CRASHED), bad
        if bad.status == Status.RAISED:
            assert bad.info["type"] == "MemoryError"
    assert [r.status for r in later] == [Status.RETURNED] * 2
    assert [r.value[0] for r in later] == [6, 8]
    if runner.backend.name == "sandbox" and how != "sys_exit":
        # SystemExit is caught like any exception: the day child goes on. After the others, each later
        # case has a child of its own.
        pids = [first.value[1]] + [r.value[1] for r in later]
        assert len(set(pids)) == 3, pids
    assert runner.sandbox_processes() == []


def test_an_endless_loop_in_a_day_is_waited_for_once_not_run_again(runner, learner, monkeypatch):
    # A beginner's endless loop costs its limit once: the case is not run a second time alone.
    if runner.backend.name != "sandbox":
        pytest.skip("only the sandbox runs a case again alone")
    from grader.engine.sandbox import client

    again = []
    one_case = client.SandboxWorker._one_case

    def counted(self, job, n, day, alone):
        again.append(alone)
        return one_case(self, job, n, day, alone)

    monkeypatch.setattr(client.SandboxWorker, "_one_case", counted)
    with runner.lane() as day:
        day.run(job(learner, "double", 1))
        bad = day.run(job(learner, "misbehave", "loop", timeout=1.0))
        later = day.run(job(learner, "double", 3))
    assert bad.status == Status.TIMEOUT
    assert later.status == Status.RETURNED and later.value[0] == 6
    assert again == [False, False, False]  # three cases, three runs: none again alone


def test_a_learners_patched_library_does_not_fail_their_later_correct_case(runner, learner):
    alone = runner.run(job(learner, "blur_and_sum", 10))
    with runner.lane() as day:
        patched = day.run(job(learner, "patch_libraries"))
        later = day.run(job(learner, "blur_and_sum", 10))
    assert patched.status == Status.RETURNED
    assert later.status == Status.RETURNED, later
    assert later.value[0] == alone.value[0] == 810


def test_a_grandchild_started_in_one_case_does_not_survive_into_the_next(runner, learner):
    with runner.lane() as day:
        started = day.run(job(learner, "start_grandchild"))
        assert started.status == Status.RETURNED
        assert started.left >= 1  # killed once the case ended
        assert runner.sandbox_processes() == []
        after = day.run(job(learner, "is_alive", started.value))
    assert (after.status, after.value) == (Status.RETURNED, False)


def test_output_belongs_to_the_case_that_printed_it_and_the_cap_applies_to_each_case(runner, learner):
    with runner.lane() as day:
        loud = day.run(job(learner, "say", "x", OUTPUT_CAP * 3))
        quiet = day.run(job(learner, "say", "second case"))
        third = day.run(job(learner, "say", "third case"))
    assert loud.output_bytes == OUTPUT_CAP * 3 + 1
    assert len(loud.output.encode()) <= OUTPUT_CAP
    assert quiet.output == "second case\n"
    assert quiet.output_bytes == len("second case\n")
    assert third.output == "third case\n"


def test_a_library_a_later_case_of_the_day_needs_is_imported_before_that_case_starts(runner, learner):
    with runner.lane() as day:
        before = day.run(job(learner, "loaded", "tabnanny"))
        after = day.run(job(learner, "loaded", "tabnanny", preload=("tabnanny",)))
    assert (before.value, after.value) == (False, True)


def test_warning_and_numpy_error_settings_of_one_case_do_not_fail_a_later_one(runner, learner):
    with runner.lane() as day:
        day.run(job(learner, "strict_warnings"))
        later = day.run(job(learner, "divide_with_warnings"))
    assert (later.status, later.value) == (Status.RETURNED, float("inf")), later
