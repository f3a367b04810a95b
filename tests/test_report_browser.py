"""The report in a real browser: Playwright drives the system's headless Chromium over a report with
passed, failed, errored and not-attempted tasks, and checks what a learner would see and do.

Without Chromium (or Playwright) the tests skip and say why; `.ci/run` installs Chromium and sets
PIXELKATA_REQUIRE_BROWSER=1, which turns that skip into a failure so CI always runs them.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import cv2
import numpy as np
import pytest

from grader.grading import grade
from grader.learner import report
from tests.browser import Watched, launch, overflow
from tests.mixed import EXPECTED, mixed_exercises

LAPTOP = (1366, 768)
PHONE = (375, 740)


@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.fixture
def tab(browser):
    watched = Watched(browser, *LAPTOP)
    yield watched
    watched.close()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, project, runner):
    tmp = tmp_path_factory.mktemp("report")
    run = grade(project, exercises=mixed_exercises(tmp, project), day=1, runner=runner, keep_images=True)
    saved = report.save_run(project, run, report_path=tmp / "report.html", db_path=tmp / "progress.db")
    assert saved.ok, saved.errors
    return run, saved.report


def test_the_harness_catches_console_errors_external_requests_and_overflow(tab, tmp_path):
    # Proof that the checks below can fail: a page that breaks every rule is caught.
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>'
                   '<div style="width:2000px;height:10px;background:red"></div>')
    page = tab.load(bad.as_uri())
    assert any("boom" in p for p in tab.problems)
    assert "http://127.0.0.1:9/x.png" in tab.requests
    found = overflow(page)
    assert found["scroll"] > 600 and any(s.startswith("div") for s in found["sticking_out"])


def test_the_report_loads_offline_without_errors_and_every_image_decodes(tab, mixed):
    run, path = mixed
    page = tab.load(path.as_uri())
    assert tab.problems == []
    for url in tab.requests:
        assert urlparse(url).scheme in ("data", "about") or url == path.as_uri(), f"the report asked for {url[:80]}"
    assert page.evaluate("document.scripts.length") == 0  # so it reads the same without JavaScript
    images = page.evaluate("""async () => {
        const out = [];
        for (const img of document.images) {
            let ok = true;
            try { await img.decode(); } catch (e) { ok = String(e); }
            out.push([img.alt, ok, img.naturalWidth, img.naturalHeight]);
        }
        return out;
    }""")
    assert len(images) >= 8 and any(c.images for t in run.tasks for c in t.cases)
    bad = [i for i in images if i[1] is not True or i[2] <= 0 or i[3] <= 0]
    assert bad == [], bad


def test_failures_come_first_and_the_numbers_match_the_run(tab, mixed):
    run, path = mixed
    page = tab.load(path.as_uri())
    rows = page.eval_on_selector_all("#day01 li.task", "lis => lis.map(li => "
                                     "[li.id.split('-').slice(1).join('-'), li.dataset.outcome])")
    assert dict(rows) == EXPECTED
    outcomes = [o for _, o in rows]
    failures = [i for i, o in enumerate(outcomes) if o in ("failed", "error", "timed out")]
    others = [i for i, o in enumerate(outcomes) if o not in ("failed", "error", "timed out")]
    assert failures and max(failures) < min(others), outcomes
    assert outcomes.index("not attempted") < min(i for i, o in enumerate(outcomes) if o == "passed")
    bars = page.eval_on_selector_all("#overall [role=progressbar]", "bs => bs.map(b => "
                                     "[b.getAttribute('aria-label'), +b.getAttribute('aria-valuenow'), "
                                     "+b.getAttribute('aria-valuemax'), b.parentElement.textContent.trim()])")
    course_tasks = list(run.course.tasks())  # the overall bars cover the whole course; only day 1 was graded
    graded = [t for t in course_tasks if not t.challenge]
    challenges = [t for t in course_tasks if t.challenge]
    passed = sum(1 for t in run.tasks if t.passed and not t.task.challenge)
    by_label = {b[0]: b for b in bars}
    assert by_label["tasks"][1:3] == [passed, len(graded)]
    assert f"{passed} of {len(graded)} tasks passed" in by_label["tasks"][3]
    assert by_label["points"][1:3] == [run.points, sum(t.points for t in course_tasks)]
    assert by_label["tiers"][1] == 3  # the montage is the solution's: gold
    assert ("gold" if len(challenges) == 1 else f"1 of {len(challenges)} challenges") in by_label["tiers"][3]


def visible_outcomes(page) -> list:
    return page.eval_on_selector_all("li.task", "lis => lis.filter(li => getComputedStyle(li).display !== 'none')"
                                     ".map(li => li.dataset.outcome)")


def test_failures_only_is_a_toggle_a_click_turns_on_and_off(tab, mixed):
    page = tab.load(mixed[1].as_uri())
    everything = visible_outcomes(page)
    page.click("label.toggle")
    assert sorted(visible_outcomes(page)) == sorted(o for o in EXPECTED.values() if o in ("failed", "error"))
    page.click("label.toggle")
    assert visible_outcomes(page) == everything


def test_a_thumbnail_opens_its_picture_in_a_lightbox_that_fits_and_closes(tab, mixed):
    page = tab.load(mixed[1].as_uri())
    thumbnail = page.locator("#day01-flip_rotate .pictures a").first
    target = thumbnail.get_attribute("href")
    box = page.locator(target)
    assert not box.is_visible()
    thumbnail.click()
    assert box.is_visible() and page.evaluate("location.hash") == target
    picture = box.locator("img").bounding_box()
    assert picture["width"] > 0 and picture["x"] >= 0 and picture["x"] + picture["width"] <= LAPTOP[0]
    box.get_by_role("link", name="close").last.click()
    assert not box.is_visible()


@pytest.mark.parametrize("width, height", [PHONE, LAPTOP], ids=["375px", "1366px"])
def test_nothing_overflows_the_window(browser, mixed, width, height):
    tab = Watched(browser, width, height)
    try:
        page = tab.load(mixed[1].as_uri())
        assert overflow(page) == {"scroll": 0, "sticking_out": []}
        page.click("label.toggle")
        assert overflow(page) == {"scroll": 0, "sticking_out": []}
        page.locator("#day01-flip_rotate .pictures a").first.click()
        assert overflow(page) == {"scroll": 0, "sticking_out": []}
    finally:
        tab.close()


def test_a_screenshot_at_laptop_width_is_not_blank(tab, mixed):
    page = tab.load(mixed[1].as_uri())
    png = page.screenshot()
    shot = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    assert shot is not None and shot.shape[:2] == (LAPTOP[1], LAPTOP[0])
    background = np.median(shot.reshape(-1, 3), axis=0)
    drawn = np.any(np.abs(shot.astype(int) - background) > 24, axis=2).mean()
    colours = len(np.unique(shot.reshape(-1, 3) // 16, axis=0))
    assert drawn > 0.05 and colours > 50, (drawn, colours)
    keep = os.environ.get("PIXELKATA_SCREENSHOT")  # where to keep the picture, for a person to look at
    if keep:
        Path(keep).write_bytes(png)


def test_the_notebook_frame_takes_the_height_of_its_page(tab, tmp_path, project):
    from grader import check
    from tests.conftest import copy_project

    course = copy_project(tmp_path, project)
    result = check(3, root=course.root)
    host = tmp_path / "notebook.html"
    host.write_text(f"<!doctype html><html><body style='margin:0'>{result._repr_html_()}</body></html>")
    page = tab.load(host.as_uri())
    page.wait_for_function("() => document.querySelector('iframe').contentDocument.readyState === 'complete'")
    sizes = page.evaluate("""() => {
        const frame = document.querySelector('iframe'), doc = frame.contentDocument;
        const body = doc.body.getBoundingClientRect();
        const margin = parseFloat(getComputedStyle(doc.body).marginBottom);
        return {frame: frame.clientHeight, page: doc.documentElement.scrollHeight,
                content: Math.ceil(body.bottom + margin)};
    }""")
    # The whole page shows without a scroll bar of its own, and with no more than a few pixels to spare.
    assert sizes["content"] > 300
    assert sizes["page"] <= sizes["frame"] <= sizes["content"] + 8, sizes
    first = page.evaluate("document.querySelector('iframe').contentDocument.querySelector('section.day').id")
    assert first == "day03"
