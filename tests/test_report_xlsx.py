"""The .xlsx tables (report.xlsx) hold exactly the metrics' values for the same store and
period, as numbers, under Vietnamese headers, with the filters above a frozen header row."""

from __future__ import annotations

import io
import math
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

import i18n
from loaders.reference import default_store, indicators
from loaders.store import load_store
from metrics import tables
from metrics.export import export_table
from metrics.indicators import View
from report.xlsx import HEADER_ROW, write_xlsx

PERIOD = "2026-H1"
RATES = ["digital_rate", "enterprise_digital_rate", "cashless_rate", "outreach_rate", "online_seller_rate"]
SHEETS = ["Chỉ số theo đơn vị", "Mục tiêu theo đơn vị", "Mục tiêu toàn thành phố", "Tình hình báo cáo", "Hoạt động"]


@pytest.fixture(scope="module")
def store():
    return load_store(default_store())


def workbook(store, view=View()):
    buf = io.BytesIO()
    write_xlsx(store, PERIOD, view, "vi", buf)
    return openpyxl.load_workbook(io.BytesIO(buf.getvalue()))


@pytest.fixture(scope="module")
def book(store):
    return workbook(store)


def table(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def same(a, b) -> bool:
    """Equal values; an empty cell stands for NaN (no data). A float is kept to 16 significant
    digits (openpyxl writes "%.16g"; Excel itself holds 15), hence the relative 1e-15."""
    missing_a = a is None or (isinstance(a, float) and math.isnan(a))
    missing_b = b is None or (isinstance(b, float) and math.isnan(b))
    if missing_a or missing_b:
        return missing_a and missing_b
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-15)
    return a == b


def test_one_sheet_per_table(book):
    assert book.sheetnames == SHEETS


def test_every_sheet_has_the_filters_above_a_frozen_header(book):
    for ws in book:
        assert ws["A1"].value == f"{ws.title} — 6 tháng đầu năm 2026"
        assert ws["A2"].value == "Kỳ: 6 tháng đầu năm 2026"
        assert ws["A3"].value == "Bộ lọc: ngành hàng tất cả; loại hình tất cả"
        assert ws["A4"].value == "Báo cáo mới nhất nhận lúc: 23/07/2026 09:00"
        assert ws["A5"].value.startswith("DỮ LIỆU MẪU TỔNG HỢP")
        assert ws.freeze_panes in (f"A{HEADER_ROW + 1}", f"C{HEADER_ROW + 1}")
        assert ws.cell(HEADER_ROW, 1).font.bold


def test_indicators_by_unit_equal_the_metrics_export(store, book):
    sheet = table(book["Chỉ số theo đơn vị"]).set_index("Mã đơn vị")
    export = export_table(store, "unit", PERIOD).set_index("unit_code")
    assert sorted(sheet.index) == sorted(export.index) and len(sheet) == 113  # every unit that reported
    headers = {"businesses": "Số cơ sở đang hoạt động", "unit_name": "Tên đơn vị", "period": "Kỳ"}
    for r in RATES:
        name = indicators()[r]["vi"]
        headers |= {r: f"{name} (%)", f"{r}__num": f"{name} — tử số", f"{r}__den": f"{name} — mẫu số"}
    for column, header in headers.items():
        for code in export.index:
            assert same(sheet.at[code, header], export.at[code, column]), (code, column)


def test_numbers_are_numbers_with_percent_and_count_formats(book):
    ws = book["Chỉ số theo đơn vị"]
    headers = [c.value for c in ws[HEADER_ROW]]
    rate = ws.cell(HEADER_ROW + 1, headers.index("Tỷ lệ cơ sở sử dụng kênh số (%)") + 1)
    count = ws.cell(HEADER_ROW + 1, headers.index("Số cơ sở đang hoạt động") + 1)
    assert isinstance(rate.value, float) and rate.number_format == '#,##0.0"%"'
    assert isinstance(count.value, int) and count.number_format == "#,##0"
    assert ws.cell(HEADER_ROW + 1, 1).value == "10507"  # codes keep their leading zeros as text


def test_targets_by_unit_equal_unit_status(store, book):
    _, status = tables.scorecard(store, PERIOD)
    sheet = table(book["Mục tiêu theo đơn vị"])
    assert len(sheet) == len(status) == 114 * 5
    for (_, row), (_, want) in zip(sheet.iterrows(), status.iterrows()):
        assert row["Mã đơn vị"] == want["unit_code"]
        assert row["Chỉ tiêu"] == i18n.indicator_name(want["indicator"])
        for header, column in (("Giá trị", "value"), ("Tử số", "numerator"), ("Mẫu số", "denominator"),
                               ("Giá trị kỳ gốc", "baseline"), ("Mức cần đạt theo lộ trình", "expected")):
            assert same(row[header], None if pd.isna(want[column]) else float(want[column])), (want["unit_code"], column)
        assert row["Tình trạng"] == i18n.status_name(want["status"])


def test_city_targets_equal_city_status(store, book):
    city, _ = tables.scorecard(store, PERIOD)
    sheet = table(book["Mục tiêu toàn thành phố"])
    assert len(sheet) == len(city) == 17
    assert sheet["Giá trị"].tolist()[:2] == pytest.approx(city["value"].tolist()[:2])
    assert sheet.at[0, "Số đơn vị: ↗ Đúng lộ trình"] == city.at[0, "units_on_track"]
    assert sheet.at[0, "Mức mục tiêu"] == "≥ 70%"


def test_reporting_equals_the_reporting_table(store, book):
    _, per_unit = tables.reporting(store)
    want = per_unit[per_unit["period"] == PERIOD].set_index("unit_code")
    sheet = table(book["Tình hình báo cáo"]).set_index("Mã đơn vị")
    assert len(sheet) == 114
    ws = book["Tình hình báo cáo"]
    assert ws.cell(HEADER_ROW + 1, 4).data_type == "b" and ws.cell(HEADER_ROW + 1, 5).is_date  # booleans, dates
    assert not sheet.at["10615", "Đã gửi báo cáo"] and pd.isna(sheet.at["10615", "Nộp lúc"])
    late = want[want["reported"] & ~want["on_time"]]
    for code in late.index:
        assert not sheet.at[code, "Đúng hạn"] and sheet.at[code, "Số ngày muộn"] == want.at[code, "days_late"]
    assert sheet.at["11914", "Nộp lúc"] == datetime(2026, 7, 23, 9, 0)  # Hà Nội time, as submitted
    assert sheet["Đúng hạn"].sum() == 107


def test_activities_equal_the_current_reports(store, book):
    act = store.current["activities"]
    want = act[act["period"] == PERIOD].set_index("unit_code")
    sheet = table(book["Hoạt động"]).set_index("Mã đơn vị")
    assert sorted(sheet.index) == sorted(want.index)
    for header, column in (("Số lớp tập huấn", "trainings"), ("Lượt người tham dự", "trainees"),
                           ("Đã rà soát danh sách cơ sở bán hàng trực tuyến", "register_updated")):
        assert sheet[header].to_dict() == want[column].to_dict()


def test_filters_reach_the_tables(store):
    view = View(sectors=("ocop",))
    book = workbook(store, view)
    ws = book["Chỉ số theo đơn vị"]
    assert ws["A3"].value == "Bộ lọc: ngành hàng Sản phẩm OCOP, đặc sản địa phương; loại hình tất cả"
    sheet = table(ws).set_index("Mã đơn vị")
    want = tables.by_unit(store, PERIOD, view).set_index("unit_code")
    for code in want.index:
        assert same(sheet.at[code, "Tỷ lệ cơ sở sử dụng kênh số (%)"], want.at[code, "digital_rate"])
        assert sheet.at[code, "Số cơ sở đang hoạt động"] == want.at[code, "businesses"]
