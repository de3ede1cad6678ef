"""The Đơn vị page in AppTest: Thạch Khôi by default, another unit on request, English."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from loaders.reference import ROOT, business_types, default_store, sectors, targets
from loaders.store import load_store
from metrics import tables
from metrics.profile import other_indicators, over_time, trajectory, with_growth

PERIOD = "2026-H1"
HOP_TIEN = "10615"  # sent no report for 2026-H1 in the sample
UNIT_TARGETS = [t for t in targets() if t["scope"] == "unit"]
OTHERS = other_indicators()
# a trajectory per target, a chart per other indicator, the city comparison, the heatmap, the funnel
CHARTS = len(UNIT_TARGETS) + len(OTHERS) + 3


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/unit.py").run()
    at.sidebar.selectbox(key="period").select(PERIOD).run()
    assert not at.exception
    return at


def figure(at: AppTest, i: int) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def numbers(v) -> list:
    """A figure array as sent by plotly 6+ (base64 `bdata`) or as a plain list."""
    return np.frombuffer(base64.b64decode(v["bdata"]), v["dtype"]).tolist() if isinstance(v, dict) else list(v)


@pytest.fixture(scope="module")
def store():
    return load_store(default_store())


@pytest.fixture(scope="module")
def unit_values(store):
    return tables.values(store)[0]


def test_thach_khoi_is_the_default_unit(unit_values):
    at = open_page()
    # Shown, not chosen: the unit filter stays empty (the placeholder names the default), so the
    # other pages keep every unit and the URL has no unit.
    box = at.sidebar.selectbox(key="unit")
    assert box.value is None and box.placeholder == "Thạch Khôi (Phường, 11002) — mặc định"
    assert "unit" not in at.query_params
    assert at.title[0].value == "Phường Thạch Khôi"
    assert "là kế hoạch của chính phường Thạch Khôi" in at.info[0].value
    assert [s.value for s in at.subheader][:7] == [
        "Tiến độ theo từng mục tiêu", "Các chỉ tiêu khác theo thời gian", "So sánh với toàn thành phố",
        "Theo nhóm ngành hàng và loại hình", "Từ cơ sở kinh doanh đến bán hàng trực tuyến", "Hoạt động theo kỳ",
        "Lịch sử báo cáo"]
    assert len(at.get("plotly_chart")) == CHARTS
    first = figure(at, 0)["data"][0]  # the actual values of the first target, as metrics computes them
    expected = trajectory(unit_values, UNIT_TARGETS[0], "11002")
    assert first["x"] == expected["period"].tolist()
    assert first["hovertext"][expected["period"].tolist().index(PERIOD)].startswith("6 tháng đầu năm 2026<br>Giá trị: ")


def test_other_indicators_over_time_against_the_city(store):
    at = open_page()
    uv, cv = tables.values(store)
    mine = with_growth(uv, store.current["businesses"], "11002")
    # after the targets' charts; in the page's element tree, the left column, then the right
    for i, (ind, target) in enumerate(OTHERS[0::2] + OTHERS[1::2]):
        fig = figure(at, len(UNIT_TARGETS) + i)
        expected = over_time(mine, cv, ind, "11002", store.periods, target)
        actual, city = fig["data"][0], fig["data"][1]
        assert actual["x"] == store.periods
        assert numbers(actual["y"]) == pytest.approx(expected["value"].tolist(), nan_ok=True)
        assert city["name"] == "Toàn thành phố"
        assert numbers(city["y"]) == pytest.approx(expected["city_value"].tolist(), nan_ok=True)
        names = [t["name"] for t in fig["data"]]
        assert any(n.startswith("Mục tiêu của thành phố (tham chiếu): ") for n in names) == (target is not None)
    assert "Không có mục tiêu trong các kế hoạch; so với toàn thành phố." in [c.value for c in at.caption]


def test_reporting_history_and_activities_of_the_unit():
    at = open_page()
    activities, history = at.dataframe[-3].value, at.dataframe[-1].value  # between them: every report sent
    assert history["Kỳ"].tolist() == ["6 tháng đầu năm 2025", "6 tháng cuối năm 2025", "6 tháng đầu năm 2026"]
    assert set(history["Tình trạng gửi"]) <= {"✔ Đúng hạn", "✖ Trễ hạn", "? Chưa gửi"}
    assert (history["Số lần gửi lại"] == history["Số tệp đã gửi"] - 1).all()
    assert "Lớp tập huấn" in activities.columns and len(activities) == 3
    assert any("chỉ đếm các điểm bán" in c.value for c in at.caption)  # the funnel's caveat


def test_choosing_another_unit_changes_the_page():
    at = open_page()
    before = figure(at, 0)["data"][0]["hovertext"]
    at.sidebar.selectbox(key="unit").select(HOP_TIEN).run()
    assert not at.exception
    assert at.title[0].value == "Xã Hợp Tiến"
    assert "áp dụng cho mọi xã, phường, đặc khu" in at.info[0].value
    assert figure(at, 0)["data"][0]["hovertext"] != before
    history = at.dataframe[-1].value
    assert history["Tình trạng gửi"].iloc[-1] == "? Chưa gửi"
    assert at.query_params["unit"] == HOP_TIEN


def test_english():
    at = open_page()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Thạch Khôi Ward"
    assert at.caption[0].value.endswith("data for first half of 2026")  # a period mid-sentence: lower case
    assert [s.value for s in at.subheader][:3] == ["Progress on each target", "Other indicators over time",
                                                   "Compared with the whole city"]
    assert figure(at, 0)["data"][0]["name"] == "Actual"
    other = figure(at, len(UNIT_TARGETS))["data"]
    assert [t["name"] for t in other][:3] == ["Actual", "Whole city", "City target (for reference): 65–70%"]
    assert at.dataframe[-1].value.columns[0] == "Period"


def test_the_default_unit_does_not_narrow_the_other_pages():
    at = open_page()
    at.switch_page("pages/reporting.py").run()
    assert at.sidebar.selectbox(key="unit").value is None
    history = at.dataframe[-1].value
    assert history["Mã"].nunique() == 114  # every unit's history, not Thạch Khôi's alone


def test_a_link_with_a_filter_twice_or_an_unknown_unit():
    """"?sector=ocop,ocop" is the sector once (the page ran into a decimal error with it twice);
    an unknown unit is dropped from the filter and the URL, on pages without the unit selector too."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update({"sector": "ocop,ocop", "unit": "99999"})
    at.run()
    at.switch_page("pages/progress_map.py").run()
    assert not at.exception and "unit" not in at.query_params
    at.switch_page("pages/unit.py").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="sector").value == ["ocop"] and at.query_params["sector"] == "ocop"
    assert at.title[0].value == "Phường Thạch Khôi"  # the default, as no known unit was chosen


def test_the_unit_s_word_report_downloads_from_its_page():
    at = open_page()
    button = next(b for b in at.get("download_button") if b.key == "unit_download_docx")
    assert button.label == "Báo cáo của đơn vị (Word, DOCX)"
    assert button.proto.help.startswith("Bản dự thảo theo thể thức văn bản hành chính")


def test_the_breakdown_table_is_made_when_its_expander_is_opened():
    at = open_page()
    tables_before = len(at.dataframe)
    assert "unit_bd_download_csv" not in {b.key for b in at.get("download_button")}  # closed: nothing made
    at.session_state["unit_bd_table"] = True  # the expander opened
    at.run()
    assert len(at.dataframe) == tables_before + 1
    assert len(at.dataframe[1].value) == len(sectors()) * len(business_types())  # after the comparison table
    assert "unit_bd_download_csv" in {b.key for b in at.get("download_button")}
