"""Playwright against Debian's chromium and pytest-django's live server.

Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM
calls from it unless told that this is safe; the live server runs in its own thread.

Fixtures for browser tests: `page` (a fresh context at the `viewport`, phone and desktop by
default; after the test it fails on console errors or requests leaving 127.0.0.1), `watch`
(what the page logged and fetched), `seeded` (the real seeds), `shoot(page, name)`
(screenshot to var/screenshots/). Helpers for common steps live in tests/browser/helpers.py.
Every test here is marked `browser` and skips, saying why, when chromium is missing.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed: pip install -r requirements.txt"
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture
def seeded(transactional_db):
    from portal.seeding import load_seeds

    load_seeds(demo=False, log=lambda *_: None)


@pytest.fixture
def insecure_cookies(settings):
    # The live server speaks plain HTTP; production-like Secure cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


class PageWatch:
    """What a page did that a test should know about: console errors and where it sent requests."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.requests: list[str] = []

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture(params=[pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")])
def viewport(request):
    return request.param


@pytest.fixture
def watch():
    return PageWatch()


@pytest.fixture
def page(browser, viewport, watch, live_server, insecure_cookies):
    """A fresh browser context per test; afterwards no console error and no request off this machine."""
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda message: message.type == "error" and watch.console_errors.append(message.text))
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    page.on("request", lambda request: watch.requests.append(request.url))
    yield page
    context.close()
    assert watch.console_errors == [], "console errors"
    assert watch.foreign_requests() == [], "requests left 127.0.0.1"


@pytest.fixture
def shoot(viewport):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    label = {PHONE["width"]: "phone", DESKTOP["width"]: "desktop"}.get(viewport["width"], f"w{viewport['width']}")

    def shoot(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)

    return shoot
