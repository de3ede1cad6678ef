"""Impossible values and odd files, each refused (or taken) with a clear message: periods outside
the configured range, counts beyond the configured bound (and sums that could wrap), a
submitted_at later than the moment of checking, a file name that is not UTF-8, a folder that
cannot be opened."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from loaders.__main__ import main
from loaders.store import ingest, load_store, read_index
from loaders.validate import read_snapshot


def problems(path) -> list[tuple[str, str | None, int | None]]:
    return [(p.rule, p.column, p.row) for p in read_snapshot(path).problems]


@pytest.mark.parametrize("period", ["0000-H1", "2014-H2", "2036-H1", "2999-H2"])
def test_a_period_outside_the_configured_range_is_refused(write_snapshot, biz_frame, period):
    p = read_snapshot(write_snapshot(biz_frame.assign(period=period))).problems
    assert [(x.rule, x.column, x.row) for x in p] == [("period_range", "period", 1), ("period_range", "period", 2)]
    assert ("Kỳ phải trong khoảng 2015-H1 – 2035-H2 (the period must be within 2015-H1 – 2035-H2) "
            f"— giá trị (value): {period}") in str(p[0])


@pytest.mark.parametrize("period", ["2015-H1", "2035-H2"])
def test_the_range_includes_its_ends(write_snapshot, biz_frame, period):
    assert read_snapshot(write_snapshot(biz_frame.assign(period=period))).valid


def test_a_count_beyond_the_bound_is_refused_and_the_bound_itself_is_not(write_snapshot, biz_frame):
    top = 10_000_000
    ok = biz_frame.assign(businesses=top, cashless=top)
    assert read_snapshot(write_snapshot(ok, "ok.parquet")).valid
    bad = ok.assign(cashless=[top + 1, 5])
    p = read_snapshot(write_snapshot(bad, "bad.parquet")).problems
    assert [(x.rule, x.column, x.row) for x in p] == [("at_most", "cashless", 1), ("count_max", "cashless", 1)]
    assert "Phải ≤ 10.000.000: không đơn vị nào có số lớn như vậy (must be ≤ 10,000,000: no unit has a count that large)" in str(p[1])


def test_an_activity_count_beyond_the_bound_is_refused(write_snapshot, act_frame):
    assert problems(write_snapshot(act_frame.assign(trainees=[10_000_001, 0]))) == [("count_max", "trainees", 1)]


def test_the_channel_check_does_not_wrap_on_huge_counts(write_snapshot, biz_frame):
    # Consistent but huge: int64 sums of the three channels (3 × 2**61) wrap to a negative number,
    # which used to call digital_any larger than the channels. Only the bound speaks now.
    huge = 2**61
    row = biz_frame.iloc[:1].assign(businesses=2**62, digital_any=huge, digital_social=huge,
                                    digital_marketplace=huge, digital_web_app=huge)
    rules = {r for r, _, _ in problems(write_snapshot(row))}
    assert rules == {"count_max"}


def test_a_submitted_at_later_than_now_is_refused(write_snapshot, biz_frame):
    path = write_snapshot(biz_frame.assign(submitted_at=pd.Timestamp("2099-01-01 08:00", tz="Asia/Ho_Chi_Minh")))
    [p] = read_snapshot(path).problems
    assert (p.rule, p.column, p.row, p.value) == ("submitted_future", "submitted_at", 1, "2099-01-01 08:00:00+07:00")
    assert "Thời điểm nộp muộn hơn lúc kiểm tra" in str(p) and "(submitted_at is later than the moment of checking" in str(p)


def test_a_few_minutes_of_clock_skew_are_allowed(write_snapshot, biz_frame):
    from loaders.validate import read_snapshots

    now = pd.Timestamp("2026-06-25 10:00", tz="Asia/Ho_Chi_Minh")
    at = lambda minutes: write_snapshot(biz_frame.assign(submitted_at=now + pd.Timedelta(minutes=minutes)),  # noqa: E731
                                        f"m{minutes}.parquet")
    snaps = read_snapshots([at(4), at(6)], now=now)
    assert [s.valid for s in snaps] == [True, False]


def test_ingest_refuses_a_file_dated_in_the_future_and_stores_nothing(tmp_path, write_snapshot, biz_frame):
    store = tmp_path / "store"
    future = biz_frame.assign(submitted_at=pd.Timestamp.now(tz="Asia/Ho_Chi_Minh") + pd.Timedelta(days=1))
    result = ingest([write_snapshot(future)], store)
    assert [p.rule for p in result.problems] == ["submitted_future"] and not store.exists()


NOT_UTF8 = os.fsdecode(b"b\xe1o-c\xe1o.parquet")  # Latin-1 bytes of "báo-cáo", as another system wrote them


def test_a_valid_file_whose_name_is_not_utf8_is_valid(write_snapshot, biz_frame, tmp_path):
    path = write_snapshot(biz_frame).rename(tmp_path / NOT_UTF8)
    assert read_snapshot(path).valid


def test_ingest_stores_such_a_file_under_a_utf8_name(write_snapshot, biz_frame, tmp_path):
    path = write_snapshot(biz_frame).rename(tmp_path / NOT_UTF8)
    store = tmp_path / "store"
    result = ingest([path], store)
    assert result.ok and len(result.added) == 1 and result.added[0].endswith("_b_o-c_o.parquet")
    assert load_store(store).current["businesses"]["businesses"].tolist() == [10, 8]


def test_a_file_put_in_the_store_by_hand_with_such_a_name_is_listed_invalid(write_snapshot, biz_frame, tmp_path):
    store = tmp_path / "store"
    assert ingest([write_snapshot(biz_frame, "good.parquet")], store).ok
    write_snapshot(biz_frame.assign(period="2026-H2"), "x.parquet").rename(store / NOT_UTF8)
    data = load_store(store)
    assert [(f.path, [p.rule for p in f.problems]) for f in data.invalid] == [(NOT_UTF8, ["name_not_utf8"])]
    assert "?" in str(data.invalid[0].problems[0])  # printed on one line, its odd bytes as "?"
    # the next ingest indexes it too, and the index reads back
    assert ingest([write_snapshot(biz_frame.assign(period="2025-H2"), "next.parquet")], store).ok
    assert NOT_UTF8 in read_index(store).files
    assert sorted(load_store(store).current["businesses"]["period"].unique()) == ["2025-H2", "2026-H1"]


@pytest.fixture
def closed_folder(monkeypatch, tmp_path, write_snapshot, biz_frame):
    """A folder of inputs with one sub-folder that cannot be opened (as root ignores permissions,
    opening it is made to fail as it would for another user)."""
    inputs = tmp_path / "in"
    write_snapshot(biz_frame, "a.parquet", inputs)
    closed = inputs / "closed"
    write_snapshot(biz_frame.assign(period="2026-H2"), "b.parquet", closed)
    scandir = os.scandir

    def refuse(path="."):
        if os.fspath(path) == os.fspath(closed):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    return inputs, closed


def test_an_unreadable_sub_folder_is_a_problem_and_nothing_is_ingested(closed_folder, tmp_path):
    inputs, closed = closed_folder
    store = tmp_path / "store"
    result = ingest([inputs], store)
    assert [(p.file, p.rule) for p in result.problems] == [(str(closed), "folder_unreadable")]
    assert "Không mở được thư mục" in str(result.problems[0]) and "Permission denied" in str(result.problems[0])
    assert not store.exists()


def test_validate_says_so_on_the_command_line(closed_folder, capsys):
    inputs, closed = closed_folder
    assert main(["validate", str(inputs)]) == 1
    out = capsys.readouterr().out
    assert f"{closed}: Không mở được thư mục" in out and "1/1 tệp hợp lệ" in out
