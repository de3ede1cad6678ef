"""charts.maps.unit_map: the figure's data — locations, values, colours, legend words, hover text —
for the boundary map (MapLibre choropleths, white-bg) and the hexagon tile map."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from plotly.colors import get_colorscale, sample_colorscale
from shapely.geometry import box

import i18n
from charts.maps import table_view, unit_map
from charts.style import status_colours, style
from loaders.boundaries import bounds, to_geojson
from loaders.reference import units
from metrics.map import map_table

NOW, BASE = "2026-H1", "2025-H2"
CODES = units()["unit_code"].tolist()
A, B, C = CODES[:3]
BLV = "11948"  # Bạch Long Vĩ, drawn in the inset (config/settings.toml [map] inset_units)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """digital_rate: A 40% → 50% (on track), B 30% → 31% (limited progress), C 75% → 72% (met);
    the other 111 units did not report."""
    rows = [(BASE, A, 400, 1000), (NOW, A, 1250, 2500), (BASE, B, 30, 100), (NOW, B, 31, 100),
            (BASE, C, 75, 100), (NOW, C, 72, 100)]
    frame = pd.DataFrame(rows, columns=["period", "unit_code", "numerator", "denominator"]).astype(
        {"numerator": float, "denominator": float})
    frame["indicator"] = "digital_rate"
    frame["value"] = frame["numerator"] / frame["denominator"] * 100
    return map_table(frame, NOW, "digital_rate")


@pytest.fixture(scope="module")
def geojson() -> dict:
    """A 0.01° square per unit on a 12-wide grid: 114 features, no shared file needed."""
    shapes = [box(106 + (i % 12) * 0.01, 20.5 + (i // 12) * 0.01, 106.01 + (i % 12) * 0.01, 20.51 + (i // 12) * 0.01)
              for i in range(len(CODES))]
    return to_geojson(gpd.GeoDataFrame({"unit_code": CODES}, geometry=shapes, crs=4326))


CHOROPLETHS = ("choropleth", "choroplethmap")


def located(fig) -> dict[str, tuple[int, int]]:
    """unit_code → (trace, point) over the figure's choropleth traces and the inset's marker trace."""
    return {code: (i, j) for i, t in enumerate(fig.data) if t.type in CHOROPLETHS or getattr(t, "xaxis", None) == "x2"
            for j, code in enumerate(t.customdata if t.customdata is not None else [])}


def test_value_map_locations_are_the_114_codes_and_z_the_values(table, geojson):
    fig = unit_map(table, geojson, "value", "vi")
    assert [t.type for t in fig.data] == ["choropleth", "choropleth", "scattergeo", "scatter"]  # SVG; names; inset
    where = located(fig)
    assert sorted(where) == sorted(CODES)
    scaled = fig.data[0]
    assert list(scaled.locations) == [A, B, C]
    assert list(scaled.z) == pytest.approx([1250 / 2500 * 100, 31 / 100 * 100, 72 / 100 * 100])
    assert scaled.zmin == pytest.approx(31) and scaled.zmax == pytest.approx(72)
    assert scaled.showscale is not False and scaled.colorbar.title.text == "%"
    assert list(scaled.customdata) == [A, B, C]
    missing = fig.data[1]
    assert len(missing.locations) == 110 and missing.name == i18n.status_name("no_data", "vi")
    assert missing.showlegend is True and BLV not in missing.locations
    assert missing.colorscale[0][1] == status_colours()["no_data"]
    assert [f["id"] for f in missing.geojson["features"]] == list(missing.locations)  # each trace its own shapes
    island = [sh for sh in fig.layout.shapes if sh.type == "path"]
    assert len(island) == 1 and island[0].fillcolor == status_colours()["no_data"]  # no data: the group's colour


def test_offshore_unit_in_an_inset_beside_the_map_fitted_to_the_rest(table, geojson):
    fig = unit_map(table, geojson, "value", "vi")
    # The map spans the units drawn on it: the mainland's, not the island's.
    mainland = bounds(geojson, [c for c in CODES if c != BLV])
    assert (tuple(fig.layout.geo.lonaxis.range), tuple(fig.layout.geo.lataxis.range)) == (tuple(mainland[0::2]), tuple(mainland[1::2]))
    assert BLV not in {c for t in fig.data[:2] for c in t.locations}
    # The inset: plain axes fitted to the island in the framed box, clear of the map.
    assert "geo2" not in fig.layout and fig.layout.geo.domain.x[1] < fig.layout.xaxis2.domain[0]
    lon0, lat0, lon1, lat1 = bounds(geojson, [BLV])
    assert fig.layout.xaxis2.range[0] < lon0 < lon1 < fig.layout.xaxis2.range[1]
    assert fig.layout.yaxis2.range[0] < lat0 < lat1 < fig.layout.yaxis2.range[1]
    assert fig.layout.yaxis2.scaleanchor == "x2"  # north up, a degree of longitude shortened as on the map
    assert fig.layout.yaxis2.scaleratio == pytest.approx(1 / np.cos(np.radians((lat0 + lat1) / 2)))
    frame = next(sh for sh in fig.layout.shapes if sh.type == "rect")
    assert tuple(fig.layout.xaxis2.domain) == (frame.x0, frame.x1) and tuple(fig.layout.yaxis2.domain) == (frame.y0, frame.y1)
    island = next(sh for sh in fig.layout.shapes if sh.type == "path")
    assert (island.xref, island.yref) == ("x2", "y2")
    corners = [tuple(map(float, p.split(","))) for p in island.path.strip("MZ").split("L")]
    assert sorted(set(corners)) == sorted({(lon0, lat0), (lon0, lat1), (lon1, lat0), (lon1, lat1)})
    marker = fig.data[-1]  # hover and click, as on the map
    assert list(marker.customdata) == [BLV] and marker.marker.opacity == 0
    assert marker.x[0] == pytest.approx((lon0 + lon1) / 2) and marker.y[0] == pytest.approx((lat0 + lat1) / 2)
    assert fig.layout.annotations[0].text.startswith("Bạch Long Vĩ<br>")
    without = {**geojson, "features": [f for f in geojson["features"] if f["id"] != BLV]}
    plain = unit_map(table, without, "value", "vi")
    assert {t.type for t in plain.data} == {"choropleth", "scattergeo"} and not plain.layout.shapes
    assert tuple(plain.layout.geo.domain.x) == (0, 1)  # the whole plot area


def test_inset_unit_coloured_from_the_scale_and_alone_in_its_group(geojson):
    """Bạch Long Vĩ with the only value: its colour sampled from the scale, and the colour bar on its
    marker (no unit on the map carries it); in status colours, its group's legend entry."""
    frame = pd.DataFrame([(BASE, BLV, 40, 100), (NOW, BLV, 50, 100)],
                         columns=["period", "unit_code", "numerator", "denominator"]).astype({"numerator": float, "denominator": float})
    frame["indicator"] = "digital_rate"
    frame["value"] = frame["numerator"] / frame["denominator"] * 100
    alone = map_table(frame, NOW, "digital_rate")
    fig = unit_map(alone, geojson, "value", "vi", zrange=(0.0, 100.0))
    island = next(sh for sh in fig.layout.shapes if sh.type == "path")
    assert island.fillcolor == sample_colorscale(get_colorscale(style()["scales"]["value"]), [0.5])[0]
    marker = fig.data[-1].marker
    assert marker.showscale is True and list(marker.color) == [50.0] and (marker.cmin, marker.cmax) == (0, 100)
    status = unit_map(alone, geojson, "status", "vi")
    entry = next(t for t in status.data if t.type == "scatter" and t.showlegend)
    assert entry.name == f"{i18n.status_name('on_track', 'vi')} (1)"
    assert status.layout.shapes[0].fillcolor == status_colours()["on_track"]


def test_svg_without_a_base_layer_and_maplibre_only_under_an_online_base_map(table, geojson):
    fig = unit_map(table, geojson, "value", "vi")
    assert fig.layout.geo.visible is False and fig.layout.geo.projection.type == "mercator"
    assert not fig.layout.map.style  # no MapLibre map on the page
    online = unit_map(table, geojson, "value", "vi", style="carto-positron")
    assert online.layout.map.style == "carto-positron" and {t.type for t in online.data} >= {"choroplethmap"}
    assert "scattergeo" not in {t.type for t in online.data}  # names need glyphs from the internet there
    minx, miny, maxx, maxy = bounds(geojson, [c for c in CODES if c != BLV])
    assert online.layout.map.center.lon == pytest.approx((minx + maxx) / 2)
    assert miny < online.layout.map.center.lat < maxy


def test_names_written_where_they_fit_or_everywhere(table):
    # a wide unit and a narrow one: at 900 px for the mainland's 1°, 0.5° is 450 px, 0.005° is 4.5 px
    shapes = [box(106.0, 20.5, 106.5, 20.6), box(106.995, 20.5, 107.0, 20.505)]
    small = to_geojson(gpd.GeoDataFrame({"unit_code": [A, B]}, geometry=shapes, crs=4326))
    names = dict(zip(table["unit_code"], table["name"]))
    fit = next(t for t in unit_map(table, small, "value", "vi").data if t.type == "scattergeo")
    assert list(fit.text) == [names[A]] and (fit.lon[0], fit.lat[0]) == tuple(small["features"][0]["properties"]["label"])
    every = next(t for t in unit_map(table, small, "value", "vi", all_names=True).data if t.type == "scattergeo")
    assert sorted(every.text) == sorted([names[A], names[B]]) and every.hoverinfo == "skip"
    assert "scattergeo" not in {t.type for t in unit_map(table, small, "value", "vi", labels=False).data}


def test_status_map_has_a_trace_per_status_with_its_words_and_colour(table, geojson):
    fig = unit_map(table, geojson, "status", "vi")
    names = [t.name for t in fig.data]
    assert names == [f"{i18n.status_name('met', 'vi')} (1)", f"{i18n.status_name('on_track', 'vi')} (1)",
                     f"{i18n.status_name('limited_progress', 'vi')} (1)", f"{i18n.status_name('no_data', 'vi')} (111)", "", ""]
    assert names[0].startswith("✔ Đã đạt mục tiêu")
    assert [t.showlegend for t in fig.data] == [True] * 4 + [False] * 2  # the names and the inset's marker: no entry
    written = set(unit_map(table, geojson, "status", "vi", all_names=True).data[4].text)
    name_a = table.set_index("unit_code").loc[A, "name"]
    assert f"{i18n.status_symbol('on_track')} {name_a}" in written  # the status said on the map too
    colours = [t.colorscale[0][1] for t in fig.data[:4]]
    assert colours == [status_colours()[s] for s in ("met", "on_track", "limited_progress", "no_data")]
    assert [list(t.locations) for t in fig.data[:3]] == [[C], [A], [B]]
    english = unit_map(table, geojson, "status", "en")
    assert english.data[0].name == "✔ Target met (1)"


def test_gap_map_is_diverging_around_zero(table, geojson):
    fig = unit_map(table, geojson, "gap", "en")
    scaled = fig.data[0]
    gaps = [50 - (40 + (70 - 40) / 10), 31 - (30 + (70 - 30) / 10), 72 - 70]
    assert list(scaled.z) == pytest.approx(gaps)
    assert scaled.zmin == pytest.approx(-max(map(abs, gaps))) and scaled.zmax == pytest.approx(max(map(abs, gaps)))
    assert scaled.colorbar.title.text == "pp"
    assert fig.data[1].name == "No trajectory value"


def test_hover_gives_name_type_numerator_denominator_target_expected_status(table, geojson):
    fig = unit_map(table, geojson, "value", "vi")
    trace, point = located(fig)[A]
    text = fig.data[trace].hovertext[point]
    name = units().set_index("unit_code").loc[A, "name"]
    assert f"<b>{name}</b> (Phường, {A})" in text
    assert "Tử số: 1.250 · Mẫu số: 2.500" in text
    assert "Giá trị: <b>50,0%</b>" in text
    assert "Mục tiêu: ≥ 70%" in text
    assert "Mức cần đạt theo lộ trình: 43,0%" in text  # 40 + (70 − 40) × 1/10
    assert "Chênh lệch so với lộ trình: +7,0 điểm %" in text
    assert "Tình trạng: <b>↗ Đúng lộ trình</b>" in text
    trace, point = located(fig)[CODES[50]]
    silent = fig.data[trace].hovertext[point]
    assert "Giá trị: <b>không có số liệu</b>" in silent and "(chưa có báo cáo kỳ này)" in silent
    english = unit_map(table, geojson, "value", "en")
    trace, point = located(english)[A]
    text = english.data[trace].hovertext[point]
    assert "Numerator: 1,250 · Denominator: 2,500" in text and "Value: <b>50.0%</b>" in text
    assert "Gap to the trajectory: +7.0 pp" in text and "Status: <b>↗ On track</b>" in text


def test_hover_of_a_city_reference_and_of_no_target():
    frame = pd.DataFrame({"period": [NOW, NOW], "unit_code": [A, A], "indicator": ["enterprise_digital_rate", "online_seller_rate"],
                          "numerator": [3.0, 3.0], "denominator": [4.0, 4.0], "value": [75.0, 75.0]})
    city = unit_map(map_table(frame, NOW, "enterprise_digital_rate"), None, "value", "vi")
    assert "Mục tiêu: 65–70% (tham chiếu mục tiêu Kế hoạch thành phố)" in city.data[-1].hovertext[0]
    none = unit_map(map_table(frame, NOW, "online_seller_rate"), None, "status", "vi")
    hover = none.data[-1].hovertext[0]
    assert "Mục tiêu: không có mục tiêu" in hover and "Tình trạng: <b>○ Không có mục tiêu</b>" in hover
    assert "Mức cần đạt" not in hover
    assert {t.name for t in none.data if t.showlegend} == {"○ Không có mục tiêu (1)", "? Chưa đủ số liệu (113)"}


def corners(shape) -> list[tuple[float, float]]:
    """The corners of a hexagon's SVG path "Mx,yLx,y…Z"."""
    return [tuple(map(float, p.split(","))) for p in shape.path.strip("MZ").split("L")]


def test_hex_map_without_boundaries(table):
    fig = unit_map(table, None, "value", "vi")
    hexes, labels = fig.layout.shapes, fig.data[-1]
    assert len(hexes) == 114 and all(h.type == "path" and len(set(corners(h))) == 6 for h in hexes)
    assert list(labels.customdata) == CODES
    values = list(labels.marker.color)
    assert values[:3] == pytest.approx([1250 / 2500 * 100, 31 / 100 * 100, 72 / 100 * 100])
    assert all(v != v for v in values[3:])  # NaN: no report
    assert labels.marker.cmin == pytest.approx(31) and labels.marker.cmax == pytest.approx(72)
    assert labels.text[CODES.index("11948")] == "BLV"  # Bạch Long Vĩ
    scale = get_colorscale("Viridis")
    assert hexes[0].fillcolor == sample_colorscale(scale, [(50 - 31) / (72 - 31)])[0]
    assert hexes[1].fillcolor == sample_colorscale(scale, [0.0])[0]
    assert hexes[3].fillcolor == status_colours()["no_data"]
    centre = np.mean(corners(hexes[0]), axis=0)
    assert tuple(centre) == pytest.approx((labels.x[0], labels.y[0]), abs=1e-3)  # label, hover and click on the unit
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.visible is False
    assert "Tử số: 1.250 · Mẫu số: 2.500" in labels.hovertext[0]
    assert [t.name for t in fig.data[:-1]] == ["? Chưa đủ số liệu"]  # the only legend entry: no data


def test_hex_status_map_legend_words_and_colours(table):
    fig = unit_map(table, None, "status", "en")
    legend = {t.name: t.marker.color for t in sorted(fig.data[:-1], key=lambda t: t.legendrank) if t.showlegend}
    assert list(legend) == ["✔ Target met (1)", "↗ On track (1)", "▽ Limited progress (1)", "? Not enough data (111)"]
    assert legend == {"✔ Target met (1)": status_colours()["met"], "↗ On track (1)": status_colours()["on_track"],
                      "▽ Limited progress (1)": status_colours()["limited_progress"],
                      "? Not enough data (111)": status_colours()["no_data"]}
    assert [fig.layout.shapes[i].fillcolor for i in range(3)] == [status_colours()[s] for s in ("on_track", "limited_progress", "met")]
    assert fig.data[-1].marker.showscale is None  # categories: no colour bar
    # each label starts with its status's symbol (A on track, B limited progress, C met, the rest no data)
    labels = dict(zip(fig.data[-1].customdata, fig.data[-1].text))
    assert [labels[c].split(" ", 1)[0] for c in (A, B, C, CODES[3])] == ["↗", "▽", "✔", "?"]
    assert "↗" not in "".join(unit_map(table, None, "value", "en").data[-1].text)  # by value: names only


def test_hex_labels_only_where_they_fit_in_their_cell(table):
    # 18 cells across and 11,55 cell widths down (10,39 between the centres + a hexagon's height):
    # at 800 × 620 px a cell is min(800/18, (620 − 130)/11,55) = 42,4 px wide, and a label of
    # (mark + name) characters × 10 px × 0,55 fits within 90% of it: 6 characters. At 400 × 300 px
    # a cell is 14,7 px: not even a mark and a letter.
    big = dict(zip(CODES, unit_map(table, None, "status", "vi", width=800, height=620).data[-1].text))
    assert (big[A], big[C]) == ("↗ TĐ", "✔ LTN")
    assert big["10537"] == "?"  # "? T.Hưng": 8 characters, 44 px
    small = unit_map(table, None, "status", "vi", width=400, height=300).data[-1].text
    assert set(small) == {"↗", "▽", "✔", "?"}


def test_shared_colour_range(table, geojson):
    fig = unit_map(table, geojson, "value", "vi", zrange=(0.0, 100.0))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0.0, 100.0)


def test_table_view_keeps_numbers_or_formats_them(table):
    raw = table_view(table, "vi")
    assert list(raw.columns) == ["Mã", "Đơn vị", "Loại đơn vị", "Kỳ", "Tử số", "Mẫu số", "Giá trị",
                                 "Mức cần đạt theo lộ trình", "Chênh lệch so với lộ trình", "Tình trạng", "Lý do"]
    assert raw.iloc[0]["Tử số"] == 1250 and raw.iloc[0]["Giá trị"] == pytest.approx(1250 / 2500 * 100)
    shown = table_view(table, "vi", formatted=True)
    assert shown.iloc[0][["Tử số", "Mẫu số", "Giá trị", "Chênh lệch so với lộ trình"]].tolist() == [
        "1.250", "2.500", "50,0%", "+7,0 điểm %"]
    assert shown.iloc[5]["Giá trị"] == "không có số liệu" and shown.iloc[5]["Lý do"] == "chưa có báo cáo kỳ này"


def test_no_value_anywhere_no_colour_bar_on_the_inset(geojson):
    """Every denominator zero (a filter with no businesses): no unit has a value, so no colour bar
    at all; the inset's marker must not carry an empty one."""
    frame = pd.DataFrame([(NOW, A, 0.0, 0.0)], columns=["period", "unit_code", "numerator", "denominator"])
    frame["indicator"], frame["value"] = "digital_rate", np.nan
    fig = unit_map(map_table(frame, NOW, "digital_rate"), geojson, "value", "vi")
    assert not any(getattr(t, "showscale", None) for t in fig.data if t.type in CHOROPLETHS)
    assert fig.data[-1].marker.showscale is None


def test_the_app_serves_the_empty_topology_plotly_js_asks_for():
    import json

    from charts.maps import TOPOJSON_FILE, TOPOJSON_URL, empty_topology
    from loaders.reference import ROOT

    served = ROOT / "static" / TOPOJSON_URL.removeprefix("app/static/") / TOPOJSON_FILE
    assert json.loads(served.read_text(encoding="utf-8")) == empty_topology()
