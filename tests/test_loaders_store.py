"""The store: current vs history, time zones, bad files in the store, and an ingest that is atomic."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from loaders.reference import ROOT
from loaders.store import ingest, load_store
from metrics.reporting import reporting_table

HCM = "Asia/Ho_Chi_Minh"


def at(ts: str) -> pd.Timestamp:
    return pd.Timestamp(ts, tz=HCM)


# --- current vs history --------------------------------------------------------------------------


def test_later_submitted_at_replaces_the_whole_report(write_snapshot, biz_frame, tmp_path):
    store = tmp_path / "store"
    write_snapshot(biz_frame, "first.parquet", store)  # two rows, 25/6
    other = biz_frame.assign(unit_code="10615")
    write_snapshot(other, "other_unit.parquet", store)
    fix = biz_frame.iloc[[0]].assign(businesses=12, submitted_at=at("2026-06-28 08:00"))
    write_snapshot(fix, "z_dir/a_fix.parquet", store)  # one row, later, in a path sorted after
    data = load_store(store)
    cur = data.current["businesses"]
    mine = cur[cur["unit_code"] == "11002"]
    assert mine["snapshot"].tolist() == ["z_dir/a_fix.parquet"]  # the ocop row of the first report is gone too
    assert mine["businesses"].tolist() == [12]
    assert cur.loc[cur["unit_code"] == "10615", "businesses"].sum() == 10 + 8
    hist = data.history["businesses"]
    assert sorted(hist["snapshot"].unique()) == ["first.parquet", "other_unit.parquet", "z_dir/a_fix.parquet"]
    assert hist.loc[hist["snapshot"] == "first.parquet", "businesses"].sum() == 10 + 8
    assert len(hist) == 2 + 2 + 1


def test_current_does_not_follow_the_path_order(write_snapshot, biz_frame, tmp_path):
    store = tmp_path / "store"
    write_snapshot(biz_frame.assign(businesses=[20, 18], submitted_at=at("2026-06-29 09:00")), "a_late.parquet", store)
    write_snapshot(biz_frame, "b_early.parquet", store)
    cur = load_store(store).current["businesses"]
    assert cur["snapshot"].unique().tolist() == ["a_late.parquet"]
    assert cur["businesses"].sum() == 20 + 18


def test_same_submitted_at_the_later_path_is_current(write_snapshot, biz_frame, tmp_path):
    store = tmp_path / "store"
    write_snapshot(biz_frame, "a.parquet", store)
    write_snapshot(biz_frame.assign(cashless=[1, 1]), "b.parquet", store)
    cur = load_store(store).current["businesses"]
    assert cur["snapshot"].unique().tolist() == ["b.parquet"] and cur["cashless"].sum() == 1 + 1


def test_activities_and_city_indicators_have_their_own_report_keys(write_snapshot, act_frame, city_frame, tmp_path):
    store = tmp_path / "store"
    write_snapshot(act_frame, "act.parquet", store)
    write_snapshot(act_frame.iloc[[1]].assign(trainings=4, submitted_at=at("2026-06-27 10:00")), "act_fix.parquet", store)
    write_snapshot(city_frame, "city.parquet", store)
    write_snapshot(city_frame.iloc[[0]].assign(value=64.0, submitted_at=at("2026-06-27 10:00")), "city_fix.parquet", store)
    data = load_store(store)
    act = data.current["activities"].set_index("unit_code")
    assert act["trainings"].to_dict() == {"11002": 2, "10615": 4}
    city = data.current["city_indicators"].set_index("indicator")
    assert city["value"].to_dict() == {"adults_online_shopping": 64.0, "ecommerce_retail_growth": 121.4}
    assert city["snapshot"].to_dict() == {"adults_online_shopping": "city_fix.parquet", "ecommerce_retail_growth": "city.parquet"}
    assert len(data.history["activities"]) == 2 + 1 and len(data.history["city_indicators"]) == 2 + 1


# --- time zones ----------------------------------------------------------------------------------


def test_naive_submitted_at_is_hanoi_time_and_aware_is_converted(write_snapshot, biz_frame, tmp_path):
    store = tmp_path / "store"
    naive = pd.Timestamp("2026-06-30 23:30")  # local, last half hour of the H1 deadline day
    write_snapshot(biz_frame.assign(submitted_at=naive), "naive.parquet", store)
    aware = pd.Timestamp("2026-06-30T17:30Z")  # = 01/07 00:30 local: one day late
    write_snapshot(biz_frame.assign(unit_code="10615", submitted_at=aware), "aware.parquet", store)
    data = load_store(store)
    cur = data.current["businesses"].drop_duplicates("unit_code").set_index("unit_code")["submitted_at"]
    assert cur["11002"] == at("2026-06-30 23:30") and str(cur.dt.tz) == HCM
    assert cur["10615"] == at("2026-07-01 00:30")
    table = reporting_table(data.current["businesses"]).set_index("unit_code")
    assert table.loc["11002", "on_time"] and table.loc["11002", "days_late"] == 0
    assert not table.loc["10615", "on_time"] and table.loc["10615", "days_late"] == 1
    assert {f.path: f.submitted_at for f in data.files} == {"aware.parquet": at("2026-07-01 00:30"),
                                                           "naive.parquet": at("2026-06-30 23:30")}


# --- bad files in the store ----------------------------------------------------------------------


def test_invalid_and_corrupt_files_in_the_store_are_listed_and_skipped(write_snapshot, biz_frame, act_frame, tmp_path):
    store = tmp_path / "store"
    write_snapshot(biz_frame, "ok.parquet", store)
    write_snapshot(b"\x00garbage" * 100, "corrupt.parquet", store)
    good = (store / "ok.parquet").read_bytes()
    write_snapshot(good[:-20], "truncated.parquet", store)
    write_snapshot(act_frame.assign(trainings=[-1, 0]), "negative.parquet", store)
    data = load_store(store)
    assert [f.path for f in data.files] == ["corrupt.parquet", "negative.parquet", "ok.parquet", "truncated.parquet"]
    assert [(f.path, [p.rule for p in f.problems]) for f in data.invalid] == [
        ("corrupt.parquet", ["unreadable"]), ("negative.parquet", ["non_negative"]), ("truncated.parquet", ["unreadable"])]
    neg = data.invalid[1]
    assert (neg.kind, neg.rows, neg.problems[0].file, neg.problems[0].column, neg.problems[0].row) == (
        "activities", 0, "negative.parquet", "trainings", 1)
    assert data.current["activities"].empty and list(data.current["activities"].columns)[:2] == ["period", "unit_code"]
    assert data.current["businesses"]["snapshot"].unique().tolist() == ["ok.parquet"]
    assert data.periods == ["2026-H1"]


def test_empty_and_missing_store(tmp_path):
    for root in (tmp_path / "nothing", tmp_path):
        data = load_store(root)
        assert data.files == [] and data.periods == [] and data.last_submitted is None and not data.synthetic
        assert all(df.empty and "snapshot" in df.columns for df in data.current.values())


def test_hidden_folders_are_not_read(write_snapshot, biz_frame, tmp_path):
    store = tmp_path / "store"
    write_snapshot(biz_frame, ".staging-abc/left_over.parquet", store)
    write_snapshot(biz_frame, "ok.parquet", store)
    assert [f.path for f in load_store(store).files] == ["ok.parquet"]


def test_the_sample_store(tmp_path):
    data = load_store(ROOT / "sample_data" / "store")
    assert len(data.files) == 64 and data.invalid == [] and data.synthetic
    assert data.periods == ["2025-H1", "2025-H2", "2026-H1"]
    cells = 10 * 3  # sectors × business types of one unit
    # every unit each period, but Hợp Tiến (10615) in 2026-H1; Thạch Khôi (11002) sent 2025-H2 twice
    assert len(data.current["businesses"]) == 3 * 114 * cells - cells
    assert len(data.history["businesses"]) == 3 * 114 * cells - cells + cells
    redo = data.history["businesses"].query("unit_code == '11002' and period == '2025-H2'")
    assert redo["snapshot"].nunique() == 2
    cur = data.current["businesses"].query("unit_code == '11002' and period == '2025-H2'")
    assert cur["snapshot"].nunique() == 1 and cur["snapshot"].iloc[0].endswith("_corrected.parquet")


# --- ingest, in process ---------------------------------------------------------------------------


@pytest.fixture
def filled_store(write_snapshot, biz_frame, act_frame, city_frame, tmp_path):
    """A store holding one ingested batch, and a folder of three new valid files."""
    store = tmp_path / "store"
    write_snapshot(biz_frame, "b.parquet", tmp_path / "old")
    assert ingest([tmp_path / "old"], store).added
    new = tmp_path / "new"
    write_snapshot(biz_frame.assign(unit_code="10615"), "b2.parquet", new)
    write_snapshot(act_frame, "a.parquet", new)
    write_snapshot(city_frame, "c.parquet", new)
    return store, new


def test_ingest_result(filled_store, tmp_path):
    store, new = filled_store
    result = ingest([new, tmp_path / "old" / "b.parquet"], store)
    assert result.ok and result.problems == []
    assert len(result.added) == 3 and all(p.startswith("ingest-") for p in result.added)
    assert result.already_there == [str(tmp_path / "old" / "b.parquet")]
    assert len(load_store(store).files) == 1 + 3
    assert ingest([new], store).added == []


def _crash_on_call(monkeypatch, module, name, n):
    real, calls = getattr(module, name), []

    def crashing(*args, **kwargs):
        calls.append(args)
        if len(calls) == n:
            raise OSError("disk full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, crashing)
    return calls


@pytest.mark.parametrize("module, name, n", [(shutil, "copyfile", 2), (os, "fsync", 3), (os, "rename", 1)])
def test_a_crash_midway_leaves_the_store_as_it_was(monkeypatch, filled_store, tree_state, module, name, n):
    store, new = filled_store
    before, loaded = tree_state(store), load_store(store)
    calls = _crash_on_call(monkeypatch, module, name, n)
    with pytest.raises(OSError, match="simulated"):
        ingest([new], store)
    monkeypatch.undo()
    assert len(calls) == n
    assert tree_state(store) == before  # no partial batch, staging removed
    after = load_store(store)
    assert [f.path for f in after.files] == [f.path for f in loaded.files]
    pd.testing.assert_frame_equal(after.history["businesses"], loaded.history["businesses"])
    assert len(ingest([new], store).added) == 3  # and a retry works


def test_an_invalid_file_in_the_batch_writes_nothing(filled_store, write_snapshot, city_frame, tree_state):
    store, new = filled_store
    write_snapshot(city_frame.assign(source=""), "bad_city.parquet", new)
    before = tree_state(store)
    result = ingest([new], store)
    assert not result.ok and result.added == []
    assert {(p.rule, p.column) for p in result.problems} == {("not_text", "source")}
    assert tree_state(store) == before


def test_a_crash_while_creating_the_store_leaves_no_store(monkeypatch, write_snapshot, act_frame, tmp_path):
    src = write_snapshot(act_frame, "a.parquet", tmp_path / "in")
    _crash_on_call(monkeypatch, shutil, "copyfile", 1)
    with pytest.raises(OSError, match="simulated"):
        ingest([src], tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_the_current_snapshots_behind_a_period(write_snapshot, biz_frame, city_frame, tmp_path):
    """StoreData.snapshots: each current file of the period with its table, units, rows and time,
    newest first; a replaced file is no longer listed; the city's own table has no units."""
    store = tmp_path / "store"
    write_snapshot(city_frame.assign(submitted_at=at("2026-06-20 08:00")), "city.parquet", store)
    write_snapshot(biz_frame, "first.parquet", store)  # unit 11002, two rows, 25/6
    write_snapshot(biz_frame.assign(unit_code="10615"), "other_unit.parquet", store)
    write_snapshot(biz_frame.iloc[[0]].assign(submitted_at=at("2026-06-28 08:00")), "fix.parquet", store)
    files = load_store(store).snapshots("2026-H1")
    assert files["snapshot"].tolist() == ["fix.parquet", "other_unit.parquet", "city.parquet"]  # first.parquet replaced
    assert files["kind"].tolist() == ["businesses", "businesses", "city_indicators"]
    assert files["units"].tolist() == [1, 1, 0] and files["rows"].tolist() == [1, 2, 2]
    assert files["submitted_at"].iloc[0] == at("2026-06-28 08:00")
    assert load_store(store).snapshots("2025-H1").empty
