"""class.html tells the instructor true things: one denominator for pass rates, similarity counted in
pairs of learners, no glyph that needs an emoji font, and the hardest task first."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from grader.classroom import classreport
from grader.course import load_course


class Book:
    """A gradebook of three learners on day 1 (the rows gradebook.db gives, nothing else)."""

    def __init__(self, outcomes: dict, similarity=()):
        self.outcomes = outcomes  # learner -> {task: outcome}
        self.pairs = [dict(a=a, b=b, day=day, score=score, evidence=9) for a, b, day, score in similarity]

    def submissions(self):
        return [dict(learner=name, status="graded", points=1.0, max_points=17.0, flags="[]", report="",
                     problem="") for name in self.outcomes]

    def tasks(self):
        rows = []
        for name, tasks in self.outcomes.items():
            for task, outcome in tasks.items():
                rows.append(dict(learner=name, day=1, task=task, challenge=0, outcome=outcome,
                                 points=2.0 if outcome == "passed" else 0.0, max_points=2.0, tier=None, message="",
                                 variants_total=0, variants_passed=0, variants_outcome=None, score=None))
        return rows

    def cases(self, hidden=False):
        return []

    def similarity(self):
        return self.pairs


def page(book) -> tuple:
    view = classreport.build(book, load_course())
    return view, classreport.render(view)


CLASS = {
    # crop: 2 of 3 who tried passed. resize: 1 of 2. to_rgb: 0 of 1. flip_rotate: 0 of 3, one timed out.
    "ann": {"crop": "passed", "resize": "passed", "to_rgb": "failed", "flip_rotate": "timed out"},
    "ben": {"crop": "passed", "resize": "failed", "to_rgb": "not attempted", "flip_rotate": "failed"},
    "cid": {"crop": "failed", "resize": "not attempted", "to_rgb": "not attempted", "flip_rotate": "failed"},
}


def row(table: str, key: str) -> str:
    return re.search(re.escape(key) + r".*?</tr>", table, re.S).group(0)


def test_a_task_shows_one_pass_rate_in_every_table():
    _, html = page(Book(CLASS))
    struggles = html.split("<h2>Where the class struggles</h2>")[1].split("</table>")[0]
    every = html.split("<h2>Every task</h2>")[1].split("</table>")[0]
    for table in (struggles, every):
        assert "67% (2 of 3)" in row(table, "day01.crop")
        assert "50% (1 of 2)" in row(table, "day01.resize")  # not 33%: cid never tried it
    assert "2 of 3" in row(every, "day01.resize")  # how many tried, of those graded, has its own column


def test_mean_points_count_the_same_learners_as_the_pass_rate_beside_them():
    # resize: ann passed (2 points), ben failed (0), cid never tried: the mean of those who tried is 1.0, not 0.67.
    _, html = page(Book(CLASS))
    struggles = html.split("<h2>Where the class struggles</h2>")[1].split("</table>")[0]
    every = html.split("<h2>Every task</h2>")[1].split("</table>")[0]
    for table in (struggles, every):
        assert "1.0 / 2.0" in row(table, "day01.resize")
        assert "<th>mean points, of those who tried</th>" in table


def test_where_the_class_struggles_lists_the_hardest_task_first():
    # flip_rotate and to_rgb both pass 0%: three learners failing flip_rotate is the greater struggle.
    view, _ = page(Book(CLASS))
    assert [s.key for s in view.hardest] == ["day01.flip_rotate", "day01.to_rgb", "day01.resize", "day01.crop"]


def test_similarity_is_counted_in_pairs_of_learners_not_pair_days():
    pairs = [("ann", "ben", day, 0.9 + day / 100) for day in range(1, 10)] + [("ben", "cid", 3, 0.97)]
    view, html = page(Book(CLASS, pairs))
    assert "<b>2</b> learner pairs with similar code" in html
    assert [(p.a, p.b, p.days) for p in view.similar] == [("ann", "ben", list(range(1, 10))), ("ben", "cid", [3])]
    assert "<td>ann, ben</td><td>1, 2, 3, 4, 5, 6, 7, 8, 9</td><td>0.99</td>" in html


def test_one_pair_reads_as_one_pair():
    _, html = page(Book(CLASS, [("ann", "ben", 1, 0.96), ("ann", "ben", 2, 0.97)]))
    assert "<b>1</b> learner pair with similar code" in html


def test_no_glyph_needs_an_emoji_font():
    _, html = page(Book(CLASS, [("ann", "ben", 1, 0.96)]))
    assert "⏱" not in html and "◷" in html  # the timed-out mark
    # Miscellaneous Technical (⏱ ⌛ ⌚) and the planes of pictographs have no glyph in common text fonts.
    odd = sorted({c for c in html if 0x2300 <= ord(c) <= 0x23FF or ord(c) >= 0x1F000})
    assert odd == [], odd


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list is not installed")
def test_every_glyph_is_in_an_installed_text_font():
    _, html = page(Book(CLASS, [("ann", "ben", 1, 0.96)]))
    missing = []
    for c in sorted({c for c in html if ord(c) > 0x7F}):
        fonts = subprocess.run(["fc-list", f":charset={ord(c):x}", "family"], capture_output=True, text=True).stdout
        if not fonts.strip():
            missing.append(f"{c} U+{ord(c):04X}")
    assert missing == [], missing


def test_the_learners_report_needs_no_emoji_font_either(mixed_run):
    from grader.learner import report
    from grader.learner.report.view import MARKS, build

    html = report.render(build(mixed_run.course, run=mixed_run))
    assert MARKS["timed out"] == "◷"
    odd = sorted({c for c in html if 0x2300 <= ord(c) <= 0x23FF or ord(c) >= 0x1F000})
    assert odd == [], odd


def test_a_pass_rate_of_one_in_hundreds_is_not_written_as_none_or_all():
    from grader.classroom.classreport import TaskStats

    def rate(passed, attempted):
        return TaskStats("day01.crop", False, attempted, attempted, passed, passed / attempted, 0.0, 1.0).pass_text

    assert (rate(1, 300), rate(299, 300), rate(2, 3), rate(0, 3), rate(3, 3)) == ("0.3%", "99.7%", "67%", "0%", "100%")


def test_a_task_nobody_tried_has_no_rate_and_one_everybody_passed_is_no_struggle():
    everyone = {name: dict(tasks, shape_of="passed", pick="not attempted") for name, tasks in CLASS.items()}
    view, html = page(Book(everyone))
    every = html.split("<h2>Every task</h2>")[1].split("</table>")[0]
    untried = row(every, "day01.pick")
    cells = re.findall(r"</span>([^<]*)</td>|<td class=\"num\">([^<]*)</td>", untried)
    shown = [a or b for a, b in cells]
    assert shown == ["0 of 3", "–", "–"], shown
    assert "day01.shape_of" not in [s.key for s in view.hardest]
    assert "day01.pick" not in [s.key for s in view.hardest]
