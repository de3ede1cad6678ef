"""The data contract v1 as schemas: an Arrow schema for types, pandera schemas for values.

Each rule has an id; `RULES` gives its wording in Vietnamese and English. Checks carry the rule id
(and the column it concerns) in their name, so a failure becomes a message naming file, column,
row and rule without a chain of ifs.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow

from loaders import periods
from loaders.periods import PERIOD_RE
from loaders.reference import (all_units, area_names, business_types, city_indicator_ids, indicators, legacy_units,
                               scope, scope_codes, sectors, settings)

KEY_COLUMNS = {
    "businesses": ["period", "unit_code", "sector", "business_type"],
    "activities": ["period", "unit_code"],
    "city_indicators": ["period", "indicator"],
}
# The key that decides which snapshot is current: a later submitted_at replaces the whole report.
REPORT_KEY = {
    "businesses": ["period", "unit_code"],
    "activities": ["period", "unit_code"],
    "city_indicators": ["period", "indicator"],
}

COUNT_COLUMNS = [
    "businesses", "digital_any", "digital_social", "digital_marketplace", "digital_web_app",
    "cashless", "point_of_sale", "point_of_sale_informed", "online_sellers", "site_notified",
    "needs_training", "needs_marketplace", "needs_payment", "needs_logistics",
]
# column -> the column it may not exceed
UPPER_BOUNDS = {
    "digital_any": "businesses",
    "digital_social": "digital_any",
    "digital_marketplace": "digital_any",
    "digital_web_app": "digital_any",
    "cashless": "businesses",
    "point_of_sale": "businesses",
    "point_of_sale_informed": "point_of_sale",
    "online_sellers": "businesses",
    "site_notified": "businesses",
    "needs_training": "businesses",
    "needs_marketplace": "businesses",
    "needs_payment": "businesses",
    "needs_logistics": "businesses",
}
CHANNELS = ["digital_social", "digital_marketplace", "digital_web_app"]
ACTIVITY_COUNTS = ["trainings", "trainees", "outreach_items", "marketplace_onboarded", "complaints_forwarded"]

# Arrow type families, with their names in messages.
STRING, INTEGER, FLOAT, BOOL, TIMESTAMP = "string", "int64", "float64", "bool", "timestamp"

COLUMNS: dict[str, dict[str, str]] = {
    "businesses": {
        "period": STRING, "unit_code": STRING, "sector": STRING, "business_type": STRING,
        **{c: INTEGER for c in COUNT_COLUMNS}, "submitted_at": TIMESTAMP,
    },
    "activities": {
        "period": STRING, "unit_code": STRING, **{c: INTEGER for c in ACTIVITY_COUNTS},
        "register_updated": BOOL, "submitted_at": TIMESTAMP,
    },
    "city_indicators": {
        "period": STRING, "indicator": STRING, "value": FLOAT, "source": STRING, "submitted_at": TIMESTAMP,
    },
}
KINDS = list(COLUMNS)
# Columns a file may add (data contract: "the project may add optional columns"): a report converted
# from the units before 1 July 2025 (python -m loaders convert) names the old units it sums, and
# whether one of them was split between current units (its figures then are an estimate).
OPTIONAL: dict[str, dict[str, str]] = {
    "businesses": {"converted_from": STRING, "estimated": BOOL},
    "activities": {"converted_from": STRING, "estimated": BOOL},
    "city_indicators": {},
}
# Which unit list a file's codes are read against: the units in force since 1 July 2025, or the
# units before it (the files `convert` takes).
CURRENT, BEFORE = "current", "before"

RULES: dict[str, tuple[str, str]] = {
    "unreadable": (
        "Không đọc được tệp Parquet (tệp hỏng, bị cắt hoặc không phải Parquet)",
        "cannot read the file as Parquet: {detail}",
    ),
    "unknown_kind": (
        "Không xác định được loại bảng (businesses, activities, city_indicators) từ các cột của tệp",
        "cannot tell the kind of table (businesses, activities, city_indicators) from the file's columns",
    ),
    "duplicate_column": ("Cột xuất hiện nhiều lần trong tệp", "the column appears more than once in the file"),
    "missing_column": ("Thiếu cột bắt buộc của bảng {kind}", "required column of a {kind} table is missing"),
    "type": ("Kiểu dữ liệu phải là {expected}, tệp có {actual}", "type must be {expected}; the file has {actual}"),
    "empty": ("Tệp không có dòng dữ liệu nào", "the file has no rows"),
    "not_null": ("Không được để trống", "must not be null"),
    "period_format": ("Kỳ phải có dạng YYYY-H1 hoặc YYYY-H2", "period must be YYYY-H1 or YYYY-H2"),
    "period_range": ("Kỳ phải trong khoảng {earliest} – {latest}", "the period must be within {earliest} – {latest}"),
    "one_period": ("Mỗi tệp chỉ chứa một kỳ báo cáo", "a file holds one period only"),
    "unit_known": (
        "Mã đơn vị không có trong danh mục {scope_vi}",
        "unit_code is not in the list of {scope_en}",
    ),
    "unit_known_before": (
        "Mã đơn vị không có trong danh mục đơn vị trước ngày 1/7/2025 đã nhập vào {scope_vi}",
        "unit_code is not one of the units before 1 July 2025 taken into {scope_en}",
    ),
    "period_before": ("Báo cáo của đơn vị cũ phải cho kỳ trước {merger}", "a report of an old unit is for a period before {merger}"),
    "kind_before": ("Chỉ chuyển đổi được báo cáo của đơn vị (businesses, activities), không phải bảng {kind}",
                    "only a unit's report (businesses, activities) can be converted, not a {kind} table"),
    "sector_known": ("Nhóm ngành hàng không có trong danh mục", "sector is not in the sector list"),
    "business_type_known": ("Loại hình không có trong danh mục", "business_type is not in the business-type list"),
    "indicator_known": ("Chỉ tiêu không có trong tệp mục tiêu", "indicator is not a city indicator of the targets file"),
    "non_negative": ("Phải ≥ 0", "must be ≥ 0"),
    "count_max": ("Phải ≤ {max_count_vi}: không đơn vị nào có số lớn như vậy",
                  "must be ≤ {max_count_en}: no unit has a count that large"),
    "at_most": ("Phải ≤ {other}", "must be ≤ {other}"),
    "channels_sum": (
        "Phải ≤ digital_social + digital_marketplace + digital_web_app",
        "must be ≤ digital_social + digital_marketplace + digital_web_app",
    ),
    "submitted_future": ("Thời điểm nộp muộn hơn lúc kiểm tra ({now}): giờ của máy tạo tệp bị sai?",
                         "submitted_at is later than the moment of checking ({now}): is the clock of the machine that wrote it wrong?"),
    "one_submitted_at": ("Mọi dòng của tệp phải có cùng submitted_at", "every row of a file has the same submitted_at"),
    "unique_key": ("Trùng khóa {keys}: mỗi khóa chỉ một dòng", "duplicate key {keys}: one row per key"),
    "finite": ("Phải là số hữu hạn", "must be a finite number"),
    "percent_range": ("Chỉ tiêu tỷ lệ phải trong khoảng 0–100", "a percentage must be within 0–100"),
    "not_text": ("Phải là chuỗi ký tự, không để trống", "must be a non-empty string"),
    "folder_unreadable": ("Không mở được thư mục (không có quyền đọc): các tệp trong đó chưa được kiểm tra",
                          "cannot open the folder (no permission to read it): its files were not checked: {detail}"),
    "name_not_utf8": ("Tên tệp không phải UTF-8: hãy đổi tên tệp, hoặc nạp tệp bằng lệnh ingest",
                      "the file's name is not UTF-8: rename the file, or put it in with the ingest command"),
    "real_into_sample": ("Kho {store} là dữ liệu mẫu tổng hợp: không nạp báo cáo thật vào đó (dùng --data với kho của bạn)",
                         "{store} holds the synthetic sample: real reports are not put into it (give --data your own store)"),
    # Workbooks made from the Excel template (loaders/workbook.py)
    "xlsx_unreadable": ("Không đọc được tệp Excel (tệp hỏng, không phải .xlsx, hoặc lưu từ định dạng khác)",
                        "cannot read the file as an Excel workbook (.xlsx): {detail}"),
    "xlsx_not_template": ("Tệp không được tạo từ mẫu báo cáo (thiếu trang _meta): hãy tải mẫu của đơn vị trên trang Nộp báo cáo",
                          "the workbook was not made from the report template (no _meta sheet): download the unit's template"),
    "xlsx_version": ("Phiên bản mẫu không được hỗ trợ (hỗ trợ: {known}): hãy tải mẫu mới",
                     "unknown template version (known: {known}): download a new template"),
    "xlsx_other_unit": ("Tệp là mẫu của đơn vị khác (cần {expected})", "the workbook is the template of another unit ({expected} expected)"),
    "xlsx_other_period": ("Tệp là mẫu của kỳ khác (cần {expected})", "the workbook is the template of another period ({expected} expected)"),
    "xlsx_no_header": ("Trang {sheet} thiếu dòng tên cột của mẫu ({columns})",
                       "sheet {sheet} lacks the template's row of column names ({columns})"),
    "xlsx_no_rows": ("Trang {sheet} không có dòng số liệu", "sheet {sheet} has no data row"),
    "xlsx_empty": ("Ô để trống: nếu không có thì ghi 0", "the cell is empty: write 0 if there is none"),
    "xlsx_text": ("Ô phải là số nguyên, không phải chữ", "the cell must hold a whole number, not text"),
    "xlsx_fraction": ("Ô phải là số nguyên (không có phần thập phân)", "the cell must hold a whole number (no fraction)"),
    "xlsx_negative": ("Số không được âm", "the number must not be negative"),
    "xlsx_yes_no": ("Ghi Có hoặc Không", "write Yes or No (Có/Không, TRUE/FALSE, 1/0)"),
}


def arrow_family(t: pa_arrow.DataType) -> str | None:
    """The contract's type family of an Arrow type, or None for anything else."""
    if pa_arrow.types.is_dictionary(t):
        t = t.value_type
    if pa_arrow.types.is_string(t) or pa_arrow.types.is_large_string(t) or pa_arrow.types.is_string_view(t):
        return STRING
    if pa_arrow.types.is_integer(t):
        return INTEGER
    if pa_arrow.types.is_floating(t):
        return FLOAT
    if pa_arrow.types.is_boolean(t):
        return BOOL
    if pa_arrow.types.is_timestamp(t):
        return TIMESTAMP
    return None


def detect_kind(columns: list[str]) -> str | None:
    """The kind whose own columns the file shares most (period/unit/submitted_at don't count)."""
    common = {"period", "unit_code", "submitted_at"}
    scores = {k: len((set(cols) - common) & set(columns)) for k, cols in COLUMNS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else None


# In a batch of files checked together, the column holding each row's file number: rules that
# hold within a file (one period, one submitted_at, unique keys) are grouped by it.
FILE = "_file"


# Pandera keeps one failure case per check for its own message (formatting every failing row
# of a large bad file costs minutes); validate reads every failing row from the check's output.
def _check(rule: str, column: str, fn, other: str = "") -> pa.Check:
    return pa.Check(fn, name=f"{rule}|{column}|{other}", n_failure_cases=1)


def _row_check(rule: str, column: str, fn, other: str = "") -> pa.Check:
    # A check of whole rows. Each rule lets nulls pass itself (they are reported once, as nulls),
    # so pandera need not look for all-null rows over the whole frame for every check.
    return pa.Check(fn, name=f"{rule}|{column}|{other}", ignore_na=False, n_failure_cases=1)


def _one_value(rule: str, column: str) -> pa.Check:
    # Rows whose value differs from the first (non-null) value of their file fail.
    def same(df: pd.DataFrame) -> pd.Series:
        return df[column].isna() | (df[column] == df.groupby(FILE)[column].transform("first"))

    return _row_check(rule, column, same)


def _unique_key(kind: str) -> pa.Check:
    keys = KEY_COLUMNS[kind]
    return _row_check("unique_key", ", ".join(keys), lambda df: ~df.duplicated([FILE, *keys], keep=False))


def _codes(rule: str, column: str, allowed) -> pa.Check:
    allowed = set(allowed)
    return _check(rule, column, lambda s: s.isin(allowed))


def _well_formed(s: pd.Series) -> list[str]:
    # A file holds one period, so the pattern runs once per distinct value, not once per row.
    return [v for v in s.unique() if isinstance(v, str) and PERIOD_RE.fullmatch(v)]


def _is_period(s: pd.Series) -> pd.Series:
    return s.isin(_well_formed(s))


def period_range() -> tuple[str, str]:
    """The first and last period a report may be for (settings [periods])."""
    return settings()["periods"]["earliest"], settings()["periods"]["latest"]


def _in_range(s: pd.Series) -> pd.Series:
    # Only well-formed periods are compared: the others fail period_format alone.
    first, last = (periods.index(p) for p in period_range())
    return ~s.isin([v for v in _well_formed(s) if not first <= periods.index(v) <= last])


def _period_column(era: str = CURRENT) -> pa.Column:
    before = [_check("period_before", "period", lambda s: ~s.isin([v for v in _well_formed(s) if v >= merger_period()]))]
    return pa.Column(nullable=False, checks=[_check("period_format", "period", _is_period),
                                             _check("period_range", "period", _in_range),
                                             *(before if era == BEFORE else [])])


@cache
def merger_period() -> str:
    """The first period of the units in force (config/units.csv effective_from: 1 July 2025, 2025-H2)."""
    return periods.containing(pd.Timestamp(all_units()["effective_from"].min()).date())


def _unit_column(era: str) -> pa.Column:
    if era == CURRENT:
        return pa.Column(nullable=False, checks=[_codes("unit_known", "unit_code", scope_codes())])
    return pa.Column(nullable=False, checks=[_codes("unit_known_before", "unit_code", legacy_units()["old_code"])])


def max_count() -> int:
    """The largest count a row may hold (settings [bounds])."""
    return settings()["bounds"]["max_count"]


def bound_params() -> dict[str, str]:
    """The bounds as the messages of period_range and count_max write them."""
    (earliest, latest), top = period_range(), max_count()
    vi, en = area_names("vi", scope()), area_names("en", scope())
    return {"earliest": earliest, "latest": latest, "max_count_vi": f"{top:,}".replace(",", "."), "max_count_en": f"{top:,}",
            "scope_vi": f"{vi['n_units']} xã, phường, đặc khu của {vi['area_full']}",
            "scope_en": f"the {en['n_units']} units of {en['area_full']}", "merger": merger_period()}


def _count(name: str) -> pa.Column:
    top = max_count()
    return pa.Column(nullable=False, checks=[_check("non_negative", name, lambda s: s >= 0),
                                             _check("count_max", name, lambda s: s <= top)])


def _common_checks(kind: str) -> list[pa.Check]:
    return [_one_value("one_period", "period"), _one_value("one_submitted_at", "submitted_at"), _unique_key(kind)]


def _businesses_schema(era: str) -> pa.DataFrameSchema:
    bounds = [
        _row_check("at_most", col, (lambda c, o: lambda df: ~(df[c] > df[o]))(col, other), other)
        for col, other in UPPER_BOUNDS.items()
    ]
    # Summed as floats: exact for every count within max_count, and no wrap-around for those beyond
    # it (each of which fails count_max itself).
    channels_sum = _row_check("channels_sum", "digital_any", lambda df: ~(
        df["digital_any"] > df[CHANNELS].astype("float64").sum(axis=1, min_count=len(CHANNELS))))
    return pa.DataFrameSchema(
        {
            "period": _period_column(era),
            "unit_code": _unit_column(era),
            "sector": pa.Column(nullable=False, checks=[_codes("sector_known", "sector", sectors())]),
            "business_type": pa.Column(nullable=False, checks=[_codes("business_type_known", "business_type", business_types())]),
            **{c: _count(c) for c in COUNT_COLUMNS},
            "submitted_at": pa.Column(nullable=False),
        },
        checks=_common_checks("businesses") + bounds + [channels_sum],
    )


def _activities_schema(era: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "period": _period_column(era),
            "unit_code": _unit_column(era),
            **{c: _count(c) for c in ACTIVITY_COUNTS},
            "register_updated": pa.Column(nullable=False),
            "submitted_at": pa.Column(nullable=False),
        },
        checks=_common_checks("activities"),
    )


def _city_schema(era: str) -> pa.DataFrameSchema:
    bounded = {k for k, v in indicators().items() if v.get("bounded")}
    return pa.DataFrameSchema(
        {
            "period": _period_column(),
            "indicator": pa.Column(nullable=False, checks=[_codes("indicator_known", "indicator", city_indicator_ids())]),
            "value": pa.Column(nullable=False, checks=[_check("finite", "value", np.isfinite)]),
            "source": pa.Column(nullable=False, checks=[_check("not_text", "source", lambda s: s.str.strip() != "")]),
            "submitted_at": pa.Column(nullable=False),
        },
        checks=_common_checks("city_indicators") + [_row_check(
            "percent_range", "value", lambda df: ~(df["indicator"].isin(bounded) & ((df["value"] < 0) | (df["value"] > 100))))],
    )


SCHEMAS = {"businesses": _businesses_schema, "activities": _activities_schema, "city_indicators": _city_schema}


@cache
def schema(kind: str, columns: frozenset[str], era: str = CURRENT) -> pa.DataFrameSchema:
    """The kind's value schema, limited to the columns whose type is right (others are reported
    already), its unit codes read against the unit list of `era`. Built once per kind, set of
    columns and era. The frame it checks has a FILE column."""
    full = SCHEMAS[kind](era)
    return pa.DataFrameSchema(
        {name: col for name, col in full.columns.items() if name in columns},
        checks=[c for c in full.checks if set(check_columns(c.name)) <= columns],
    )


def check_columns(check_name: str) -> list[str]:
    """Every column a named check reads."""
    rule, column, other = check_name.split("|")
    cols = [c.strip() for c in column.split(",")] + ([other] if other else [])
    return cols + (CHANNELS if rule == "channels_sum" else [])
