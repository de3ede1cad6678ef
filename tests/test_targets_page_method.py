"""The worked example of the status method (metrics.worked_example) and the targets page's builders
(charts.targets), with hand-computed figures."""

import math

import numpy as np
import pandas as pd
import pytest

from charts import targets as charts
from charts.style import status_colours
from loaders.reference import indicators, targets
from metrics import worked_example as we
from metrics.targets import REASONS, STATUSES, target_fields


def target(target_id):
    return next(t for t in targets() if t["id"] == target_id)


# --- metrics.worked_example --------------------------------------------------------------------

def test_lines_follow_the_straight_trajectory_and_the_band_edges():
    t = target("ward_digital_rate")  # ≥ 70% by 2030-H2, baseline period 2025-H2: 10 half-years
    lines = we.lines(t, 40.0)
    assert lines["period"].tolist()[0] == "2025-H2" and lines["period"].tolist()[-1] == "2030-H2"
    assert len(lines) == 10 + 1
    at = lines[lines["period"] == "2028-H2"].iloc[0]  # 6 half-years on
    assert at["elapsed"] == 6
    assert at["expected"] == pytest.approx(40 + (70 - 40) * 6 / 10)
    assert at["edge_on_track"] == pytest.approx(40 + 0.95 * ((40 + (70 - 40) * 6 / 10) - 40))
    assert at["edge_accelerate"] == pytest.approx(40 + 0.6 * ((40 + (70 - 40) * 6 / 10) - 40))
    assert at["edge_zero"] == pytest.approx(40)
    assert lines.iloc[0]["expected"] == 40 and lines.iloc[-1]["expected"] == pytest.approx(70)
    assert set(lines["goal"]) == {70.0}


def test_points_are_assessed_by_trajectory():
    t = target("ward_digital_rate")
    pts = we.points(t, 40.0, "2028-H2", [72, 60, 54, 45, 35, 58])
    expected = 40 + (70 - 40) * 6 / 10  # 58
    assert pts["status"].tolist() == ["met", "on_track", "needs_acceleration", "limited_progress", "deteriorating",
                                      "on_track"]
    assert math.isnan(pts["ratio"][0])  # met is decided before any R
    assert pts["ratio"][1] == pytest.approx((60 - 40) / (expected - 40))
    assert pts["ratio"][2] == pytest.approx((54 - 40) / (expected - 40))
    assert pts["ratio"][3] == pytest.approx((45 - 40) / (expected - 40))
    assert pts["ratio"][4] == pytest.approx((35 - 40) / (expected - 40))
    assert pts["ratio"][5] == pytest.approx(1.0)
    assert pts["expected"][1] == pytest.approx(expected)


def test_points_on_a_range_target_and_at_the_baseline():
    t = target("city_enterprise_digital")  # 65–70% by 2026-H2: 2 half-years from 2025-H2
    pts = we.points(t, 60.0, "2026-H1", [71, 64, 62, 61, 59])
    expected = 60 + (65 - 60) * 1 / 2  # the low end of the range is the goal
    assert pts["expected"][1] == pytest.approx(expected)
    assert pts["status"].tolist() == ["met", "on_track", "needs_acceleration", "limited_progress", "deteriorating"]
    assert pts["ratio"][2] == pytest.approx((62 - 60) / (expected - 60))  # 0.8
    at_baseline = we.points(t, 60.0, "2025-H2", [61])
    assert (at_baseline["status"][0], at_baseline["reason"][0]) == ("no_data", "baseline_period")


def test_the_worked_example_shows_every_band_once():
    ex = we.worked_example()
    assert ex.target["id"] == we.TARGET
    assert (ex.elapsed, ex.total) == (6, 10)
    assert ex.expected == pytest.approx(40 + (70 - 40) * 6 / 10)
    assert ex.points["status"].tolist() == STATUSES[:5]


# --- charts.targets ----------------------------------------------------------------------------

def city_row(target_id, **kw):
    t = target(target_id)
    row = {"target": t["id"], "indicator": t["indicator"], "period": "2026-H1", "value": np.nan, "numerator": np.nan,
           "denominator": np.nan, "baseline": np.nan, "previous_period": np.nan, "previous": np.nan, "change": np.nan,
           "expected": None, "ratio": np.nan, "status": "no_data", "reason": None, "exceeded": False,
           **{f"units_{s}": 0 for s in STATUSES}, **target_fields(t)}
    return {**row, **kw}


def test_targets_table_in_words():
    city = pd.DataFrame([
        city_row("ward_digital_rate", value=(5916 + 1234) / (12483 + 2000) * 100, numerator=5916 + 1234.0,
                 denominator=12483 + 2000.0, baseline=40.6, expected=43.5, status="on_track",
                 units_met=3, units_on_track=70, units_no_data=1),
        city_row("ward_trainings", value=48 / 114 * 100, numerator=48.0, denominator=114.0, expected=100.0,
                 status="limited_progress", units_met=48, units_limited_progress=65, units_no_data=1),
        city_row("city_site_growth", value=(2396 / 2026 - 1) * 100, numerator=2396.0, denominator=2026.0, baseline=0.0,
                 status="met", exceeded=True),
        city_row("city_trainees", value=2443.0, baseline=0.0, expected=3000.0, status="needs_acceleration"),
        city_row("city_adults_online", reason="no_value"),
    ])
    table = charts.targets_table(city, targets())
    assert len(table) == 5
    first = table.iloc[0]
    assert first["Kế hoạch"] == "Kế hoạch phát triển TMĐT phường Thạch Khôi giai đoạn 2026–2030"
    assert first["Điều khoản"] == "II.2" and first["Phạm vi"] == "Từng xã, phường"
    assert first["Mức mục tiêu"] == "≥ 70%" and first["Hạn"] == "cuối năm 2030"
    assert first["Kỳ gốc"] == "40,6% (6 tháng cuối năm 2025)"
    assert first["Giá trị toàn thành phố (6 tháng đầu năm 2026)"] == "49,4% (7.150/14.483)"  # Σ numerator / Σ denominator
    assert first["Mức cần đạt theo lộ trình"] == "43,5%"
    assert first["Tình trạng"] == "↗ Đúng lộ trình"
    assert first["Số đơn vị theo tình trạng"] == "✔ Đã đạt mục tiêu: 3 · ↗ Đúng lộ trình: 70 · ? Chưa đủ số liệu: 1"
    trainings = table.iloc[1]
    assert trainings["Giá trị toàn thành phố (6 tháng đầu năm 2026)"] == "42,1% đơn vị đạt (48/114)"
    assert trainings["Kỳ gốc"] == "không áp dụng" and trainings["Mức mục tiêu"] == "≥ 1/năm"
    assert table.iloc[2]["Tình trạng"] == "✔ Đã đạt mục tiêu — vượt mức cao của mục tiêu"
    assert table.iloc[2]["Số đơn vị theo tình trạng"] == "không áp dụng"
    assert table.iloc[2]["Giá trị toàn thành phố (6 tháng đầu năm 2026)"] == "18,3% (2.396 so với 2.026)"  # growth
    assert table.iloc[3]["Giá trị toàn thành phố (6 tháng đầu năm 2026)"] == "2.443"  # a count
    assert table.iloc[3]["Mức mục tiêu"] == "6.000–8.000"
    assert table.iloc[4]["Tình trạng"] == "? Chưa đủ số liệu — chưa có báo cáo kỳ này"
    assert table.iloc[4]["Giá trị toàn thành phố (6 tháng đầu năm 2026)"] == "không có số liệu"  # reported: no ratio
    assert table.columns.tolist()[:4] == ["Chỉ tiêu", "Mức mục tiêu", "Giá trị toàn thành phố (6 tháng đầu năm 2026)",
                                          "Tình trạng"]
    ward = charts.targets_table(city, targets(), "vi", plan="ward")
    assert ward["Chỉ tiêu"].tolist() == ["Tỷ lệ cơ sở sử dụng kênh số", "Số lớp tập huấn/năm"]
    assert "Kế hoạch" not in ward.columns  # the plan is the table's heading
    english = charts.targets_table(city, targets(), "en")
    assert english.iloc[1]["City value (First half of 2026)"] == "42.1% of units meet it (48 of 114)"
    assert english.iloc[0]["Goal"] == "≥ 70%"
    assert english.iloc[0]["City value (First half of 2026)"] == "49.4% (7,150/14,483)"


def test_targets_download_in_words_with_numbers_kept():
    value = 7150 / 14483 * 100  # Σ numerator / Σ denominator
    city = pd.DataFrame([
        city_row("ward_digital_rate", value=value, numerator=7150.0, denominator=14483.0, baseline=40.6,
                 previous_period="2025-H2", previous=40.6, change=value - 40.6, expected=43.5,
                 ratio=(value - 40.6) / (43.5 - 40.6), status="on_track", units_met=3, units_on_track=70, units_no_data=1),
        city_row("ward_trainings", value=48 / 114 * 100, numerator=48.0, denominator=114.0, expected=100.0,
                 status="limited_progress", units_met=48, units_limited_progress=65, units_no_data=1),
        city_row("city_trainees", value=2443.0, numerator=2443.0, baseline=0.0, previous_period="2025-H1",
                 previous=2409.0, change=2443.0 - 2409, expected=3000.0, status="needs_acceleration"),
        city_row("city_site_growth", value=(2396 / 2026 - 1) * 100, status="met", exceeded=True),
        city_row("city_adults_online", reason="no_value"),
    ])
    table = charts.targets_download(city, targets())
    units = ["Số đơn vị: ✔ Đã đạt mục tiêu", "Số đơn vị: ↗ Đúng lộ trình", "Số đơn vị: ⚠ Cần đẩy nhanh",
             "Số đơn vị: ▽ Tiến triển hạn chế", "Số đơn vị: ✖ Đang đi xuống", "Số đơn vị: ? Chưa đủ số liệu"]
    assert table.columns.tolist() == [
        "Mã mục tiêu", "Mục tiêu", "Kế hoạch", "Điều khoản", "Phạm vi", "Chỉ tiêu", "Mức mục tiêu", "Hạn", "Kỳ",
        "Giá trị", "Đơn vị tính", "Tử số", "Mẫu số", "Tình trạng", "Ghi chú", "Vượt mức cao của mục tiêu",
        "Mức cần đạt theo lộ trình", "R (tiến độ đã đạt / tiến độ cần đạt)", "Kỳ gốc", "Giá trị kỳ gốc", "Kỳ so sánh",
        "Giá trị kỳ so sánh", "Thay đổi so với kỳ so sánh", *units]
    first = table.iloc[0]
    assert first.iloc[:9].tolist() == [
        "ward_digital_rate", target("ward_digital_rate")["vi"],
        "Kế hoạch phát triển TMĐT phường Thạch Khôi giai đoạn 2026–2030", "II.2", "Từng xã, phường",
        "Tỷ lệ cơ sở sử dụng kênh số", "≥ 70%", "cuối năm 2030", "6 tháng đầu năm 2026"]
    # numbers stay numbers (XLSX keeps them numeric), traced to their Σ numerator and Σ denominator
    assert (first["Tử số"], first["Mẫu số"], first["Đơn vị tính"]) == (7150, 14483, "%")
    assert first["Giá trị"] == pytest.approx(49.3682, abs=1e-4)
    assert (first["Tình trạng"], first["Ghi chú"], first["Vượt mức cao của mục tiêu"]) == ("↗ Đúng lộ trình", "", "✖ Không")
    assert (first["Mức cần đạt theo lộ trình"], first["Kỳ gốc"], first["Giá trị kỳ gốc"]) == (43.5, "6 tháng cuối năm 2025", 40.6)
    assert first["R (tiến độ đã đạt / tiến độ cần đạt)"] == pytest.approx(3.0235, abs=1e-4)  # (49,3682 − 40,6) / (43,5 − 40,6)
    assert (first["Kỳ so sánh"], first["Giá trị kỳ so sánh"]) == ("6 tháng cuối năm 2025", 40.6)
    assert first["Thay đổi so với kỳ so sánh"] == pytest.approx(8.7682, abs=1e-4)  # 49,3682 − 40,6
    assert first[units].tolist() == [3, 70, 0, 0, 0, 1]
    assert all(pd.api.types.is_float_dtype(table[c]) for c in ("Giá trị", "Tử số", "Mẫu số", "Mức cần đạt theo lộ trình"))
    trainings, trainees, growth, adults = (table.iloc[i] for i in range(1, 5))
    assert (trainings["Đơn vị tính"], trainings["Tử số"], trainings["Mẫu số"]) == ("% số đơn vị đạt", 48, 114)
    assert trainings["Kỳ so sánh"] == "không có số liệu"  # a yearly target compares with no period
    assert (trainees["Đơn vị tính"], trainees["Mức mục tiêu"], trainees["Kỳ so sánh"]) == (
        "số đếm", "6.000–8.000", "6 tháng đầu năm 2025")  # a count over the year: the same half a year earlier
    assert (trainees["Giá trị"], trainees["Thay đổi so với kỳ so sánh"]) == (2443, 34)
    assert (growth["Tình trạng"], growth["Vượt mức cao của mục tiêu"]) == ("✔ Đã đạt mục tiêu", "✔ Có")
    assert (adults["Tình trạng"], adults["Ghi chú"]) == ("? Chưa đủ số liệu", "chưa có báo cáo kỳ này")
    assert math.isnan(adults["Giá trị"])  # no value: blank, never 0

    english = charts.targets_download(city, targets(), "en")
    assert english.columns.tolist()[:9] == ["Target id", "Target", "Plan", "Clause", "Scope", "Indicator", "Goal",
                                            "Deadline", "Period"]
    row = english.iloc[1]
    assert row[["Indicator", "Goal", "Unit", "Status", "Units: ✔ Target met"]].tolist() == [
        "Trainings per year", "≥ 1 a year", "% of units meeting it", "▽ Limited progress", 48]
    assert (row["Period"], row["Baseline period"], row["Deadline"]) == ("First half of 2026", "Second half of 2025",
                                                                        "end of 2030")
    assert english.iloc[4]["Note"] == "no report for the period"
    assert english.iloc[3]["Past the high end of the target"] == "✔ Yes"


def test_short_period_words():
    assert charts.i18n.fmt_period_short("2028-H2") == "6T cuối 2028"
    assert charts.i18n.fmt_period_short("2026-H1") == "6T đầu 2026"
    assert charts.i18n.fmt_period_short("2026-H1", "en") == "H1 2026"


def test_indicator_dictionary_lists_every_indicator():
    table = charts.indicator_dictionary()
    assert len(table) == len(indicators()) == 20
    row = table[table["Mã"] == "outreach_rate"].iloc[0]
    assert row["Tên chỉ tiêu"] == "Tỷ lệ điểm bán được tuyên truyền, hướng dẫn TTKDTM"
    assert row["Bảng nguồn"] == "businesses" and row["Đơn vị tính"] == "%"
    assert table[table["Mã"] == "trainees_total"].iloc[0]["Đơn vị tính"] == "số đếm"
    city = table[table["Mã"] == "einvoice_share"].iloc[0]
    assert city["Bảng nguồn"] == "city_indicators" and city["Cách tính"].startswith("Số liệu do cơ quan thành phố")
    assert charts.indicator_dictionary("en").iloc[0]["Formula"] == ("Σ businesses using at least one digital channel / "
                                                                   "Σ active businesses")  # in words, as in Vietnamese


def test_bands_and_reasons_tables():
    bands = charts.bands_table()
    assert bands["Tình trạng"].tolist() == ["✔ Đã đạt mục tiêu", "↗ Đúng lộ trình", "⚠ Cần đẩy nhanh",
                                            "▽ Tiến triển hạn chế", "✖ Đang đi xuống", "? Chưa đủ số liệu"]
    assert bands["Khi nào"].tolist()[1:4] == ["R ≥ 0,95", "0,6 ≤ R < 0,95", "0 ≤ R < 0,6"]
    assert charts.bands_table("en")["When"].tolist()[2] == "0.6 ≤ R < 0.95"
    reasons = charts.reasons_table()
    assert reasons["Mã"].tolist() == [*REASONS, "exceeded"]
    assert reasons["Hiển thị"][0] == "chưa có báo cáo kỳ này"
    # every edge case has its words and its meaning (a missing string would show its key)
    assert not reasons["Ý nghĩa"].str.startswith("targets_page.").any()
    assert not charts.reasons_table("en")["Meaning"].str.startswith("targets_page.").any()


def test_method_chart_and_text():
    ex = we.worked_example()
    fig = charts.method_chart(ex)
    names = [tr.name for tr in fig.data]
    for status in STATUSES[:5]:
        assert any(n and n.endswith(charts.i18n.status_name(status)) for n in names)
    trajectory = next(tr for tr in fig.data if tr.name == "Lộ trình (R = 1)")
    assert list(trajectory.y)[6] == pytest.approx(40 + (70 - 40) * 6 / 10)
    # periods as on the other charts, the year on a line of its own under each tick
    assert (trajectory.x[0], trajectory.x[6], trajectory.x[-1]) == ("6T cuối 2025", "6T cuối 2028", "6T cuối 2030")
    assert fig.layout.xaxis.ticktext[1] == "6T đầu<br>2026"
    dots = fig.data[-1]
    assert list(dots.x) == ["6T cuối 2028"] * 5
    assert list(dots.y) == [72, 60, 54, 45, 35]
    # no label on the rising trajectory (58,0% at 2028-H2): those above it go up-left, the others right
    assert list(dots.textposition) == ["top left", "top left", "middle right", "middle right", "middle right"]
    baseline, goal = (next(tr for tr in fig.data if tr.name == name) for name in ("Kỳ gốc", "Mục tiêu"))
    assert (baseline.text[0], baseline.textposition) == ("Kỳ gốc: 40,0%", "bottom right")
    assert (goal.text[0], goal.textposition) == ("Mục tiêu: ≥ 70%", "top left")
    assert list(dots.marker.color) == [status_colours()[s] for s in STATUSES[:5]]
    assert dots.text[0] == "✔ Đã đạt mục tiêu: 72,0%"
    assert dots.hovertext[1].split("<br>") == ["↗ Đúng lộ trình", "Giá trị thực tế: 60,0%",
                                               "Mức cần đạt theo lộ trình: 58,0%",
                                               f"R: {(60 - 40) / (58 - 40):.2f}".replace(".", ",")]
    assert dots.hovertext[0].endswith("Mức cần đạt theo lộ trình: 58,0%<br>R: không tính (đã đạt mục tiêu)")
    assert len(set(dots.marker.symbol)) == 5  # status is never told by colour alone
    text = charts.example_text(ex)
    assert "40,0% + (70,0% − 40,0%) × 6/10 = 58,0%" in text
    english = charts.method_chart(ex, "en")
    assert list(english.data[-1].x) == ["H2 2028"] * 5 and english.layout.xaxis.ticktext[0] == "H2<br>2025"
    table = charts.example_table(ex, "en")
    assert table["R"].tolist() == ["not computed (target met)", "1.11", "0.78", "0.28", "-0.28"]
    assert table["Expected on the trajectory"].tolist() == ["58.0%"] * 5
