"""The files behind every page's download buttons (ui.csv_bytes, ui.xlsx_bytes)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

import ui

TABLE = pd.DataFrame({"Xã, phường, đặc khu": ["Phường Thạch Khôi", "Đặc khu Bạch Long Vĩ"],
                      "Tử số": [1250, 3], "Giá trị": [44.6, None]})


def test_csv_has_a_byte_order_mark_for_excel_and_reads_back_the_same():
    data = ui.csv_bytes(TABLE)
    assert data.startswith(b"\xef\xbb\xbf")  # without it Excel on Windows garbles "Thạch Khôi"
    assert data[3:].decode("utf-8").splitlines()[1] == "Phường Thạch Khôi,1250,44.6"
    pd.testing.assert_frame_equal(pd.read_csv(io.BytesIO(data), encoding="utf-8-sig"), TABLE)


def test_csv_writes_counts_as_integers_and_rates_to_two_decimals():
    # counts held as floats (a sum over reports, a missing value in the column) and a full-precision rate
    frame = pd.DataFrame({"Mẫu số": [766.0, float("nan")], "Tỷ lệ": [1250 / 2800 * 100, 100.0]})
    lines = ui.csv_bytes(frame)[3:].decode("utf-8").splitlines()
    assert lines == ["Mẫu số,Tỷ lệ", "766,44.64", ",100.0"]
    assert frame["Mẫu số"].dtype == float  # the page's table is left as it was


def test_xlsx_keeps_numbers_as_numbers():
    sheet = openpyxl.load_workbook(io.BytesIO(ui.xlsx_bytes(TABLE))).active
    rows = list(sheet.values)
    assert rows[0] == ("Xã, phường, đặc khu", "Tử số", "Giá trị")
    assert rows[1] == ("Phường Thạch Khôi", 1250, 44.6) and rows[2] == ("Đặc khu Bạch Long Vĩ", 3, None)
