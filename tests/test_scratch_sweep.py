"""A grader killed outright leaves its scratch folder; the next grader removes it, and nothing else."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from grader.engine import scratch

OLD = time.time() - scratch.QUIET_SECONDS - 60


def _made_by_a_process_that_ended(tmp_path):
    code = ("import tempfile, sys; tempfile.tempdir = sys.argv[1]; from grader.engine import scratch; "
            "p = scratch.make(); (p / 'w0').mkdir(); (p / 'w0' / 'case.npy').write_bytes(b'x'); print(p)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return type(tmp_path)(done.stdout.strip())


def _age(path, when=OLD):
    os.utime(path, (when, when))


def test_the_folder_of_a_grader_that_is_gone_is_removed_with_all_it_holds(tmp_path):
    left = _made_by_a_process_that_ended(tmp_path)
    os.chmod(left / "w0", 0)  # a case took its permissions away
    _age(left)
    assert scratch.sweep(tmp_path) == [left]
    assert not left.exists()


def test_a_living_graders_folder_a_recent_one_and_one_without_a_record_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    mine = scratch.make()  # this process is alive
    _age(mine)
    recent = _made_by_a_process_that_ended(tmp_path)  # gone, but changed just now
    unrecorded = tmp_path / "pixelkata-unrecorded"
    unrecorded.mkdir()
    _age(unrecorded)
    other = tmp_path / "notes-pixelkata"
    other.mkdir()
    assert scratch.sweep(tmp_path) == []
    assert mine.exists() and recent.exists() and unrecorded.exists() and other.exists()


def test_a_record_naming_a_reused_process_id_counts_as_gone(tmp_path):
    left = _made_by_a_process_that_ended(tmp_path)
    (left / scratch.OWNER).write_text(f'{{"pid": {os.getpid()}, "started": 1.0}}')  # this id, another start
    _age(left)
    assert scratch.abandoned(tmp_path) == [left]


@pytest.mark.skipif(not hasattr(scratch.os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to give a folder away, and users (Windows: the temporary folder is the user's)")
def test_another_users_folder_is_never_touched(tmp_path):
    left = _made_by_a_process_that_ended(tmp_path)
    os.chown(left, 65534, 65534)
    _age(left)
    assert scratch.sweep(tmp_path) == [] and left.exists()
