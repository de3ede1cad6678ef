"""The tables a unit attaches to its report, as one Excel workbook (openpyxl), one sheet each:
indicators by unit, targets by unit, the city's targets, reporting, activities.

Every sheet starts with its title, the period, the filters, the data as-of date and (for the
sample) the synthetic-data warning; the header row under them is frozen, with the unit's code and
name frozen beside it. Values are the metrics' own, stored as numbers: a rate is 0–100 with a "%"
number format, a count is an integer, a date a date; an empty cell is "no data", never 0. Statuses
and reasons are written in words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

import i18n
from loaders import periods
from loaders.reference import indicators, units
from loaders.store import StoreData
from metrics import tables
from metrics.indicators import View
from report.content import as_of, filters_text, reporting_of
from metrics.targets import STATUSES, YEARLY

HEADER_ROW = 7  # rows 1–5: title, period, filters, as of, note; row 6 empty
PCT, COUNT, DECIMAL = '#,##0.0"%"', "#,##0", "#,##0.0##"
DATETIME, DATE = "dd/mm/yyyy hh:mm", "dd/mm/yyyy"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
ACTIVITY_COLUMNS = ["trainings", "trainees", "outreach_items", "marketplace_onboarded", "register_updated",
                    "complaints_forwarded"]


@dataclass(frozen=True)
class Column:
    source: str  # column of the metrics table
    header: str
    kind: str  # text | count | pct | value (format from the row's `unit`) | decimal | bool | datetime | date | status | reason


@dataclass(frozen=True)
class Sheet:
    name: str
    frame: pd.DataFrame
    columns: list[Column]
    frozen_columns: int = 2  # unit code and name


def _c(key: str, lang: str, **kw) -> str:
    return i18n.t(f"slides.col.{key}", lang, **kw)


def _names() -> pd.DataFrame:
    return units()[["unit_code", "name", "type"]].rename(columns={"name": "unit_name", "type": "unit_type"})


def unit_sheet(data: StoreData, period: str, view: View, lang: str) -> Sheet:
    """metrics.tables.by_unit: the values of `python -m metrics export --by unit` for the period."""
    frame = tables.by_unit(data, period, view)
    cols = [Column("unit_code", _c("unit_code", lang), "text"), Column("unit_name", _c("unit_name", lang), "text"),
            Column("unit_type", _c("unit_type", lang), "text"), Column("period", _c("period", lang), "text"),
            Column("businesses", _c("businesses", lang), "count")]
    cols += [Column(r, _c("rate", lang, name=i18n.indicator_name(r, lang)), "pct") for r in tables.RATES]
    for r in tables.RATES:
        name = i18n.indicator_name(r, lang)
        cols += [Column(f"{r}__num", _c("numerator", lang, name=name), "count"),
                 Column(f"{r}__den", _c("denominator", lang, name=name), "count")]
    return Sheet(i18n.t("slides.sheet.units", lang), frame, cols)


def unit_targets_sheet(status: pd.DataFrame, lang: str) -> Sheet:
    """metrics.targets.unit_status (metrics.tables.scorecard's second table): every unit × unit-scope target."""
    frame = _names().merge(status, on="unit_code", how="right")
    frame["target_text"] = [i18n.target_text(t, lang) for t in frame["target"]]
    frame["indicator_name"] = [i18n.indicator_name(i, lang) for i in frame["indicator"]]
    frame["unit"] = [indicators()[i]["unit"] for i in frame["indicator"]]
    cols = [Column("unit_code", _c("unit_code", lang), "text"), Column("unit_name", _c("unit_name", lang), "text"),
            Column("unit_type", _c("unit_type", lang), "text"), Column("target_text", _c("target", lang), "text"),
            Column("indicator_name", _c("indicator", lang), "text"), Column("value", _c("value", lang), "value"),
            Column("numerator", i18n.t("common.numerator", lang), "decimal"),
            Column("denominator", i18n.t("common.denominator", lang), "decimal"),
            Column("baseline", _c("baseline", lang), "value"), Column("expected", _c("expected", lang), "value"),
            Column("status", _c("status", lang), "status"), Column("reason", _c("reason", lang), "reason")]
    return Sheet(i18n.t("slides.sheet.unit_targets", lang), frame, cols)


def city_targets_sheet(city: pd.DataFrame, lang: str) -> Sheet:
    """metrics.targets.city_status (metrics.tables.scorecard's first table): every target of both plans."""
    frame = city.copy()
    frame["plan_name"] = [i18n.plan_name(p, lang) for p in frame["plan"]]
    frame["target_text"] = [i18n.target_text(t, lang) for t in frame["target"]]
    frame["indicator_name"] = [i18n.indicator_name(i, lang) for i in frame["indicator"]]
    frame["goal_text"] = [i18n.goal_text(t, lang) for t in _targets_of(frame)]
    frame["unit"] = ["%" if c in YEARLY else u for c, u in zip(frame["comparator"], frame["unit"])]
    cols = [Column("plan_name", _c("plan", lang), "text"), Column("clause", _c("clause", lang), "text"),
            Column("target_text", _c("target", lang), "text"), Column("indicator_name", _c("indicator", lang), "text"),
            Column("value", _c("value", lang), "value"), Column("numerator", i18n.t("common.numerator", lang), "decimal"),
            Column("denominator", i18n.t("common.denominator", lang), "decimal"),
            Column("goal_text", _c("goal", lang), "text"), Column("deadline", _c("deadline", lang), "text"),
            Column("baseline", _c("baseline", lang), "value"), Column("expected", _c("expected", lang), "value"),
            Column("status", _c("status", lang), "status"), Column("reason", _c("reason", lang), "reason")]
    cols += [Column(f"units_{s}", _c("units_status", lang, status=i18n.status_name(s, lang)), "count") for s in STATUSES]
    return Sheet(i18n.t("slides.sheet.city_targets", lang), frame, cols, frozen_columns=0)


def _targets_of(frame: pd.DataFrame) -> list[dict]:
    from loaders.reference import targets

    by_id = {t["id"]: t for t in targets()}
    return [by_id[t] for t in frame["target"]]


def reporting_sheet(data: StoreData, period: str, lang: str) -> Sheet:
    """metrics.reporting.reporting_table (via metrics.tables.reporting) at the period: every unit expected."""
    _, per_unit = reporting_of(*tables.reporting(data), period)
    frame = per_unit.rename(columns={"name": "unit_name", "type": "unit_type"})
    cols = [Column("unit_code", _c("unit_code", lang), "text"), Column("unit_name", _c("unit_name", lang), "text"),
            Column("unit_type", _c("unit_type", lang), "text"), Column("reported", _c("reported", lang), "bool"),
            Column("submitted_at", _c("submitted_at", lang), "datetime"),
            Column("deadline", _c("report_deadline", lang), "date"), Column("on_time", _c("on_time", lang), "bool"),
            Column("days_late", _c("days_late", lang), "count"), Column("files", _c("files", lang), "count"),
            Column("snapshot", _c("snapshot", lang), "text")]
    return Sheet(i18n.t("slides.sheet.reporting", lang), frame, cols)


def activities_sheet(data: StoreData, period: str, lang: str) -> Sheet:
    """The current activities reports of the period, one row per unit that reported."""
    act = data.current["activities"]
    rows = act[act["period"] == period] if not act.empty else act
    frame = _names().merge(rows, on="unit_code", how="inner").sort_values("unit_code")
    cols = [Column("unit_code", _c("unit_code", lang), "text"), Column("unit_name", _c("unit_name", lang), "text"),
            Column("unit_type", _c("unit_type", lang), "text")]
    cols += [Column(c, _c(c, lang), "bool" if c == "register_updated" else "count") for c in ACTIVITY_COLUMNS]
    cols.append(Column("submitted_at", _c("submitted_at", lang), "datetime"))
    return Sheet(i18n.t("slides.sheet.activities", lang), frame, cols)


def sheets(data: StoreData, period: str, view: View = View(), lang: str = "vi") -> list[Sheet]:
    city, status = tables.scorecard(data, period, view)
    return [unit_sheet(data, period, view, lang), unit_targets_sheet(status, lang), city_targets_sheet(city, lang),
            reporting_sheet(data, period, lang), activities_sheet(data, period, lang)]


def write_xlsx(data: StoreData, period: str, view: View, lang: str, out) -> None:
    """Write the workbook to `out` (a path or a binary file)."""
    if period not in data.periods:
        raise ValueError(f"period {period} is not in the store")
    head = [
        i18n.t("slides.col.period", lang) + ": " + i18n.fmt_period(period, lang),
        filters_text(view, lang),
        f"{i18n.t('common.freshness', lang)}: {i18n.fmt_datetime(as_of(data, period), lang)}",
        " ".join(x for x in (i18n.t("common.synthetic_banner", lang) if data.synthetic else "",
                             i18n.t("slides.sheet.rates_note", lang)) if x),
    ]
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets(data, period, view, lang):
        _write_sheet(book.create_sheet(sheet.name[:31]), sheet, period, head, lang)
    book.save(out)


def _write_sheet(ws, sheet: Sheet, period: str, head: list[str], lang: str) -> None:
    ws["A1"] = i18n.t("slides.sheet.title", lang, sheet=sheet.name, period=i18n.fmt_period(period, lang))
    ws["A1"].font = Font(bold=True, size=14)
    for i, line in enumerate(head, 2):
        ws.cell(row=i, column=1, value=line)
    if head[-1].startswith(i18n.t("common.synthetic_banner", lang)):
        ws.cell(row=len(head) + 1, column=1).font = Font(bold=True, color="A03A00")
    for j, col in enumerate(sheet.columns, 1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=col.header)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = 12 if col.kind not in ("text", "status", "reason") else 24
    units_ = sheet.frame["unit"].tolist() if "unit" in sheet.frame else None
    # reindex: an empty metrics table may lack its numerator/denominator columns
    for i, record in enumerate(sheet.frame.reindex(columns=[c.source for c in sheet.columns]).itertuples(index=False)):
        for j, (col, value) in enumerate(zip(sheet.columns, record), 1):
            value, fmt = _cell(col.kind, value, units_[i] if units_ else "", lang)
            cell = ws.cell(row=HEADER_ROW + 1 + i, column=j, value=value)
            if fmt:
                cell.number_format = fmt
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(sheet.frame), 1)}"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=sheet.frozen_columns + 1)


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cell(kind: str, value, unit: str, lang: str):
    """(value as Excel stores it, number format)."""
    if _missing(value):
        return None, None
    if kind == "text":
        return str(value), None
    if kind == "status":
        return i18n.status_name(value, lang), None
    if kind == "reason":
        return i18n.reason_text(value, lang), None
    if kind == "bool":
        return bool(value), None
    if kind == "datetime":
        local = pd.Timestamp(value).tz_convert(periods.timezone()).tz_localize(None)
        return local.to_pydatetime(), DATETIME
    if kind == "date":
        return value, DATE
    if kind == "count":
        return int(value), COUNT
    if kind == "decimal":
        return float(value), COUNT if float(value).is_integer() else DECIMAL
    if kind == "pct" or (kind == "value" and unit == "%"):
        return float(value), PCT
    return float(value), COUNT if float(value).is_integer() else DECIMAL
