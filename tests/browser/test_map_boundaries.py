"""The progress map with the 114 units' boundaries configured (TMDT_BOUNDARIES → ../shared/geo):
MapLibre choropleths on the "white-bg" style, drawn with no tiles and no request off localhost."""

from __future__ import annotations

import i18n
from browser_harness import MAP_PATH, UNITS, assert_no_error, choose, open_page, screenshot, wait_map


def test_boundary_map_draws_all_units(app_geo, page, screenshots):
    open_page(page, app_geo.url + MAP_PATH)
    drawn = wait_map(page, maplibre=True)
    screenshot(page, screenshots / "progress_map-boundaries.png")
    # 113 units on the map, Bạch Long Vĩ in the inset: one closed path shape, not a hexagon.
    assert (drawn["locations"], drawn["shapes"], drawn["hexagons"]) == (UNITS - 1, 1, 0)
    assert set(drawn["types"]) == {"choroplethmap", "scatter"}
    assert page.locator("canvas.maplibregl-canvas").count() == 1  # one MapLibre map: the inset is SVG
    assert_no_error(page)


def test_boundary_map_redraws_on_filter_change(app_geo, page):
    open_page(page, app_geo.url + MAP_PATH)
    before = wait_map(page, maplibre=True)
    choose(page, i18n.t("filters.sector", "vi"), i18n.sector_name("ocop", "vi"))
    after = wait_map(page, old_values=before["values"], maplibre=True)
    assert after["locations"] + after["shapes"] == UNITS
    assert_no_error(page)
