"""The dashboard on a 1366×768 laptop and a 1920×1080 projector: every slide fits the window (its
foot line on screen, nothing of its body cut), the scorecard needs no sideways scrolling, and
screenshots of the map, the scorecard and every slide at both sizes are kept as artifacts
(test-artifacts/screenshots/<width>x<height>/)."""

from __future__ import annotations

import pytest

from browser_harness import MAP_PATH, assert_no_error, open_page, wait_charts, wait_idle, wait_map

SCREENS = [(1366, 768), (1920, 1080)]
SLIDES = 12  # report/content.build_deck on the sample store's latest period
# The slide as drawn: its box, its body, the content of the body and its foot line (the stamp).
SLIDE_JS = """() => {
    const slide = document.querySelector('.st-key-slide'), body = slide.querySelector('.st-key-slide_body');
    const stamps = slide.querySelectorAll(':scope [data-testid="stCaptionContainer"]');
    const content = [...body.querySelectorAll('[data-testid="stTable"], [data-testid="stMarkdownContainer"], .js-plotly-plot')];
    const chart = body.querySelector('.js-plotly-plot');
    return {stamp: stamps[stamps.length - 1].getBoundingClientRect().bottom, body: body.getBoundingClientRect().bottom,
            content: Math.max(0, ...content.map(e => e.getBoundingClientRect().bottom)),
            chart: chart ? chart.getBoundingClientRect().height : null, scrolled: document.querySelector('[data-testid="stMain"]').scrollTop};
}"""


@pytest.fixture
def screen(page, screenshots, request):
    width, height = request.param
    page.set_viewport_size({"width": width, "height": height})
    folder = screenshots / f"{width}x{height}"
    folder.mkdir(exist_ok=True)
    return width, height, folder


@pytest.mark.parametrize("screen", SCREENS, indirect=True, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_slide_fits_the_screen(app_geo, page, screen):
    width, height, folder = screen
    open_page(page, app_geo.url + "/slides")
    wait_charts(page)
    for n in range(1, SLIDES + 1):
        page.wait_for_timeout(300)  # the chart follows its box
        drawn = page.evaluate(SLIDE_JS)
        page.screenshot(path=folder / f"slide-{n:02d}.png")  # the window as the room sees it
        assert drawn["scrolled"] == 0 and drawn["stamp"] <= height, (n, drawn)  # the foot line on screen
        assert drawn["content"] <= drawn["body"] + 1, (n, drawn)  # no table row nor bullet cut off
        if drawn["chart"] is not None:
            assert drawn["chart"] >= 0.45 * height, (n, drawn)  # the chart fills its part of the slide
        if n < SLIDES:
            page.keyboard.press("PageDown")
            page.wait_for_timeout(200)
            wait_idle(page)
            wait_charts(page)
            assert page.get_by_text(f"Trang {n + 1}/{SLIDES}", exact=True).is_visible()
    assert_no_error(page)


@pytest.mark.parametrize("screen", SCREENS, indirect=True, ids=lambda s: f"{s[0]}x{s[1]}")
def test_scorecard_needs_no_sideways_scrolling(app_geo, page, screen):
    width, height, folder = screen
    open_page(page, app_geo.url + "/scorecard")
    grid = page.locator('[data-testid="stDataFrame"] .dvn-scroller').first
    grid.wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=folder / "scorecard.png")
    scroll, client = grid.evaluate("g => [g.scrollWidth, g.clientWidth]")
    assert scroll <= client, (scroll, client)
    assert_no_error(page)


@pytest.mark.parametrize("screen", SCREENS, indirect=True, ids=lambda s: f"{s[0]}x{s[1]}")
def test_map_screenshots(app_geo, page, screen):
    width, height, folder = screen
    open_page(page, app_geo.url + MAP_PATH)
    wait_map(page)
    page.screenshot(path=folder / "progress_map.png")
    plot = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first.bounding_box()
    main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert plot["width"] >= 0.9 * (main["width"] - 2 * 48), (plot, main)  # the map uses the width it has
    assert_no_error(page)
