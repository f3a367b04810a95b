"""The answer catalogue: its format, its proof on every case and hidden variant, and naming at grade time."""
from __future__ import annotations

import numpy as np
import pytest

from grader.course import CourseError, catalogue
from grader.course.catalogue import CatalogueError, parse
from grader.grading import grade
from grader.grading.naming import hint_for
from grader.grading.proof import prove_with_variants, table
from tests.conftest import learner_folder


@pytest.fixture(scope="session")
def proof(project, runner):
    return prove_with_variants(project, runner)


def test_every_alternative_passes_and_every_mistake_fails_and_is_named(proof):
    assert proof.problems == []


def test_the_proof_ran_on_visible_cases_and_on_hidden_variants(proof):
    cases = {t.case for t in proof.trials if t.key == "day04.add"}
    assert {"wrap", "saturate"} <= cases
    assert any(c.startswith("variant ") for c in cases)


def test_the_table_gives_counts_and_worst_margins(proof, course):
    rows = {r[0]: r for r in proof.rows(course)}
    key, n_alt, n_mis, alt, mis, why = rows["day04.add"]
    assert why == ""  # not short: nothing to explain
    assert (n_alt, n_mis) == (3, 3)
    assert alt == float("inf")  # exact pixel check met
    # The worst mistake is the one closest to passing, over the visible cases and the hidden variants
    # (whose inputs follow one seeded stream for the whole course, so the figure moves when days are added).
    margins = [t.margin for t in proof.trials if t.key == "day04.add" and t.kind == "mistake" and t.margin is not None]
    assert len(margins) >= 3 * 2 and mis == min(margins) and mis >= 0.02
    lines = table([rows["day04.add"]])
    assert lines[1].split() == ["day04.add", "3", "3", "exact", f"+{mis:.3f}"]


def test_the_table_says_why_a_short_row_is_short(proof, course):
    rows = {r[0]: r for r in proof.rows(course)}
    key, n_alt, n_mis, *_, why = rows["day05.canny"]
    assert (n_alt, n_mis) == (1, 2)
    assert why.startswith("alternatives: the statement asks for cv2.Canny's edge map")
    assert "; mistakes: the series' thresholds" in why
    line = table([rows["day05.canny"]])[1]
    assert line.endswith(why)


def test_every_short_catalogue_in_the_course_says_why(course):
    assert [p for t in course.tasks() for p in catalogue.short_problems(t)] == []


@pytest.mark.parametrize("says, problems", [
    ("Your crop has height and width are swapped (rows and columns exchanged): slice rows with y first.",
     ["mixes two constructions in 'has height and width are swapped': write 'has its (or their) ... swapped', "
      "or '... are swapped' alone"]),
    ("Your map is inverted: Your map marks most of the picture; do not invert it.",
     ["restarts after ':' with 'Your' ('Your map is inverted: Your map marks most of t'): go on in lower case, "
      "or join the two parts with 'so' or a comma"]),
    ("You ran Canny without the blur: You mark edges the reference does not have.",
     ["restarts after ':' with 'You' ('nny without the blur: You mark edges the refe'): go on in lower case, "
      "or join the two parts with 'so' or a comma"]),
    ("You drew a thin outline; A thickness of -1 fills a shape.",
     ["restarts after ';' with 'A' (' drew a thin outline; A thickness of -1 fil'): go on in lower case, "
      "or join the two parts with 'so' or a comma"]),
    ("You returned the the mask.", ["repeats 'the' in 'the the'"]),
    ("You returned the mask", ["does not end with a full stop"]),
    ("  \n ", ["is empty: say what went wrong and how to fix it"]),
])
def test_a_mistake_sentence_that_reads_as_two_is_a_problem(says, problems):
    assert catalogue.sentence_problems(says) == problems


@pytest.mark.parametrize("says", [
    "Your crop has its height and width swapped (rows and columns exchanged): slice rows with y first.",
    "Your pictures have their height and width swapped: cv2.resize takes dsize as (width, height).",
    "Your map is inverted, marking most of the picture: Canny gives 255 on edges; do not invert it.",
    "You ran Canny without the blur, so you mark edges the reference does not have: blur first.",
    "np.unravel_index gives (row, col), which is (y, x): return (col, row).",
    "Your mask is inverted: THRESH_BINARY where THRESH_BINARY_INV was asked for.",
])
def test_a_mistake_sentence_that_reads_as_one_is_not(says):
    assert catalogue.sentence_problems(says) == []


def test_every_mistake_in_the_course_reads_as_one_sentence(course):
    assert [(t.key, m.name, p) for t in course.tasks() for m in t.mistakes
            for p in catalogue.sentence_problems(m.says)] == []


def test_check_course_names_the_mistake_whose_sentence_reads_as_two(tmp_path):
    from types import SimpleNamespace

    from grader.course.lint import _catalogue_problems

    _, mistakes = parse("canny", None, [{"name": "inverted", "says": "Your map is inverted: Your map marks it all.",
                                          "hint": 1}], 2)
    task = _task(day=5, name="canny", mistakes=mistakes, classic_mistakes="one is enough here",
                 pinned="the statement asks for cv2.Canny")
    day = SimpleNamespace(tasks=[task], filename="day05_edges.py", slug="day05")
    problems = _catalogue_problems(SimpleNamespace(root=tmp_path, solutions=tmp_path), SimpleNamespace(days=[day]))
    assert "day05.canny: mistake inverted's `says` restarts after ':' with 'Your' ('Your map is inverted: " \
           "Your map marks it all.'): go on in lower case, or join the two parts with 'so' or a comma." in problems


def _task(**fields):
    from grader.course import Task

    base = dict(day=4, name="blend", title="", summary="", points=1, hints=("a", "b"), check={"kind": "pixels"},
                cases=())
    return Task(**{**base, **fields})


def test_a_short_catalogue_without_a_reason_is_a_problem():
    alts, mistakes = parse("blend", [{"name": "numpy_round"}],
                           [{"name": "truncated", "says": "Cut down.", "hint": 2}], 2)
    problems = catalogue.short_problems(_task(alternatives=alts, mistakes=mistakes))
    assert problems == [
        "day04.blend: 1 alternatives (fewer than 2): add entries, or say why in the task's `pinned = \"...\"`.",
        "day04.blend: 1 mistakes (fewer than 3): add entries, or say why in the task's `classic_mistakes = \"...\"`.",
    ]
    explained = _task(alternatives=alts, mistakes=mistakes, pinned="the statement asks for cv2.addWeighted",
                      classic_mistakes="truncation is the one slip")
    assert catalogue.short_problems(explained) == []


def test_a_reason_left_on_a_full_catalogue_is_a_problem():
    alts, _ = parse("blend", [{"name": "a"}, {"name": "b"}], None, 2)
    problems = catalogue.short_problems(_task(alternatives=alts, pinned="no longer true",
                                              classic_mistakes="no mistakes"))
    # The mistakes row is still short and explained; the alternatives row is full and its reason stale.
    assert problems == ["day04.blend: has 2 alternatives, so `pinned` no longer explains a short row: remove it."]


@pytest.mark.parametrize("pinned, error", [
    ("", "pinned must be a sentence"),
    (3, "pinned must be a sentence"),
])
def test_a_reason_must_be_a_sentence(pinned, error):
    with pytest.raises(CatalogueError) as info:
        catalogue.reasons("blend", pinned, None)
    assert error in str(info.value)


def test_a_reason_is_read_as_one_line():
    assert catalogue.reasons("blend", "  the statement\n  asks for cv2.Canny ", None) == \
        ("the statement asks for cv2.Canny", "")


def test_a_catalogued_mistake_is_named_with_its_own_hint(tmp_path, project, runner, course):
    source = (project.solutions / "day04_blending.py").read_text() + \
        "\n\ndef add(first, second, saturate):\n    return first + second\n"
    run = grade(project, exercises=learner_folder(tmp_path, project, 4, source), day=4, task="add", runner=runner)
    (t,) = run.tasks
    saturate = next(c for c in t.cases if c.case_id == "saturate")
    assert saturate.verdict.named == ["always_wraps"]
    assert saturate.message.startswith("Your sum wraps around past 255")
    assert hint_for(t) == course.day(4).task("add").hints[1]


def test_truncated_blend_is_shown_the_rounding_hint_and_no_share_of_pixels(tmp_path, project, runner, course):
    source = (project.solutions / "day04_blending.py").read_text() + (
        "\n\ndef blend(first, second, alpha):\n"
        "    return (first.astype(np.float64) * alpha + second.astype(np.float64) * (1 - alpha)).astype(np.uint8)\n")
    run = grade(project, exercises=learner_folder(tmp_path, project, 4, source), day=4, task="blend", runner=runner)
    (t,) = run.tasks
    named = [c for c in t.cases if c.verdict is not None and c.verdict.named]
    assert named and all(c.verdict.named == ["truncated"] for c in named)
    assert named[0].message.startswith("Your values are truncated, not rounded: .astype(np.uint8) cuts the fraction "
                                       "off, so pixels come out one level too low wherever rounding would go up;")
    assert hint_for(t) == ("Finish a float mix with np.round(...).astype(np.uint8): .astype(np.uint8) alone cuts "
                           "the fraction off, one level too low wherever rounding would go up.")


@pytest.mark.parametrize("alternatives, mistakes, error", [
    ([{"name": "Bad-Name"}], None, "must be lower-case letters"),
    (None, [{"name": "slip", "hint": 1}], "needs `says`"),
    (None, [{"name": "slip", "says": "It slipped.", "hint": 3}], "the number (1 to 2) of the task's hint"),
    (None, [{"name": "slip", "says": "It slipped.", "hint": 1, "fix": "x"}], "unknown keys ['fix']"),
    ([{"name": "twice"}], [{"name": "twice", "says": "Twice.", "hint": 1}], "is used twice"),
])
def test_a_malformed_entry_is_refused_with_the_fix(alternatives, mistakes, error):
    with pytest.raises(CatalogueError, match=None) as info:
        parse("blend", alternatives, mistakes, 2)
    assert error in str(info.value)


def test_entries_parse_into_named_functions():
    alts, mistakes = parse("blend", [{"name": "numpy_round", "how": "NumPy"}],
                           [{"name": "truncated", "says": "Cut down.", "hint": 2}], 2)
    assert [a.function for a in alts] == ["blend__numpy_round"]
    assert [(m.function, m.says, m.hint) for m in mistakes] == [("blend__truncated", "Cut down.", 2)]


def test_a_broken_entry_in_a_day_file_is_a_course_error(tmp_path, monkeypatch):
    from grader.course import manifest

    day = tmp_path / "day01.toml"
    day.write_text('day = 1\nmodule = "day01_x"\ntitle = "T"\n[[tasks]]\nname = "f"\ncheck = { kind = "pixels" }\n'
                   'hints = ["a", "b"]\n  [[tasks.cases]]\n  args = [1]\n  [[tasks.mistakes]]\n  name = "m"\n'
                   '  says = "S."\n  hint = 9\n')
    with pytest.raises(CourseError, match="day01.toml: task 'f': mistake 'm' needs `hint`"):
        manifest._load_day(day)


def test_the_catalogue_lives_beside_solutions_and_never_ships():
    from grader.course.release import RELEASED

    assert catalogue.FOLDER == "catalogue"
    assert "catalogue" not in RELEASED


def _graded(tmp_path, project, runner, day, task, source):
    module = load_course_day(day).filename
    text = (project.solutions / module).read_text() + "\n\n" + source
    run = grade(project, exercises=learner_folder(tmp_path, project, day, text), day=day, task=task, runner=runner)
    (t,) = run.tasks
    return t


def load_course_day(day):
    from grader.course import load_course

    return load_course().day(day)


def test_two_compounding_mistakes_are_both_named(tmp_path, project, runner):
    t = _graded(tmp_path, project, runner, 5, "gradient_magnitude", '''
def gradient_magnitude(gray):
    gx = cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=5)
    gy = cv2.Sobel(gray, cv2.CV_64F, 0, 1, ksize=5)
    total = np.abs(gx) + np.abs(gy)
    return total / total.max()          # the shortcut, and left as 0..1 floats
''')
    (case,) = t.cases
    assert case.verdict.named == ["sum_of_absolute_values", "unit_float"]
    assert "np.hypot" in case.message and "0..1 floats" in case.message


# A catalogued mistake made in float32 where the catalogue's own code returns float64: the same values, in a
# representation the mistake's sentence already tells the learner to leave.
HSV_IN_FLOAT32 = '''
def to_hsv(image):
    from skimage.color import rgb2hsv
    return rgb2hsv(image[:, :, ::-1]).astype(np.float32)
'''
BLEND_IN_FLOAT32 = '''
def blend(first, second, alpha):
    return np.float32(alpha) * first.astype(np.float32) + np.float32(1 - alpha) * second.astype(np.float32)
'''


@pytest.mark.parametrize("outcomes", ["stored by references build", "run from the catalogue",
                                      "stored, in a learner's copy"])
@pytest.mark.parametrize("day, task, source, mistake", [
    (3, "to_hsv", HSV_IN_FLOAT32, "skimage_floats"),
    (4, "blend", BLEND_IN_FLOAT32, "forgot_to_convert"),
])
def test_a_mistake_made_in_float32_is_named_by_that_mistake_alone(tmp_path, project, runner, monkeypatch, outcomes,
                                                                  day, task, source, mistake):
    import shutil

    from grader.grading.entries import Entries
    from tests.conftest import copy_project

    ran = []
    if outcomes == "run from the catalogue":
        real = Entries.run
        monkeypatch.setattr(Entries, "stored_stand_in", lambda *a, **k: None)
        monkeypatch.setattr(Entries, "run", lambda self, *a, **k: ran.append(a[2].key) or real(self, *a, **k))
    elif outcomes == "stored, in a learner's copy":
        project = copy_project(tmp_path, project)
        shutil.rmtree(project.root / "catalogue")
    t = _graded(tmp_path, project, runner, day, task, source)
    entry = next(m for m in t.task.mistakes if m.name == mistake)
    failed = [c for c in t.cases if not c.verdict.passed]
    assert failed and not t.passed
    for case in failed:
        assert case.verdict.named == [mistake], case.message
        assert case.message.startswith(entry.says) and "Also:" not in case.message, case.message
    assert hint_for(t) == t.task.hints[entry.hint - 1]
    assert bool(ran) == (outcomes == "run from the catalogue")


@pytest.mark.parametrize("day, task, source, named", [
    # The mistake, and values scaled to 0..1 floats where it returns uint8 in 0..255.
    (3, "to_hsv", "def to_hsv(image):\n    return cv2.cvtColor(image, cv2.COLOR_BGR2HSV_FULL) / 255.0\n",
     ["full_hue_range", "unit_float"]),
    # The mistake, and its whole numbers left as floats where it (and the task) return uint8: floats fail the
    # task whatever their values, so this is a slip of its own, not the mistake in another representation.
    (3, "to_hsv", "def to_hsv(image):\n    return cv2.cvtColor(image, cv2.COLOR_BGR2HSV_FULL).astype(np.float64)\n",
     ["full_hue_range", "float_255"]),
    # (Only where alpha is not 0.5: there both weightings give the same picture, and the answer is right but
    # for its floats.)
    (4, "blend", "def blend(first, second, alpha):\n"
                 "    return (1 - alpha) * first.astype(np.float32) + alpha * second.astype(np.float32)\n",
     ["weights_the_wrong_way", "float_255"]),
])
def test_a_mistake_with_a_slip_of_its_own_still_reads_as_a_compound(tmp_path, project, runner, day, task, source,
                                                                    named):
    from grader.checks.diagnosis import MISTAKES

    t = _graded(tmp_path, project, runner, day, task, source)
    entry = next(m for m in t.task.mistakes if m.name == named[0])
    slip = next(m for m in MISTAKES if m.name == named[1])
    failed = [c for c in t.cases if not c.verdict.passed and 0.5 not in _case_numbers(t.task, c.case_id)]
    assert failed
    for case in failed:
        assert case.verdict.named == named, case.message
        assert case.message.startswith(f"{entry.says} Also: {slip.sentence}"), case.message


def _case_numbers(task, case_id) -> list:
    """The plain-number arguments of one of ``task``'s cases."""
    case = next(c for c in task.cases if c.id == case_id)
    return [a for a in case.args if isinstance(a, (int, float))]


def test_an_extra_axis_of_one_is_the_mistake_that_returns_one_plane(tmp_path, project, runner):
    t = _graded(tmp_path, project, runner, 3, "keep_channel",
                "def keep_channel(image, channel):\n    return image[:, :, channel:channel + 1].copy()\n")
    entry = next(m for m in t.task.mistakes if m.name == "only_the_plane")
    failed = [c for c in t.cases if not c.verdict.passed]
    assert failed
    for case in failed:
        assert case.verdict.named == ["only_the_plane"], case.message
        assert case.message.startswith(entry.says)


def _to_hsv_case(project, course):
    from grader import checks
    from grader.checks import CaseContext
    from grader.course.cases import materialize
    from grader.course.references import References

    refs = References(project.references)
    task = course.day(3).task("to_hsv")
    (case,) = task.cases
    args, kwargs, _ = materialize(case, refs)
    ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
    return refs, task, case, checks.check_for(task, case), refs.expected(task, case), args, ctx


def test_stored_and_run_outcomes_name_a_float32_mistake_alike_and_never_rule_it_out(project, course):
    """Both sources of a mistake's output (the build's store and a run of the catalogue) read the same answer the
    same way, and the case that names the mistake does not also say the answer clearly differs from it (which
    would strike the name off when the task's cases are weighed together)."""
    import importlib.util

    from grader.grading.naming import ranked_mistakes, unlike

    refs, task, case, check, expected, args, ctx = _to_hsv_case(project, course)
    spec = importlib.util.spec_from_file_location("catalogue_day03", project.root / "catalogue" / "day03_colour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stored = refs.mistake_outputs(task, case, args)
    sources = {"stored": {m: stored[m.name] for m in task.mistakes},
               "run": {m: getattr(module, m.function)(args[0].copy()) for m in task.mistakes}}
    from skimage.color import rgb2hsv

    answer = rgb2hsv(args[0][:, :, ::-1]).astype(np.float32)
    for source, outputs in sources.items():
        found = ranked_mistakes(check, answer, ctx, outputs, expected=expected, memo={})
        assert [(m.name, slip) for m, slip, _ in found[:1]] == [("skimage_floats", None)], source
        assert "skimage_floats" not in unlike(check, answer, ctx, outputs, expected=expected, memo={}), source


def test_another_representation_is_the_same_mistake_only_where_it_is_no_fault_of_its_own(project, course):
    import cv2

    from grader.grading.naming import same_mistake

    _, _, _, check, expected, args, ctx = _to_hsv_case(project, course)
    image = args[0]
    skimage_hsv = __import__("skimage.color", fromlist=["rgb2hsv"]).rgb2hsv(image[:, :, ::-1])
    full = cv2.cvtColor(image, cv2.COLOR_BGR2HSV_FULL)
    # The mistake's output is float64 where the task wants uint8: float32 is the same mistake, as is a float16.
    assert same_mistake(check, skimage_hsv.astype(np.float32), skimage_hsv, expected, ctx)
    assert same_mistake(check, skimage_hsv.astype(np.float16), skimage_hsv, expected, ctx)
    # ...but not values a person would tell apart.
    assert not same_mistake(check, (skimage_hsv * 0.99).astype(np.float32), skimage_hsv, expected, ctx)
    # The mistake's output is uint8, as the task's: the same values as floats, or with an axis of 1 appended,
    # fail the task on their own, so they are a slip beside the mistake, not the mistake.
    assert not same_mistake(check, full.astype(np.float64), full, expected, ctx)
    assert not same_mistake(check, full[..., None], full, expected, ctx)
    # The answer's values are the reference's: it is right but for its representation, and never a mistake's.
    assert not same_mistake(check, expected.astype(np.float32), expected.astype(np.float64), expected, ctx)
    # Without a reference to judge the representation by, only the very same value counts.
    assert not same_mistake(check, skimage_hsv.astype(np.float32), skimage_hsv, None, ctx)
    assert same_mistake(check, skimage_hsv, skimage_hsv.copy(), None, ctx)


def test_a_check_that_crashes_on_the_reference_in_another_representation_is_logged_and_excuses_nothing(
        project, course, caplog):
    import cv2

    from grader.grading.naming import same_mistake

    *_, check, expected, args, ctx = _to_hsv_case(project, course)
    full = cv2.cvtColor(args[0], cv2.COLOR_BGR2HSV_FULL)

    class Broken:
        needs_reference = True

        def compare(self, actual, reference, ctx):
            raise RuntimeError("a bug in a check")

    with caplog.at_level("ERROR"):
        assert not same_mistake(Broken(), full.astype(np.float32), full, expected, ctx)
    assert "representation failed" in caplog.text and "a bug in a check" in caplog.text


def test_a_challenge_answer_making_a_classic_mistake_reaches_no_tier_and_is_named(tmp_path, project, runner):
    t = _graded(tmp_path, project, runner, 1, "montage", '''
def montage(images, height):
    parts = []
    for image in images:
        h, w = image.shape[:2]
        scaled = cv2.resize(image, (round(w * height / h), height), interpolation=cv2.INTER_AREA)
        parts.append(cv2.cvtColor(scaled, cv2.COLOR_GRAY2RGB if scaled.ndim == 2 else cv2.COLOR_BGR2RGB))
    return np.hstack(parts)
''')
    assert round(t.score, 3) == 0.751  # short of bronze (0.85) by its score alone
    assert t.tier is None and t.points == 0.0
    assert "red and blue swapped" in t.message  # the diagnosis next to the score
    assert hint_for(t) == t.task.hints[2]


def test_a_correct_answer_is_never_named(tmp_path, project, runner):
    t = _graded(tmp_path, project, runner, 4, "blend", '''
def blend(first, second, alpha):
    return np.round(alpha * first.astype(np.float64) + (1 - alpha) * second).astype(np.uint8)
''')
    assert t.passed
    assert all(not c.verdict.named for c in t.cases)


def test_a_verdict_never_reads_as_contradicting_itself():
    from grader.checks import Verdict

    assert Verdict(False, metric="F1", value=0.89964, threshold=0.9).summary() == "F1 0.8996 < 0.9000"
    assert Verdict(True, metric="F1", value=0.95, threshold=0.9).summary() == "F1 0.950 ≥ 0.900"


def test_a_passing_challenge_case_does_not_read_below_its_bar():
    from grader.checks import Verdict
    from grader.ci.exports.metrics import case_metric
    from grader.grading.results import CaseResult, Outcome

    case = CaseResult("series", Outcome.FAILED, verdict=Verdict(False, metric="SSIM", value=0.93, threshold=0.98))
    assert case_metric(case, Outcome.PASSED)["text"] == "SSIM 0.930"
    assert case_metric(case)["text"] == "SSIM 0.930 < 0.980"


def test_a_crashing_diagnosis_is_logged_and_blames_nothing(caplog):
    import numpy as np

    from grader.checks import CaseContext, Verdict
    from grader.checks.diagnosis import diagnose

    class Broken:
        def compare(self, actual, expected, ctx):
            raise RuntimeError("a bug in a check")

    picture = np.zeros((8, 8, 3), np.uint8)
    picture[0, 0] = (0, 0, 255)
    verdict = Verdict(False, metric="SSIM", value=0.1, threshold=0.98)
    with caplog.at_level("ERROR"):
        assert diagnose(Broken(), picture, np.zeros((8, 8, 3), np.uint8), CaseContext(None, None), verdict) is None
    assert "crashed" in caplog.text and "a bug in a check" in caplog.text


def test_a_mistakes_output_is_stored_against_what_it_resembles_and_read_back_exactly():
    """references build stores each mistake's output for a release: as it is, or against the reference or
    an argument (flipped, turned, channels reordered, rescaled), whichever packs smaller; reading it back
    gives the very same value."""
    import lzma

    import numpy as np

    from grader.course.references import array_bases, decode_value, encode_value
    from grader.grading.naming import same_value

    rng = np.random.default_rng(7)
    picture = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    reference = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    features = rng.normal(size=(50, 6))
    zeroed = picture.copy()
    zeroed[..., 1] = 0
    outputs = {
        "flipped input": (picture[::-1].copy(), ("arg0", "flipud", "xor")),
        "turned reference": (np.rot90(reference).copy(), ("ref0", "rot90", "xor")),
        "rgb input": (picture[..., ::-1].copy(), ("arg0", "channels", "xor")),
        "0..1 floats": (reference / 255.0, ("ref0", "same", "affine")),
        "other scaling": ((features * 1.7 - 0.3,), ("ref1", "same", "affine")),
        "green zeroed": (zeroed, None),
        "a list": ([[1, 2, 3]] * 400, None),
        "a number": (np.float32(2.5), None),
    }
    blob, specs = bytearray(), {}
    bases = array_bases((reference, features), (picture, 3))
    for name, (value, _) in outputs.items():
        specs[name] = encode_value(value, bases, blob)
    for name, (value, how) in outputs.items():
        back = decode_value(bytes(blob), specs[name], bases)
        assert same_value(back, value), name
        if how is not None:
            (array,) = specs[name]["arrays"]
            assert (array["base"], array["turn"], array["how"]) == how, name
    assert specs["green zeroed"]["tree"] == {"__stack__": [0, 1, 2]}  # channel by channel
    assert "tree_at" in specs["a list"]  # a large tree goes into the blob, not the manifest
    # Five pictures, a float picture and a feature matrix pack into far less than their 165 kB.
    assert len(lzma.compress(bytes(blob))) < 40_000


def test_a_challenge_mistake_that_correct_answers_match_is_refused(tmp_path, project, runner, course):
    """A median alone looks like the first half of every good restoration: listed as a mistake, it would
    take correct answers for it and deny them a tier, so the proof refuses it."""
    import dataclasses

    from grader.course.catalogue import Mistake
    from grader.grading.proof import prove
    from tests.conftest import copy_project

    copy = copy_project(tmp_path, project)
    module = copy.root / "catalogue" / "day07_filtering.py"
    module.write_text(module.read_text() + "\n\ndef restore__median_only(image):\n    return cv2.medianBlur(image, 5)\n")
    day = course.day(7)
    task = day.task("restore")
    slip = Mistake("restore", "median_only", "A median alone leaves the grain.", 1)
    changed = dataclasses.replace(task, mistakes=task.mistakes + (slip,))
    days = tuple(dataclasses.replace(d, tasks=tuple(changed if t.key == task.key else t for t in d.tasks))
                 if d.number == 7 else d for d in course.days)
    proof = prove(copy, runner, course=dataclasses.replace(course, days=days), tasks={"day07.restore"})
    assert "day07.restore case cameraman: alternative median_then_non_local_means is named as the mistake " \
           "median_only: a correct answer must not match it" in proof.problems


def test_the_table_words_margins_too_large_to_measure_closeness():
    lines = table([("day01.crop", 1, 2, 703687926906.357, 999999999.0, ""),
                   ("day01.resize", 1, 1, -5000.0, 0.25, "")])
    assert lines[1].split() == ["day01.crop", "1", "2", ">+1000", ">+1000"]
    assert lines[2].split() == ["day01.resize", "1", "1", "<-1000", "+0.250"]


def test_a_challenge_mistake_that_reaches_a_tier_must_be_named_as_itself(tmp_path, project, runner, course):
    """A challenge answer that makes a classic mistake earns no tier because it is named (at the gold level
    against the mistake's output); a mistake that reaches bronze and is not named as itself would earn one."""
    import dataclasses

    from grader.course.catalogue import Mistake
    from grader.grading.proof import prove
    from tests.conftest import copy_project

    copy = copy_project(tmp_path, project)
    module = copy.root / "catalogue" / "day07_filtering.py"
    median = "    import cv2\n    return cv2.medianBlur(image, 3)\n"
    module.write_text(module.read_text() + "\n\ndef restore__median_three(image):\n" + median
                      + "\n\ndef restore__median_three_again(image):\n" + median)
    day = course.day(7)
    task = day.task("restore")
    first = Mistake("restore", "median_three", "A median alone leaves the grain.", 1)
    again = Mistake("restore", "median_three_again", "The same median, catalogued twice.", 1)
    changed = dataclasses.replace(task, mistakes=task.mistakes + (first, again))
    days = tuple(dataclasses.replace(d, tasks=tuple(changed if t.key == task.key else t for t in d.tasks))
                 if d.number == 7 else d for d in course.days)
    proof = prove(copy, runner, course=dataclasses.replace(course, days=days), tasks={"day07.restore"})
    # The first is named as itself on its own output, so it earns no tier; the second is named as the first.
    assert proof.problems == [
        "day07.restore case cameraman: mistake median_three_again reaches a tier (score 1.2709, bronze at 1): a "
        "classic mistake must stay at least 0.02 short of bronze or be named as itself; raise bronze or change "
        "the case"], proof.problems
    # The correct alternatives that begin with a median are not taken for it.
    assert [t.named for t in proof.trials if t.kind == "alternative"] == [None, None]


def test_a_mistake_judged_by_statistics_must_show_its_own_hint(project, runner, course):
    """Random noise is never named as a catalogued mistake: the check's message states the cause, and the
    hint the course gives that cause must be the mistake's own, or the proof says which to give."""
    import dataclasses

    from grader.grading.proof import prove

    task = course.day(6).task("gaussian_noise")
    unmapped = dataclasses.replace(task, check={k: v for k, v in task.check.items() if k != "hints"})
    days = tuple(dataclasses.replace(d, tasks=tuple(unmapped if t.key == task.key else t for t in d.tasks))
                 if d.number == 6 else d for d in course.days)
    proof = prove(project, runner, course=dataclasses.replace(course, days=days), tasks={task.key})
    assert "day06.gaussian_noise case sigma8: mistake sigma_as_variance shows hint 1, not its own hint 3: its " \
           "check states the cause spread_as_variance; give that cause hint 3 in the check's `hints` table, " \
           "or fix the mistake's hint" in proof.problems
    assert prove(project, runner, tasks={task.key}).problems == []
