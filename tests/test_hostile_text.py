"""Hostile text from files, workbooks and users stays text: no Markdown link or image on a page,
no formula in a download, one line per problem."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from streamlit.testing.v1 import AppTest

from loaders.reference import ROOT
from loaders.validate import Problem
from ui.widgets import csv_bytes, plain, xlsx_bytes

BEACON = "![x](http://host/beacon.png) [Tải lại](http://host/phish)"


def test_plain_text_leaves_no_markdown_to_render():
    shown = plain(BEACON)
    assert "](" not in shown.replace("\\]\\(", "") and shown.count("\\[") == 2 and "\\!" in shown
    assert plain("a\nb\x00c") == "a b c"


def test_a_bad_files_values_reach_the_sidebar_as_text(tmp_path, write_snapshot, biz_frame, monkeypatch):
    write_snapshot(biz_frame.assign(unit_code=BEACON), "bad.parquet", tmp_path)
    write_snapshot(biz_frame, "good.parquet", tmp_path)
    monkeypatch.setenv("TMDT_DATA", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    shown = [c.value for c in at.sidebar.caption if "beacon" in c.value]
    assert shown and all("](http" not in c and "\\[Tải lại\\]" in c for c in shown)  # brackets escaped: no link


def test_a_problem_is_one_line_whatever_its_value():
    text = str(Problem("f\nx.parquet", "unit_known", "unit_code", 1, "a\nb\x00\x1b[31m"))
    assert "\n" not in text and "\x00" not in text and "\x1b" not in text


def test_downloads_write_formula_like_text_as_text_and_numbers_as_numbers():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "Thạch Khôi"],
                          "count": [1, 2, 3, 4, 5]})
    text = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert text[1].startswith("\"'=HYPERLINK") and text[2] == "'+1,2" and text[5] == "Thạch Khôi,5"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert [c.data_type for c in sheet["A"][1:]] == ["s"] * 5 and sheet["A2"].value.startswith("'=")
    assert [c.value for c in sheet["B"][1:]] == [1, 2, 3, 4, 5]
