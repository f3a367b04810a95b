"""The report in a real browser: Playwright driving the system's Chromium (Debian's `chromium` package).

Playwright is the field's well-kept browser driver; here it never downloads a
browser of its own: :func:`launch` hands it the installed executable. Without
Chromium or Playwright, the browser tests skip and say why, unless
PIXELKATA_REQUIRE_BROWSER=1 (set by `.ci/run`) turns that into a failure.
"""
from __future__ import annotations

import os
import shutil

import pytest

# Chromium as root needs --no-sandbox (Playwright adds it: chromium_sandbox defaults to False);
# the rest keep a test browser from reaching the network on its own or doing background work.
FLAGS = [
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-quic", "--no-first-run",
    "--mute-audio", "--hide-scrollbars", "--disable-gpu",
]


def find_chromium() -> str | None:
    for name in (os.environ.get("PIXELKATA_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def unavailable(reason: str):
    """Skip with ``reason``, or fail when PIXELKATA_REQUIRE_BROWSER=1 demands the browser tests."""
    if os.environ.get("PIXELKATA_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " PIXELKATA_REQUIRE_BROWSER=1 demands the browser tests.")
    pytest.skip(reason)


def launch():
    """Start Playwright and the system Chromium; yields the browser (a generator for a pytest fixture)."""
    exe = find_chromium()
    if exe is None:
        unavailable("Chromium is not installed, so the report was not checked in a browser: install it "
                    "(Debian: apt-get install chromium) or set PIXELKATA_CHROMIUM to its path.")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed: pip install -e '.[test]'.")
    with sync_playwright() as driver:
        try:
            browser = driver.chromium.launch(executable_path=exe, headless=True, args=FLAGS)
        except Error as exc:
            unavailable(f"Chromium at {exe} did not start under Playwright: {str(exc).splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A page that keeps what it asked for and every console error or uncaught exception."""

    def __init__(self, browser, width: int, height: int):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.problems: list = []
        self.requests: list = []
        self.page.on("console", lambda m: self.problems.append(f"console.{m.type}: {m.text}")
                     if m.type in ("error", "assert") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def load(self, url: str):
        self.problems.clear()
        self.requests.clear()
        self.page.goto(url, wait_until="load")
        return self.page

    def close(self) -> None:
        self.page.close()


def overflow(page) -> dict:
    """How far the page reaches past the window's width, and the visible elements that stick out."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            // Inside a box that scrolls sideways (a traceback, a table) sticking out is by design.
            let scroller = el.parentElement, inside = false;
            while (scroller && scroller !== document.body) {
                const o = getComputedStyle(scroller).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden') { inside = true; break; }
                scroller = scroller.parentElement;
            }
            if (!inside && (r.right > width + 0.5 || r.left < -0.5))
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                         (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') +
                         ` [${Math.round(r.left)}, ${Math.round(r.right)}]`);
        }
        return {scroll: document.documentElement.scrollWidth - width, sticking_out: out.slice(0, 8)};
    }""")
