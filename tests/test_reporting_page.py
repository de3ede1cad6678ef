"""The reporting page (Báo cáo) on the bundled sample store, through Streamlit's AppTest."""

import json
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
# The sample's late reports (python -m sample_data.generate): six per period, 3, 7, 11, 15, 19 and
# 23 days after the deadline (30/6 or 30/12), most days late listed first.
LATE = {
    "2025-H1": ["11791", "11689", "11581", "11383", "10966", "10606"],
    "2025-H2": ["11875", "11737", "11239", "11140", "10750", "10744"],
    "2026-H1": ["11914", "11848", "11692", "11533", "11506", "11455"],
}


def open_page():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/reporting.py").run()
    assert not at.exception
    return at


def select_period(at, period):
    at.sidebar.selectbox(key="period").select(period).run()
    assert not at.exception


def test_late_and_missing_units_are_named_for_every_period():
    at = open_page()
    assert at.title[0].value == "Báo cáo"
    assert "DỮ LIỆU MẪU" in at.warning[0].value
    assert any(c.value.startswith("Bộ lọc ngành hàng và loại hình không áp dụng cho trang này")
               for c in at.sidebar.caption)  # not the other pages' note, that they apply
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [tr["name"] for tr in chart["data"]] == ["Đã báo cáo", "✔ Đúng hạn", "⚠ Trễ hạn", "✖ Chưa gửi"]
    for period, codes in LATE.items():
        select_period(at, period)
        late = at.dataframe[0].value
        assert late["Mã"].tolist() == codes
        assert late["Số ngày trễ"].tolist() == [23, 19, 15, 11, 7, 3]
        assert any(m.value == "#### Đơn vị gửi trễ hạn (6)" for m in at.markdown)
    # 2026-H1 (selected last): the late list names its units with the date sent, and 10615 is missing
    late = at.dataframe[0].value
    assert late.iloc[0]["Đơn vị"] == "Đặc khu Cát Hải"
    assert late.iloc[0]["Ngày gửi"] == pd.Timestamp("2026-07-23 09:00")  # shown 23/07/2026 (tests of charts.reporting)
    missing = at.dataframe[1].value
    assert missing[["Đơn vị", "Mã"]].values.tolist() == [["Xã Hợp Tiến", "10615"]]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ gửi báo cáo"] == "99,1%"  # 113 / 114
    assert metrics["Tỷ lệ đúng hạn"] == "93,9%"     # (113 - 6) / 114
    assert any(s.value == "6 tháng đầu năm 2026 · hạn nộp 30/06/2026" for s in at.subheader)


def test_unit_history_and_english():
    at = open_page()
    select_period(at, "2025-H2")
    assert any(c.value == "Mọi đơn vị đều đã gửi báo cáo kỳ này." for c in at.caption)
    assert len(at.dataframe[-1].value) == 114 * 3  # every unit, every period
    at.sidebar.selectbox(key="unit").select("11002").run()
    history = at.dataframe[-1].value
    assert history["Kỳ"].tolist() == ["6 tháng đầu năm 2025", "6 tháng cuối năm 2025", "6 tháng đầu năm 2026"]
    assert history["Số tệp đã gửi"].tolist() == [1, 2, 1]  # Thạch Khôi resent its 2025-H2 report
    assert history["Số lần gửi lại"].tolist() == [0, 1, 0]
    # the data grid writes the history's dates and counts itself, as i18n does; "no data" where missing
    grid = at.dataframe[-1].proto
    formats = {name: c["type_config"]["format"] for name, c in json.loads(grid.columns).items() if "type_config" in c}
    assert formats == {"Thời điểm gửi": "DD/MM/YYYY HH:mm", "Hạn": "DD/MM/YYYY", "Số ngày trễ": "%d",
                       "Số tệp đã gửi": "%d", "Số lần gửi lại": "%d"}
    assert grid.placeholder == "không có số liệu"
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Reporting"
    assert at.dataframe[-1].value["Reported?"].tolist() == ["✔ Yes"] * 3
    assert json.loads(at.dataframe[-1].proto.columns)["Days late"]["type_config"]["format"] == "%,d"  # 1,234
    assert at.dataframe[-1].proto.placeholder == "no data"
    assert at.dataframe[0].value["Days late"].tolist() == [23, 19, 15, 11, 7, 3]


def test_a_store_with_activities_only_opens_the_reporting_and_unit_pages(monkeypatch, write_snapshot, act_frame, tmp_path):
    """No businesses report at all (the reporting table is empty): both pages say so, no exception."""
    write_snapshot(act_frame, "activities.parquet", tmp_path / "store")
    monkeypatch.setenv("TMDT_DATA", str(tmp_path / "store"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    for page in ("pages/reporting.py", "pages/unit.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    at.switch_page("pages/reporting.py").run()
    assert at.dataframe[-1].value.empty  # the history: no rows, its columns all there
