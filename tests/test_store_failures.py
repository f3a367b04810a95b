"""A full disk, and other store failures: the cause is named, an intact database is never to be deleted,
and the grading results are shown anyway."""
from __future__ import annotations

import re
import sqlite3

from grader.learner import progress
from tests.conftest import copy_project
from tests.test_cli import run_cli


def test_a_full_disk_is_named_the_history_kept_and_the_results_shown(capsys, tmp_path, project, monkeypatch):
    course = copy_project(tmp_path, project)
    code, _, _ = run_cli(capsys, "grade", "1", "shape_of", "--root", str(course.root))
    assert code == 0
    db = progress.default_path(course)
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    # 64 untouched tasks: more rows than the pages already there can take.
    code, out, err = run_cli(capsys, "grade", "--root", str(course.root))
    monkeypatch.undo()
    assert "shape_of" in out  # shown
    assert re.search(r"^Total: 0/\d+ points · 0 of \d+ tasks passed, \d+ not attempted · 0 of 13 challenges with a tier$",
                     out, re.M)
    assert code == 2
    assert (f"Error: cannot record this run in the progress database {db}: no space left on the disk holding it"
            in err), err
    assert "Your earlier history in it is intact: free some space, then grade again. This run was not recorded." \
        in err
    assert "delete" not in err and "Traceback" not in err
    runs, _ = progress.load_runs(db)
    assert len(runs) == 1  # the first run is still there, whole


def test_a_disk_io_error_on_a_full_disk_names_the_cause(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 4096, 4096))
    exc = sqlite3.OperationalError("disk I/O error")
    message = str(progress._store_error(tmp_path / "progress.db", exc, "record this run in"))
    assert message == (f"cannot record this run in the progress database {tmp_path / 'progress.db'}: no space left "
                       "on the disk holding it (4,096 bytes free). Your earlier history in it is intact: free some "
                       "space, then grade again.")


def test_an_unknown_store_failure_never_advises_deleting_the_database(tmp_path):
    exc = sqlite3.OperationalError("disk I/O error")
    message = str(progress._store_error(tmp_path / "progress.db", exc, "record this run in"))
    assert "disk I/O error" in message and "your earlier history in it is intact" in message
    assert "delete" not in message
