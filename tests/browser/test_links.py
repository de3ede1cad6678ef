"""A shared link opens the view it names, also as the first request a freshly started server
gets (a link opened after a restart). This module has a server of its own for that reason."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import i18n
from browser_harness import (ARTIFACTS, MAP_PATH, VIEWPORT, Server, app_env, assert_no_error, choose, is_local, open_page,
                             registered_pages, wait_map)


def test_link_restores_the_view(app, page):
    open_page(page, app.url + MAP_PATH + "?period=2025-H2&lang=en&sector=ocop")
    linked = wait_map(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    # The entry script ran (its language switch and navigation), not the page file on its own.
    nav = sidebar.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    assert [n.strip() for n in nav] == [i18n.t(p.title_key, "en") for p in registered_pages()]
    assert "Progress map" in nav[1]
    assert sidebar.get_by_role("radio", name="English").is_checked()
    assert sidebar.get_by_role("combobox", name="Reporting period").input_value() == "Second half of 2025"
    assert "OCOP products, local specialities" in sidebar.locator('[data-testid="stMultiSelect"]').filter(
        has_text="Sector").inner_text()
    assert page.get_by_text("6 tháng cuối năm 2025").count() == 0  # nothing left in Vietnamese
    assert_no_error(page)

    # The same view chosen by hand draws the same map.
    open_page(page, app.url + MAP_PATH + "?lang=en")
    default = wait_map(page)
    assert default["values"] != linked["values"]
    choose(page, "Reporting period", "Second half of 2025")
    by_hand = wait_map(page, old_values=default["values"])
    choose(page, "Sector", "OCOP products, local specialities")
    by_hand = wait_map(page, old_values=by_hand["values"])
    assert by_hand["values"] == linked["values"]


def test_the_overview_at_its_own_address(app, page):
    open_page(page, app.url + "/overview?lang=en")
    page.wait_for_url(re.compile(rf"^{re.escape(app.url)}/(\?.*)?$"))  # the overview, served at "/"
    assert page.get_by_text("Page not found").count() == 0
    title = i18n.t(next(p.title_key for p in registered_pages() if p.default), "en")
    nav = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').inner_text()
    assert nav.strip() == title
    assert_no_error(page)


def test_the_page_language_for_screen_readers(app, page):
    open_page(page, app.url + "/")
    page.wait_for_function("() => document.documentElement.lang === 'vi'")
    open_page(page, app.url + "/?lang=en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert_no_error(page)


def cold_map(browser, url: str, base: str = "") -> None:
    """The map page opened at `url` in a new browser (nothing cached): it asks the server's health at
    the server's address only (Streamlit's client would first try <page>/_stcore/health, be refused
    and wait), and the chart library's chunk comes with the page, before the client connects."""
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(r.url))
    try:
        open_page(tab, url)
        wait_map(tab)
    finally:
        context.close()
    assert all(is_local(u) for u in asked)
    paths = [urlparse(u).path for u in asked]
    assert [p for p in paths if p.endswith("/_stcore/health")] == [f"{base}/_stcore/health"]
    chart = next(i for i, p in enumerate(paths) if p.startswith(f"{base}/static/js/PlotlyChart."))
    assert chart < paths.index(f"{base}/_stcore/health")


def test_a_page_address_finds_the_server_at_once(app, browser):
    cold_map(browser, app.url + MAP_PATH)


def test_under_a_base_path(browser, request):
    """A server under /tmdt (a proxy's path): its home page, with or without the last slash, and a
    page's address draw as at the root."""
    with Server(env=app_env(), args=("--server.baseUrlPath", "tmdt"), base="/tmdt",
                log=ARTIFACTS / f"streamlit-{request.node.name}.log") as server:
        cold_map(browser, server.url + MAP_PATH, "/tmdt")
        context = browser.new_context(viewport=VIEWPORT)
        tab = context.new_page()
        asked: list[str] = []
        tab.on("request", lambda r: asked.append(r.url))
        try:
            for home in (server.url + "/", server.url):
                open_page(tab, home)
                page_title = i18n.t(next(p.title_key for p in registered_pages() if p.default), "vi")
                nav = tab.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').inner_text()
                assert nav.strip() == page_title
                assert tab.evaluate("document.documentElement.lang") == "vi"
                assert_no_error(tab)
        finally:
            context.close()
        assert asked and all(is_local(u) for u in asked)
