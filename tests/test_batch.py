"""Grading a whole class end to end: hostile entries, the gradebook, class.html, flags and sharding."""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import shutil
import sqlite3
import textwrap
import zipfile

import pytest

from grader.classroom import batch
from grader.classroom import gradebook
from grader.course import load_course
from grader.grading import grade
from grader.course.references import References, sha256
from grader.grading.results import Outcome
from tests.classroom import git_commit, make_class, write_learner
from tests.cli_helpers import run_cli
from tests.conftest import ROOT

DAY1 = "day01_reading.py"


def solution(project) -> str:
    return (project.solutions / DAY1).read_text()


def with_function(project, source: str) -> str:
    return solution(project) + "\n\n" + textwrap.dedent(source)


def hard_coded_to_rgb(project) -> str:
    """to_rgb that returns the stored reference picture for each visible input, picked by its shape."""
    import cv2

    refs = References(project.references)
    task = load_course().day(1).task("to_rgb")
    stored = {}
    for case in task.cases:
        shape = refs.load_input(case.args[0]["image"]).shape
        ok, buf = cv2.imencode(".png", refs.expected(task, case))
        stored[shape] = base64.b64encode(buf.tobytes()).decode()
    first = next(iter(stored.values()))
    return with_function(project, f"""
        def to_rgb(image):
            import base64
            import cv2
            import numpy as np
            stored = {stored!r}
            data = base64.b64decode(stored.get(image.shape, {first!r}))
            return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        """)


UNCHANGED_TO_RGB = """
    def to_rgb(image):
        return image
    """


def build_tampering(folder, project, marker) -> None:
    """A learner whose to_rgb is wrong, with forged references, grader, tests and start-up hooks that agree."""
    root = folder / "tamper"
    write_learner(folder, "tamper", {DAY1: with_function(project, UNCHANGED_TO_RGB)}, "exercises")
    refs = root / "reference_images"
    shutil.copytree(project.references, refs)
    manifest = json.loads((refs / "manifest.json").read_text())
    task = load_course().day(1).task("to_rgb")
    for case in task.cases:
        forged = refs / "expected" / "day01" / "to_rgb" / f"{case.id}.a1.png"
        shutil.copy(refs / "inputs" / case.args[0]["image"], forged)
        manifest["files"][forged.relative_to(refs).as_posix()] = sha256(forged)
    (refs / "manifest.json").write_text(json.dumps(manifest))
    (root / "grader").mkdir()
    (root / "grader" / "grading.py").write_text("def grade(*a, **k):\n    raise SystemExit('everything passed')\n")
    (root / "tests").mkdir()
    (root / "tests" / "test_all.py").write_text("def test_pass():\n    assert True\n")
    hook = f"open({str(marker)!r}, 'w').write('ran')\n"
    (root / "conftest.py").write_text(hook)
    (root / "sitecustomize.py").write_text(hook)
    (root / "exercises" / "sitecustomize.py").write_text(hook)
    (root / "exercises" / "evil.pth").write_text(f"import os; {hook}")


def build_class(folder, project, tmp) -> dict:
    """The hostile class of the issue, plus ordinary learners. Returns the markers hooks would create."""
    marker = tmp / "hook-ran"
    folder.mkdir()
    write_learner(folder, "alice", {DAY1: solution(project)}, "exercises")
    write_learner(folder, "bob", {DAY1: with_function(project, """
        def crop(image, x, y, width, height):
            return image[x:x + width, y:y + height]
        """)}, "flat")
    write_learner(folder, "carol", {DAY1: solution(project) + "\n# carol\n"}, "zip")
    write_learner(folder, "crasher", {DAY1: "import ctypes\nctypes.string_at(0)\n" + solution(project)}, "exercises")
    write_learner(folder, "looper", {DAY1: with_function(project, """
        def to_rgb(image):
            while True:
                pass
        """)}, "exercises")
    write_learner(folder, "hardcoded", {DAY1: hard_coded_to_rgb(project)}, "exercises")
    build_tampering(folder, project, marker)
    (folder / "empty").mkdir()
    with zipfile.ZipFile(folder / "escape.zip", "w") as zf:
        zf.writestr("escape/exercises/" + DAY1, solution(project))
        zf.writestr("../evil.py", "print('escaped')\n")
    (folder / "link" / "exercises").mkdir(parents=True)
    os.symlink(project.solutions / DAY1, folder / "link" / "exercises" / DAY1)
    (folder / "notes.txt").write_text("not a submission")
    # A git repository: the stub first, then the solution; its config and hooks would leave a marker if run.
    repo = folder / "gitty"
    write_learner(folder, "gitty", {DAY1: (project.exercises / DAY1).read_text()}, "git")
    subprocess_tag(repo, "v1")
    (repo / "exercises" / DAY1).write_text(solution(project) + "\n# gitty\n")
    git_commit(repo, "solved")
    hooks = repo / ".git" / "hooks"
    for name in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction", "fsmonitor-watchman"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / name).chmod(0o755)
    with open(repo / ".git" / "config", "a") as fh:
        fh.write(f"[core]\n\tfsmonitor = touch {marker}\n\thooksPath = {hooks}\n\tpager = touch {marker}\n")
    return {"marker": marker}


def subprocess_tag(repo, tag):
    import subprocess

    subprocess.run(["git", "-C", str(repo), "tag", tag], check=True)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, project):
    tmp = tmp_path_factory.mktemp("class")
    folder = tmp / "submissions"
    extra = build_class(folder, project, tmp)
    out = tmp / "out"
    summary = batch.run(project, folder, out, jobs=2, variants=2, seed=7, timeout=1.0)
    book = gradebook.Gradebook(out / gradebook.DB_NAME)
    yield {"tmp": tmp, "folder": folder, "out": out, "summary": summary, "book": book, **extra}
    book.close()


def subs(book) -> dict:
    return {s["learner"]: s for s in book.submissions()}


def task_outcomes(book, learner, day: int = 1) -> dict:
    """The outcomes of one day's tasks (these learners hand in day 1; other days are the stubs)."""
    return {r["task"]: r["outcome"] for r in book.tasks() if r["learner"] == learner and r["day"] == day}


def day_points(book, learner, day: int = 1) -> float:
    return round(sum(r["points"] for r in book.tasks() if r["learner"] == learner and r["day"] == day), 2)


def test_every_entry_gets_exactly_one_row_and_the_batch_completes(graded_class):
    rows = subs(graded_class["book"])
    assert set(rows) == {"alice", "bob", "carol", "crasher", "looper", "hardcoded", "tamper", "empty", "escape",
                         "link", "notes.txt", "gitty"}
    assert graded_class["summary"].graded == len(rows)
    assert all(r["status"] in ("graded", "refused") for r in rows.values())


def test_ordinary_entries_grade_like_pixelkata_grade(graded_class, project, runner, tmp_path):
    rows = subs(graded_class["book"])
    book = graded_class["book"]
    assert rows["alice"]["points"] == day_points(book, "alice") == 17
    assert rows["carol"]["points"] == 17  # a zip holding its own top folder
    # Days not handed in are the stubs: not attempted, never errors.
    assert {r["outcome"] for r in book.tasks() if r["learner"] == "alice" and r["day"] != 1} == {"not attempted"}
    outcomes = task_outcomes(graded_class["book"], "bob")
    assert outcomes["crop"] == "failed" and outcomes["to_rgb"] == "passed"
    message = next(r["message"] for r in graded_class["book"].tasks() if r["learner"] == "bob" and r["task"] == "crop")
    assert "swapped" in message


@pytest.mark.parametrize("learner, phrase", [
    ("empty", "is empty"),
    ("escape", "'../evil.py' climbs out of the folder"),
    ("link", "is a symbolic link"),
    ("notes.txt", "neither a folder, a .zip file nor a git repository"),
])
def test_entries_that_cannot_be_graded_are_refused_with_a_sentence(graded_class, learner, phrase):
    row = subs(graded_class["book"])[learner]
    assert row["status"] == "refused" and phrase in row["problem"], row["problem"]
    assert row["points"] == 0


def test_a_zip_that_tries_to_escape_writes_nothing_outside(graded_class):
    assert not (graded_class["tmp"] / "evil.py").exists()
    assert not (graded_class["folder"].parent / "evil.py").exists()


def test_a_module_that_crashes_on_import_gets_errors_not_a_stopped_batch(graded_class):
    outcomes = task_outcomes(graded_class["book"], "crasher")
    assert set(outcomes.values()) == {"error"}
    message = next(r["message"] for r in graded_class["book"].tasks() if r["learner"] == "crasher")
    assert "crashed the Python interpreter (SIGSEGV, a segmentation fault)" in message, message


def test_an_endless_loop_costs_only_its_own_task(graded_class):
    outcomes = task_outcomes(graded_class["book"], "looper")
    assert outcomes.pop("to_rgb") == "timed out"
    assert set(outcomes.values()) == {"passed"}


def test_a_tampering_submission_gains_nothing(graded_class, project, runner, tmp_path):
    outcomes = task_outcomes(graded_class["book"], "tamper")
    assert outcomes["to_rgb"] == "failed"
    # Exactly what its day module earns on its own, graded in a clean folder with the course's references.
    clean = tmp_path / "exercises"
    clean.mkdir()
    shutil.copy(graded_class["folder"] / "tamper" / "exercises" / DAY1, clean / DAY1)
    alone = grade(project, exercises=clean, day=1, runner=runner)
    assert subs(graded_class["book"])["tamper"]["points"] == alone.points < 17
    assert outcomes == {t.name: t.outcome.value for t in alone.tasks}
    assert not graded_class["marker"].exists(), "a hook, .pth file or sitecustomize.py from a submission ran"


def test_git_repositories_are_graded_at_head_without_running_their_hooks_or_config(graded_class):
    row = subs(graded_class["book"])["gitty"]
    assert row["kind"] == "git" and len(row["revision"]) == 40
    assert row["points"] == 17
    assert not graded_class["marker"].exists()


def test_a_git_ref_grades_that_commit(graded_class, project, tmp_path, runner):
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copytree(graded_class["folder"] / "gitty", folder / "gitty", symlinks=True)
    summary = batch.run(project, folder, tmp_path / "out", ref="v1", reports=False, runner=runner)
    with gradebook.Gradebook(tmp_path / "out" / gradebook.DB_NAME) as book:
        assert set(task_outcomes(book, "gitty").values()) == {"not attempted"}
    summary = batch.run(project, folder, tmp_path / "out2", ref="no-such-branch", reports=False, runner=runner)
    assert summary.refused == 1 and "has no commit at 'no-such-branch'" in summary.problems[0][1]
    assert not graded_class["marker"].exists()


def test_a_hard_coded_submission_passes_visible_cases_and_is_flagged_on_variants(graded_class):
    book = graded_class["book"]
    row = next(r for r in book.tasks() if r["learner"] == "hardcoded" and r["task"] == "to_rgb")
    assert row["outcome"] == "passed"
    assert row["variants_total"] == 2 and row["variants_passed"] == 0 and row["variants_outcome"] == "failed"
    flags = json.loads(subs(book)["hardcoded"]["flags"])
    assert any("day01.to_rgb passes its visible cases but fails 2 of 2 hidden variants" in f for f in flags)
    # An honest solution is never flagged.
    assert json.loads(subs(book)["alice"]["flags"]) == []
    alice = [r for r in book.tasks() if r["learner"] == "alice" and r["day"] == 1]
    assert all(r["variants_outcome"] == "passed" and r["variants_total"] == 2 for r in alice)
    hidden = [c for c in book.cases(hidden=True) if c["learner"] == "hardcoded" and c["task"] == "to_rgb"]
    assert len(hidden) == 2 and all(c["outcome"] == "failed" for c in hidden)


def read_csv(path):
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_gradebook_csv_imports_cleanly(graded_class):
    rows = read_csv(graded_class["out"] / gradebook.CSV_NAME)
    header, body = rows[0], rows[1:]
    assert len(body) == 12 and all(len(r) == len(header) for r in body)
    for col in ("learner", "points", "max points", "day01 points", "day01 challenge tier", "day01.crop",
                "day01.montage", "flags", "problem"):
        assert col in header
    by_name = {r[0]: dict(zip(header, r)) for r in body}
    assert by_name["alice"]["day01 challenge tier"] == "gold"
    assert float(by_name["alice"]["points"]) == 17.0
    assert float(by_name["bob"]["day01.crop"]) < 2
    assert "hard-coded" in by_name["hardcoded"]["flags"]
    assert by_name["escape"]["status"] == "refused" and by_name["escape"]["points"] == "0"


def test_spreadsheet_formulas_in_names_are_defused(tmp_path, project, runner):
    folder = tmp_path / "subs"
    folder.mkdir()
    write_learner(folder, "=HYPERLINK(1)", {DAY1: (project.exercises / DAY1).read_text()}, "flat")
    batch.run(project, folder, tmp_path / "out", reports=False, runner=runner)
    rows = read_csv(tmp_path / "out" / gradebook.CSV_NAME)
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_gradebook_db_holds_every_case_with_metric_and_message(graded_class):
    book = graded_class["book"]
    cases = [c for c in book.cases(hidden=False) if c["learner"] == "bob" and c["task"] == "crop"]
    assert len(cases) == 2
    assert all(c["metric"] and c["message"] for c in cases if c["outcome"] == "failed")
    resize = [c for c in book.cases(hidden=False) if c["learner"] == "alice" and c["task"] == "resize"]
    assert all(c["metric"] == "SSIM" and c["value"] >= c["threshold"] for c in resize)
    assert book.modules()["alice"][DAY1] == (graded_class["folder"] / "alice" / "exercises" / DAY1).read_text()
    with sqlite3.connect(graded_class["out"] / gradebook.DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_class_html_shows_the_heat_map_statistics_leaderboard_and_flags(graded_class):
    html = (graded_class["out"] / "class.html").read_text()
    assert "<script" not in html
    for phrase in ("Learners × tasks", "Every task", "Challenge leaderboards", "Day 1: montage",
                   "Passes the visible cases, fails the hidden variants", "Similar code, to review",
                   "Entries that could not be graded", "climbs out of the folder"):
        assert phrase in html, phrase
    # bob's crop mistake is diagnosed (height and width swapped) and counted for the task.
    assert "swapped" in html
    # Learner names are escaped, never markup.
    assert "<b>alice" not in html


def test_similar_code_is_flagged_and_honest_differences_are_not(tmp_path, project, runner):
    import re

    folder = tmp_path / "subs"
    folder.mkdir()
    original = solution(project)
    renamed = re.sub(r"\bimage\b", "picture", original)
    renamed = re.sub(r"#[^\n]*", "# mine", renamed)
    write_learner(folder, "ann", {DAY1: original}, "flat")
    write_learner(folder, "ben", {DAY1: renamed}, "flat")
    write_learner(folder, "cid", {DAY1: (project.exercises / DAY1).read_text()}, "flat")
    write_learner(folder, "dee", {DAY1: (project.exercises / DAY1).read_text()}, "flat")
    batch.run(project, folder, tmp_path / "out", reports=False, runner=runner)
    with gradebook.Gradebook(tmp_path / "out" / gradebook.DB_NAME) as book:
        pairs = [(p["a"], p["b"], p["day"]) for p in book.similarity()]
        assert pairs == [("ann", "ben", 1)]  # untouched stubs are never "similar"
        assert book.similarity()[0]["score"] > 0.95
    rows = {r[0]: r for r in read_csv(tmp_path / "out" / gradebook.CSV_NAME)}
    assert "code similar to ben on day 1" in " ".join(rows["ann"])


def test_shards_split_the_class_and_merge_joins_them(tmp_path, project, runner):
    folder = tmp_path / "subs"
    make_class(folder, project, 5, seed=3, days=(1,))
    a = batch.run(project, folder, tmp_path / "s1", shard="1/2", runner=runner)
    b = batch.run(project, folder, tmp_path / "s2", shard="2/2", runner=runner)
    assert (a.learners, b.learners) == (3, 2)
    code, out, err = run_cli("gradebook", "merge", str(tmp_path / "s1"), str(tmp_path / "s2"),
                             "--out", str(tmp_path / "all"), "--root", str(ROOT))
    assert code == 0, err
    with gradebook.Gradebook(tmp_path / "all" / gradebook.DB_NAME) as book:
        assert sorted(subs(book)) == [f"learner{i:03d}" for i in range(5)]
        assert len(book.gradings()) == 5
    assert len(read_csv(tmp_path / "all" / gradebook.CSV_NAME)) == 6
    assert (tmp_path / "all" / "class.html").is_file()
    assert sorted(p.name for p in (tmp_path / "all" / "reports").iterdir()) == [f"learner{i:03d}.html" for i in range(5)]
    # Merging again changes nothing.
    run_cli("gradebook", "merge", str(tmp_path / "s1"), str(tmp_path / "s2"), "--out", str(tmp_path / "all"),
            "--root", str(ROOT))
    with gradebook.Gradebook(tmp_path / "all" / gradebook.DB_NAME) as book:
        assert len(book.gradings()) == 5


def test_a_second_run_grades_only_what_changed(tmp_path, project, runner):
    folder = tmp_path / "subs"
    make_class(folder, project, 4, seed=5, forms=("flat",), days=(1,))
    out = tmp_path / "out"
    first = batch.run(project, folder, out, reports=False, runner=runner)
    assert (first.graded, first.unchanged) == (4, 0)
    again = batch.run(project, folder, out, reports=False, runner=runner)
    assert (again.graded, again.unchanged) == (0, 4)
    (folder / "learner002" / DAY1).write_text(solution(project) + "\n# edited\n")
    third = batch.run(project, folder, out, reports=False, runner=runner)
    assert (third.graded, third.unchanged) == (1, 3)
    with gradebook.Gradebook(out / gradebook.DB_NAME) as book:
        counts = {}
        for g in book.gradings():
            counts[g["learner"]] = counts.get(g["learner"], 0) + 1
        assert counts == {"learner000": 1, "learner001": 1, "learner002": 2, "learner003": 1}
        assert next(r for r in book.tasks() if r["learner"] == "learner002" and r["day"] == 1
                    and r["task"] == "crop")["outcome"] == "passed"


def test_an_entry_without_day_files_is_refused_and_missing_days_count_as_not_attempted(tmp_path, project, runner):
    folder = tmp_path / "subs"
    (folder / "solo").mkdir(parents=True)
    (folder / "solo" / "notes.md").write_text("no code here")
    (folder / "solo" / "helper.py").write_text("x = 1\n")
    write_learner(folder, "first_day_only", {DAY1: solution(project)}, "flat")
    batch.run(project, folder, tmp_path / "out", reports=False, runner=runner)
    with gradebook.Gradebook(tmp_path / "out" / gradebook.DB_NAME) as book:
        assert subs(book)["solo"]["status"] == "refused"
        assert "no day files found" in subs(book)["solo"]["problem"]
        rows = [r for r in book.tasks() if r["learner"] == "first_day_only"]
        assert {r["outcome"] for r in rows if r["day"] == 1} == {"passed"}
        assert {r["outcome"] for r in rows if r["day"] != 1} == {"not attempted"}
        assert len(rows) == sum(len(d.tasks) for d in load_course().days)


def test_batch_on_the_command_line_reports_and_counts_progress(tmp_path, project):
    folder = tmp_path / "subs"
    make_class(folder, project, 3, seed=9, days=(1,))
    (folder / "empty").mkdir()
    code, out, err = run_cli("batch", folder, "--out", tmp_path / "out", "--jobs", "1", "--root", ROOT)
    assert code == 0, err
    assert "4 learner(s): 4 graded now, 0 unchanged since the last run, 1 could not be graded" in out
    assert "! empty: empty is empty" in out and "gradebook.csv" in out
    code, out, _ = run_cli("batch", folder, "--out", tmp_path / "out", "--root", ROOT)
    assert code == 0 and "0 graded now, 4 unchanged" in out
    # An output folder inside the submissions folder is not taken for a learner.
    code, out, _ = run_cli("batch", folder, "--out", folder / "grades", "--root", ROOT)
    assert code == 0 and "4 learner(s)" in out


def test_the_progress_callbacks_see_every_learner(tmp_path, project, runner):
    folder = tmp_path / "subs"
    make_class(folder, project, 3, seed=4, days=(1,))
    (folder / "empty").mkdir()
    seen = {"total": None, "done": []}
    batch.run(project, folder, tmp_path / "out", reports=False, runner=runner,
              on_start=lambda n: seen.update(total=n), on_done=seen["done"].append)
    assert seen["total"] == 4 and sorted(seen["done"]) == ["empty", "learner000", "learner001", "learner002"]


@pytest.mark.parametrize("args, phrase", [
    (["/no/such/folder", "--out", "OUT"], "submissions folder /no/such/folder does not exist"),
    (["SUBS", "--out", "OUT", "--shard", "5/4"], "--shard 5/4"),
    (["SUBS", "--out", "SUBS"], "--out must not be the submissions folder"),
])
def test_batch_usage_errors_are_one_line(tmp_path, args, phrase):
    (tmp_path / "subs").mkdir()
    args = [a.replace("SUBS", str(tmp_path / "subs")).replace("OUT", str(tmp_path / "out")) for a in args]
    code, out, err = run_cli("batch", *args, "--root", ROOT)
    assert code == 2 and err.startswith("Error: ") and phrase in err and len(err.strip().splitlines()) == 1, err


def test_each_graded_learner_gets_the_report_learners_see(graded_class):
    rows = subs(graded_class["book"])
    for learner, row in rows.items():
        if row["status"] != "graded":
            assert row["report"] == ""
            continue
        assert row["report"] == f"reports/{batch.safe_name(learner)}.html"
        html = (graded_class["out"] / row["report"]).read_text()
        assert "Read a picture from disk" in html
        # The same points as the gradebook, and the learner's entry rather than a temporary folder.
        points = f"{row['points']:g} of {row['max_points']:g} points"
        assert points in html, (learner, points)
        assert "pixelkata-batch-" not in html
    assert 'href="reports/alice.html"' in (graded_class["out"] / "class.html").read_text()
    assert "data:image/" in (graded_class["out"] / "reports" / "bob.html").read_text()  # its pictures


def test_a_grader_error_on_one_learner_is_recorded_and_retried_next_run(tmp_path, project, runner, monkeypatch):
    folder = tmp_path / "subs"
    make_class(folder, project, 3, seed=8, days=(1,), forms=("flat",))
    real = batch.build_record

    def explode_for_one(sub, *args, **kwargs):
        if sub.learner == "learner001":
            raise RuntimeError("boom")
        return real(sub, *args, **kwargs)

    monkeypatch.setattr(batch, "build_record", explode_for_one)
    summary = batch.run(project, folder, tmp_path / "out", reports=False, runner=runner)
    assert summary.graded == 3 and summary.errors == 1
    assert "pixelkata failed while grading this submission (RuntimeError: boom)" in summary.problems[0][1]
    monkeypatch.setattr(batch, "build_record", real)
    again = batch.run(project, folder, tmp_path / "out", reports=False, runner=runner)
    assert (again.graded, again.unchanged, again.errors) == (1, 2, 0)
    with gradebook.Gradebook(tmp_path / "out" / gradebook.DB_NAME) as book:
        assert subs(book)["learner001"]["status"] == "graded"
