"""The Excel template (report.template) and its reader (loaders.workbook): structure, a round trip
to exact figures, and one broken cell per rule with the sheet and cell it names."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders.reference import ROOT
from loaders.schema import ACTIVITY_COUNTS, COUNT_COLUMNS
from loaders.workbook import HEADER_ROW, META, SHEETS, read_workbook
from report.template import make_template

UNIT, PERIOD = "11002", "2026-H1"
BIZ, ACT = SHEETS["businesses"]["vi"], SHEETS["activities"]["vi"]
FIRST = HEADER_ROW + 1  # the first data row
COL = {c: openpyxl.utils.get_column_letter(j) for j, c in enumerate(COUNT_COLUMNS, start=5)}
ACT_COL = {c: openpyxl.utils.get_column_letter(j) for j, c in
           enumerate([*ACTIVITY_COUNTS[:4], "register_updated", ACTIVITY_COUNTS[4]], start=1)}


def filled(changes: dict[str, object] | None = None, activity: dict[str, object] | None = None,
           book_bytes: bytes | None = None) -> bytes:
    """The template of Thạch Khôi, 2026-H1, filled: every row 10 businesses, 6 of them with a digital
    channel (4 social, 3 marketplace, 1 website), 5 cashless, 4 at a point of sale of which 2
    reached, 3 online sellers, the rest 1; activities 2 trainings, 40 trainees, 5 items, 3 onboarded,
    reviewed, 1 complaint. `changes`: {"F12": value} on the businesses sheet; `activity`: on activities."""
    book = openpyxl.load_workbook(io.BytesIO(book_bytes or make_template(UNIT, PERIOD)))
    sheet = book[BIZ]
    row = {"businesses": 10, "digital_any": 6, "digital_social": 4, "digital_marketplace": 3, "digital_web_app": 1,
           "cashless": 5, "point_of_sale": 4, "point_of_sale_informed": 2, "online_sellers": 3}
    for r in range(FIRST, FIRST + 30):
        for c, letter in COL.items():
            sheet[f"{letter}{r}"] = row.get(c, 1)
    for ref, value in (changes or {}).items():
        sheet[ref] = value
    acts = book[ACT]
    for c, value in {"trainings": 2, "trainees": 40, "outreach_items": 5, "marketplace_onboarded": 3,
                     "register_updated": "Có", "complaints_forwarded": 1}.items():
        acts[f"{ACT_COL[c]}{FIRST}"] = value
    for ref, value in (activity or {}).items():
        acts[ref] = value
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_the_template_is_made_for_one_unit_and_period_with_its_codes_locked():
    book = openpyxl.load_workbook(io.BytesIO(make_template(UNIT, PERIOD)))
    assert book.sheetnames == [SHEETS["help"]["vi"], BIZ, ACT, META] and book[META].sheet_state == "veryHidden"
    meta = {k: v for k, v in book[META].iter_rows(values_only=True)}
    assert (meta["template_version"], meta["unit_code"], meta["period"]) == ("1.1", UNIT, PERIOD)
    sheet = book[BIZ]
    assert "6 THÁNG ĐẦU NĂM 2026" in sheet["C1"].value and "Phường Thạch Khôi (mã 11002)" in sheet["C2"].value
    assert "30/06/2026" in sheet["C2"].value  # the deadline
    assert [c.value for c in sheet[HEADER_ROW]][:2] == ["sector", "business_type"]
    assert [c.value for c in sheet[HEADER_ROW]][4:18] == COUNT_COLUMNS
    assert sheet.protection.sheet and sheet[f"A{FIRST}"].protection.locked and not sheet[f"E{FIRST}"].protection.locked
    assert {(sheet[f"A{r}"].value, sheet[f"B{r}"].value) for r in range(FIRST, FIRST + 30)} == {
        (s, b) for s in ("thuc_pham", "ocop", "tieu_dung", "thoi_trang", "dien_tu", "thu_cong", "an_uong_du_lich",
                         "vat_lieu", "dich_vu", "khac") for b in ("doanh_nghiep", "hop_tac_xa", "ho_kinh_doanh")}
    whole = [dv for dv in sheet.data_validations.dataValidation if dv.type == "whole"]
    assert whole and f"E{FIRST}:R{FIRST + 29}" in str(whole[0].sqref)
    assert sheet[f"E{FIRST + 30}"].value == f"=SUM(E{FIRST}:E{FIRST + 29})"  # totals, live for the officer
    assert book[SHEETS["help"]["vi"]]["A1"].value.startswith("BÁO CÁO")
    english = openpyxl.load_workbook(io.BytesIO(make_template(UNIT, PERIOD, "en")))
    assert english.sheetnames[:3] == [SHEETS["help"]["en"], SHEETS["businesses"]["en"], SHEETS["activities"]["en"]]


def test_a_filled_template_reads_as_the_contracts_frames():
    at = pd.Timestamp("2026-06-20 09:00", tz="Asia/Ho_Chi_Minh")
    frames, problems = read_workbook(filled(), "bc.xlsx", UNIT, PERIOD, submitted_at=at)
    assert problems == []
    biz, act = frames["businesses"], frames["activities"]
    assert len(biz) == 30 and set(biz["unit_code"]) == {UNIT} and set(biz["period"]) == {PERIOD}
    assert biz["businesses"].sum() == 300 and biz["digital_any"].sum() == 180 and (biz["submitted_at"] == at).all()
    assert act[["trainings", "trainees", "register_updated"]].values.tolist() == [[2, 40, True]]


def test_the_template_prefilled_with_a_report_reads_back_the_same_report():
    frames, _ = read_workbook(filled(), "bc.xlsx", UNIT, PERIOD)
    again, problems = read_workbook(make_template(UNIT, PERIOD, previous=frames), "again.xlsx", UNIT, PERIOD)
    assert problems == []
    for kind in frames:
        cols = [c for c in frames[kind] if c != "submitted_at"]
        pd.testing.assert_frame_equal(again[kind][cols], frames[kind][cols])


@pytest.mark.parametrize("ref, value, rule, column", [
    (f"F{FIRST + 6}", None, "xlsx_empty", "digital_any"),
    (f"F{FIRST + 6}", "   ", "xlsx_empty", "digital_any"),
    (f"F{FIRST + 6}", "sáu", "xlsx_text", "digital_any"),
    (f"F{FIRST + 6}", "6", "xlsx_text", "digital_any"),  # a number typed as text
    (f"F{FIRST + 6}", 2.5, "xlsx_fraction", "digital_any"),
    (f"F{FIRST + 6}", -1, "xlsx_negative", "digital_any"),
    (f"F{FIRST + 6}", True, "xlsx_text", "digital_any"),
    (f"G{FIRST + 6}", 7, "at_most", "digital_social"),  # a channel above digital_any (6)
    (f"E{FIRST + 6}", 5, "at_most", "digital_any"),  # digital_any (6) above businesses, now 5: named at F
    (f"F{FIRST + 6}", 9, "channels_sum", "digital_any"),  # above the channels' sum 4 + 3 + 1
    (f"L{FIRST + 6}", 5, "at_most", "point_of_sale_informed"),  # above point_of_sale (4)
])
def test_each_broken_cell_is_named_with_its_sheet_and_rule(ref, value, rule, column):
    _, problems = read_workbook(filled({ref: value}), "bc.xlsx", UNIT, PERIOD)
    cell = f"{BIZ}!{COL[column]}{ref[1:]}"  # the row changed, in the column of the rule broken
    assert [(p.rule, p.column, p.place) for p in problems] == [(rule, column, cell)]
    text = str(problems[0])
    assert text.startswith(f"bc.xlsx: ô (cell) {cell}, cột (column) {column}: ") and "(" in text


def test_the_activities_row_is_checked_too():
    _, problems = read_workbook(filled(activity={f"B{FIRST}": None, f"E{FIRST}": "có lẽ"}), "bc.xlsx", UNIT, PERIOD)
    assert [(p.rule, p.place) for p in problems] == [("xlsx_empty", f"{ACT}!B{FIRST}"), ("xlsx_yes_no", f"{ACT}!E{FIRST}")]
    for word, expected in (("Không", False), ("yes", True), (0, False), (1, True), (True, True), ("FALSE", False)):
        frames, problems = read_workbook(filled(activity={f"E{FIRST}": word}), "bc.xlsx", UNIT, PERIOD)
        assert not problems and bool(frames["activities"]["register_updated"].iloc[0]) is expected, word


def test_a_count_beyond_the_bound_is_named_at_its_cell():
    _, problems = read_workbook(filled({f"L{FIRST + 3}": 10_000_001}), "bc.xlsx", UNIT, PERIOD)
    pos = f"{BIZ}!L{FIRST + 3}"
    assert [(p.rule, p.place) for p in problems] == [("at_most", pos), ("count_max", pos)]


def test_a_workbook_stamped_later_than_now_is_refused():
    _, problems = read_workbook(filled(), "bc.xlsx", UNIT, PERIOD,
                                submitted_at=pd.Timestamp("2099-01-01", tz="Asia/Ho_Chi_Minh"))
    assert {p.rule for p in problems} == {"submitted_future"}


def test_an_empty_template_asks_for_zeros_without_a_line_per_cell():
    _, problems = read_workbook(make_template(UNIT, PERIOD), "bc.xlsx", UNIT, PERIOD)
    assert {p.rule for p in problems} == {"xlsx_empty"}
    assert len([p for p in problems if p.column == "businesses"]) == 21  # 20 cells named, then "+10 ô khác"
    assert problems[0].place == f"{BIZ}!E{FIRST}" and "ghi 0" in str(problems[0])


def test_a_workbook_of_another_unit_or_period_is_refused():
    _, problems = read_workbook(filled(), "bc.xlsx", "10615", "2026-H2")
    assert [(p.rule, p.value) for p in problems] == [("xlsx_other_unit", UNIT), ("xlsx_other_period", PERIOD)]


def edited_meta(key: str, value) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(filled()))
    for row in book[META].iter_rows():
        if row[0].value == key:
            row[1].value = value
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def not_from_template() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "businesses"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def zip_without_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


@pytest.mark.parametrize("data, rule", [
    (lambda: edited_meta("template_version", "0.9"), "xlsx_version"),
    (not_from_template, "xlsx_not_template"),
    (lambda: b"\x00\x01 random bytes" * 50, "xlsx_unreadable"),
    (zip_without_workbook, "xlsx_unreadable"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "xlsx_unreadable"),  # an old .xls renamed
])
def test_what_is_no_template_is_refused_with_a_word_never_a_traceback(data, rule):
    frames, problems = read_workbook(data(), "bc.xlsx", UNIT, PERIOD)
    assert frames == {} and [p.rule for p in problems] == [rule]
    assert str(problems[0])


def test_a_text_that_looks_like_a_formula_is_written_as_text():
    book = openpyxl.load_workbook(io.BytesIO(make_template(UNIT, PERIOD)))
    cells = [c for row in book[BIZ].iter_rows() for c in row if c.data_type == "f"]
    assert all(c.row >= FIRST + 30 for c in cells)  # formulas only in the totals and rates rows


def cli(*args) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "loaders", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={"PATH": "/usr/bin:/bin"})
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def test_template_validate_ingest_export_round_trip(tmp_path, tree_state):
    sample = tree_state(ROOT / "sample_data" / "store")
    out = tmp_path / "mau.xlsx"
    assert cli("template", "--unit", UNIT, "--period", PERIOD, "--out", out).returncode == 0
    (tmp_path / "bc.xlsx").write_bytes(filled(book_bytes=out.read_bytes()))
    assert cli("validate", tmp_path / "bc.xlsx").stdout.splitlines() == ["1/1 tệp hợp lệ (1 of 1 files valid)"]
    store = tmp_path / "store"
    done = cli("ingest", tmp_path / "bc.xlsx", "--data", store, "--submitted-at", "2026-06-20T09:00")
    assert done.returncode == 0, done.stdout
    kept = sorted(p.name for p in store.rglob("*") if p.is_file())
    assert any(n.endswith("_bc.xlsx") for n in kept) and len([n for n in kept if n.endswith(".parquet")]) == 2
    export = tmp_path / "unit.csv"
    assert subprocess.run([sys.executable, "-m", "metrics", "export", "--data", store, "--by", "unit", "--out", export],
                          cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    row = pd.read_csv(export, dtype={"unit_code": str}).iloc[0]
    # 30 rows × 10 businesses; digital 180/300 = 60%; cashless 150/300 = 50%; outreach 60/120 = 50%;
    # online sellers 90/300 = 30%; enterprises (10 rows) 60/100 = 60%
    assert (row["period"], row["unit_code"], row["businesses"]) == (PERIOD, UNIT, 300)
    assert [row[c] for c in ("digital_rate", "enterprise_digital_rate", "cashless_rate", "outreach_rate",
                             "online_seller_rate")] == [60.0, 60.0, 50.0, 50.0, 30.0]
    again = cli("ingest", tmp_path / "bc.xlsx", "--data", store)
    assert again.stdout.splitlines()[-1].startswith("Đã nạp 0 tệp, 1 tệp đã có sẵn")
    assert tree_state(ROOT / "sample_data" / "store") == sample


def test_the_command_line_refuses_what_it_cannot_do(tmp_path):
    assert cli("template", "--unit", "99999", "--period", PERIOD, "--out", tmp_path / "x.xlsx").returncode == 2
    assert cli("template", "--unit", UNIT, "--period", "2026h1", "--out", tmp_path / "x.xlsx").returncode == 2
    (tmp_path / "bc.xlsx").write_bytes(filled())
    no_store = cli("ingest", tmp_path / "bc.xlsx")
    assert no_store.returncode == 2 and "--data" in no_store.stdout
    into_sample = cli("ingest", tmp_path / "bc.xlsx", "--data", ROOT / "sample_data" / "store")
    assert into_sample.returncode == 1 and "dữ liệu mẫu tổng hợp" in into_sample.stdout
    bad_time = cli("ingest", tmp_path / "bc.xlsx", "--data", tmp_path / "s", "--submitted-at", "hôm qua")
    assert bad_time.returncode == 2 and not (tmp_path / "s").exists()


def test_a_workbook_resaved_by_libreoffice_reads_the_same(tmp_path):
    soffice = next((p for p in ("/usr/bin/soffice", "/usr/bin/libreoffice") if Path(p).exists()), None)
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bc.xlsx").write_bytes(filled())
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx", "--outdir", tmp_path / "out", tmp_path / "in" / "bc.xlsx"],
                   capture_output=True, timeout=180, check=True)
    at = pd.Timestamp("2026-06-20 09:00", tz="Asia/Ho_Chi_Minh")
    ours, _ = read_workbook(tmp_path / "in" / "bc.xlsx", "bc.xlsx", UNIT, PERIOD, submitted_at=at)
    theirs, problems = read_workbook(tmp_path / "out" / "bc.xlsx", "bc.xlsx", UNIT, PERIOD, submitted_at=at)
    assert problems == []
    for kind in ours:
        pd.testing.assert_frame_equal(theirs[kind], ours[kind])


def test_figures_typed_in_the_browser_become_the_same_template_and_its_checks():
    """The submit page's grid hands its frames to make_template (ui.report_grid): what was typed
    reads back as typed, and a cell left empty is named as in the workbook."""
    frames, _ = read_workbook(filled(), "bc.xlsx", UNIT, PERIOD)
    typed = {kind: frame.drop(columns=["period", "unit_code", "submitted_at"]) for kind, frame in frames.items()}
    typed["businesses"] = typed["businesses"].astype({"digital_any": "Int64"})
    typed["businesses"].loc[3, "digital_any"] = pd.NA  # not typed
    _, problems = read_workbook(make_template(UNIT, PERIOD, previous=typed), "trình duyệt", UNIT, PERIOD)
    assert [(p.rule, p.place) for p in problems] == [("xlsx_empty", f"{BIZ}!F{FIRST + 3}")]
