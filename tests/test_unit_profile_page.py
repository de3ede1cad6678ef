"""The Đơn vị page in AppTest: Thạch Khôi by default, another unit on request, English."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from loaders.reference import ROOT, default_store, targets
from loaders.store import load_store
from metrics import tables
from metrics.profile import trajectory

PERIOD = "2026-H1"
HOP_TIEN = "10615"  # sent no report for 2026-H1 in the sample
UNIT_TARGETS = [t for t in targets() if t["scope"] == "unit"]
CHARTS = len(UNIT_TARGETS) + 3  # a trajectory per target, the city comparison, the heatmap, the funnel


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/unit.py").run()
    at.sidebar.selectbox(key="f_period").select(PERIOD).run()
    assert not at.exception
    return at


def figure(at: AppTest, i: int) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


@pytest.fixture(scope="module")
def unit_values():
    return tables.values(load_store(default_store()))[0]


def test_thach_khoi_is_the_default_unit(unit_values):
    at = open_page()
    # Shown, not chosen: the unit filter stays empty (the placeholder names the default), so the
    # other pages keep every unit and the URL has no unit.
    box = at.sidebar.selectbox(key="f_unit")
    assert box.value is None and box.placeholder == "Thạch Khôi (Phường, 11002) — mặc định"
    assert "unit" not in at.query_params
    assert at.title[0].value == "Phường Thạch Khôi"
    assert "là kế hoạch của chính phường Thạch Khôi" in at.info[0].value
    assert [s.value for s in at.subheader][:6] == [
        "Tiến độ theo từng mục tiêu", "So sánh với toàn thành phố", "Theo nhóm ngành hàng và loại hình",
        "Từ cơ sở kinh doanh đến bán hàng trực tuyến", "Hoạt động theo kỳ", "Lịch sử báo cáo"]
    assert len(at.get("plotly_chart")) == CHARTS
    first = figure(at, 0)["data"][0]  # the actual values of the first target, as metrics computes them
    expected = trajectory(unit_values, UNIT_TARGETS[0], "11002")
    assert first["x"] == expected["period"].tolist()
    assert first["hovertext"][expected["period"].tolist().index(PERIOD)].startswith("6 tháng đầu năm 2026<br>Giá trị: ")


def test_reporting_history_and_activities_of_the_unit():
    at = open_page()
    activities, history = at.dataframe[-2].value, at.dataframe[-1].value
    assert history["Kỳ"].tolist() == ["6 tháng đầu năm 2025", "6 tháng cuối năm 2025", "6 tháng đầu năm 2026"]
    assert set(history["Tình trạng gửi"]) <= {"✔ Đúng hạn", "✖ Trễ hạn", "? Chưa gửi"}
    assert (history["Số lần gửi lại"] == history["Số tệp đã gửi"] - 1).all()
    assert "Lớp tập huấn" in activities.columns and len(activities) == 3
    assert any("chỉ đếm các điểm bán" in c.value for c in at.caption)  # the funnel's caveat


def test_choosing_another_unit_changes_the_page():
    at = open_page()
    before = figure(at, 0)["data"][0]["hovertext"]
    at.sidebar.selectbox(key="f_unit").select(HOP_TIEN).run()
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
    assert [s.value for s in at.subheader][:2] == ["Progress on each target", "Compared with the whole city"]
    assert figure(at, 0)["data"][0]["name"] == "Actual"
    assert at.dataframe[-1].value.columns[0] == "Period"


def test_the_default_unit_does_not_narrow_the_other_pages():
    at = open_page()
    at.switch_page("pages/reporting.py").run()
    assert at.sidebar.selectbox(key="f_unit").value is None
    history = at.dataframe[-1].value
    assert history["Mã"].nunique() == 114  # every unit's history, not Thạch Khôi's alone
