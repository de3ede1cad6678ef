"""The scorecard table (metrics/scorecard.py) and its labelled, coloured view (charts/scorecard.py),
on tiny hand-built long tables; every expected figure is written as arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from charts.scorecard import scorecard_data, scorecard_help, scorecard_view, scorecard_widths
from charts.tables import status_style, styled_table
from charts.style import status_colours
from metrics.scorecard import LAGGARD_ORDER, scorecard_table

P = "2026-H1"
CAT_HAI, BACH_LONG_VI = "11914", "11948"  # the two đặc khu
THACH_KHOI, THANH_DONG, HAI_DUONG = "11002", "10507", "10525"  # phường
UNITS_EXPECTED, PHUONG, XA, DAC_KHU = 114, 45, 67, 2


def value(unit, indicator, num, den, period=P) -> dict:
    return {"period": period, "unit_code": unit, "indicator": indicator, "numerator": float(num),
            "denominator": float(den), "value": num / den * 100 if den else np.nan}


def count(unit, indicator, n, halves=1, period=P) -> dict:
    return {"period": period, "unit_code": unit, "indicator": indicator, "numerator": float(n),
            "denominator": float(halves), "value": float(n)}


def status(unit, indicator, st, expected=None, reason=None) -> dict:
    return {"unit_code": unit, "target": f"ward_{indicator}", "indicator": indicator, "period": P,
            "status": st, "reason": reason, "expected": expected}


VALUES = pd.DataFrame([
    value(CAT_HAI, "digital_rate", 30, 60),          # 50%
    value(CAT_HAI, "outreach_rate", 12, 20),         # 60%
    count(CAT_HAI, "trainings_per_year", 0),
    value(BACH_LONG_VI, "digital_rate", 9, 30),      # 30%
    value(BACH_LONG_VI, "outreach_rate", 0, 0),      # no denominator
    count(BACH_LONG_VI, "trainings_per_year", 2),
    value(THACH_KHOI, "digital_rate", 45, 100),      # 45%
    value(THACH_KHOI, "outreach_rate", 70, 100),     # 70%
    count(THACH_KHOI, "trainings_per_year", 1),
    value(THANH_DONG, "digital_rate", 41, 100),      # 41%
    value(THANH_DONG, "outreach_rate", 66, 100),     # 66%
    count(THANH_DONG, "trainings_per_year", 0),
    value(CAT_HAI, "digital_rate", 20, 50, period="2025-H2"),  # another period: not in the table
])
# expected is None where metrics.targets gives none (met, no data): a column of objects, as there.
STATUS = pd.DataFrame([
    status(CAT_HAI, "digital_rate", "on_track", expected=48.0),                      # gap 50 − 48
    status(CAT_HAI, "outreach_rate", "needs_acceleration", expected=65.0),           # gap 60 − 65
    status(CAT_HAI, "trainings_per_year", "limited_progress", expected=0.5),         # a count: no gap
    status(BACH_LONG_VI, "digital_rate", "limited_progress", expected=33.0),         # gap 30 − 33
    status(BACH_LONG_VI, "outreach_rate", "no_data", reason="no_denominator"),
    status(BACH_LONG_VI, "trainings_per_year", "met"),
    status(THACH_KHOI, "digital_rate", "limited_progress", expected=46.0),           # gap 45 − 46
    status(THACH_KHOI, "outreach_rate", "deteriorating", expected=72.0),             # gap 70 − 72
    status(THACH_KHOI, "trainings_per_year", "met"),
    status(THANH_DONG, "digital_rate", "deteriorating", expected=45.0),              # gap 41 − 45
    status(THANH_DONG, "outreach_rate", "on_track", expected=66.0),
    status(THANH_DONG, "trainings_per_year", "limited_progress", expected=0.5),
])


def row_of(table: pd.DataFrame, unit: str) -> pd.Series:
    rows = table[table["unit_code"] == unit]
    assert len(rows) == 1
    return rows.iloc[0]


# --- the table ----------------------------------------------------------------------------------

def test_every_unit_expected_one_row_with_the_period():
    table = scorecard_table(VALUES, STATUS, P)
    assert len(table) == UNITS_EXPECTED
    assert table["unit_code"].is_unique
    assert set(table["period"]) == {P}


def test_values_carry_numerator_and_denominator_of_the_period():
    table = scorecard_table(VALUES, STATUS, P)
    cat = row_of(table, CAT_HAI)
    assert cat["digital_rate"] == pytest.approx(30 / 60 * 100)
    assert (cat["digital_rate__num"], cat["digital_rate__den"]) == (30, 60)
    assert cat["outreach_rate"] == pytest.approx(12 / 20 * 100)
    assert cat["trainings_per_year"] == 0
    assert (cat["unit_name"], cat["unit_type"]) == ("Cát Hải", "đặc khu")


def test_zero_denominator_and_missing_report_are_nan_never_zero():
    table = scorecard_table(VALUES, STATUS, P)
    blv = row_of(table, BACH_LONG_VI)
    assert math.isnan(blv["outreach_rate"]) and blv["outreach_rate__den"] == 0
    assert (blv["outreach_rate__status"], blv["outreach_rate__reason"]) == ("no_data", "no_denominator")
    nobody = row_of(table, HAI_DUONG)  # no value, no status row at all
    assert math.isnan(nobody["digital_rate"]) and math.isnan(nobody["digital_rate__num"])
    assert nobody["digital_rate__status"] == "no_data"
    assert nobody["worst_status"] == "no_data" and math.isnan(nobody["gap"])


def test_status_expected_and_gap_per_indicator():
    table = scorecard_table(VALUES, STATUS, P)
    cat = row_of(table, CAT_HAI)
    assert cat["digital_rate__status"] == "on_track"
    assert cat["digital_rate__expected"] == 48.0
    assert cat["digital_rate__gap"] == pytest.approx(30 / 60 * 100 - 48)
    assert cat["outreach_rate__gap"] == pytest.approx(12 / 20 * 100 - 65)
    assert math.isnan(cat["trainings_per_year__gap"])  # a count, not percentage points
    assert cat["trainings_per_year__expected"] == 0.5
    assert math.isnan(row_of(table, BACH_LONG_VI)["trainings_per_year__expected"])  # met: none
    assert table["digital_rate__expected"].dtype == float


def test_indicators_without_a_unit_target_have_no_status_columns():
    values = pd.concat([VALUES, pd.DataFrame([value(CAT_HAI, "online_seller_rate", 5, 60)])])
    table = scorecard_table(values, STATUS, P)
    assert row_of(table, CAT_HAI)["online_seller_rate"] == pytest.approx(5 / 60 * 100)
    assert "online_seller_rate__num" in table and "online_seller_rate__status" not in table
    # the dictionary's order: digital_rate before online_seller_rate before trainings_per_year
    cols = list(table.columns)
    assert cols.index("digital_rate") < cols.index("online_seller_rate") < cols.index("trainings_per_year")


def test_worst_status_and_its_gap():
    table = scorecard_table(VALUES, STATUS, P)
    cat = row_of(table, CAT_HAI)  # on track, needs acceleration, limited progress (a count)
    assert cat["worst_status"] == "limited_progress"
    assert math.isnan(cat["gap"])  # the worst target is a count: no gap in points
    thk = row_of(table, THACH_KHOI)
    assert thk["worst_status"] == "deteriorating"
    assert thk["gap"] == pytest.approx(70 - 72)
    blv = row_of(table, BACH_LONG_VI)  # limited progress beats "not enough data"
    assert blv["worst_status"] == "limited_progress"
    assert blv["gap"] == pytest.approx(9 / 30 * 100 - 33)


@pytest.mark.parametrize("unit_type, n", [("đặc khu", DAC_KHU), ("phường", PHUONG), ("xã", XA), (None, UNITS_EXPECTED)])
def test_unit_type_filter(unit_type, n):
    table = scorecard_table(VALUES, STATUS, P, unit_type=unit_type)
    assert len(table) == n
    if unit_type:
        assert set(table["unit_type"]) == {unit_type}


def test_default_order_is_the_unit_list():
    table = scorecard_table(VALUES, STATUS, P, unit_type="đặc khu")
    assert table["unit_code"].tolist() == [CAT_HAI, BACH_LONG_VI]


def test_laggards_first_by_worst_status_then_gap():
    table = scorecard_table(VALUES, STATUS, P, laggards_first=True)
    # deteriorating: Thành Đông (41 − 45 = −4) before Thạch Khôi (70 − 72 = −2);
    # limited progress: Bạch Long Vĩ (gap 30 − 33 = −3) before Cát Hải (no gap);
    # then the 110 units with no data at all, in the unit list's order.
    assert table["unit_code"].tolist()[:4] == [THANH_DONG, THACH_KHOI, BACH_LONG_VI, CAT_HAI]
    assert table["worst_status"].tolist()[:4] == ["deteriorating", "deteriorating", "limited_progress", "limited_progress"]
    assert set(table["worst_status"].iloc[4:]) == {"no_data"}
    assert len(table) == UNITS_EXPECTED
    tail = table["unit_code"].iloc[4:].tolist()
    assert tail == sorted(tail) and len(tail) == UNITS_EXPECTED - 4


def test_laggard_order_puts_not_judged_last():
    assert LAGGARD_ORDER[0] == "deteriorating" and LAGGARD_ORDER[-2:] == ["met", "no_data"]


def test_laggards_with_a_type_filter():
    table = scorecard_table(VALUES, STATUS, P, unit_type="đặc khu", laggards_first=True)
    assert table["unit_code"].tolist() == [BACH_LONG_VI, CAT_HAI]  # gap −3 before no gap


def test_no_data_at_all_gives_every_unit_without_indicator_columns():
    empty_values = VALUES.iloc[0:0]
    empty_status = STATUS.iloc[0:0]
    table = scorecard_table(empty_values, empty_status, P, laggards_first=True)
    assert len(table) == UNITS_EXPECTED
    assert set(table["worst_status"]) == {"no_data"}


# --- the view for people ------------------------------------------------------------------------

def test_view_labels_words_and_numbers_stay_numbers():
    table = scorecard_table(VALUES, STATUS, P, unit_type="đặc khu")
    data = scorecard_data(table, "vi")
    assert list(scorecard_view(table, "vi", detail=True).data.columns) == list(data.columns)
    assert data["Đơn vị"].tolist() == ["Cát Hải", "Bạch Long Vĩ"]
    assert data["Loại"].tolist() == ["Đặc khu", "Đặc khu"]
    assert data["Kỳ"].tolist() == ["6 tháng đầu năm 2026"] * 2
    assert data["Tỷ lệ cơ sở sử dụng kênh số"].tolist() == pytest.approx([30 / 60 * 100, 9 / 30 * 100])
    assert data["Tỷ lệ cơ sở sử dụng kênh số: tử số"].tolist() == [30, 9]
    assert data["Tỷ lệ cơ sở sử dụng kênh số: tình trạng"].tolist() == ["↗ Đúng lộ trình", "▽ Tiến triển hạn chế"]
    assert data["Tỷ lệ điểm bán được tuyên truyền, hướng dẫn TTKDTM: ghi chú"].tolist() == ["", "mẫu số bằng 0"]
    assert pd.api.types.is_float_dtype(data["Tỷ lệ cơ sở sử dụng kênh số"])


def test_view_formats_the_vietnamese_way_and_colours_status_with_words():
    table = scorecard_table(VALUES, STATUS, P, unit_type="đặc khu")
    html = scorecard_view(table, "vi").to_html()
    # at a glance: each target's cell is its status's symbol and the value, in the status's colour
    assert "↗ 50,0%" in html and "▽ 30,0%" in html  # 30/60 and 9/30, one decimal, comma
    assert "? —" in html  # outreach of Bạch Long Vĩ (0/0): no data
    assert "▽ Tiến triển hạn chế" in html  # the worst status in words: the colour never stands alone
    colour = status_colours()["on_track"].lower()
    assert f"background-color: {colour}" in html.lower()
    detail = scorecard_view(table, "vi", detail=True).to_html()
    assert "không có số liệu" in detail and "↗ Đúng lộ trình" in detail


def test_view_in_english():
    table = scorecard_table(VALUES, STATUS, P, unit_type="đặc khu")
    view = scorecard_view(table, "en")
    assert view.data["Unit"].tolist() == ["Cát Hải", "Bạch Long Vĩ"]
    assert view.data["Digital channel"].tolist() == pytest.approx([50.0, 30.0])  # numbers underneath: sorts on them
    assert "↗ 50.0%" in view.to_html()
    detail = scorecard_view(table, "en", detail=True)
    assert detail.data["Type"].tolist() == ["Special zone"] * 2
    assert detail.data["Businesses using a digital channel: status"].tolist() == ["↗ On track", "▽ Limited progress"]


def test_columns_shown_with_and_without_detail():
    table = scorecard_table(VALUES, STATUS, P)
    short = list(scorecard_view(table, "vi").data.columns)
    full = list(scorecard_view(table, "vi", detail=True).data.columns)
    # at a glance: the targets only (the indicators with a status), under their short names
    assert short == ["Đơn vị", "Tình trạng kém nhất", "Chênh lệch", "Kênh số", "Tuyên truyền", "Lớp tập huấn"]
    assert full[:5] == ["Đơn vị", "Mã", "Loại", "Kỳ", "Tình trạng kém nhất"]
    assert "Tỷ lệ cơ sở sử dụng kênh số: tử số" in full and "Tỷ lệ cơ sở sử dụng kênh số: mẫu số" in full
    assert full == list(scorecard_data(table, "vi").columns)  # the download has every column


def test_a_returned_report_is_flagged_before_the_unit_name():
    table = scorecard_table(VALUES, STATUS, P, unit_type="đặc khu").assign(review=["returned", "waiting"])
    assert scorecard_view(table, "vi").data["Đơn vị"].tolist() == ["↩ Cát Hải", "Bạch Long Vĩ"]
    assert scorecard_view(table, "vi", detail=True).data["Tình trạng duyệt"].tolist()[0].startswith("↩ ")


def test_help_gives_formula_and_target():
    table = scorecard_table(VALUES, STATUS, P)
    helps = scorecard_help(table, "vi", detail=True)
    assert helps["Tỷ lệ cơ sở sử dụng kênh số"] == "Σ cơ sở dùng ít nhất một kênh số / Σ cơ sở đang hoạt động"
    assert "≥ 70%" in helps["Tỷ lệ cơ sở sử dụng kênh số: tình trạng"]
    glance = scorecard_help(table, "vi")["Kênh số"]  # the short header's help: name, formula, target
    assert glance.startswith("Tỷ lệ cơ sở sử dụng kênh số: ")
    assert "Σ cơ sở dùng ít nhất một kênh số / Σ cơ sở đang hoạt động" in glance and "≥ 70%" in glance


def test_column_widths_fit_a_laptop_at_a_glance():
    table = scorecard_table(VALUES, STATUS, P)
    widths = scorecard_widths(table, "vi")
    # a number column as wide as its header: 6,5 px a character + 24 px, at least 80
    assert widths == {"Đơn vị": 140, "Tình trạng kém nhất": 165, "Chênh lệch": 89, "Kênh số": 80, "Tuyên truyền": 102,
                      "Lớp tập huấn": 102}
    detail = scorecard_widths(table, "vi", detail=True)
    assert detail["Tỷ lệ cơ sở sử dụng kênh số"] == "small" and detail["Chênh lệch so với lộ trình (điểm %)"] == "small"
    assert detail["Tỷ lệ cơ sở sử dụng kênh số: tình trạng"] == "medium" and detail["Tình trạng kém nhất"] == "medium"
    assert "Đơn vị" not in detail  # the unit's name keeps its width (pinned on the page)


def test_styled_table_kinds():
    frame = pd.DataFrame({"when": [pd.Timestamp("2026-06-24 10:00", tz="Asia/Ho_Chi_Minh"), pd.NaT],
                          "ok": [True, False], "n": [1234.0, np.nan]})
    view = styled_table(frame, [("when", "Lúc", "datetime"), ("ok", "Được", "yesno"), ("n", "Số", "count")], "vi")
    assert view.data["Được"].tolist() == ["✔ Có", "✖ Không"]
    html = view.to_html()
    assert "24/06/2026 10:00" in html and "1.234" in html and "không có số liệu" in html


def test_status_style_has_every_status_in_words():
    css = status_style("vi")
    assert set(css) == {"✔ Đã đạt mục tiêu", "↗ Đúng lộ trình", "⚠ Cần đẩy nhanh", "▽ Tiến triển hạn chế",
                        "✖ Đang đi xuống", "? Chưa đủ số liệu"}
    assert css["✔ Đã đạt mục tiêu"] == f"background-color: {status_colours()['met']}; color: #fff"
