"""The portable backend (Windows, macOS, Linux without namespaces): what a case may do and how it ends.

Every test here runs the real subprocess workers. The suite also runs this file a second time
under ``../shared/tools/windows-like`` (see ``.ci/run``), where the grader sees a Python without
fork, resource, killpg or SIGKILL.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import psutil
import pytest

from grader.engine.runner import Job, Runner
from grader.engine.status import Status
from grader.grading import grade
from grader.grading.results import Outcome


@pytest.fixture(scope="module")
def portable():
    with Runner(2, backend="portable") as r:
        r.limits()
        yield r


def learner(folder: Path, source: str, name: str = "learner") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return path


def still_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_the_portable_backend_reports_what_it_does_not_protect(portable):
    assert portable.backend.name == "portable"
    by_name = {p["name"]: p for p in portable.limits()}
    assert by_name["wall clock"]["on"] is True
    assert by_name["output"]["on"] is True
    for name in ("references hidden", "network", "read-only files", "CPU time", "clean-up"):
        assert by_name[name]["on"] is False, name


def test_an_endless_loop_is_stopped_at_its_limit_and_the_next_case_gets_a_fresh_worker(portable, tmp_path):
    module = learner(tmp_path, "def spin():\n    while True:\n        pass\n\ndef ok():\n    return 5\n")
    raw = portable.run(Job(module=module, function="spin", timeout=1.0))
    assert raw.status is Status.TIMEOUT
    assert raw.imported is True
    again = portable.run(Job(module=module, function="ok"))
    assert again.status is Status.RETURNED and again.value == 5


def test_os_exit_in_the_function_is_no_output_and_never_a_pass(portable, tmp_path):
    module = learner(tmp_path, "import os\ndef leave():\n    os._exit(0)\n")
    raw = portable.run(Job(module=module, function="leave"))
    assert raw.status is Status.NO_OUTPUT
    assert raw.exit_code == 0


def test_system_exit_is_reported_as_raised_with_its_code(portable, tmp_path):
    module = learner(tmp_path, "import sys\ndef leave():\n    sys.exit(3)\n")
    raw = portable.run(Job(module=module, function="leave"))
    assert raw.status is Status.RAISED
    assert raw.info["type"] == "SystemExit" and raw.info["code"] == 3


def test_a_grandchild_that_outlives_its_case_is_killed_when_the_case_ends(portable, tmp_path):
    marker = tmp_path / "grandchild.pid"
    middle = tmp_path / "middle.py"
    middle.write_text("import subprocess, sys, time\n"
                      "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
                      f"open({str(marker)!r}, 'w').write(str(p.pid))\n"
                      "time.sleep(120)\n")
    module = learner(tmp_path, (
        "import os, subprocess, sys, time\n"
        "def spawn():\n"
        f"    child = subprocess.Popen([sys.executable, {str(middle)!r}])\n"
        f"    while not os.path.exists({str(marker)!r}):\n"
        "        time.sleep(0.01)\n"
        "    return child.pid\n"))
    raw = portable.run(Job(module=module, function="spawn", timeout=30))
    assert raw.status is Status.RETURNED, raw.info
    child, grandchild = raw.value, int(marker.read_text())
    assert raw.left == 2
    assert not still_running(child)
    assert not still_running(grandchild)
    assert portable.sandbox_processes() == []


def test_a_case_that_kills_its_parent_is_lost_and_the_grader_carries_on(portable, tmp_path):
    module = learner(tmp_path, "import os, signal, time\ndef kill():\n"
                               "    os.kill(os.getppid(), getattr(signal, 'SIGKILL', signal.SIGTERM))\n"
                               "    time.sleep(0.3)\n    return 1\n")
    raw = portable.run(Job(module=module, function="kill"))
    assert raw.status is Status.WORKER_LOST  # what it returned after the attack is not believed
    quick = learner(tmp_path, "def quick():\n    return 7\n", name="quick")
    assert portable.run(Job(module=quick, function="quick")).value == 7


def test_memory_beyond_the_tasks_ceiling_stops_the_case(portable, tmp_path):
    module = learner(tmp_path, "import numpy\ndef hog():\n    blocks = []\n    while True:\n"
                               "        blocks.append(numpy.ones(8 << 20, numpy.uint8))\n")
    raw = portable.run(Job(module=module, function="hog", memory=256 * 2**20, timeout=60))
    assert raw.status is Status.OUT_OF_MEMORY


def test_output_is_capped_counted_and_kept_apart_from_the_protocol(portable, tmp_path):
    module = learner(tmp_path, "import sys\ndef noisy():\n"
                               "    print('{\"ready\": true}')\n"
                               "    for i in range(5000):\n        print('x' * 99)\n"
                               "    sys.stderr.write('done\\n')\n    return 2\n")
    raw = portable.run(Job(module=module, function="noisy"))
    assert raw.status is Status.RETURNED and raw.value == 2
    assert raw.output.startswith('{"ready": true}\nxxx')
    assert len(raw.output.encode()) == 8192
    assert raw.output_bytes == len('{"ready": true}\n') + 5000 * 100 + len("done\n")


def test_a_course_folder_with_spaces_and_accents_grades_in_utf8(portable, tmp_path, project):
    folder = tmp_path / "Ana María" / "mis ejercicios"
    day = (project.solutions / "day01_reading.py").read_text(encoding="utf-8")
    learner(folder, "# Día 1: ¡hola! ✓\n" + day + "\n\ndef greet():\n    print('¡olá, 世界!')\n    return 'ñandú'\n",
            name="day01_reading")
    raw = portable.run(Job(module=folder / "day01_reading.py", function="greet"))
    assert raw.status is Status.RETURNED
    assert raw.value == "ñandú"
    assert raw.output == "¡olá, 世界!\n"
    run = grade(project, exercises=folder, day=1, runner=portable)
    assert {t.outcome for t in run.tasks} == {Outcome.PASSED}


def test_a_module_that_exits_at_import_breaks_only_its_own_day(portable, tmp_path, project):
    folder = tmp_path / "exercises"
    learner(folder, "import os\nos._exit(0)\n", name="day01_reading")
    run = grade(project, exercises=folder, day=1, runner=portable)
    assert {t.outcome for t in run.tasks} == {Outcome.ERROR}
    assert "ended its own process" in run.tasks[0].message


@pytest.mark.skipif(sys.platform == "win32", reason="the Linux and macOS form of a crash")
def test_a_segmentation_fault_is_a_crash_with_its_signal(portable, tmp_path):
    module = learner(tmp_path, "import ctypes\ndef crash():\n    ctypes.string_at(0)\n")
    raw = portable.run(Job(module=module, function="crash"))
    assert raw.status is Status.CRASHED
    assert raw.signal == 11


def test_nothing_is_left_running_after_the_pool_closes(tmp_path):
    module = learner(tmp_path, "def ok():\n    return 1\n")
    with Runner(1, backend="portable") as r:
        assert r.run(Job(module=module, function="ok")).value == 1
        (w,) = r._all
        pids = [p.pid for p in w.tree()]
        assert len(pids) == 2  # the launcher and the worker proper
    deadline = time.monotonic() + 5
    while any(still_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(still_running(p) for p in pids)
    assert not os.path.exists(r.scratch)


def test_a_grade_in_portable_mode_says_so_and_names_what_is_not_protected(project, portable):
    from grader.learner import terminal

    import click

    run = grade(project, exercises=project.solutions, day=1, task="shape_of", runner=portable)
    last = click.unstyle(terminal.render(run)[-1])
    assert last.startswith("Ran in portable mode, not the Linux sandbox: "), last
    assert "network" in last and "references hidden" in last and last.endswith("`pixelkata sandbox` says why.")
    assert "Sandbox:" not in "\n".join(terminal.render(run))


# --- one case's changes never reach another case (every case of a portable worker runs in one process)

PLANT = '''
import os, sys

def plant():
    # Leave a module in every folder of the grader's on sys.path that this case can write to.
    for folder in sys.path:
        if os.path.basename(folder).startswith("pixelkata-") and os.path.isdir(folder):
            with open(os.path.join(folder, "planted_by_a_case.py"), "w") as fh:
                fh.write("raise ImportError('planted')\\n")
    os._exit(0)  # and make the grader start a fresh worker

def find():
    import importlib.util
    return importlib.util.find_spec("planted_by_a_case") is None
'''


def test_a_module_a_case_plants_in_the_graders_folder_is_never_imported_by_later_cases(portable, tmp_path):
    module = learner(tmp_path, PLANT)
    portable.run(Job(module=module, function="plant"))
    for _ in range(3):  # a fresh worker, then the same one again
        again = portable.run(Job(module=module, function="find"))
        assert again.status is Status.RETURNED and again.value is True


PATCH_CV2 = "import cv2\ndef patch():\n    cv2.resize = None\n    return 1\n"
CHECK_CV2 = "import cv2\ndef check():\n    return cv2.resize is not None\n"
HOOK_AT_IMPORT = '''
import builtins
_real = builtins.__import__
def _hook(name, *args, **kwargs):
    if name == "json":
        raise ImportError("blocked by another learner")
    return _real(name, *args, **kwargs)
builtins.__import__ = _hook

def noop():
    return 1
'''
USES_JSON = "def dumps():\n    import json\n    return json.dumps([1])\n"


def test_a_patched_library_or_import_hook_never_reaches_another_learners_case(portable, tmp_path):
    patcher = learner(tmp_path / "a", PATCH_CV2, "patcher")
    checker = learner(tmp_path / "b", CHECK_CV2, "checker")
    hooker = learner(tmp_path / "c", HOOK_AT_IMPORT, "hooker")
    user = learner(tmp_path / "d", USES_JSON, "user")
    for _ in range(2):  # both workers of the pool
        assert portable.run(Job(module=patcher, function="patch")).value == 1
    for _ in range(2):
        assert portable.run(Job(module=checker, function="check")).value is True
        assert portable.run(Job(module=hooker, function="noop")).value == 1
    for _ in range(2):
        ran = portable.run(Job(module=user, function="dumps"))
        assert ran.status is Status.RETURNED and ran.value == "[1]", ran.info


LIE_ABOUT_CV2 = '''
import cv2


class Liar:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def patch():
    cv2.resize = Liar()
    return 1
'''
CHECK_CV2_RESIZES = "import cv2\nimport numpy as np\ndef check():\n    return cv2.resize(np.zeros((4, 4), np.uint8), (2, 2)).shape\n"


def test_a_library_name_replaced_by_an_object_claiming_to_equal_it_never_reaches_a_later_case(portable, tmp_path):
    liar = learner(tmp_path / "a", LIE_ABOUT_CV2, "liar")
    checker = learner(tmp_path / "b", CHECK_CV2_RESIZES, "checker")
    for _ in range(2):  # both workers of the pool
        assert portable.run(Job(module=liar, function="patch")).value == 1
    for _ in range(2):
        ran = portable.run(Job(module=checker, function="check"))
        assert ran.status is Status.RETURNED and ran.value == (2, 2), (ran.status, ran.info)


BREAKS_IMPORTING = '''
def shape_of():
    import builtins
    builtins.__import__ = lambda *a, **k: (_ for _ in ()).throw(ImportError("nope"))
    return (2, 3, 1)
'''


@pytest.mark.parametrize("backend", ["sandbox", "portable"])
def test_a_function_that_breaks_importing_still_has_its_answer_read(backend, runner, portable, tmp_path):
    if backend == "sandbox" and runner.backend.name != "sandbox":
        pytest.skip("the Linux sandbox does not run here")
    pool = runner if backend == "sandbox" else portable
    module = learner(tmp_path, BREAKS_IMPORTING)
    raw = pool.run(Job(module=module, function="shape_of"))
    assert raw.status is Status.RETURNED and raw.value == (2, 3, 1), (raw.status, raw.info)


SETTINGS = '''
import numpy as np
import sklearn


def configure():
    sklearn.set_config(assume_finite=True)  # a documented call, global to the process
    np.set_printoptions(precision=2)
    return 1


def read():
    return bool(sklearn.get_config()["assume_finite"]), int(np.get_printoptions()["precision"])
'''


def test_a_librarys_settings_one_case_changes_never_reach_a_later_case(portable, tmp_path):
    module = learner(tmp_path / "settings", SETTINGS, "settings")
    for _ in range(2):  # both workers of the pool
        assert portable.run(Job(module=module, function="configure", preload=("sklearn",))).value == 1
    for _ in range(2):
        ran = portable.run(Job(module=module, function="read", preload=("sklearn",)))
        assert ran.status is Status.RETURNED and ran.value == (False, 8), (ran.status, ran.info)
