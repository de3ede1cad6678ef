"""Reports of the units before 1 July 2025 (python -m loaders convert): checked against the old unit
list, summed into one report of the current unit that took them in, the old codes named, a split
old unit's report marked an estimate; then ingested and counted like any report."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.__main__ import main
from loaders.legacy import convert
from loaders.store import ingest, load_store
from metrics.indicators import ratio_values

OLD = "2025-H1"
AT, LATER = pd.Timestamp("2025-06-20 09:00", tz="Asia/Ho_Chi_Minh"), pd.Timestamp("2025-06-28 09:00", tz="Asia/Ho_Chi_Minh")


@pytest.fixture
def old_reports(write_snapshot, biz_frame, act_frame, tmp_path):
    """2025-H1 reports of Thạch Khôi (11002), Liên Hồng (11005) and Gia Xuyên (11017), which became
    Thạch Khôi, Gia Xuyên's twice (the later one current); and of Tứ Minh (10540), split in 2025, most
    of it into the current Tứ Minh (10891)."""
    def biz(code, times, at=AT):  # the two rows of biz_frame (10 and 8 businesses, 6 and 4 digital), `times` over
        counts = biz_frame.select_dtypes("int64").columns
        return biz_frame.assign(period=OLD, unit_code=code, submitted_at=at, **{c: biz_frame[c] * times for c in counts})
    folder = tmp_path / "old"
    write_snapshot(biz("11002", 1), "11002.parquet", folder)
    write_snapshot(biz("11005", 2), "11005.parquet", folder)
    write_snapshot(biz("11017", 5), "11017-first.parquet", folder)
    write_snapshot(biz("11017", 3, LATER), "11017.parquet", folder)
    write_snapshot(biz("10540", 1), "10540.parquet", folder)
    acts = pd.concat([act_frame.iloc[[0]].assign(unit_code=c, trainings=n, trainees=10 * n, register_updated=r)
                      for c, n, r in [("11002", 2, True), ("11005", 1, False), ("10540", 3, True)]])
    write_snapshot(acts.assign(period=OLD, submitted_at=AT), "activities.parquet", folder)
    return folder


def test_old_units_are_summed_into_the_current_unit_that_took_them_in(old_reports, tmp_path):
    result = convert([old_reports], tmp_path / "new")
    assert result.ok and result.estimated == [f"10891 {OLD}"]
    assert sorted(p.name for p in result.written) == [
        f"10891-{OLD}-activities-converted.parquet", f"10891-{OLD}-businesses-converted.parquet",
        f"11002-{OLD}-activities-converted.parquet", f"11002-{OLD}-businesses-converted.parquet"]
    biz = pd.read_parquet(tmp_path / "new" / f"11002-{OLD}-businesses-converted.parquet")
    # 1 + 2 + 3 (Gia Xuyên's later report) times biz_frame's rows: 10 and 8 businesses, 6 and 4 digital
    biz = biz.set_index("sector")  # ocop: 8 businesses, 4 digital; thuc_pham: 10, 6
    assert biz.loc[["thuc_pham", "ocop"], "businesses"].tolist() == [60, 48]
    assert biz.loc[["thuc_pham", "ocop"], "digital_any"].tolist() == [36, 24]
    assert set(biz["converted_from"]) == {"11002 11005 11017"} and not biz["estimated"].any()
    assert biz["submitted_at"].iloc[0] == LATER
    acts = pd.read_parquet(tmp_path / "new" / f"11002-{OLD}-activities-converted.parquet")
    assert (acts["trainings"].item(), acts["trainees"].item(), acts["register_updated"].item()) == (3, 30, False)
    split = pd.read_parquet(tmp_path / "new" / f"10891-{OLD}-businesses-converted.parquet")
    assert set(split["converted_from"]) == {"10540"} and split["estimated"].all()


def test_converted_reports_are_ingested_and_counted_like_any_report(old_reports, tmp_path):
    convert([old_reports], tmp_path / "new")
    store = tmp_path / "store"
    assert ingest([tmp_path / "new"], store).ok
    data = load_store(store)
    rows = data.current["businesses"]
    assert set(rows.loc[rows["unit_code"] == "11002", "converted_from"]) == {"11002 11005 11017"}
    got = ratio_values(rows, ["period", "unit_code"]).set_index(["unit_code", "indicator"])
    # Σ digital_any / Σ businesses over Thạch Khôi's three old units: (36 + 24) / (60 + 48)
    assert got.loc[("11002", "digital_rate"), ["numerator", "denominator"]].tolist() == [60, 108]
    assert got.loc[("10891", "digital_rate"), ["numerator", "denominator"]].tolist() == [10, 18]


def test_a_file_that_is_no_old_units_report_is_refused_and_nothing_is_written(write_snapshot, biz_frame, city_frame,
                                                                               tmp_path):
    folder = tmp_path / "old"
    write_snapshot(biz_frame.assign(period="2025-H2", unit_code="11005"), "after.parquet", folder)
    write_snapshot(biz_frame.assign(period=OLD, unit_code=["11005", "99999"]), "unknown.parquet", folder)
    write_snapshot(city_frame.assign(period=OLD), "city.parquet", folder)
    result = convert([folder], tmp_path / "new")
    lines = sorted(str(p).removeprefix(f"{folder}/") for p in result.problems)
    assert lines == [
        "after.parquet: cột (column) period, dòng (row) 1: Báo cáo của đơn vị cũ phải cho kỳ trước 2025-H2 "
        "(a report of an old unit is for a period before 2025-H2) — giá trị (value): 2025-H2",
        "after.parquet: cột (column) period, dòng (row) 2: Báo cáo của đơn vị cũ phải cho kỳ trước 2025-H2 "
        "(a report of an old unit is for a period before 2025-H2) — giá trị (value): 2025-H2",
        "city.parquet: Chỉ chuyển đổi được báo cáo của đơn vị (businesses, activities), không phải bảng city_indicators "
        "(only a unit's report (businesses, activities) can be converted, not a city_indicators table)",
        "unknown.parquet: cột (column) unit_code, dòng (row) 2: Mã đơn vị không có trong danh mục đơn vị trước ngày "
        "1/7/2025 đã nhập vào 114 xã, phường, đặc khu của thành phố Hải Phòng (unit_code is not one of the units "
        "before 1 July 2025 taken into the 114 units of Hải Phòng) — giá trị (value): 99999"]
    assert not (tmp_path / "new").exists()


def test_the_command_line_says_what_it_wrote_and_which_are_estimates(old_reports, tmp_path, capsys):
    assert main(["convert", str(old_reports), "--out", str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert f"+ {tmp_path / 'new' / f'11002-{OLD}-businesses-converted.parquet'}" in out
    assert f"10891 {OLD}: ước tính, có đơn vị cũ bị chia tách" in out and "Đã ghi 4 tệp" in out
    assert main(["convert", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")]) == 2


def test_the_unit_page_says_which_old_units_its_figures_come_from(old_reports, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from loaders.reference import ROOT
    from ui.widgets import plain

    convert([old_reports], tmp_path / "new")
    ingest([tmp_path / "new"], tmp_path / "store")
    monkeypatch.setenv("TMDT_DATA", str(tmp_path / "store"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/unit.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert plain("6 tháng đầu năm 2025: số liệu chuyển đổi từ báo cáo của các đơn vị trước ngày 1/7/2025 đã nhập vào "
                 "đơn vị: Phường Thạch Khôi (11002), Xã Liên Hồng (11005), Xã Gia Xuyên (11017).") in captions
    at.sidebar.selectbox(key="unit").select("10891").run()
    assert any(c.value.startswith(plain("6 tháng đầu năm 2025: số liệu ước tính, chuyển đổi từ báo cáo của các đơn vị "
                                        "trước ngày 1/7/2025: Phường Tứ Minh (10540); có đơn vị bị chia tách"))
               for c in at.caption)
