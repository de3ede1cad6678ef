"""The progress map page via AppTest, on the bundled sample: with no boundary file (hexagon tiles),
with the shared boundaries (TMDT_BOUNDARIES), with a broken file (message, then tiles)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import i18n
from loaders.reference import ROOT, default_store
from loaders.store import load_store
from metrics.map import map_table
from metrics.tables import values

GEO = ROOT.parent / "shared" / "geo" / "haiphong_units.geojson"
LATEST = "2026-H1"


def plain(v):
    """A figure array: plotly 6+ sends numpy arrays as {"dtype", "bdata"}; NaN travels as null."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), v["dtype"]).tolist()
    return [np.nan if x is None else x for x in v]


def open_map(monkeypatch, boundaries=None) -> AppTest:
    monkeypatch.delenv("TMDT_DATA", raising=False)
    if boundaries is None:
        monkeypatch.delenv("TMDT_BOUNDARIES", raising=False)
    else:
        monkeypatch.setenv("TMDT_BOUNDARIES", str(boundaries))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page("pages/progress_map.py").run()
    at.sidebar.selectbox(key="period").set_value(LATEST).run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def scaled(fig: dict) -> list:
    """The coloured values of a map: z of its first choropleth, or its hexagons' marker colours."""
    first = fig["data"][0]
    return plain(first["z"]) if "z" in first else plain(fig["data"][-1]["marker"]["color"])


@pytest.fixture(scope="module")
def latest():
    return map_table(values(load_store(default_store()))[0], LATEST, "digital_rate")


def test_without_boundaries_the_hex_tile_map(monkeypatch, latest):
    at = open_map(monkeypatch)
    assert at.title[0].value == "Bản đồ tiến độ"
    assert at.warning[0].value.startswith("DỮ LIỆU MẪU TỔNG HỢP")
    assert any("Chưa cấu hình tệp ranh giới" in c.value for c in at.caption)
    [fig] = figures(at)
    labels = fig["data"][-1]
    assert plain(labels["customdata"]) == latest["unit_code"].tolist()
    assert scaled(fig) == pytest.approx(latest["value"].tolist(), nan_ok=True)
    assert sum(s["type"] == "path" for s in fig["layout"]["shapes"]) == 114  # one hexagon per unit
    assert "6 tháng đầu năm 2026" in fig["layout"]["title"]["text"]
    # the table under the map on request, its downloads always
    assert not at.dataframe
    assert sum(b.label.startswith("⬇") for b in at.get("download_button")) == 2
    at.toggle(key="m_table").set_value(True).run()
    assert len(at.dataframe[0].value) == 114
    assert at.dataframe[0].value.iloc[0]["Mã"] == latest["unit_code"].iloc[0]


def test_changing_colour_mode_and_indicator_changes_the_figure(monkeypatch, latest):
    at = open_map(monkeypatch)
    before = figures(at)[0]
    at.radio(key="colour").set_value("status").run()
    status = figures(at)[0]
    legend = [t["name"] for t in status["data"] if t.get("showlegend")]
    counts = latest["status"].value_counts()
    assert f"↗ Đúng lộ trình ({counts['on_track']})" in legend
    assert status["data"] != before["data"]
    at.radio(key="colour").set_value("gap").run()
    gap = figures(at)[0]
    assert scaled(gap) == pytest.approx(latest["gap"].tolist(), nan_ok=True)
    at.radio(key="colour").set_value("value").run()
    at.selectbox(key="indicator").set_value("cashless_rate").run()
    cashless = figures(at)[0]
    assert "Tỷ lệ cơ sở chấp nhận thanh toán không dùng tiền mặt" in cashless["layout"]["title"]["text"]
    assert scaled(cashless) != scaled(before)
    # the options are folded, under a label that says what the map shows
    options = at.get("popover")[0]
    assert options.proto.popover.label == "Tỷ lệ cơ sở chấp nhận thanh toán không dùng tiền mặt · tô màu: Giá trị"
    assert [type(w).__name__ for w in options.children.values()] == ["Selectbox", "Radio", "Toggle"]
    assert not at.exception


def test_with_boundaries_the_svg_map(monkeypatch, latest):
    if not GEO.exists():
        pytest.skip("../shared/geo is absent")
    at = open_map(monkeypatch, GEO)
    assert not any("Chưa cấu hình" in c.value for c in at.caption)
    [fig] = figures(at)
    types = [t["type"] for t in fig["data"]]
    assert types[-2:] == ["scattergeo", "scatter"]  # the names, the inset's unit (Bạch Long Vĩ)
    assert set(types[:-2]) == {"choropleth"} and fig["layout"]["geo"]["visible"] is False
    names = fig["data"][-2]["text"]
    assert 10 <= len(names) < 113  # the large units' names; the small wards' on request
    at.toggle(key="m_names").set_value(True).run()
    assert len(figures(at)[0]["data"][-2]["text"]) == 113
    drawn = [c for t in fig["data"] if t["type"] != "scattergeo" for c in plain(t.get("locations", t.get("customdata")))]
    assert sorted(drawn) == sorted(latest["unit_code"])
    assert len(at.get("plotly_chart")[0].proto.spec) <= 300 * 1024
    at.radio(key="map").set_value("tiles").run()
    assert {t["type"] for t in figures(at)[0]["data"]} == {"scatter"}
    at.radio(key="map").set_value("geo").run()
    assert at.selectbox(key="m_style").options == [  # named in words, the online ones said to need the Internet
        "Nền trắng (không cần Internet)", "Carto Positron (cần Internet)", "OpenStreetMap (cần Internet)"]
    at.selectbox(key="m_style").set_value("open-street-map").run()
    assert figures(at)[0]["layout"]["map"]["style"] == "open-street-map"
    assert any("tải ảnh nền từ Internet" in w.value for w in at.warning)


def test_a_broken_boundary_file_is_a_message_and_the_tile_map(monkeypatch, tmp_path):
    broken = tmp_path / "units.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    at = open_map(monkeypatch, broken)
    warnings = [w.value for w in at.warning]
    assert any("Không dùng được tệp ranh giới" in w and "không đọc được tệp ranh giới" in w
               and "(cannot read the boundary file" in w for w in warnings), warnings
    assert {t["type"] for t in figures(at)[0]["data"]} == {"scatter"}
    at = open_map(monkeypatch, tmp_path / "missing.gpkg")
    assert any("không tìm thấy tệp ranh giới" in w.value for w in at.warning)


def test_compare_two_periods_on_one_colour_scale(monkeypatch):
    at = open_map(monkeypatch)
    at.toggle(key="m_compare").set_value(True).run()
    assert at.selectbox(key="m_period2").value == "2025-H2"  # by default the period before the one shown
    left, right = figures(at)
    assert all(f["data"][-1]["mode"] == "markers" for f in (left, right))  # half-width tile maps: no labels
    assert [f["layout"]["height"] for f in (left, right)] == [460, 460]
    # the same room for the legends, which sit at the figures' bottom: the two maps line up
    assert [(f["layout"]["margin"]["b"], f["layout"]["legend"]["yref"]) for f in (left, right)] == [(82, "container")] * 2
    assert [m.value for m in at.markdown if m.value.startswith("**")] == [  # which period each download is
        "**Bảng số liệu của bản đồ — 6 tháng cuối năm 2025**", "**Bảng số liệu của bản đồ — 6 tháng đầu năm 2026**"]
    assert "6 tháng cuối năm 2025" in left["layout"]["title"]["text"]
    assert "6 tháng đầu năm 2026" in right["layout"]["title"]["text"]
    marks = [f["data"][-1]["marker"] for f in (left, right)]
    assert (marks[0]["cmin"], marks[0]["cmax"]) == (marks[1]["cmin"], marks[1]["cmax"])
    at.toggle(key="m_table").set_value(True).run()
    assert len(at.dataframe) == 2
    assert not at.exception


def test_the_maps_view_is_in_the_url_and_a_link_restores_it(monkeypatch):
    """Indicator, colouring and kind of map live in the URL while the map is open (not on the
    other pages), and survive a page change; a link with them opens the map as it was."""
    at = open_map(monkeypatch)
    at.selectbox(key="indicator").set_value("cashless_rate").run()
    at.radio(key="colour").set_value("status").run()
    assert (at.query_params["indicator"], at.query_params["colour"]) == ("cashless_rate", "status")
    at.switch_page("pages/overview.py").run()
    assert "indicator" not in at.query_params and "colour" not in at.query_params
    at.switch_page("pages/progress_map.py").run()
    assert (at.selectbox(key="indicator").value, at.radio(key="colour").value) == ("cashless_rate", "status")
    link = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    link.query_params.update({"indicator": "outreach_rate", "colour": "gap", "period": "2025-H2"})
    link.run()
    link.switch_page("pages/progress_map.py").run()
    assert not link.exception
    assert (link.selectbox(key="indicator").value, link.radio(key="colour").value) == ("outreach_rate", "gap")
    [fig] = figures(link)
    assert fig["layout"]["title"]["text"].startswith(i18n.indicator_name("outreach_rate", "vi") + " — 6 tháng cuối năm 2025")
    bad = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    bad.query_params.update({"indicator": "no_such_thing", "colour": "rainbow"})
    bad.run()
    bad.switch_page("pages/progress_map.py").run()
    assert not bad.exception and bad.selectbox(key="indicator").value == "digital_rate"  # the defaults
    assert bad.radio(key="colour").value == "value"
    assert "indicator" not in bad.query_params and "colour" not in bad.query_params  # defaults: a clean URL
