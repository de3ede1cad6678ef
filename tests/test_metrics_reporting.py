"""Reporting completeness and timeliness against the deadlines in config/settings.toml."""

from __future__ import annotations

import copy
from datetime import date

import pandas as pd
import pytest

from loaders import periods
from loaders.reference import settings, units
from loaders.store import load_store
from metrics import tables
from metrics.indicators import city_values
from metrics.reporting import reporting_summary, reporting_table
from test_metrics_indicators import NO_ACT, NO_CITY, TZ, A, B, C, businesses, pick, row

D = "10532"  # Lê Thanh Nghị


def sent(unit: str, when: str, tz: str = TZ, period: str = "2026-H1") -> dict:
    return row(unit, period=period, businesses=3, submitted_at=pd.Timestamp(when, tz=tz).tz_convert(TZ))


H1 = businesses(
    sent(A, "2026-06-30 23:59:59"),  # last second of the deadline day, local time
    sent(B, "2026-07-01 00:00:00"),  # first second after it
    sent(C, "2026-06-30 16:30:00", tz="UTC"),  # 23:30 in Hải Phòng: on time
    sent(D, "2026-06-30 17:30:00", tz="UTC"),  # 00:30 on 1/7 in Hải Phòng: late
)


def test_completeness_and_timeliness_over_the_114_units_expected():
    summary = reporting_summary(H1).set_index("period").loc["2026-H1"]
    assert summary["units_expected"] == 114
    assert summary["units_reporting"] == 4
    assert summary["units_on_time"] == 2
    assert summary["reporting_completeness"] == pytest.approx(4 / 114 * 100)
    assert summary["reporting_timeliness"] == pytest.approx(2 / 114 * 100)


def test_named_lists_of_late_and_missing_units():
    summary = reporting_summary(H1).set_index("period").loc["2026-H1"]
    assert sorted(summary["late"]) == sorted([B, D])
    assert len(summary["missing"]) == 114 - 4
    assert set(summary["missing"]) == set(units()["unit_code"]) - {A, B, C, D}


def test_table_gives_deadline_and_days_late_in_local_dates():
    table = reporting_table(H1).set_index(["period", "unit_code"])
    assert (table["deadline"] == date(2026, 6, 30)).all()
    assert table.loc[("2026-H1", A), "on_time"] and table.loc[("2026-H1", C), "on_time"]
    assert not table.loc[("2026-H1", B), "on_time"] and not table.loc[("2026-H1", D), "on_time"]
    assert table.loc[("2026-H1", B), "days_late"] == 1
    assert table.loc[("2026-H1", A), "days_late"] == 0
    missing = table.loc[("2026-H1", "10537")]
    assert not missing["reported"] and not missing["on_time"] and pd.isna(missing["days_late"])
    assert table.loc[("2026-H1", A), "state"] == "on_time"
    assert table.loc[("2026-H1", B), "state"] == "late"
    assert missing["state"] == "missing"
    assert len(table) == 114


def test_second_half_deadline_is_30_december():
    frame = businesses(sent(A, "2026-12-30 20:00", period="2026-H2"), sent(B, "2026-12-31 08:00", period="2026-H2"))
    summary = reporting_summary(frame).set_index("period").loc["2026-H2"]
    assert summary["late"] == [B]
    assert summary["units_on_time"] == 1


def test_deadlines_are_read_from_configuration(monkeypatch):
    later = copy.deepcopy(settings())
    later["deadlines"]["ward_to_city"]["H1"] = "07-05"
    monkeypatch.setattr(periods, "settings", lambda: later)
    summary = reporting_summary(H1).set_index("period").loc["2026-H1"]
    assert summary["units_on_time"] == 4
    assert summary["late"] == []


def test_resubmissions_are_counted_from_history():
    first = businesses(sent(A, "2026-06-10"))
    second = businesses(sent(A, "2026-07-03"))
    second["snapshot"] = "2026-H1_11002_corrected.parquet"
    table = reporting_table(second, pd.concat([first, second])).set_index("unit_code")
    assert table.loc[A, "files"] == 2
    assert table.loc[B, "files"] == 0
    assert table.loc[A, "resubmissions"] == 2 - 1
    assert table.loc[B, "resubmissions"] == 0  # sent nothing: no resubmission, not −1
    assert not table.loc[A, "on_time"]  # the current (corrected) snapshot came late


def test_city_values_carry_completeness_and_timeliness():
    long = city_values(H1, NO_ACT, NO_CITY)
    got = pick(long, "reporting_timeliness")
    assert (got["numerator"], got["denominator"]) == (2, 114)
    assert pick(long, "reporting_completeness")["value"] == pytest.approx(4 / 114 * 100)


def test_an_empty_store_has_an_empty_reporting_table(tmp_path):
    summary, table = tables.reporting(load_store(tmp_path))
    assert summary.empty and table.empty
    assert {"period", "unit_code", "reported", "on_time", "days_late"} <= set(table.columns)
    assert {"units_expected", "reporting_completeness", "missing", "late"} <= set(summary.columns)


def test_versions_lists_every_report_a_unit_sent_with_its_comment():
    from metrics.submissions import versions

    at = [pd.Timestamp(t, tz="Asia/Ho_Chi_Minh") for t in ("2026-06-25 10:00", "2026-07-03 09:00", "2026-06-20 08:00")]
    history = pd.DataFrame({
        "snapshot": ["ingest-a/aaaaaaaaaaaaaaaa_bc_businesses.parquet"] * 2 + ["ingest-b/bbbbbbbbbbbbbbbb_bc_businesses.parquet",
                                                                                 "x/other.parquet"],
        "unit_code": ["11002", "11002", "11002", "10615"], "period": ["2026-H1"] * 4,
        "submitted_at": [at[0], at[0], at[1], at[2]]})
    current = history[history["snapshot"].str.startswith("ingest-b")]
    log = pd.DataFrame({"action": ["submit", "submit", "submit"], "result": ["ok", "refused", "ok"],
                        "file_sha256": ["a" * 64, "c" * 64, "b" * 64], "comment": ["", "x", "Sửa số cơ sở"]})
    got = versions(history, current, log, "11002")
    assert got[["period", "on_time", "current", "comment"]].values.tolist() == [
        ["2026-H1", False, True, "Sửa số cơ sở"], ["2026-H1", True, False, ""]]
    assert got["days_late"].iloc[0] == 3 and pd.isna(got["days_late"].iloc[1])  # 3/7 after the deadline 30/6
    assert got["submitted_at"].iloc[0] == pd.Timestamp("2026-07-03 09:00")  # local time, no offset
