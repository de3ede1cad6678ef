"""Fixtures of the browser tests: a streamlit server per test module (with or without boundaries),
Debian's Chromium, and a page that records every request and fails its test when one leaves
localhost or the page throws a JavaScript error.

Chromium missing: the tests skip on a workstation, and FAIL in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import os
import sys

import pytest

from browser_harness import ARTIFACTS, BOUNDARIES, CHROMIUM, ROOT, VIEWPORT, Server, app_env, is_local, launch

if str(ROOT) not in sys.path:  # the tests read labels through the project's i18n
    sys.path.insert(0, str(ROOT))


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def context(browser):
    """One browser context for the run: its cache keeps the 4.7 MB plotly bundle between pages,
    as a user's browser does. Every request it makes is appended to `context.seen`."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    ctx.seen = []
    ctx.on("request", lambda r: ctx.seen.append(r.url))
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A new tab. At teardown: every request made during the test (the tab's websockets included)
    went to localhost, and no script error was thrown in the tab."""
    start = len(context.seen)
    tab = context.new_page()
    sockets: list[str] = []
    errors: list[str] = []
    tab.on("websocket", lambda ws: sockets.append(ws.url))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    tab.close()
    seen = context.seen[start:] + sockets
    assert sockets and all(u.startswith("ws://") for u in sockets), f"no websocket recorded: {seen[:5]}"
    external = sorted({u for u in seen if not is_local(u)})
    assert external == [], f"requests left localhost: {external}"
    assert errors == [], f"JavaScript errors in the page: {errors}"


def _log(request):
    return ARTIFACTS / f"streamlit-{request.module.__name__}.log"


@pytest.fixture(scope="module")
def app(request):
    """The dashboard with no boundary file configured (the tile-grid map); a new server per module."""
    with Server(env=app_env(), log=_log(request)) as server:
        yield server


@pytest.fixture(scope="module")
def app_geo(request):
    """The dashboard with the 114 units' boundaries from ../shared/geo (never part of the repo)."""
    if not BOUNDARIES.exists():
        pytest.skip(f"no boundary file at {BOUNDARIES}")
    with Server(env=app_env(TMDT_BOUNDARIES=str(BOUNDARIES)), log=_log(request)) as server:
        yield server


@pytest.fixture(scope="session")
def screenshots():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
