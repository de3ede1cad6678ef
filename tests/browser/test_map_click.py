"""A click on a unit of the progress map opens that unit's profile (Đơn vị), on both maps: the
hexagon tile map and the boundary map (MapLibre), and on the boundary map's inset (Bạch Long Vĩ)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from browser_harness import MAP_PATH, assert_no_error, open_page, wait_idle, wait_map

from loaders.reference import units

# Phường Trần Hưng Đạo: one of the largest units, its rounded centroid well inside its boundary;
# not Thạch Khôi, which the profile shows when no unit is chosen.
CODE = "10570"
INSET = "11948"  # Bạch Long Vĩ, in the boundary map's inset

# Screen position of the unit's marker: the point of the marker trace whose customdata is the code
# (the tile map's hexagon centres; the inset's unit on the boundary map), on that trace's axes,
# the figure scrolled so that the point is in the window.
_MARKER_JS = """(code) => {
    const gd = document.querySelector('.js-plotly-plot');
    const t = gd._fullData.find(t => (t.mode || '').includes('markers') && Array.from(t.customdata || []).includes(code));
    const i = Array.from(t.customdata).indexOf(code), axis = id => gd._fullLayout[id.replace(/^([xy])/, '$1axis')];
    const xa = axis(t.xaxis || 'x'), ya = axis(t.yaxis || 'y');
    const at = () => { const box = gd.getBoundingClientRect();
        return {x: box.left + xa._offset + xa.l2p(t.x[i]), y: box.top + ya._offset + ya.l2p(t.y[i])}; };
    const p = at();  // below or above the window (the inset sits at the figure's bottom): scroll it in
    if (p.y < 0 || p.y > window.innerHeight) gd.scrollIntoView({block: p.y < 0 ? 'start' : 'end'});
    return at();
}"""
# Screen position of a longitude/latitude on the main MapLibre map.
_LONLAT_JS = """(lonlat) => {
    const map = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;
    const p = map.project(lonlat), box = map.getContainer().getBoundingClientRect();
    return {x: box.left + p.x, y: box.top + p.y};
}"""


def click_opens_profile(page, point: dict, code: str = CODE) -> None:
    page.mouse.move(point["x"] - 3, point["y"] - 3)
    page.mouse.move(point["x"], point["y"])  # plotly picks the unit under the pointer on hover
    page.wait_for_timeout(300)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/unit?*", timeout=30_000)
    wait_idle(page)
    full_name = units().set_index("unit_code").loc[code, "full_name"]
    page.get_by_role("heading", name=full_name, exact=True).wait_for(timeout=30_000)
    assert parse_qs(urlparse(page.url).query)["unit"] == [code]  # a link to this view
    assert_no_error(page)


def test_click_on_a_hexagon_opens_the_unit(app, page):
    open_page(page, app.url + MAP_PATH)
    wait_map(page)
    click_opens_profile(page, page.evaluate(_MARKER_JS, CODE))


def test_click_on_a_boundary_opens_the_unit(app_geo, page):
    open_page(page, app_geo.url + MAP_PATH)
    wait_map(page, maplibre=True)
    unit = units().set_index("unit_code").loc[CODE]
    click_opens_profile(page, page.evaluate(_LONLAT_JS, [float(unit["lon"]), float(unit["lat"])]))


def test_click_on_the_inset_opens_its_unit(app_geo, page):
    open_page(page, app_geo.url + MAP_PATH)
    wait_map(page, maplibre=True)
    click_opens_profile(page, page.evaluate(_MARKER_JS, INSET), INSET)
