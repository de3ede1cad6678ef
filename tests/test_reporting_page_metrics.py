"""metrics.submissions and charts.reporting on a tiny hand-made set of reports."""

import pandas as pd
import pytest

from charts import reporting as charts
from charts.tables import grid_table
from charts.style import status_colours
from metrics import submissions
from metrics.reporting import reporting_summary, reporting_table

TZ = "Asia/Ho_Chi_Minh"


def report(period, unit, when, snapshot):
    return {"period": period, "unit_code": unit, "submitted_at": pd.Timestamp(when).tz_convert(TZ), "snapshot": snapshot}


@pytest.fixture
def frames():
    history = pd.DataFrame([
        # 2026-H1, deadline 30/06/2026 (config): on the deadline's last minute is on time
        report("2026-H1", "10507", "2026-06-20T09:00+07:00", "a1.parquet"),
        report("2026-H1", "10507", "2026-06-30T23:59+07:00", "a2.parquet"),  # a resubmission, current
        report("2026-H1", "10525", "2026-07-03T09:00+07:00", "b.parquet"),   # 3 days late
        report("2026-H1", "10532", "2026-06-30T18:00+00:00", "c.parquet"),   # 01:00 on 1/7 in Hà Nội: 1 day late
        report("2025-H2", "10507", "2025-12-29T08:00+07:00", "d.parquet"),   # deadline 30/12/2025
        report("2025-H2", "10525", "2025-12-31T08:00+07:00", "e.parquet"),   # 1 day late
    ])
    current = history[history["snapshot"] != "a1.parquet"]
    return reporting_summary(current), reporting_table(current, history)


def test_period_counts(frames):
    summary, _ = frames
    counts = submissions.period_counts(summary)
    now = counts[counts["period"] == "2026-H1"].set_index("category")
    assert now["units"].to_dict() == {"reporting": 3, "on_time": 1, "late": 3 - 1, "missing": 114 - 3}
    assert now.loc["late", "share"] == pytest.approx((3 - 1) / 114 * 100)
    assert set(now["units_expected"]) == {114}
    assert counts["period"].tolist()[:4] == ["2025-H2"] * 4  # periods in order, categories in CATEGORIES order
    assert counts["category"].tolist()[:4] == list(submissions.CATEGORIES)


def test_period_summary(frames):
    summary, _ = frames
    now = submissions.period_summary(summary, "2026-H1")
    assert now["deadline"].isoformat() == "2026-06-30"
    assert (now["units_reporting"], now["units_on_time"], now["units_late"], now["units_missing"]) == (3, 1, 2, 111)
    assert now["reporting_completeness"] == pytest.approx(3 / 114 * 100)
    assert now["reporting_timeliness"] == pytest.approx(1 / 114 * 100)
    assert submissions.period_summary(summary, "2024-H1") is None


def test_late_and_missing_units(frames):
    _, table = frames
    late = submissions.late_units(table, "2026-H1")
    assert late["unit_code"].tolist() == ["10525", "10532"]  # most days late first
    assert late["days_late"].tolist() == [3, 1]
    assert late["full_name"].tolist() == ["Phường Hải Dương", "Phường Lê Thanh Nghị"]
    # local wall-clock time, no offset (Excel-ready)
    assert late["submitted_at"].tolist()[1] == pd.Timestamp("2026-07-01 01:00")
    missing = submissions.missing_units(table, "2026-H1")
    assert len(missing) == 114 - 3
    assert "10507" not in set(missing["unit_code"]) and "10615" in set(missing["unit_code"])
    assert submissions.late_units(table, "2025-H2")["unit_code"].tolist() == ["10525"]


def test_unit_history(frames):
    _, table = frames
    hist = submissions.unit_history(table, "10507")
    assert hist["period"].tolist() == ["2025-H2", "2026-H1"]
    assert hist["files"].tolist() == [1, 2] and hist["resubmissions"].tolist() == [0, 2 - 1]
    assert hist["on_time"].tolist() == [True, True]
    assert hist["submitted_at"].tolist()[1] == pd.Timestamp("2026-06-30 23:59")
    never = submissions.unit_history(table, "10615")
    assert never["reported"].tolist() == [False, False]
    assert never["on_time"].isna().all() and never["days_late"].isna().all()
    assert never["files"].tolist() == [0, 0] and never["resubmissions"].tolist() == [0, 0]
    assert len(submissions.unit_history(table)) == 114 * 2


# --- charts ------------------------------------------------------------------------------------

def test_periods_chart(frames):
    summary, _ = frames
    fig = charts.periods_chart(submissions.period_counts(summary))
    assert [tr.name for tr in fig.data] == ["Đã báo cáo", "✔ Đúng hạn", "⚠ Trễ hạn", "✖ Chưa gửi"]
    late = fig.data[2]
    assert list(late.x) == ["6 tháng cuối năm 2025", "6 tháng đầu năm 2026"]
    assert list(late.y) == [1, 3 - 1]
    assert late.marker.color == status_colours()["limited_progress"]
    assert late.hovertext[1] == "6 tháng đầu năm 2026<br>⚠ Trễ hạn: 2/114 đơn vị (1,8%)"
    missing = fig.data[3]
    assert list(missing.text) == [f"{114 - 2}", f"{114 - 3}"]
    english = charts.periods_chart(submissions.period_counts(summary), "en")
    assert english.data[3].hovertext[1] == "First half of 2026<br>✖ Missing: 111 of 114 units (97.4%)"


def shown(styler):
    """The table as st.dataframe shows it: every cell through the Styler's formatter."""
    header, *rows = [line.split("|")[1:] for line in styler.to_string(delimiter="|").splitlines()]
    return pd.DataFrame(rows, columns=header)


def test_late_missing_and_history_tables(frames):
    _, table = frames
    view = charts.late_table(submissions.late_units(table, "2026-H1"))
    assert view.data["Số ngày trễ"].tolist() == [3, 1]  # numbers stay numbers: the column sorts
    late = shown(view)
    assert late.iloc[0].tolist() == ["Phường Hải Dương", "10525", "Phường", "03/07/2026", "30/06/2026", "3"]
    assert late.iloc[1]["Ngày gửi"] == "01/07/2026"
    missing = shown(charts.missing_table(submissions.missing_units(table, "2026-H1"), "en"))
    row = missing[missing["Code"] == "10615"].iloc[0]
    assert row.tolist() == ["Hợp Tiến Commune", "10615", "Commune", "30/06/2026"]  # the name in English word order
    hist = charts.history_table(submissions.unit_history(table, "10525"))
    assert hist.data.columns.tolist() == ["Kỳ", "Đơn vị", "Mã", "Loại", "Đã báo cáo?", "Đúng hạn", "Thời điểm gửi", "Hạn",
                                          "Số ngày trễ", "Số tệp đã gửi", "Số lần gửi lại"]
    # the data grid formats these (ui.grid): dates dd/mm/yyyy (HH:mm), whole counts
    assert hist.kinds == {"Thời điểm gửi": "datetime", "Hạn": "date", "Số ngày trễ": "count", "Số tệp đã gửi": "count",
                          "Số lần gửi lại": "count"}
    assert hist.data["Kỳ"].tolist() == ["6 tháng cuối năm 2025", "6 tháng đầu năm 2026"]
    assert hist.data["Đúng hạn"].tolist() == ["✖ Không", "✖ Không"]
    assert hist.data["Số ngày trễ"].tolist() == [1, 3]  # numbers and times stay values: the columns sort
    assert hist.data["Thời điểm gửi"].tolist() == [pd.Timestamp("2025-12-31 08:00"), pd.Timestamp("2026-07-03 09:00")]
    # no report: no on-time answer, time or days late ("no data", never False or 0)
    never = charts.history_table(submissions.unit_history(table, "10615"), "en").data
    assert never["Reported?"].tolist() == ["✖ No", "✖ No"]
    assert never["On time"].tolist() == ["no data", "no data"]
    assert never["Days late"].isna().all() and never["Submitted at"].isna().all()  # the grid's "no data"
    twice = charts.history_table(submissions.unit_history(table, "10507")).data
    assert twice["Đúng hạn"].tolist() == ["✔ Có", "✔ Có"]
    assert twice["Số tệp đã gửi"].tolist() == [1, 2] and twice["Số lần gửi lại"].tolist() == [0, 1]


def test_a_grid_takes_only_the_formats_the_data_grid_writes_exactly():
    frame = pd.DataFrame({"share": [0.5], "status": ["met"], "days": [3]})
    assert grid_table(frame, [("days", "Days", "count")], "en").kinds == {"Days": "count"}
    with pytest.raises(ValueError, match="pct"):  # decimals the Vietnamese way need the Styler
        grid_table(frame, [("share", "Share", "pct")], "vi")
    with pytest.raises(ValueError, match="colour"):
        grid_table(frame, [("status", "Status", "status")], "vi")


def test_counts_download_in_words_with_numbers_kept(frames):
    summary, _ = frames
    counts = submissions.period_counts(summary)
    table = charts.counts_download(counts)
    assert table.columns.tolist() == ["Kỳ", "Tình trạng báo cáo", "Số đơn vị", "Đơn vị phải báo cáo",
                                      "Tỷ lệ trên số đơn vị phải báo cáo (%)"]
    assert table.iloc[:4].iloc[:, :4].values.tolist() == [  # 2025-H2: 10507 on time, 10525 a day late
        ["6 tháng cuối năm 2025", "Đã báo cáo", 2, 114], ["6 tháng cuối năm 2025", "✔ Đúng hạn", 1, 114],
        ["6 tháng cuối năm 2025", "⚠ Trễ hạn", 1, 114], ["6 tháng cuối năm 2025", "✖ Chưa gửi", 114 - 2, 114]]
    late = table.iloc[6]
    assert late.iloc[:4].tolist() == ["6 tháng đầu năm 2026", "⚠ Trễ hạn", 2, 114]
    assert late.iloc[4] == pytest.approx(1.7544, abs=1e-4)  # 2 / 114, a number (XLSX keeps it numeric)
    english = charts.counts_download(counts, "en")
    assert english.columns.tolist() == ["Period", "Reporting status", "Units", "Units expected",
                                        "Share of the units expected (%)"]
    assert english.iloc[7].iloc[:4].tolist() == ["First half of 2026", "✖ Missing", 111, 114]
    assert english.iloc[7].iloc[4] == pytest.approx(97.3684, abs=1e-4)  # 111 / 114
