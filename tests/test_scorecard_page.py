"""The Bảng điểm page in AppTest: filters, laggards, detail columns, downloads, English."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from loaders.reference import ROOT, default_store
from loaders.store import load_store
from metrics import tables
from metrics.scorecard import scorecard_table

PERIOD = "2026-H1"
UNITS_EXPECTED, PHUONG, DAC_KHU = 114, 45, 2


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/scorecard.py").run()
    at.sidebar.selectbox(key="period").select(PERIOD).run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def sample():
    store = load_store(default_store())
    unit_values, _ = tables.values(store)
    _, unit_status = tables.scorecard(store, PERIOD)
    return unit_values, unit_status


def table(at: AppTest):
    return at.dataframe[0].value


def test_page_shows_every_unit_with_status_in_words():
    at = open_page()
    assert at.title[0].value == "Bảng điểm"
    df = table(at)
    assert len(df) == UNITS_EXPECTED
    assert "Kỳ" not in df  # said once, above the table
    at.toggle(key="sc_detail").set_value(True).run()
    assert table(at)["Kỳ"].unique().tolist() == ["6 tháng đầu năm 2026"]
    at.toggle(key="sc_detail").set_value(False).run()
    words = {"✔ Đã đạt mục tiêu", "↗ Đúng lộ trình", "⚠ Cần đẩy nhanh", "▽ Tiến triển hạn chế", "✖ Đang đi xuống",
             "? Chưa đủ số liệu"}
    assert set(df["Tình trạng kém nhất"]) <= words
    assert df["Kênh số"].dtype == float  # numbers, so sorting is numeric
    assert at.caption[2].value == "114 đơn vị · kỳ 6 tháng đầu năm 2026"
    assert [b.label for b in at.get("download_button")] == ["⬇ Tải Excel (XLSX)", "⬇ Tải CSV"]


def test_unit_type_filter_changes_the_rows():
    at = open_page()
    at.selectbox(key="sc_type").select("đặc khu").run()
    assert table(at)["Đơn vị"].tolist() == ["Cát Hải", "Bạch Long Vĩ"]
    at.selectbox(key="sc_type").select("phường").run()
    assert len(table(at)) == PHUONG
    at.toggle(key="sc_detail").set_value(True).run()
    assert set(table(at)["Loại"]) == {"Phường"}
    assert at.caption[2].value == "45 đơn vị · kỳ 6 tháng đầu năm 2026"


def test_laggards_toggle_orders_by_worst_status_then_gap(sample):
    at = open_page()
    at.toggle(key="sc_detail").set_value(True).run()  # with the codes
    before = table(at)["Mã"].tolist()
    assert before == sorted(before)  # the unit list's order
    at.toggle(key="sc_laggards").set_value(True).run()
    after = table(at)
    expected = scorecard_table(*sample, PERIOD, laggards_first=True)
    assert after["Mã"].tolist() == expected["unit_code"].tolist()
    assert after["Mã"].tolist() != before
    assert after["Tình trạng kém nhất"].iloc[0] == "✖ Đang đi xuống"
    gaps = after.loc[after["Tình trạng kém nhất"] == "✖ Đang đi xuống", "Chênh lệch so với lộ trình (điểm %)"].dropna()
    assert gaps.tolist() == sorted(gaps.tolist())


def test_detail_toggle_shows_numerators_and_denominators():
    at = open_page()
    shown = list(table(at).columns)
    assert "Kênh số" in shown and "Mã" not in shown  # at a glance: the targets under their short names
    assert "Tỷ lệ cơ sở sử dụng kênh số: tử số" not in shown
    at.toggle(key="sc_detail").set_value(True).run()
    shown = list(table(at).columns)
    assert {"Tỷ lệ cơ sở sử dụng kênh số: tử số", "Tỷ lệ cơ sở sử dụng kênh số: mẫu số",
            "Tỷ lệ cơ sở sử dụng kênh số: mức cần đạt theo lộ trình"} <= set(shown)


def test_cells_trace_to_numerator_and_denominator(sample):
    at = open_page()
    at.toggle(key="sc_detail").set_value(True).run()
    df = table(at).set_index("Mã")
    uv = sample[0]
    row = uv[(uv["unit_code"] == "11002") & (uv["period"] == PERIOD) & (uv["indicator"] == "digital_rate")].iloc[0]
    thk = df.loc["11002"]
    assert thk["Tỷ lệ cơ sở sử dụng kênh số: tử số"] == row["numerator"]
    assert thk["Tỷ lệ cơ sở sử dụng kênh số: mẫu số"] == row["denominator"]
    assert thk["Tỷ lệ cơ sở sử dụng kênh số"] == pytest.approx(row["numerator"] / row["denominator"] * 100)


def test_english():
    at = open_page()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Scorecard"
    df = table(at)
    assert {"Unit", "Worst status", "Digital channel"} <= set(df.columns)
    at.toggle(key="sc_detail").set_value(True).run()
    assert table(at)["Period"].unique().tolist() == ["First half of 2026"]
    assert [b.label for b in at.get("download_button")] == ["⬇ Download Excel (XLSX)", "⬇ Download CSV"]
