"""A click on a unit of the progress map opens that unit's profile (Đơn vị), on both maps: the
hexagon tile map and the boundary map (SVG paths), on a small urban ward, whose hover names it, and
on the boundary map's inset (Bạch Long Vĩ)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

from browser_harness import BOUNDARIES, MAP_PATH, assert_no_error, open_page, wait_idle, wait_map

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
# Screen position of a point inside a unit's SVG path on the boundary map (the path scrolled into
# the window): of the points of a 20 × 20 grid over its box that lie inside the path's fill, the
# one nearest their middle (clear of the unit's edge).
_PATH_JS = """(code) => {
    const gd = document.querySelector('.js-plotly-plot');
    const path = Array.from(gd.querySelectorAll('path.choroplethlocation')).find(p => p.__data__ && p.__data__.loc === code);
    path.scrollIntoView({block: 'center'});
    const b = path.getBoundingClientRect(), inside = [];
    for (let i = 0; i < 400; i++) {
        const x = b.left + b.width * ((i % 20) + 0.5) / 20, y = b.top + b.height * (Math.floor(i / 20) + 0.5) / 20;
        if (path.isPointInFill(new DOMPoint(x, y).matrixTransform(path.getScreenCTM().inverse()))) inside.push({x, y});
    }
    if (!inside.length) return null;
    const mx = inside.reduce((a, p) => a + p.x, 0) / inside.length, my = inside.reduce((a, p) => a + p.y, 0) / inside.length;
    return inside.reduce((a, p) => Math.hypot(p.x - mx, p.y - my) < Math.hypot(a.x - mx, a.y - my) ? p : a);
}"""


def smallest_ward() -> str:
    """The code of the smallest unit on the main map (an urban ward of the city centre)."""
    from shapely.geometry import shape

    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    sizes = {str(f["properties"]["code"]).zfill(5): shape(f["geometry"]).area for f in features}
    return min((c for c in sizes if c != INSET), key=sizes.get)


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
    wait_map(page)
    click_opens_profile(page, page.evaluate(_PATH_JS, CODE))


def test_a_small_urban_ward_is_hovered_and_clicked(app_geo, page):
    code = smallest_ward()
    open_page(page, app_geo.url + MAP_PATH)
    wait_map(page)
    point = page.evaluate(_PATH_JS, code)
    assert point is not None, f"no point of {code}'s path is reachable"
    page.mouse.move(point["x"] - 2, point["y"] - 2)
    page.mouse.move(point["x"], point["y"])
    name = units().set_index("unit_code").loc[code, "name"]
    page.locator(".hoverlayer .hovertext").filter(has_text=name).wait_for(timeout=10_000)
    click_opens_profile(page, point, code)


def test_click_on_the_inset_opens_its_unit(app_geo, page):
    open_page(page, app_geo.url + MAP_PATH)
    wait_map(page)
    click_opens_profile(page, page.evaluate(_MARKER_JS, INSET), INSET)
