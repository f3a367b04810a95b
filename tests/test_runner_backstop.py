"""The runner's backstop: a worker that stops answering (stopped or frozen by its learner) cannot hang grading."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from grader.engine.runner import Job, Runner

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGSTOP to freeze a worker")


def learner(folder: Path, source: str, name: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(source)
    path.chmod(0o644)
    return path


def test_a_worker_stopped_during_a_case_is_given_up_at_the_cases_limit_and_replaced(tmp_path):
    slow = learner(tmp_path, "import time\ndef slow():\n    time.sleep(30)\n", "slow")
    quick = learner(tmp_path, "def quick():\n    return 7\n", "quick")
    with Runner(1) as runner:
        runner.limits()
        (worker,) = runner._all

        def stop_it():
            time.sleep(0.3)
            os.killpg(worker.proc.pid, signal.SIGSTOP)  # as a learner stopping its parent would

        threading.Thread(target=stop_it, daemon=True).start()
        done = {}
        grading = threading.Thread(target=lambda: done.setdefault(
            "raw", runner.run(Job(module=slow, function="slow", timeout=2))), daemon=True)
        grading.start()
        grading.join(60)  # far beyond the backstop (2 s + a grace): only a hang gets here
        if grading.is_alive():
            os.killpg(worker.proc.pid, signal.SIGKILL)
        assert not grading.is_alive(), "the runner waited on a stopped worker with no backstop"
        assert done["raw"].status == "timeout"
        assert worker not in runner._all  # the stopped worker was replaced
        again = runner.run(Job(module=quick, function="quick"))
        assert again.status == "returned" and again.value == 7
