"""Every registered page in Chromium, and the progress map with no boundary file configured (the
hexagon tile map). Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

import i18n
from browser_harness import MAP_PATH, UNITS, assert_no_error, choose, open_page, registered_pages, screenshot, \
    wait_charts, wait_map

PAGES = registered_pages()


@pytest.mark.parametrize("entry", PAGES, ids=lambda p: p.name)
def test_every_page_opens_without_error(app, page, screenshots, entry):
    open_page(page, app.url + entry.url_path)
    wait_charts(page)
    screenshot(page, screenshots / f"{entry.name}.png")
    assert_no_error(page)
    # Streamlit sends an unknown path back to the main page; this one was served itself.
    assert urlparse(page.url).path == entry.url_path
    # ui.banner: the synthetic sample store is announced on every page.
    banner = page.locator('[data-testid="stAlert"]').filter(has_text=i18n.t("common.synthetic_banner", "vi"))
    assert banner.first.is_visible()


def test_tile_map_draws_all_units(app, page):
    open_page(page, app.url + MAP_PATH)
    drawn = wait_map(page)
    # 114 hexagonal cells and no boundary (choropleth) trace
    assert (drawn["shapes"], drawn["hexagons"], drawn["locations"]) == (UNITS, UNITS, 0), drawn["types"]
    assert_no_error(page)


def test_period_and_sector_change_redraw_the_map(app, page):
    open_page(page, app.url + MAP_PATH)
    latest = wait_map(page)
    choose(page, i18n.t("filters.period", "vi"), i18n.fmt_period("2025-H2", "vi"))
    earlier = wait_map(page, old_values=latest["values"])
    assert earlier["hexagons"] == UNITS
    assert parse_qs(urlparse(page.url).query)["period"] == ["2025-H2"]
    choose(page, i18n.t("filters.sector", "vi"), i18n.sector_name("ocop", "vi"))
    ocop = wait_map(page, old_values=earlier["values"])
    assert ocop["hexagons"] == UNITS
    assert parse_qs(urlparse(page.url).query)["sector"] == ["ocop"]
    assert_no_error(page)


def test_the_scorecard_shows_every_unit_without_a_scroll_box_of_its_own(app, page):
    open_page(page, app.url + "/scorecard")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    rows = UNITS + 1  # and the header
    height = grid.bounding_box()["height"]
    assert height >= rows * 30, height  # every row in the page's own scroll, not 15 rows in a 560 px box
    assert_no_error(page)
