"""One small bad file per rule of the data contract: the exact problem (file, column, row, rule)
and its message, in Vietnamese with the English in brackets."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from loaders.schema import UPPER_BOUNDS
from loaders.validate import MAX_ROWS_PER_RULE, SYNTHETIC_KEY, Problem, read_snapshot, read_snapshots, valid_rows


def only(path) -> Problem:
    """The single problem found in a file."""
    problems = read_snapshot(path).problems
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_message(p: Problem, path, column: str | None, row: int | None, vi: str, en: str) -> None:
    text = str(p)
    assert text.startswith(f"{path}: ")
    assert (f"cột (column) {column}" in text) == (column is not None)
    assert (f"dòng (row) {row}" in text) == (row is not None)
    assert f"{vi} ({en})" in text, text


def with_column(frame: pd.DataFrame, name: str, array: pa.Array) -> pa.Table:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table.set_column(table.column_names.index(name), name, array)


# --- valid files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture, kind", [("biz_frame", "businesses"), ("act_frame", "activities"), ("city_frame", "city_indicators")])
def test_valid_file_of_each_kind(request, write_snapshot, fixture, kind):
    frame = request.getfixturevalue(fixture)
    snap = read_snapshot(write_snapshot(frame))
    assert snap.problems == []
    assert snap.valid and snap.kind == kind and len(snap.frame) == 2
    assert str(snap.frame["submitted_at"].dt.tz) == "Asia/Ho_Chi_Minh"
    assert not snap.synthetic


def test_synthetic_mark_and_extra_columns(write_snapshot, biz_frame):
    table = pa.Table.from_pandas(biz_frame.assign(note=["a", "b"]), preserve_index=False)
    snap = read_snapshot(write_snapshot(table.replace_schema_metadata({SYNTHETIC_KEY: b"true"})))
    assert snap.valid and snap.synthetic
    assert "note" not in snap.frame.columns  # optional columns are allowed and not carried


def test_unit_code_keeps_leading_zeros_and_counts_are_int64(write_snapshot, biz_frame):
    snap = read_snapshot(write_snapshot(biz_frame))
    assert snap.frame["unit_code"].tolist() == ["11002", "11002"]
    assert snap.frame["businesses"].dtype == "int64"
    assert snap.frame["businesses"].sum() == 10 + 8


# --- columns and types ---------------------------------------------------------------------------


def test_missing_column(write_snapshot, biz_frame):
    path = write_snapshot(biz_frame.drop(columns="cashless"))
    p = only(path)
    assert (p.file, p.rule, p.column, p.row) == (str(path), "missing_column", "cashless", None)
    assert_message(p, path, "cashless", None, "Thiếu cột bắt buộc của bảng businesses",
                   "required column of a businesses table is missing")


@pytest.mark.parametrize("fixture, column, values, expected, actual", [
    ("biz_frame", "unit_code", [11002, 11002], "string", "int64"),
    ("biz_frame", "businesses", [10.0, 8.0], "int64", "double"),
    ("biz_frame", "submitted_at", ["2026-06-25 10:00", "2026-06-25 10:00"], "timestamp", "large_string"),
    ("act_frame", "register_updated", [1, 0], "bool", "int64"),
    ("city_frame", "value", ["62.9", "121.4"], "float64", "large_string"),
])
def test_wrong_type(request, write_snapshot, fixture, column, values, expected, actual):
    frame = request.getfixturevalue(fixture)
    frame[column] = values
    path = write_snapshot(frame)
    p = only(path)
    assert (p.rule, p.column, p.row) == ("type", column, None)
    assert_message(p, path, column, None, f"Kiểu dữ liệu phải là {expected}, tệp có {actual}",
                   f"type must be {expected}; the file has {actual}")


def test_fractional_count_is_a_type_error(write_snapshot, biz_frame):
    biz_frame["needs_payment"] = [1.5, 0.0]
    p = only(write_snapshot(biz_frame))
    assert (p.rule, p.column, p.params["actual"]) == ("type", "needs_payment", "double")


def test_unknown_kind(write_snapshot):
    path = write_snapshot(pd.DataFrame({"a": [1], "b": ["x"]}))
    p = only(path)
    assert (p.rule, p.column, p.row) == ("unknown_kind", None, None)
    assert_message(p, path, None, None,
                   "Không xác định được loại bảng (businesses, activities, city_indicators) từ các cột của tệp",
                   "cannot tell the kind of table (businesses, activities, city_indicators) from the file's columns")


def test_empty_file(write_snapshot, biz_frame):
    path = write_snapshot(biz_frame.iloc[:0])
    p = only(path)
    assert (p.rule, p.column, p.row) == ("empty", None, None)
    assert_message(p, path, None, None, "Tệp không có dòng dữ liệu nào", "the file has no rows")


# --- unreadable bytes ----------------------------------------------------------------------------


def _truncated(frame: pd.DataFrame, tmp_path) -> bytes:
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "whole.parquet")
    data = (tmp_path / "whole.parquet").read_bytes()
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize("case", ["truncated", "csv", "random", "zero_bytes", "magic_only"])
def test_unreadable_bytes(write_snapshot, biz_frame, tmp_path, case):
    data = {
        "truncated": lambda: _truncated(biz_frame, tmp_path),
        "csv": lambda: biz_frame.to_csv(index=False).encode(),
        "random": lambda: random.Random(7).randbytes(4096),
        "zero_bytes": lambda: b"",
        "magic_only": lambda: b"PAR1" + bytes(64) + b"PAR1",
    }[case]()
    path = write_snapshot(data, name=f"{case}.parquet")
    snap = read_snapshot(path)
    p = only(path)
    assert (p.rule, p.column, p.row) == ("unreadable", None, None)
    detail = p.params["detail"]
    assert detail and "Traceback" not in detail
    assert_message(p, path, None, None, "Không đọc được tệp Parquet (tệp hỏng, bị cắt hoặc không phải Parquet)",
                   f"cannot read the file as Parquet: {detail}")
    assert not snap.valid and snap.frame is None


# --- values --------------------------------------------------------------------------------------


def test_null_in_a_key(write_snapshot, biz_frame):
    biz_frame.loc[1, "sector"] = None
    path = write_snapshot(biz_frame)
    p = only(path)
    assert (p.rule, p.column, p.row) == ("not_null", "sector", 2)
    assert_message(p, path, "sector", 2, "Không được để trống", "must not be null")


def test_null_in_a_count(write_snapshot, biz_frame):
    path = write_snapshot(with_column(biz_frame, "needs_logistics", pa.array([0, None], pa.int64())))
    p = only(path)
    assert (p.rule, p.column, p.row) == ("not_null", "needs_logistics", 2)
    assert_message(p, path, "needs_logistics", 2, "Không được để trống", "must not be null")


@pytest.mark.parametrize("period", ["2026-H3", "2026-h1", "26-H1", "2026H1", "2026-S1"])
def test_period_format(write_snapshot, biz_frame, period):
    biz_frame["period"] = period
    path = write_snapshot(biz_frame)
    problems = read_snapshot(path).problems
    assert [(p.rule, p.column, p.row, p.value) for p in problems] == [
        ("period_format", "period", 1, period), ("period_format", "period", 2, period)]
    assert_message(problems[0], path, "period", 1, "Kỳ phải có dạng YYYY-H1 hoặc YYYY-H2", "period must be YYYY-H1 or YYYY-H2")


def test_more_than_one_period(write_snapshot, biz_frame):
    biz_frame.loc[1, "period"] = "2026-H2"
    path = write_snapshot(biz_frame)
    p = only(path)
    assert (p.rule, p.column, p.row, p.value) == ("one_period", "period", 2, "2026-H2")
    assert_message(p, path, "period", 2, "Mỗi tệp chỉ chứa một kỳ báo cáo", "a file holds one period only")


@pytest.mark.parametrize("code", ["99999", "1002", "011002", "31000"])
def test_unit_code_not_in_the_list(write_snapshot, biz_frame, code):
    biz_frame.loc[1, "unit_code"] = code
    path = write_snapshot(biz_frame)
    p = only(path)
    assert (p.rule, p.column, p.row, p.value) == ("unit_known", "unit_code", 2, code)
    assert_message(p, path, "unit_code", 2, "Mã đơn vị không có trong danh mục 114 xã, phường, đặc khu của thành phố Hải Phòng",
                   "unit_code is not in the list of the 114 units of Hải Phòng")


@pytest.mark.parametrize("fixture, column, value, rule, vi, en", [
    ("biz_frame", "sector", "thuc pham", "sector_known", "Nhóm ngành hàng không có trong danh mục", "sector is not in the sector list"),
    ("biz_frame", "business_type", "cong_ty", "business_type_known", "Loại hình không có trong danh mục",
     "business_type is not in the business-type list"),
    ("city_frame", "indicator", "digital_rate", "indicator_known", "Chỉ tiêu không có trong tệp mục tiêu",
     "indicator is not a city indicator of the targets file"),
])
def test_code_not_in_its_list(request, write_snapshot, fixture, column, value, rule, vi, en):
    frame = request.getfixturevalue(fixture)
    frame.loc[1, column] = value
    path = write_snapshot(frame)
    p = only(path)
    assert (p.rule, p.column, p.row, p.value) == (rule, column, 2, value)
    assert_message(p, path, column, 2, vi, en)


@pytest.mark.parametrize("fixture, column", [("biz_frame", "businesses"), ("biz_frame", "needs_training"),
                                             ("act_frame", "trainings"), ("act_frame", "complaints_forwarded")])
def test_negative_count(request, write_snapshot, fixture, column):
    frame = request.getfixturevalue(fixture)
    frame.loc[1, column] = -1
    if column == "businesses":  # keep every bound of row 2 true: only the sign is wrong
        frame.loc[1, frame.columns[5:-1]] = -1
    path = write_snapshot(frame)
    problems = [p for p in read_snapshot(path).problems if p.column == column]
    assert [(p.rule, p.row, p.value) for p in problems] == [("non_negative", 2, "-1")]
    assert_message(problems[0], path, column, 2, "Phải ≥ 0", "must be ≥ 0")


@pytest.mark.parametrize("column, bound", sorted(UPPER_BOUNDS.items()))
def test_upper_bound(write_snapshot, biz_frame, column, bound):
    value = int(biz_frame.loc[1, bound]) + 1
    biz_frame.loc[1, column] = value
    path = write_snapshot(biz_frame)
    p = only(path)
    assert (p.rule, p.column, p.row, p.value) == ("at_most", column, 2, str(value))
    assert_message(p, path, column, 2, f"Phải ≤ {bound}", f"must be ≤ {bound}")


def test_upper_bounds_are_the_contracts():
    channels = ["digital_social", "digital_marketplace", "digital_web_app"]
    per_business = ["digital_any", "cashless", "point_of_sale", "online_sellers", "site_notified",
                    "needs_training", "needs_marketplace", "needs_payment", "needs_logistics"]
    assert UPPER_BOUNDS == {**{c: "digital_any" for c in channels}, **{c: "businesses" for c in per_business},
                            "point_of_sale_informed": "point_of_sale"}


def test_digital_any_above_the_sum_of_channels(write_snapshot, biz_frame):
    biz_frame.loc[1, ["digital_any", "digital_social", "digital_marketplace", "digital_web_app"]] = [4, 1, 1, 1]
    path = write_snapshot(biz_frame)
    p = only(path)
    assert (p.rule, p.column, p.row, p.value) == ("channels_sum", "digital_any", 2, "4")
    assert_message(p, path, "digital_any", 2, "Phải ≤ digital_social + digital_marketplace + digital_web_app",
                   "must be ≤ digital_social + digital_marketplace + digital_web_app")


@pytest.mark.parametrize("fixture", ["biz_frame", "act_frame", "city_frame"])
def test_different_submitted_at_within_a_file(request, write_snapshot, fixture):
    frame = request.getfixturevalue(fixture)
    frame.loc[1, "submitted_at"] = pd.Timestamp("2026-06-26 08:00", tz="Asia/Ho_Chi_Minh")
    path = write_snapshot(frame)
    p = only(path)
    assert (p.rule, p.column, p.row, p.value) == ("one_submitted_at", "submitted_at", 2, "2026-06-26 08:00:00+07:00")
    assert_message(p, path, "submitted_at", 2, "Mọi dòng của tệp phải có cùng submitted_at",
                   "every row of a file has the same submitted_at")


def test_same_instant_in_two_time_zones_is_one_submitted_at(write_snapshot, biz_frame):
    utc = pd.Timestamp("2026-06-25 03:00", tz="UTC")  # = 10:00 in Hà Nội
    biz_frame["submitted_at"] = [utc, utc]
    snap = read_snapshot(write_snapshot(biz_frame))
    assert snap.valid
    assert snap.frame["submitted_at"].iloc[0] == pd.Timestamp("2026-06-25 10:00", tz="Asia/Ho_Chi_Minh")


@pytest.mark.parametrize("fixture, change, keys", [
    ("biz_frame", {"sector": "thuc_pham", "business_type": "doanh_nghiep"}, "period, unit_code, sector, business_type"),
    ("act_frame", {"unit_code": "11002"}, "period, unit_code"),
    ("city_frame", {"indicator": "adults_online_shopping", "value": 62.9}, "period, indicator"),
])
def test_duplicate_key_rows(request, write_snapshot, fixture, change, keys):
    frame = request.getfixturevalue(fixture)
    for column, value in change.items():
        frame.loc[1, column] = value
    path = write_snapshot(frame)
    problems = read_snapshot(path).problems
    assert [(p.rule, p.column, p.row) for p in problems] == [("unique_key", keys, 1), ("unique_key", keys, 2)]
    assert_message(problems[1], path, keys, 2, f"Trùng khóa ({keys}): mỗi khóa chỉ một dòng",
                   f"duplicate key ({keys}): one row per key")


@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_non_finite_city_value(write_snapshot, city_frame, value):
    city_frame.loc[1, "value"] = value  # row 2 is a growth: no 0–100 bound applies
    path = write_snapshot(city_frame)
    p = only(path)
    assert (p.rule, p.column, p.row, p.value) == ("finite", "value", 2, str(value))
    assert_message(p, path, "value", 2, "Phải là số hữu hạn", "must be a finite number")


def test_null_city_value(write_snapshot, city_frame):
    city_frame.loc[1, "value"] = np.nan
    p = only(write_snapshot(city_frame))
    assert (p.rule, p.column, p.row) == ("not_null", "value", 2)


@pytest.mark.parametrize("value", [100.5, -0.1])
def test_percentage_city_indicator_outside_0_100(write_snapshot, city_frame, value):
    city_frame.loc[0, "value"] = value  # row 1 is a share of adults: bounded
    path = write_snapshot(city_frame)
    p = only(path)
    assert (p.rule, p.column, p.row, p.value) == ("percent_range", "value", 1, str(value))
    assert_message(p, path, "value", 1, "Chỉ tiêu tỷ lệ phải trong khoảng 0–100", "a percentage must be within 0–100")


def test_percentage_bounds_are_inclusive_and_growth_is_unbounded(write_snapshot, city_frame):
    city_frame["value"] = [100.0, 250.0]
    assert read_snapshot(write_snapshot(city_frame, "hi.parquet")).valid
    city_frame["value"] = [0.0, -12.5]
    assert read_snapshot(write_snapshot(city_frame, "lo.parquet")).valid


@pytest.mark.parametrize("source", ["", "   "])
def test_empty_source(write_snapshot, city_frame, source):
    city_frame.loc[1, "source"] = source
    path = write_snapshot(city_frame)
    p = only(path)
    assert (p.rule, p.column, p.row) == ("not_text", "source", 2)
    assert_message(p, path, "source", 2, "Phải là chuỗi ký tự, không để trống", "must be a non-empty string")


def test_many_bad_rows_are_capped_per_rule(write_snapshot, biz_frame):
    frame = pd.concat([biz_frame.iloc[[0]]] * (MAX_ROWS_PER_RULE + 5), ignore_index=True)
    frame["sector"] = "sai"  # and every row is also a duplicate key: a second rule, capped apart
    problems = read_snapshot(write_snapshot(frame)).problems
    sector = [p for p in problems if p.rule == "sector_known"]
    assert [p.row for p in sector[:-1]] == list(range(1, MAX_ROWS_PER_RULE + 1))
    assert (sector[-1].row, sector[-1].value) == (None, "+5 dòng khác (more rows)")
    assert len([p for p in problems if p.rule == "unique_key"]) == MAX_ROWS_PER_RULE + 1


def test_every_problem_of_a_file_is_reported_at_once(write_snapshot, biz_frame):
    biz_frame = biz_frame.drop(columns="needs_payment")
    biz_frame["businesses"] = [10.0, 8.0]
    biz_frame.loc[0, "unit_code"] = "00000"
    biz_frame.loc[1, "cashless"] = -2
    problems = read_snapshot(write_snapshot(biz_frame)).problems
    assert {(p.rule, p.column, p.row) for p in problems} == {
        ("type", "businesses", None), ("missing_column", "needs_payment", None),
        ("unit_known", "unit_code", 1), ("non_negative", "cashless", 2)}


# --- never raises, whatever the bytes ------------------------------------------------------------


def test_duplicate_column(write_snapshot, biz_frame):
    table = pa.Table.from_pandas(biz_frame, preserve_index=False)
    path = write_snapshot(table.append_column("cashless", table.column("cashless")))
    p = only(path)
    assert (p.rule, p.column, p.row) == ("duplicate_column", "cashless", None)
    assert_message(p, path, "cashless", None, "Cột xuất hiện nhiều lần trong tệp", "the column appears more than once in the file")


def test_corrupt_pandas_metadata_is_ignored(write_snapshot, biz_frame):
    table = pa.Table.from_pandas(biz_frame, preserve_index=False)
    snap = read_snapshot(write_snapshot(table.replace_schema_metadata({b"pandas": b'{"columns": [{"nam'})))
    assert snap.valid and snap.frame["businesses"].sum() == 10 + 8


def test_a_zone_name_pandas_does_not_know_keeps_the_instant(write_snapshot, biz_frame):
    instant = pa.array([pd.Timestamp("2026-06-25 03:00", tz="UTC").value // 1000] * 2, pa.int64())
    snap = read_snapshot(write_snapshot(with_column(biz_frame, "submitted_at", instant.cast(pa.timestamp("us", tz="Mars/Olympus")))))
    assert snap.valid
    assert snap.frame["submitted_at"].iloc[0] == pd.Timestamp("2026-06-25 10:00", tz="Asia/Ho_Chi_Minh")


def test_text_that_is_not_utf8_is_unreadable(tmp_path, biz_frame):
    import pyarrow.parquet as pq

    path = tmp_path / "latin1.parquet"
    pq.write_table(pa.Table.from_pandas(biz_frame, preserve_index=False), path, compression="none", use_dictionary=False,
                   write_statistics=False)
    data = path.read_bytes()
    assert data.count(b"thuc_pham") == 1
    path.write_bytes(data.replace(b"thuc_pham", b"thuc\xffpham"))
    p = only(path)
    assert p.rule == "unreadable" and "utf" in p.params["detail"].lower()


def test_ambiguous_naive_local_time_does_not_fail(write_snapshot, biz_frame):
    # clocks went back an hour that night (a back-filled report's time; its period stays in range)
    biz_frame["submitted_at"] = pd.Timestamp("1975-06-12 23:30")
    snap = read_snapshot(write_snapshot(biz_frame))
    assert snap.valid and snap.frame["submitted_at"].iloc[0].strftime("%Y-%m-%d %H:%M") == "1975-06-12 23:30"


def test_changed_bytes_never_raise(write_snapshot, biz_frame, tmp_path):
    good = write_snapshot(biz_frame, "good.parquet").read_bytes()
    rng = random.Random(20260630)
    rules = set()
    for i in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        snap = read_snapshot(write_snapshot(bytes(data), f"f{i}.parquet"))
        assert snap.valid == (snap.problems == [])
        rules |= {p.rule for p in snap.problems}
    assert "unreadable" in rules and len(rules) > 1


# --- one message per defect ----------------------------------------------------------------------


def test_a_null_bound_or_channel_does_not_break_the_bounds_that_read_it(write_snapshot, biz_frame):
    table = with_column(biz_frame, "businesses", pa.array([10, None], pa.int64()))
    table = table.set_column(table.column_names.index("digital_web_app"), "digital_web_app", pa.array([None, 3], pa.int64()))
    problems = read_snapshot(write_snapshot(table)).problems
    assert [(p.rule, p.column, p.row) for p in problems] == [("not_null", "businesses", 2), ("not_null", "digital_web_app", 1)]


def test_null_submitted_at_and_period_are_only_nulls(write_snapshot, biz_frame):
    table = with_column(biz_frame, "submitted_at", pa.array([None, None], pa.timestamp("us", tz="UTC")))
    table = table.set_column(0, "period", pa.array([None, "2026-H1"], pa.string()))
    problems = read_snapshot(write_snapshot(table)).problems
    assert [(p.rule, p.column, p.row) for p in problems] == [
        ("not_null", "period", 1), ("not_null", "submitted_at", 1), ("not_null", "submitted_at", 2)]


def test_a_null_city_value_is_not_also_out_of_range(write_snapshot, city_frame):
    city_frame.loc[0, "value"] = np.nan  # row 1 is a bounded share
    p = only(write_snapshot(city_frame))
    assert (p.rule, p.column, p.row) == ("not_null", "value", 1)


@pytest.mark.parametrize("arrow_type, value", [(pa.int8(), 5), (pa.uint32(), 7), (pa.uint64(), 9)])
def test_any_integer_type_that_fits_int64_is_a_count(write_snapshot, biz_frame, arrow_type, value):
    snap = read_snapshot(write_snapshot(with_column(biz_frame, "needs_logistics", pa.array([0, value], arrow_type))))
    assert snap.valid == (value <= 8)
    assert snap.frame is None or snap.frame["needs_logistics"].dtype == "int64"


def test_uint64_beyond_int64_is_a_type_error_not_a_negative(write_snapshot, biz_frame):
    path = write_snapshot(with_column(biz_frame, "businesses", pa.array([2**63 + 5, 8], pa.uint64())))
    problems = read_snapshot(path).problems
    assert [(p.rule, p.column, p.params.get("actual")) for p in problems] == [("type", "businesses", "uint64")]


# --- files checked together ----------------------------------------------------------------------


def test_files_checked_together_keep_their_own_rows_and_rules(write_snapshot, biz_frame):
    a = write_snapshot(biz_frame, "a.parquet")
    b = write_snapshot(biz_frame.assign(period="2026-H2"), "b.parquet")  # same keys, other period: fine
    later = biz_frame.assign(submitted_at=pd.Timestamp("2026-06-29 08:00", tz="Asia/Ho_Chi_Minh"))
    c = write_snapshot(later, "c.parquet")  # another submitted_at than a's: fine
    biz_frame.loc[1, "cashless"] = 9
    d = write_snapshot(biz_frame, "d.parquet")
    snaps = read_snapshots([a, b, c, d], ["a", "b", "c", "d"])
    assert [s.valid for s in snaps] == [True, True, True, False]
    assert snaps[3].problems == [Problem("d", "at_most", "cashless", 2, "9")]
    assert [(s.period, s.rows) for s in snaps] == [("2026-H1", 2), ("2026-H2", 2), ("2026-H1", 2), ("2026-H1", 2)]
    assert snaps[2].submitted_at == pd.Timestamp("2026-06-29 08:00", tz="Asia/Ho_Chi_Minh")
    assert snaps[1].frame["period"].tolist() == ["2026-H2", "2026-H2"]
    rows = valid_rows(snaps)
    assert list(rows) == ["businesses"]
    assert rows["businesses"]["snapshot"].tolist() == ["a", "a", "b", "b", "c", "c"]
    assert rows["businesses"]["cashless"].sum() == 3 * (7 + 5)


def test_a_bad_row_is_found_in_its_file_among_many(write_snapshot, biz_frame):
    paths = [write_snapshot(biz_frame.assign(period=f"20{15 + i // 2}-H{i % 2 + 1}"), f"f{i:02}.parquet") for i in range(30)]
    biz_frame.loc[1, "unit_code"] = "12345"
    paths.insert(17, write_snapshot(biz_frame, "bad.parquet"))
    snaps = read_snapshots(paths)
    assert [str(p) for s in snaps for p in s.problems] == [
        f"{paths[17]}: cột (column) unit_code, dòng (row) 2: Mã đơn vị không có trong danh mục 114 xã, phường, "
        f"đặc khu của thành phố Hải Phòng (unit_code is not in the list of the 114 units of Hải Phòng) — giá trị (value): 12345"]
    assert sum(s.valid for s in snaps) == 30


def test_files_of_other_arrow_types_are_checked_apart(write_snapshot, biz_frame):
    naive = write_snapshot(biz_frame.assign(submitted_at=pd.Timestamp("2026-06-25 10:00")), "naive.parquet")
    table = pa.Table.from_pandas(biz_frame, preserve_index=False)
    for name in ("unit_code", "sector"):
        table = table.set_column(table.column_names.index(name), name, table.column(name).dictionary_encode())
    table = table.set_column(table.column_names.index("businesses"), "businesses", table.column("businesses").cast(pa.int32()))
    encoded = write_snapshot(table, "encoded.parquet")
    snaps = read_snapshots([naive, encoded, write_snapshot(biz_frame, "plain.parquet")])
    assert all(s.valid for s in snaps)
    rows = valid_rows(snaps)["businesses"]
    assert rows["submitted_at"].nunique() == 1  # naive 10:00 is 10:00 in Hà Nội, as the aware ones
    assert rows["unit_code"].tolist() == ["11002"] * 6 and rows["businesses"].dtype == "int64"


def test_a_check_that_cannot_run_fails_the_file_not_the_run(monkeypatch, write_snapshot, city_frame):
    from loaders import schema as schema_module

    real = schema_module._check

    def crashing_finite(rule, column, fn, other=""):
        def crash(values):
            raise RuntimeError("check crashed")

        return real(rule, column, crash if rule == "finite" else fn, other)

    schema_module.schema.cache_clear()
    monkeypatch.setattr(schema_module, "_check", crashing_finite)
    try:
        paths = [write_snapshot(city_frame, "a.parquet"), write_snapshot(city_frame, "b.parquet")]
        snaps = read_snapshots(paths)
    finally:
        schema_module.schema.cache_clear()
    for path, snap in zip(paths, snaps):
        assert not snap.valid
        assert [(p.file, p.rule, p.column, p.row) for p in snap.problems] == [(str(path), "finite", "value", None)]


def test_a_large_file_failing_on_every_row_is_reported_quickly(write_snapshot, biz_frame):
    import time

    n = 100_000
    frame = pd.concat([biz_frame.iloc[[0]]] * n, ignore_index=True).assign(sector="x")
    path = write_snapshot(frame)
    started = time.process_time()
    problems = read_snapshot(path).problems
    assert time.process_time() - started < 20  # seconds of CPU; formatting every failure took minutes
    assert [(p.rule, p.row, p.value) for p in problems if p.row is None] == [
        ("unique_key", None, f"+{n - MAX_ROWS_PER_RULE} dòng khác (more rows)"),
        ("sector_known", None, f"+{n - MAX_ROWS_PER_RULE} dòng khác (more rows)")]
