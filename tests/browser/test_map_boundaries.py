"""The progress map with the 114 units' boundaries configured (TMDT_BOUNDARIES → ../shared/geo):
SVG paths on a geo subplot (no WebGL canvas), its empty topology served by the app, names written
on the map, no request off localhost."""

from __future__ import annotations

import i18n
from browser_harness import MAP_PATH, UNITS, assert_no_error, choose, open_page, screenshot, wait_map

NAMES = ".js-plotly-plot .scatterlayer .trace.scattergeo text"  # the unit names written on the map


def test_boundary_map_draws_all_units(app_geo, page, screenshots):
    with page.expect_response(lambda r: r.url.endswith("/app/static/topojson/world_110m.json")) as topology:
        open_page(page, app_geo.url + MAP_PATH)
        drawn = wait_map(page)
    assert topology.value.status == 200
    screenshot(page, screenshots / "progress_map-boundaries.png")
    # 113 units on the map as SVG paths, Bạch Long Vĩ in the inset: one closed path shape, not a hexagon.
    assert (drawn["locations"], drawn["svg"], drawn["shapes"], drawn["hexagons"]) == (UNITS - 1, UNITS - 1, 1, 0)
    assert set(drawn["types"]) == {"choropleth", "scattergeo", "scatter"} and drawn["canvases"] == 0  # no WebGL
    names = page.locator(NAMES).all_text_contents()
    assert "Cát Hải" in names and 10 <= len(names) < UNITS - 1  # the large units named on the map
    page.locator('[data-testid="stPopover"] button').filter(has_text="tô màu").click()  # the map's options
    page.locator('[data-testid="stCheckbox"]').filter(has_text="Ghi tên mọi đơn vị").click()
    page.wait_for_function(f"() => document.querySelectorAll('{NAMES}').length === {UNITS - 1}")
    assert_no_error(page)


def test_boundary_map_redraws_on_filter_change(app_geo, page):
    open_page(page, app_geo.url + MAP_PATH)
    before = wait_map(page)
    choose(page, i18n.t("filters.sector", "vi"), i18n.sector_name("ocop", "vi"))
    after = wait_map(page, old_values=before["values"])
    assert after["locations"] + after["shapes"] == UNITS
    assert_no_error(page)
