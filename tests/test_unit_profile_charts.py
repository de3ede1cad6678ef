"""charts/unit.py: figures and tables of the unit profile, asserted on their data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from charts.unit import (activities_table, breakdown_heatmap, breakdown_table, comparison_chart, comparison_table,
                         funnel_chart, period_ticks, reporting_history_table, series_colours, trajectory_chart)
from metrics.profile import breakdown, funnel, over_time, trajectory

A = "11002"
TZ = "Asia/Ho_Chi_Minh"
DIGITAL = {"id": "ward_digital_rate", "indicator": "digital_rate", "comparator": "at_least", "value": 70,
           "baseline": "2025-H2", "deadline": "2030-H2"}


def unit_long(indicator, rows) -> pd.DataFrame:
    return pd.DataFrame([{"period": p, "unit_code": A, "indicator": indicator, "numerator": float(n),
                          "denominator": float(d), "value": n / d * 100} for p, n, d in rows])


SERIES = trajectory(unit_long("digital_rate", [("2025-H2", 606, 1632), ("2026-H1", 777, 1936)]), DIGITAL, A)


def trace(fig, name):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


# --- trajectory ---------------------------------------------------------------------------------

def test_trajectory_chart_actual_expected_goal():
    fig = trajectory_chart(SERIES, DIGITAL, "vi")
    assert [t.name for t in fig.data] == ["Thực tế", "Lộ trình (từ kỳ gốc đến mục tiêu)", "Mục tiêu: ≥ 70%"]
    actual = trace(fig, "Thực tế")
    assert list(actual.x) == SERIES["period"].tolist()
    assert actual.y[0] == pytest.approx(606 / 1632 * 100) and actual.y[1] == pytest.approx(777 / 1936 * 100)
    assert all(math.isnan(v) for v in actual.y[2:])
    assert actual.line.color == series_colours()["actual"]
    assert actual.hovertext[1] == "6 tháng đầu năm 2026<br>Giá trị: 40,1%<br>Tử số: 777 · Mẫu số: 1.936"
    line = trace(fig, "Lộ trình (từ kỳ gốc đến mục tiêu)")
    base = 606 / 1632 * 100
    assert line.y[1] == pytest.approx(base + (70 - base) * 1 / 10) and line.y[-1] == pytest.approx(70)
    assert (line.mode, line.line.dash, line.line.color) == ("lines", "dash", series_colours()["expected"])
    goal = trace(fig, "Mục tiêu: ≥ 70%")
    assert set(goal.y) == {70} and goal.line.dash == "dot" and goal.line.color == series_colours()["goal"]
    assert fig.layout.title.text == "Tỷ lệ cơ sở sử dụng kênh số"
    assert fig.layout.yaxis.ticksuffix == "%"
    assert fig.layout.separators == ",." and fig.layout.yaxis.separatethousands is True  # 6.000, not 6000
    # the legend under the two-line ticks: at the figure's bottom, a row of room for each of its entries
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    assert (fig.layout.legend.yref, fig.layout.legend.y, fig.layout.legend.yanchor) == ("container", 0, "bottom")
    assert fig.layout.margin.b == 55 + 20 * entries and fig.layout.height == 340 + 20 * entries


def test_trajectory_ticks_years_for_long_series_halves_for_short():
    assert period_ticks(SERIES["period"].tolist(), "vi") == {
        "tickvals": [f"{y}-H1" for y in range(2026, 2031)], "ticktext": [str(y) for y in range(2026, 2031)]}
    assert period_ticks(["2025-H2", "2026-H1"], "vi") == {"tickvals": ["2025-H2", "2026-H1"],
                                                          "ticktext": ["6T cuối<br>2025", "6T đầu<br>2026"]}
    assert period_ticks(["2026-H1"], "en")["ticktext"] == ["H1<br>2026"]


def test_trajectory_chart_range_has_both_ends_in_english():
    t = {"id": "c", "indicator": "enterprise_digital_rate", "comparator": "range", "low": 65, "high": 70,
         "baseline": "2025-H2", "deadline": "2026-H2"}
    city = pd.DataFrame({"period": ["2025-H2", "2026-H1"], "indicator": "enterprise_digital_rate",
                         "numerator": [60.0, 64.0], "denominator": [100.0, 100.0], "value": [60.0, 64.0]})
    fig = trajectory_chart(trajectory(city, t), t, "en")
    assert [tr.name for tr in fig.data] == ["Actual", "Trajectory (baseline to target)", "Target: 65–70%",
                                            "High end of the target (65–70%)"]
    assert set(fig.data[2].y) == {65} and set(fig.data[3].y) == {70}
    assert fig.data[0].hovertext[1] == "First half of 2026<br>Value: 64.0%<br>Numerator: 64 · Denominator: 100"
    assert fig.layout.separators == ".,"


def test_trajectory_chart_rises_shows_last_year_as_markers():
    t = {"id": "r", "indicator": "cashless_rate", "comparator": "rises_every_year", "baseline": "2025-H2",
         "deadline": "2030-H2"}
    values = unit_long("cashless_rate", [("2025-H1", 40, 100), ("2026-H1", 45, 100)])
    fig = trajectory_chart(trajectory(values, t, A), t, "vi")
    assert [tr.name for tr in fig.data] == ["Thực tế", "Cùng kỳ năm trước (mức cần vượt)"]  # no goal value
    prev = fig.data[1]
    assert prev.mode == "markers"
    assert prev.y[2] == pytest.approx(40 / 100 * 100)  # 2026-H1 is to beat 2025-H1
    assert prev.hovertext[2] == "6 tháng đầu năm 2026<br>Cùng kỳ năm trước (mức cần vượt): 40,0%"


def test_trajectory_chart_count_and_flag():
    t = {"id": "c", "indicator": "trainings_per_year", "comparator": "count_per_year", "value": 1,
         "baseline": "2025-H2", "deadline": "2026-H2"}
    values = pd.DataFrame({"period": ["2026-H1"], "unit_code": [A], "indicator": ["trainings_per_year"],
                           "numerator": [3.0], "denominator": [1.0], "value": [3.0]})
    fig = trajectory_chart(trajectory(values, t, A), t, "vi")
    assert fig.data[1].mode == "markers" and list(fig.data[1].y) == [1 * 2 / 2, 1 * 1 / 2, 1 * 2 / 2]
    assert fig.data[0].hovertext[1] == "6 tháng đầu năm 2026<br>Giá trị: 3<br>Tử số: 3 · Mẫu số: 1"
    assert fig.layout.yaxis.ticksuffix == ""
    flag = {"id": "f", "indicator": "register_updated", "comparator": "every_year", "baseline": "2025-H2",
            "deadline": "2026-H2"}
    values = values.assign(indicator="register_updated", numerator=1.0, value=100.0)
    fig = trajectory_chart(trajectory(values, flag, A), flag, "vi")
    assert [tr.name for tr in fig.data] == ["Thực tế", "Mục tiêu: hằng năm"]


# --- other indicators: the unit against the city, the city's target for reference -------------

PERIODS = ["2025-H1", "2025-H2", "2026-H1"]
CITY_ENTERPRISE = {"id": "city_enterprise_digital", "plan": "city", "scope": "city", "indicator": "enterprise_digital_rate",
                   "comparator": "range", "low": 65, "high": 70, "baseline": "2025-H2", "deadline": "2026-H2"}


def city_long(indicator, rows) -> pd.DataFrame:
    return pd.DataFrame([{"period": p, "indicator": indicator, "numerator": float(n), "denominator": float(d),
                          "value": n / d * 100 if d else np.nan} for p, n, d in rows])


def enterprise_series():
    unit = unit_long("enterprise_digital_rate", [("2025-H1", 141, 262), ("2025-H2", 160, 270)])
    unit.loc[len(unit)] = ["2026-H1", A, "enterprise_digital_rate", 0.0, 0.0, np.nan]  # a zero denominator
    city = city_long("enterprise_digital_rate", [("2025-H1", 10518, 17496), ("2025-H2", 10876, 17296),
                                                 ("2026-H1", 11899, 17442)])
    return over_time(unit, city, "enterprise_digital_rate", A, PERIODS, CITY_ENTERPRISE)


def test_other_indicator_chart_unit_city_and_the_citys_target():
    fig = trajectory_chart(enterprise_series(), CITY_ENTERPRISE, "vi", "enterprise_digital_rate")
    assert [t.name for t in fig.data] == ["Thực tế", "Toàn thành phố", "Mục tiêu của thành phố (tham chiếu): 65–70%",
                                          "Mức cao của mục tiêu thành phố (65–70%)"]  # no trajectory of the unit's
    actual = trace(fig, "Thực tế")
    assert list(actual.x) == PERIODS
    assert actual.y[0] == pytest.approx(141 / 262 * 100) and actual.y[1] == pytest.approx(160 / 270 * 100)
    assert math.isnan(actual.y[2])  # 0 / 0: a gap, not 0
    assert actual.hovertext[0] == "6 tháng đầu năm 2025<br>Giá trị: 53,8%<br>Tử số: 141 · Mẫu số: 262"
    assert actual.hovertext[2] == "6 tháng đầu năm 2026<br>Giá trị: không có số liệu<br>Tử số: 0 · Mẫu số: 0"
    city = trace(fig, "Toàn thành phố")
    assert city.y[2] == pytest.approx(11899 / 17442 * 100)
    assert city.hovertext[2] == "6 tháng đầu năm 2026<br>Toàn thành phố: 68,2%<br>Tử số: 11.899 · Mẫu số: 17.442"
    assert (city.line.color, city.line.dash) == (series_colours()["city"], "dashdot")
    low, high = fig.data[2], fig.data[3]
    assert set(low.y) == {65} and set(high.y) == {70}
    assert (low.line.dash, low.line.color) == ("dot", series_colours()["goal"])
    assert low.hovertext[0] == "Mục tiêu của thành phố (tham chiếu): 65–70%"
    assert fig.layout.title.text == "Tỷ lệ doanh nghiệp ứng dụng TMĐT"
    assert fig.layout.yaxis.ticksuffix == "%" and "yaxis2" not in fig.layout.to_plotly_json()  # one panel for a rate


def test_other_indicator_chart_in_english_and_without_a_target():
    fig = trajectory_chart(enterprise_series(), CITY_ENTERPRISE, "en", "enterprise_digital_rate")
    assert [t.name for t in fig.data] == ["Actual", "Whole city", "City target (for reference): 65–70%",
                                          "High end of the city target (65–70%)"]
    assert fig.data[1].hovertext[0] == "First half of 2025<br>Whole city: 60.1%<br>Numerator: 10,518 · Denominator: 17,496"
    sellers = over_time(unit_long("online_seller_rate", [("2026-H1", 505, 1936)]),
                        city_long("online_seller_rate", [("2026-H1", 35829, 124349)]), "online_seller_rate", A, PERIODS)
    fig = trajectory_chart(sellers, None, "en", "online_seller_rate")
    assert [t.name for t in fig.data] == ["Actual", "Whole city"]
    assert fig.data[0].hovertext[2] == "First half of 2026<br>Value: 26.1%<br>Numerator: 505 · Denominator: 1,936"
    assert fig.layout.title.text == "Businesses selling online"


def test_other_count_chart_puts_the_citys_total_in_its_own_panel():
    t = {"id": "city_trainees", "plan": "city", "scope": "city", "indicator": "trainees_total", "comparator": "range",
         "low": 6000, "high": 8000, "baseline": "2025-H2", "baseline_value": 0, "deadline": "2026-H2"}
    unit = pd.DataFrame({"period": ["2026-H1"], "unit_code": [A], "indicator": ["trainees_total"], "numerator": [93.0],
                         "denominator": [np.nan], "value": [93.0]})
    city = pd.DataFrame({"period": ["2026-H1"], "indicator": ["trainees_total"], "numerator": [2443.0],
                         "denominator": [np.nan], "value": [2443.0]})
    fig = trajectory_chart(over_time(unit, city, "trainees_total", A, PERIODS, t), t, "vi", "trainees_total")
    assert [(tr.name, tr.yaxis) for tr in fig.data] == [
        ("Thực tế", None), ("Toàn thành phố", "y2"), ("Mục tiêu của thành phố (tham chiếu): 6.000–8.000", "y2"),
        ("Mức cao của mục tiêu thành phố (6.000–8.000)", "y2")]
    assert fig.data[0].y[2] == 93 and fig.data[1].y[2] == 2443
    assert set(fig.data[2].y) == {6000} and set(fig.data[3].y) == {8000}
    assert fig.data[1].hovertext[2] == "6 tháng đầu năm 2026<br>Toàn thành phố: 2.443<br>Tử số: 2.443 · Mẫu số: không có số liệu"
    assert (fig.layout.yaxis.title.text, fig.layout.yaxis2.title.text) == ("Đơn vị", "Toàn thành phố")
    assert fig.layout.yaxis.domain[1] < fig.layout.yaxis2.domain[0]  # the unit below, the city above
    en = trajectory_chart(over_time(unit, city, "trainees_total", A, PERIODS, t), t, "en", "trainees_total")
    assert (en.layout.yaxis.title.text, en.layout.yaxis2.title.text) == ("This unit", "Whole city")
    assert en.data[2].name == "City target (for reference): 6,000–8,000"


# --- funnel, heatmap, comparison ----------------------------------------------------------------

BIZ = pd.DataFrame([
    {"period": "2026-H1", "unit_code": A, "sector": "thuc_pham", "business_type": "doanh_nghiep", "businesses": 10,
     "digital_any": 8, "cashless": 9, "point_of_sale": 4, "point_of_sale_informed": 3, "online_sellers": 5},
    {"period": "2026-H1", "unit_code": A, "sector": "ocop", "business_type": "ho_kinh_doanh", "businesses": 1990,
     "digital_any": 12, "cashless": 20, "point_of_sale": 0, "point_of_sale_informed": 0, "online_sellers": 6},
])


def test_funnel_chart_counts_and_honest_labels():
    fig = funnel_chart(funnel(BIZ, A, "2026-H1"), "vi")
    f = fig.data[0]
    assert list(f.x) == [10 + 1990, 3, 8 + 12, 9 + 20, 5 + 6]
    assert list(f.y) == ["Cơ sở đang hoạt động", "Được tuyên truyền TTKDTM (chỉ điểm bán)", "Dùng ít nhất một kênh số",
                         "Chấp nhận thanh toán không dùng tiền mặt", "Bán hàng trực tuyến"]
    assert f.text[0] == "2.000 cơ sở"
    assert f.text[1] == "3 (75,0% của 4 điểm bán)"  # 3 / 4, of points of sale only
    assert f.text[2] == "20 (1,0% số cơ sở)"  # (8 + 12) / 2000
    assert f.marker.color == series_colours()["actual"]
    nothing = funnel_chart(funnel(BIZ, "10615", "2026-H1"), "vi").data[0]  # no report
    assert list(nothing.text) == ["không có số liệu"] * 5


def test_breakdown_heatmap_values_and_hover():
    bd = breakdown(BIZ, A, "2026-H1")
    fig = breakdown_heatmap(bd, "digital_rate", "vi")
    h = fig.data[0]
    assert len(h.y) == 10 and list(h.x) == ["Doanh nghiệp", "Hợp tác xã", "Hộ kinh doanh"]
    assert h.y[0] == "Lương thực, thực phẩm, nông sản"
    assert h.z[0][0] == pytest.approx(8 / 10 * 100)
    assert h.z[1][2] == pytest.approx(12 / 1990 * 100)  # OCOP × household business
    assert math.isnan(h.z[0][1])
    assert h.text[0][0] == "80,0%" and h.text[0][1] == "không có số liệu"
    assert h.hovertext[0][0] == "Lương thực, thực phẩm, nông sản · Doanh nghiệp<br>Giá trị: 80,0%<br>Tử số: 8 · Mẫu số: 10"
    assert (h.zmin, h.zmax) == (0, 100)
    out = breakdown_heatmap(bd, "outreach_rate", "vi").data[0]
    assert out.z[0][0] == pytest.approx(3 / 4 * 100) and math.isnan(out.z[1][2])  # 0 points of sale


def test_comparison_chart_unit_and_city():
    comp = pd.DataFrame({"indicator": ["digital_rate", "cashless_rate"], "unit_value": [40.0, np.nan],
                         "unit_numerator": [40.0, np.nan], "unit_denominator": [100.0, np.nan],
                         "city_value": [50.0, 30.0], "city_numerator": [500.0, 300.0],
                         "city_denominator": [1000.0, 1000.0], "difference": [-10.0, np.nan]})
    fig = comparison_chart(comp, "Phường Thạch Khôi", "vi")
    unit, city = fig.data
    assert (unit.name, city.name) == ("Phường Thạch Khôi", "Toàn thành phố")
    assert list(unit.y) == ["Tỷ lệ cơ sở sử dụng kênh số", "Tỷ lệ cơ sở chấp nhận thanh toán không dùng tiền mặt"]
    assert unit.x[0] == 40 and list(city.x) == [50, 30]
    assert unit.text[1] == "không có số liệu"
    assert city.hovertext[0] == "Toàn thành phố: 50,0%<br>Tử số: 500 · Mẫu số: 1.000"
    assert (unit.marker.color, city.marker.color) == (series_colours()["actual"], series_colours()["city"])
    table = comparison_table(comp, "Phường Thạch Khôi", "vi").data
    assert table["Chênh lệch so với thành phố (điểm %)"].iloc[0] == -10
    assert table["Tử số (Toàn thành phố)"].tolist() == [500, 300]


# --- tables -------------------------------------------------------------------------------------

def test_breakdown_table_keeps_numerators():
    table = breakdown_table(breakdown(BIZ, A, "2026-H1"), "digital_rate", "vi").data
    first = table.iloc[0]
    assert (first["Nhóm ngành hàng"], first["Loại hình"]) == ("Lương thực, thực phẩm, nông sản", "Doanh nghiệp")
    assert (first["Tử số"], first["Mẫu số"]) == (8, 10)
    assert len(table) == 10 * 3


def test_reporting_and_activities_tables_in_words():
    history = pd.DataFrame({
        "period": ["2025-H2", "2026-H1"], "reported": [True, False],
        "submitted_at": pd.to_datetime(["2025-12-29 08:00", None]).tz_localize(TZ),
        "deadline": [pd.Timestamp("2025-12-30").date(), pd.Timestamp("2026-06-30").date()],
        "on_time": [True, False], "days_late": [0.0, np.nan], "files": [2, 0], "resubmissions": [1, 0],
        "state": ["on_time", "missing"]})
    view = reporting_history_table(history, "vi")
    assert view.data["Tình trạng gửi"].tolist() == ["✔ Đúng hạn", "? Chưa gửi"]
    assert view.data["Số lần gửi lại"].tolist() == [1, 0]
    assert view.data["Thời điểm gửi"].iloc[0] == pd.Timestamp("2025-12-29 08:00", tz=TZ)  # the grid writes 29/12/2025 08:00
    assert view.kinds == {"Thời điểm gửi": "datetime", "Hạn": "date", "Số ngày trễ": "count", "Số tệp đã gửi": "count",
                          "Số lần gửi lại": "count"}
    acts = pd.DataFrame({"period": ["2026-H1"], "reported": [True], "trainings": [3], "register_updated": [True],
                         "submitted_at": pd.to_datetime(["2026-06-24 10:00"]).tz_localize(TZ)})
    data = activities_table(acts, "en").data
    assert list(data.columns) == ["Period", "Report sent", "Trainings", "Online-seller list reviewed", "Submitted at"]
    assert data.iloc[0].tolist()[:4] == ["First half of 2026", "✔ Yes", 3, "✔ Yes"]
