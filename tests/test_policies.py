"""Grading policies pinned with literal numbers: a change of policy must turn one of these red.

Part done and part stub is a failure; a miss earns at most 0.8 of a case and a failed task at most 0.99 of
its points; a tier is reached exactly on its bound; a gradebook merge keeps the newer grading; a reference
built for other arguments is refused; SSIM's "change" mode scores the change; the local-window message
names the window's x and y.
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from grader.checks import CaseContext, Verdict, make_check
from grader.checks.credit import partial_credit
from grader.course import load_course
from grader.course.references import References
from grader.errors import ReferenceError_
from grader.grading.results import CaseResult, GradeRun, DayResult, Outcome, aggregate
from tests.conftest import learner_folder

COURSE = load_course()
CROP = COURSE.day(1).task("crop")  # 2 points, 2 cases
MONTAGE = COURSE.day(1).task("montage")  # a challenge: 3 points, tiers bronze 0.6, silver 0.85, gold 0.95


def case(outcome: Outcome, verdict: Verdict | None = None, case_id: str = "c") -> CaseResult:
    return CaseResult(case_id, outcome, message=f"{outcome} here", verdict=verdict)


# --- a task part done and part stub --------------------------------------------------------------


def test_a_task_with_one_case_done_and_one_still_the_stub_is_failed_not_untouched():
    task = aggregate(CROP, [case(Outcome.PASSED, case_id="earring"), case(Outcome.NOT_ATTEMPTED, case_id="cat-face")])
    assert task.outcome is Outcome.FAILED
    assert task.attempted
    assert task.points == 1.0
    assert task.message == "case cat-face: not attempted here"
    run = GradeRun(course=COURSE, days=[DayResult(day=COURSE.day(1), tasks=[task])], exercises=None)
    assert run.exit_code() == 1


@pytest.mark.runner
def test_a_learner_function_that_still_raises_the_stub_error_for_one_case_fails_the_task(project, runner, tmp_path):
    from grader.grading import grade

    source = (project.solutions / "day01_reading.py").read_text() + (
        "\n\ndef crop(image, x, y, width, height):\n"
        "    if x != 10:\n"
        "        raise NotImplementedError('crop')\n"
        "    return image[y:y + height, x:x + width].copy()\n")
    run = grade(project, exercises=learner_folder(tmp_path, project, 1, source), day=1, task="crop", runner=runner)
    (task,) = run.tasks
    assert [c.outcome for c in task.cases] == [Outcome.PASSED, Outcome.NOT_ATTEMPTED]
    assert task.outcome is Outcome.FAILED
    assert task.points == 1.0
    assert task.message.startswith("case cat-face: ")
    assert run.exit_code() == 1


def test_a_task_untouched_in_every_case_is_not_attempted_and_earns_nothing():
    task = aggregate(CROP, [case(Outcome.NOT_ATTEMPTED), case(Outcome.NOT_ATTEMPTED)])
    assert task.outcome is Outcome.NOT_ATTEMPTED and task.points == 0.0 and task.message == "not attempted here"


# --- partial credit --------------------------------------------------------------------------------


class _FlatCheck:
    """A check whose every answer that did nothing scores 0.2: the floor of partial credit."""

    def compare(self, actual, expected, ctx):
        return Verdict(False, value=0.2, threshold=0.9)


@pytest.mark.parametrize("value, share", [
    (0.2, 0.0),  # no better than doing nothing
    (0.1, 0.0),  # worse than doing nothing
    (0.55, 0.4),  # halfway from the floor to the pass mark
    (0.725, 0.6),
    (0.9, 0.8),  # on the pass mark yet failed (e.g. by another rule): the cap
])
def test_a_miss_earns_its_share_of_the_way_from_the_floor_to_the_pass_mark_capped_at_0_8(value, share):
    expected = np.zeros((4, 4), np.uint8)
    ctx = CaseContext(task=None, case=None, args=(expected,))
    verdict = Verdict(False, value=value, threshold=0.9)
    assert partial_credit(_FlatCheck(), expected, ctx, verdict) == pytest.approx(share, abs=1e-9)


def test_a_failed_case_never_earns_more_than_0_99_and_a_passed_one_earns_1():
    assert case(Outcome.FAILED, Verdict(False, credit=1.0)).earned == 0.99
    assert case(Outcome.FAILED, Verdict(False, credit=0.5)).earned == 0.5
    assert case(Outcome.FAILED, Verdict(False, credit=1.7)).earned == 0.99
    assert case(Outcome.FAILED, Verdict(False, credit=-0.3)).earned == 0.0
    assert case(Outcome.PASSED, Verdict(True)).earned == 1.0
    assert case(Outcome.ERROR, Verdict(False, credit=0.5)).earned == 0.0


def test_a_failed_task_earns_its_cases_shares_and_at_most_0_99_of_its_points():
    near = Verdict(False, credit=0.8)
    task = aggregate(CROP, [case(Outcome.PASSED, Verdict(True)), case(Outcome.FAILED, near)])
    assert (task.outcome, task.points, task.max_points) == (Outcome.FAILED, 1.8, 2.0)
    all_but = aggregate(CROP, [case(Outcome.PASSED, Verdict(True)), case(Outcome.FAILED, Verdict(False, credit=1.0))])
    assert all_but.points == 1.98
    assert aggregate(CROP, [case(Outcome.PASSED, Verdict(True))] * 2).points == 2.0


# --- tiers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("score, tier, points, outcome", [
    (0.95, "gold", 3.0, Outcome.PASSED),
    (0.9499, "silver", 2.0, Outcome.PASSED),
    (0.85, "silver", 2.0, Outcome.PASSED),
    (0.6, "bronze", 1.0, Outcome.PASSED),
    (0.5999, None, 0.0, Outcome.FAILED),
    (float("nan"), None, 0.0, Outcome.FAILED),
])
def test_a_challenge_score_exactly_on_a_bound_reaches_that_tier(score, tier, points, outcome):
    verdict = Verdict(False, metric="SSIM", value=score, threshold=0.98)
    task = aggregate(MONTAGE, [case(Outcome.FAILED, verdict)])
    assert (task.tier, task.points, task.outcome) == (tier, points, outcome)


# --- the stale-reference guard -------------------------------------------------------------------


def test_a_reference_built_for_other_arguments_is_refused(project):
    refs = References(project.references)
    built = CROP.cases[0]
    assert refs.expected(CROP, built).shape == (110, 70, 3)
    moved = dataclasses.replace(built, args=(built.args[0], 11, 8, 70, 110))
    with pytest.raises(ReferenceError_) as raised:
        refs.expected(CROP, moved)
    assert str(raised.value) == ("the reference for day01.crop case earring was built for other arguments than "
                                 "the course manifest now gives: run `pixelkata references build` (course authors) or "
                                 "restore the folder with `git checkout reference_images`.")


# --- SSIM's change mode and the local-window message ----------------------------------------------------


@pytest.fixture(scope="module")
def texture():
    rng = np.random.default_rng(0)
    return cv2.GaussianBlur(rng.integers(40, 200, (64, 80)).astype(np.uint8), (5, 5), 1)


def test_ssim_change_mode_scores_the_change_made_to_the_input(texture):
    ctx = CaseContext(task=None, case=None, args=(texture,))
    check = make_check({"kind": "ssim", "mode": "change", "min": 0.9})
    brighter = (texture.astype(int) + 10).astype(np.uint8)  # the reference brightens by 10 levels
    # Doing nothing: SSIM of a zero change against a flat +10 one is C1 / (10² + C1), C1 = (0.01 · 510)².
    unchanged = check.compare(texture, brighter, ctx)
    assert unchanged.value == pytest.approx(26.01 / 126.01, abs=1e-6)  # 0.2064
    assert not unchanged.passed
    assert unchanged.message == ("the change your function made to its input is not close enough to the "
                                 "reference: SSIM 0.206, needs at least 0.900.")
    # Half the change: (2·5·10 + C1) / (5² + 10² + C1).
    half = check.compare((texture.astype(int) + 5).astype(np.uint8), brighter, ctx)
    assert half.value == pytest.approx(126.01 / 151.01, abs=1e-6)  # 0.8344
    assert check.compare(brighter, brighter, ctx).value == pytest.approx(1.0)
    # The plain mode would call doing nothing nearly right: the reason the change mode exists.
    assert make_check({"kind": "ssim"}).compare(texture, brighter, ctx).value > 0.95


def test_the_local_window_message_names_the_wrong_pixels_x_and_y(texture):
    spoiled = texture.copy()
    spoiled[21, 50] = 255  # row (y) 21, column (x) 50
    ctx = CaseContext(task=None, case=None, args=(texture,))
    v = make_check({"kind": "ssim", "min": 0.5, "min_local": 0.9}).compare(spoiled, texture, ctx)
    assert not v.passed and v.metric == "worst local SSIM"
    assert v.message == ("your picture matches on the whole (SSIM 0.996) but one region is wrong: the window "
                         "around x=50, y=21 scores 0.41, needs at least 0.90.")


# --- a gradebook merge where two shards hold one learner ----------------------------------------------


def _shard(folder, graded: dict):
    """A shard's gradebook: {learner: (graded_at, points)}."""
    from grader.classroom.gradebook import Gradebook, Record

    with Gradebook(folder / "gradebook.db") as book:
        for learner, (at, points) in graded.items():
            book.record(Record(learner, f"{learner}.zip", "zip", f"hash-{learner}-{points}", "settings",
                               status="graded", points=points, max_points=10.0), graded_at=at)
    return folder / "gradebook.db"


@pytest.mark.parametrize("order", ["newer shard first", "newer shard last"])
def test_a_learner_in_two_shards_keeps_the_newer_grading_whichever_shard_is_merged_first(tmp_path, order):
    from grader.classroom.gradebook import Gradebook

    newer = _shard(tmp_path / "a", {"ada": ("2026-11-02T09:00:00+00:00", 7.0),
                                    "bob": ("2026-11-01T08:00:00+00:00", 5.0)})
    older = _shard(tmp_path / "b", {"ada": ("2026-11-01T09:00:00+00:00", 3.0)})
    shards = [newer, older] if order == "newer shard first" else [older, newer]
    taken = []
    with Gradebook(tmp_path / "all" / "gradebook.db") as merged:
        for path in shards:
            with Gradebook(path) as shard:
                taken.append(sorted(merged.import_from(shard)))
        rows = {r["learner"]: (r["points"], r["graded_at"]) for r in merged.submissions()}
        log = [(g["learner"], g["graded_at"]) for g in merged.gradings()]
    assert rows == {"ada": (7.0, "2026-11-02T09:00:00+00:00"), "bob": (5.0, "2026-11-01T08:00:00+00:00")}
    assert taken == ([["ada", "bob"], []] if order == "newer shard first" else [["ada"], ["ada", "bob"]])
    assert sorted(log) == [("ada", "2026-11-01T09:00:00+00:00"), ("ada", "2026-11-02T09:00:00+00:00"),
                           ("bob", "2026-11-01T08:00:00+00:00")]


def test_two_gradings_of_one_learner_at_the_same_second_go_to_the_shard_merged_last(tmp_path):
    from grader.classroom.gradebook import Gradebook

    first = _shard(tmp_path / "a", {"ada": ("2026-11-02T09:00:00+00:00", 7.0)})
    last = _shard(tmp_path / "b", {"ada": ("2026-11-02T09:00:00+00:00", 4.0)})
    with Gradebook(tmp_path / "all" / "gradebook.db") as merged:
        for path in (first, last):
            with Gradebook(path) as shard:
                merged.import_from(shard)
        assert [r["points"] for r in merged.submissions()] == [4.0]


# --- the reference guards: hashes, listed files and stale cases, on a folder of one reference ------------


REBUILT = "run `pixelkata references build` (course authors) or restore the folder with `git checkout reference_images`"
EARRING = CROP.cases[0]
DOC = "expected/day01/crop/earring.json"
ARRAY = "expected/day01/crop/earring.a1.npy"


def one_reference(tmp_path, *, extra_files=None, cases=True, doc_text=None):
    """A reference_images/ folder holding crop's earring case (an array), listed with its hashes."""
    import json

    from grader import values
    from grader.course.references import case_fingerprint, sha256

    folder = tmp_path / "reference_images"
    values.save(np.arange(12, dtype=np.uint8).reshape(3, 4), folder / "expected/day01/crop", "earring")
    if doc_text is not None:
        (folder / DOC).write_text(doc_text)
    files = {rel: sha256(folder / rel) for rel in (DOC, ARRAY)}
    files.update(extra_files or {})
    manifest = {"format": 1, "files": files}
    if cases:
        manifest["cases"] = {"day01.crop/earring": case_fingerprint(EARRING)}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def refused(call) -> str:
    with pytest.raises(ReferenceError_) as raised:
        call()
    return str(raised.value)


def test_a_reference_is_read_only_when_every_file_of_it_matches_its_hash(tmp_path):
    folder = one_reference(tmp_path)
    assert References(folder).expected(CROP, EARRING).tolist() == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    np.save(folder / ARRAY, np.zeros((3, 4), np.uint8))  # the array file, not the document, is changed
    assert refused(lambda: References(folder).expected(CROP, EARRING)) == (
        f"reference_images/{ARRAY} has been modified (its SHA-256 does not match reference_images/manifest.json): "
        f"{REBUILT}.")


def test_another_cases_broken_file_does_not_stop_this_case(tmp_path):
    folder = one_reference(tmp_path, extra_files={"expected/day01/crop/zebra.a0.npy": "0" * 64,
                                                  "expected/day01/crop/earring.notes.txt": "0" * 64})
    assert References(folder).expected(CROP, EARRING).shape == (3, 4)


def test_a_case_with_no_reference_or_an_unreadable_one_is_refused_word_for_word(tmp_path):
    folder = one_reference(tmp_path)
    other = dataclasses.replace(EARRING, id="pearl")
    assert refused(lambda: References(folder).expected(CROP, other)) == (
        f"the reference for day01.crop case pearl is missing (reference_images/expected/day01/crop/pearl.json): "
        f"{REBUILT}.")
    broken = one_reference(tmp_path / "b", doc_text="not json")
    message = refused(lambda: References(broken).expected(CROP, EARRING))
    assert message.startswith(f"reference_images/{DOC} is unreadable (") and message.endswith(f"): {REBUILT}.")


def test_a_manifest_that_records_no_cases_makes_every_reference_stale(tmp_path):
    folder = one_reference(tmp_path, cases=False)
    assert "was built for other arguments than the course manifest now gives" in \
        refused(lambda: References(folder).expected(CROP, EARRING))


def test_a_case_with_a_true_answer_in_the_course_reads_it_without_a_reference_file(tmp_path, project):
    fixed = dataclasses.replace(EARRING, options={"expected": "speckle"})
    assert References(one_reference(tmp_path)).expected(CROP, fixed) == "speckle"
    refs = References(project.references)
    rings = COURSE.day(3).task("ring_masks")
    lit = next(c for c in rings.cases if c.id == "lit")
    assert refs.expected(rings, lit) is refs.load_input("day03/ring_masks.npy")  # drawn by the generators


def test_each_refusal_of_a_file_says_which_and_why(tmp_path):
    folder = one_reference(tmp_path, extra_files={"inputs/gone.png": "0" * 64, "inputs/folder.png": "0" * 64})
    (folder / "inputs" / "folder.png").mkdir(parents=True)
    refs = References(folder)
    assert refused(lambda: refs.verified("inputs/stray.png")) == (
        f"reference_images/inputs/stray.png is not listed in reference_images/manifest.json: {REBUILT}.")
    assert refused(lambda: refs.verified("inputs/gone.png")) == f"reference_images/inputs/gone.png is missing: {REBUILT}."
    assert refused(lambda: refs.verified("inputs/folder.png")) == (
        f"reference_images/inputs/folder.png cannot be read (Is a directory): {REBUILT}.")


def test_a_file_is_hashed_once_per_references_object(tmp_path, monkeypatch):
    from grader.course import references

    folder = one_reference(tmp_path)
    hashed = []
    real = references.sha256
    monkeypatch.setattr(references, "sha256", lambda path: hashed.append(path.name) or real(path))
    refs = References(folder)
    assert refs.verified(ARRAY) == folder / ARRAY
    assert refs.verified(ARRAY) == folder / ARRAY
    assert hashed == ["earring.a1.npy"]


def test_a_cases_fingerprint_ignores_the_order_of_keyword_arguments_and_stringifies_paths():
    from pathlib import Path

    from grader.course.references import case_fingerprint

    one = dataclasses.replace(EARRING, kwargs={"b": 1, "a": Path("x/y.png")})
    other = dataclasses.replace(EARRING, kwargs={"a": Path("x/y.png"), "b": 1})
    assert case_fingerprint(one) == case_fingerprint(other) == "7fe07e1808e5f368"
