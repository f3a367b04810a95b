"""What one case of a day may leave in the sandbox's day child never fails a later, correct case of that day.

The day child runs a day's cases in one process. A case may change that process in ways the day child cannot
put back (a limit, a descriptor, memory it keeps, a function's code) or take over its loop; each test runs the
harmful case, then a correct one, and looks at the correct one's verdict, its process and its memory figure.
"""
from __future__ import annotations

import pytest

from grader.engine.runner import Job, Runner
from grader.engine.status import Status
from tests.test_worker_failures import BACKENDS

pytestmark = pytest.mark.skipif("sandbox" not in BACKENDS, reason="the Linux sandbox does not load here")

MiB = 2**20

LEARNER = '''
import json, os, resource, sys
from pathlib import Path

import numpy as np


def double(x):
    return 2 * x, os.getpid()


def lower_limit(name):
    which = getattr(resource, name)
    soft, hard = resource.getrlimit(which)
    if name == "RLIMIT_CPU":
        used = resource.getrusage(resource.RUSAGE_SELF)
        low = int(used.ru_utime + used.ru_stime) + 1
    elif name == "RLIMIT_DATA":
        with open("/proc/self/status") as fh:
            data = next(int(line.split()[1]) for line in fh if line.startswith("VmData:"))
        low = data * 1024 + 96 * 2**20
    else:  # RLIMIT_STACK
        low = 512 * 1024
    resource.setrlimit(which, (low, low))
    return os.getpid()


def spin(seconds):
    import time
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return os.getpid()


def keep(mib):
    sys._kept = bytearray(mib * 2**20)
    return os.getpid()


def use(mib):
    block = np.ones(mib * 2**20, np.uint8)
    return int(block.sum()), os.getpid()


def redirect_stdout():
    os.dup2(4, 1)
    return os.getpid()


def say(text):
    print(text)
    return os.getpid()


def abort():
    os.abort()


def swap_code(which):
    import grader.values

    def nothing(*args, **kwargs):
        return None
    target = np.hstack._implementation if which == "hstack" else grader.values.encode
    target.__code__ = nothing.__code__
    return os.getpid()


def montage(a, b):
    return np.hstack([np.full((2, 2), a), np.full((2, 2), b)]), os.getpid()


def take_over(mode):
    """Report this case as the day child would, then answer the day's later jobs in its place."""
    from grader import values
    case = Path(os.getcwd()).parent
    tree = values.encode(os.getpid(), case / "out", prefix="value.")
    (case / "out" / "value.json").write_text(json.dumps({"value": tree}))
    (case / "out" / "result.json").write_text(json.dumps({"status": "returned", "elapsed": 0.0}))
    os.write(4, (json.dumps({"done": case.name, "spoilt": []}) + "\\n").encode())
    buf = b""
    while True:
        chunk = os.read(3, 65536)
        if not chunk:
            os._exit(0)
        buf += chunk
        while b"\\n" in buf:
            line, buf = buf.split(b"\\n", 1)
            job = json.loads(line)
            done = "case-0-someone-else" if mode == "mismatch" else job["id"]
            if mode == "grader_error":
                with open(os.path.join(job["dir"], "out", "result.json"), "w") as fh:
                    json.dump({"status": "grader_error", "message": "could not read the case's arguments: "}, fh)
            os.write(4, (json.dumps({"done": done, "spoilt": []}) + "\\n").encode())
'''


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    path = tmp_path_factory.mktemp("day_child") / "day_child_learner.py"
    path.write_text(LEARNER)
    return path


@pytest.fixture(scope="module")
def runner():
    with Runner(1, backend="sandbox") as pool:
        yield pool


def job(learner, function, *args, **options):
    return Job(module=learner, function=function, args=args, timeout=options.pop("timeout", 10.0), **options)


@pytest.mark.parametrize("limit", ["RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CPU"])
def test_a_limit_one_case_lowers_ends_the_day_child_and_a_later_correct_case_passes(runner, learner, limit):
    with runner.lane() as day:
        lowered = day.run(job(learner, "lower_limit", limit))
        later = day.run(job(learner, "double", 3))
        slow = day.run(job(learner, "spin", 1.5))
    assert lowered.status == Status.RETURNED, lowered
    assert later.status == Status.RETURNED, later
    assert later.value[0] == 6
    assert later.value[1] != lowered.value  # not in the day child whose limit was lowered
    assert slow.status == Status.RETURNED, slow  # 1.5 s of CPU, under the case's 10 s


def test_memory_one_case_keeps_ends_the_day_child_before_it_fails_a_later_case(runner, learner):
    with runner.lane() as day:
        kept = day.run(job(learner, "keep", 500, memory=900 * MiB))
        later = day.run(job(learner, "use", 600, memory=900 * MiB))
    assert kept.status == Status.RETURNED, kept
    assert later.status == Status.RETURNED, later
    assert later.value[0] == 600 * MiB
    assert later.value[1] != kept.value


def test_memory_figures_are_each_cases_own_peak_not_the_days(runner, learner):
    with runner.lane() as day:
        big = day.run(job(learner, "use", 600))
        small = day.run(job(learner, "double", 1))
        crashed = day.run(job(learner, "abort"))
    assert big.status == small.status == Status.RETURNED
    assert small.value[1] == big.value[1]  # the same day child ran both
    assert big.maxrss_kb > 600 * 1024
    assert small.maxrss_kb < 400 * 1024
    assert crashed.status == Status.CRASHED
    assert crashed.maxrss_kb < 400 * 1024  # an abort, never "used too much memory"


def test_a_standard_descriptor_one_case_redirects_does_not_swallow_a_later_cases_output(runner, learner):
    with runner.lane() as day:
        moved = day.run(job(learner, "redirect_stdout"))
        later = day.run(job(learner, "say", "hello"))
    assert moved.status == Status.RETURNED, moved
    assert later.status == Status.RETURNED, later
    assert later.output == "hello\n"
    assert later.value != moved.value  # the day child with the moved descriptor was ended


@pytest.mark.parametrize("which", ["hstack", "encode"])
def test_a_function_whose_code_one_case_swaps_is_not_what_a_later_case_runs(runner, learner, which):
    with runner.lane() as day:
        swapped = day.run(job(learner, "swap_code", which))
        later = day.run(job(learner, "montage", 1, 2))
    assert swapped.status == Status.RETURNED, swapped
    assert later.status == Status.RETURNED, later
    assert later.value[0].tolist() == [[1, 1, 2, 2], [1, 1, 2, 2]]
    assert later.value[1] != swapped.value


LIARS = {
    # An object that claims to equal anything, put where a library name or module was.
    "name": "np.hstack = Liar()",
    "module": "sys.modules['numpy'] = Liar()",
}


@pytest.mark.parametrize("where", sorted(LIARS))
def test_a_library_name_replaced_by_an_object_claiming_to_equal_it_ends_the_day_child(runner, learner, tmp_path,
                                                                                      where):
    liar = tmp_path / f"liar_{where}.py"
    liar.write_text("import os, sys\n\nimport numpy as np\n\n\nclass Liar:\n"
                    "    def __eq__(self, other):\n        return True\n\n    __hash__ = object.__hash__\n\n\n"
                    f"def replace():\n    {LIARS[where]}\n    return os.getpid()\n")
    with runner.lane() as day:
        replaced = day.run(job(liar, "replace"))
        later = day.run(job(learner, "montage", 1, 2))
    assert replaced.status == Status.RETURNED, replaced
    assert later.status == Status.RETURNED, later
    assert later.value[0].tolist() == [[1, 1, 2, 2], [1, 1, 2, 2]]
    assert later.value[1] != replaced.value  # the day child it spoilt was ended


@pytest.mark.parametrize("mode", ["mismatch", "missing", "grader_error"])
def test_a_report_a_taken_over_day_child_gets_wrong_is_run_again_alone_not_blamed_on_memory(runner, learner, mode):
    with runner.lane() as day:
        taken = day.run(job(learner, "take_over", mode))
        later = day.run(job(learner, "double", 4))
        last = day.run(job(learner, "double", 5))
    assert taken.status == Status.RETURNED, taken
    assert later.status == Status.RETURNED, later
    assert later.value[0] == 8
    assert later.value[1] != taken.value
    assert last.value[0] == 10
    assert runner.sandbox_processes() == []


def test_a_case_folder_the_day_child_spoilt_is_made_afresh_not_a_crash(runner, learner, monkeypatch):
    from grader import values

    real = values.create
    spoilt = []

    def create(folder, name, dir_fd=None):
        if name.startswith("args") and spoilt == ["armed"]:
            spoilt.append(name)  # as if a case of the day had made the file first
            raise FileExistsError(17, "File exists", name)
        return real(folder, name, dir_fd)

    monkeypatch.setattr(values, "create", create)
    with runner.lane() as day:
        first = day.run(job(learner, "double", 1))
        spoilt.append("armed")
        later = day.run(job(learner, "double", 2))
    assert first.status == later.status == Status.RETURNED
    assert len(spoilt) == 2  # the spoilt folder was met once
    assert later.value[0] == 4
    assert later.value[1] != first.value[1]  # run alone, after the day child was ended


HOOKS = {
    "import": "sys.meta_path.insert(0, type('Finder', (), {'find_spec': staticmethod(lambda *a: None)})())",
    "gc": "import gc; gc.callbacks.append(lambda phase, info: None)",
    "excepthook": "sys.excepthook = lambda *a: None",
}


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_code_a_case_leaves_to_run_in_later_cases_ends_the_day_child(runner, learner, tmp_path, hook):
    hooks = tmp_path / "hooks.py"
    hooks.write_text(f"import os, sys\n\n\ndef leave():\n    {HOOKS[hook]}\n    return os.getpid()\n")
    with runner.lane() as day:
        left = day.run(job(hooks, "leave"))
        later = day.run(job(learner, "double", 5))
    assert left.status == later.status == Status.RETURNED
    assert later.value[1] != left.value


def test_a_case_that_leaves_nothing_behind_keeps_the_day_child_for_the_next(runner, learner, tmp_path):
    harmless = tmp_path / "harmless.py"
    harmless.write_text("import os, sys\n\n\ndef leave():\n    sys.modules.get('json')\n    return os.getpid()\n")
    with runner.lane() as day:
        left = day.run(job(harmless, "leave"))
        later = day.run(job(learner, "double", 5))
        use = day.run(job(learner, "use", 300))
        last = day.run(job(learner, "double", 6))
    assert left.status == later.status == use.status == last.status == Status.RETURNED
    assert later.value[1] == left.value == use.value[1] == last.value[1]  # one day child ran them all


def test_with_the_day_child_off_no_case_of_a_day_shares_a_process_with_another(runner, learner, monkeypatch):
    monkeypatch.setenv("PIXELKATA_DAY_CHILD", "0")
    with runner.lane() as day:
        runs = [day.run(job(learner, "double", x)) for x in (1, 2, 3)]
    assert [r.status for r in runs] == [Status.RETURNED] * 3
    assert [r.value[0] for r in runs] == [2, 4, 6]
    assert len({r.value[1] for r in runs}) == 3


SETTINGS = '''
import os

import numpy as np
import sklearn


def configure():
    sklearn.set_config(assume_finite=True)  # a documented call, global to the process
    np.set_printoptions(precision=2)
    return os.getpid()


def read():
    return bool(sklearn.get_config()["assume_finite"]), int(np.get_printoptions()["precision"]), os.getpid()
'''


def test_a_librarys_settings_one_case_changes_end_the_day_child_before_a_later_case(runner, tmp_path):
    module = tmp_path / "settings.py"
    module.write_text(SETTINGS)
    with runner.lane() as day:
        changed = day.run(job(module, "configure", preload=("sklearn",)))
        later = day.run(job(module, "read", preload=("sklearn",)))
    assert changed.status == later.status == Status.RETURNED, (changed, later)
    assert later.value[:2] == (False, 8)  # scikit-learn's and NumPy's own defaults
    assert later.value[2] != changed.value  # the day child it changed was ended
