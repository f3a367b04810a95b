"""The report in a real browser: headless Chromium (Debian's `chromium` package) opens a report
with passed, failed, errored and not-attempted tasks and checks what a learner would see.

Without Chromium the test is skipped and says why; `.ci/run` installs Chromium and sets
PIXELKATA_REQUIRE_BROWSER=1, which turns that skip into a failure so CI always runs it.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import cv2
import numpy as np
import pytest

from grader.learner import report
from grader.grading import grade
from tests.browser import Chromium, find_chromium
from tests.mixed import EXPECTED, mixed_exercises

LAPTOP = (1366, 768)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    exe = find_chromium()
    if exe is None:
        reason = ("Chromium is not installed, so the report was not checked in a browser: install it "
                  "(Debian: apt-get install chromium) or set PIXELKATA_CHROMIUM to its path.")
        if os.environ.get("PIXELKATA_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " PIXELKATA_REQUIRE_BROWSER=1 demands this test.")
        pytest.skip(reason)
    with Chromium(exe, tmp_path_factory.mktemp("chromium-profile")) as browser:
        browser.open_page(*LAPTOP)
        yield browser


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, project, runner):
    tmp = tmp_path_factory.mktemp("report")
    run = grade(project, exercises=mixed_exercises(tmp, project), day=1, runner=runner, keep_images=True)
    saved = report.save_run(project, run, report_path=tmp / "report.html", db_path=tmp / "progress.db")
    assert saved.ok, saved.errors
    return run, saved.report


def test_the_harness_catches_console_errors_and_external_requests(chromium, tmp_path):
    # Proof that the checks below can fail: a page that breaks both rules is caught.
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>')
    chromium.load(bad.as_uri())
    assert any("boom" in p for p in chromium.problems())
    assert "http://127.0.0.1:9/x.png" in chromium.requests()


def test_the_report_loads_offline_without_errors_and_every_image_decodes(chromium, mixed):
    run, path = mixed
    chromium.load(path.as_uri())
    assert chromium.problems() == []
    for url in chromium.requests():
        scheme = urlparse(url).scheme
        assert scheme in ("data", "about") or url == path.as_uri(), f"the report asked for {url[:80]}"
    assert chromium.evaluate("document.scripts.length") == 0  # so it reads the same without JavaScript
    images = chromium.evaluate("""(async () => {
        const out = [];
        for (const img of document.images) {
            let ok = true;
            try { await img.decode(); } catch (e) { ok = String(e); }
            out.push([img.alt, ok, img.naturalWidth, img.naturalHeight]);
        }
        return out;
    })()""")
    thumbs = sum(1 for t in run.tasks for c in t.cases if c.images)  # at least one picture per task shown
    assert len(images) >= 8 and thumbs
    bad = [i for i in images if i[1] is not True or i[2] <= 0 or i[3] <= 0]
    assert bad == [], bad


def test_failures_come_first_and_the_numbers_match_the_run(chromium, mixed):
    run, path = mixed
    chromium.load(path.as_uri())
    rows = chromium.evaluate("[...document.querySelectorAll('#day01 li.task')].map(li => "
                             "[li.id.split('-').slice(1).join('-'), li.dataset.outcome])")
    assert dict(rows) == EXPECTED
    outcomes = [o for _, o in rows]
    failures = [i for i, o in enumerate(outcomes) if o in ("failed", "error", "timed out")]
    others = [i for i, o in enumerate(outcomes) if o not in ("failed", "error", "timed out")]
    assert failures and max(failures) < min(others), outcomes
    assert outcomes.index("not attempted") < min(i for i, o in enumerate(outcomes) if o == "passed")
    bars = chromium.evaluate("[...document.querySelectorAll('#overall [role=progressbar]')].map(b => "
                             "[b.getAttribute('aria-label'), +b.getAttribute('aria-valuenow'), "
                             "+b.getAttribute('aria-valuemax'), b.parentElement.textContent.trim()])")
    # The overall bars cover the whole course; only day 1 was graded.
    course_tasks = list(run.course.tasks())
    graded = [t for t in course_tasks if not t.challenge]
    challenges = [t for t in course_tasks if t.challenge]
    passed = sum(1 for t in run.tasks if t.passed and not t.task.challenge)
    by_label = {b[0]: b for b in bars}
    assert by_label["tasks"][1:3] == [passed, len(graded)]
    assert f"{passed} of {len(graded)} tasks passed" in by_label["tasks"][3]
    assert by_label["points"][1:3] == [run.points, sum(t.points for t in course_tasks)]
    assert by_label["tiers"][1] == 3  # the montage is the solution's: gold
    assert ("gold" if len(challenges) == 1 else f"1 of {len(challenges)} challenges") in by_label["tiers"][3]


def test_the_failures_only_toggle_works_by_a_click(chromium, mixed):
    _, path = mixed
    chromium.load(path.as_uri())
    box = chromium.evaluate("(() => { const r = document.querySelector('label.toggle').getBoundingClientRect();"
                            " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    chromium.click(*box)
    shown = chromium.evaluate("[...document.querySelectorAll('li.task')].filter(li => "
                              "getComputedStyle(li).display !== 'none').map(li => li.dataset.outcome)")
    assert sorted(shown) == sorted(o for o in EXPECTED.values() if o in ("failed", "error"))
    # A thumbnail opens its full-size picture.
    link = chromium.evaluate("document.querySelector('#day01-flip_rotate .pictures a').getAttribute('href')")
    chromium.evaluate(f"location.hash = '{link}'")
    assert chromium.evaluate(f"getComputedStyle(document.getElementById('{link[1:]}')).display") == "flex"


def test_a_screenshot_at_laptop_width_is_not_blank(chromium, mixed, tmp_path):
    _, path = mixed
    chromium.load(path.as_uri())
    png = chromium.screenshot()
    shot = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    assert shot is not None and shot.shape[:2] == (LAPTOP[1], LAPTOP[0])
    background = np.median(shot.reshape(-1, 3), axis=0)
    drawn = np.any(np.abs(shot.astype(int) - background) > 24, axis=2).mean()
    colours = len(np.unique(shot.reshape(-1, 3) // 16, axis=0))
    assert drawn > 0.05 and colours > 50, (drawn, colours)
    keep = os.environ.get("PIXELKATA_SCREENSHOT")  # where to keep the picture, for a person to look at
    if keep:
        Path(keep).write_bytes(png)
