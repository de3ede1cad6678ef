"""The Excel template of a unit's half-year report (data contract v1.1, "Excel template"), read
back cell by cell; report/template.py makes it.

A template holds an instructions sheet, a businesses sheet (the 30 sector × business-type rows),
an activities sheet (one row) and a very hidden `_meta` sheet. Each data sheet has one header row
of the contract's column names; the reader finds the columns by that row, so labels, widths and
the totals and rates shown for the officer (formulas, ignored on reading) may change freely.
Every problem names the sheet and the cell (`Cơ sở kinh doanh!F12`); a cell that passes its own
checks is then checked with the rest of its table by the same rules as a Parquet snapshot."""

from __future__ import annotations

import io
import math
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loaders import periods
from loaders.schema import ACTIVITY_COUNTS, COUNT_COLUMNS
from loaders.validate import MAX_ROWS_PER_RULE, Problem, read_snapshots

TEMPLATE_VERSION = "1.1"
VERSIONS = {"1.1"}  # template versions this reader knows
META = "_meta"
SHEETS = {"businesses": {"vi": "Cơ sở kinh doanh", "en": "Businesses"},
          "activities": {"vi": "Hoạt động", "en": "Activities"},
          "help": {"vi": "Hướng dẫn", "en": "Instructions"}}
KEYS = ["sector", "business_type"]
COLUMNS = {"businesses": [*KEYS, *COUNT_COLUMNS], "activities": [*ACTIVITY_COUNTS[:4], "register_updated",
                                                                 ACTIVITY_COUNTS[4]]}
HEADER_ROW = 5  # the row of contract column names in a template this module makes
YES = {"true", "1", "có", "co", "yes", "x"}
NO = {"false", "0", "không", "khong", "no"}
# --- reading ----------------------------------------------------------------------------------

def read_workbook(source: bytes | Path, name: str, unit_code: str | None = None, period: str | None = None,
                  submitted_at: pd.Timestamp | None = None) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The snapshot frames a filled template holds (businesses, activities), and its problems.

    `unit_code`, `period`: what the caller expects (the page's unit and period); a workbook
    claiming others is refused. `submitted_at`: the time stamped on every row (now by default).
    Never raises, whatever the bytes."""
    import openpyxl  # here, not at the top: a server's first page, which reads no workbook, need not wait for it (0.36 s)

    try:
        book = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, data_only=True)
    except Exception as exc:  # not a zip, not a workbook, a workbook of another format…
        return {}, [Problem(name, "xlsx_unreadable", params={"detail": f"{type(exc).__name__}: {str(exc)[:120]}"})]
    meta, problems = _meta(book, name, unit_code, period)
    if problems:
        return {}, problems
    at = submitted_at if submitted_at is not None else pd.Timestamp.now(tz=periods.timezone())
    frames, problems = {}, []
    for kind in ("businesses", "activities"):
        sheet = book[meta[f"sheet_{kind}"]]
        frame, cells, found = _sheet_rows(sheet, kind, name)
        if frame is not None and not found:  # the contract's rules on cells that passed their own
            frame.insert(0, "unit_code", meta["unit_code"])
            frame.insert(0, "period", meta["period"])
            frame["submitted_at"] = at
            frames[kind] = frame
            found = _contract_problems(kind, frame, cells, name)
        problems += _capped(found)
    return ({} if problems else frames), problems


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_ROWS_PER_RULE problems per (column, rule); the rest counted in one more line."""
    kept, seen = [], {}
    for p in problems:
        n = seen[(p.column, p.rule)] = seen.get((p.column, p.rule), 0) + 1
        if n <= MAX_ROWS_PER_RULE:
            kept.append(p)
    for (column, rule), n in seen.items():
        if n > MAX_ROWS_PER_RULE:
            first = next(p for p in kept if (p.column, p.rule) == (column, rule))
            kept.append(replace(first, cell=None, value=f"+{n - MAX_ROWS_PER_RULE} ô khác (more cells)"))
    return kept


def _meta(book, name, unit_code, period) -> tuple[dict, list[Problem]]:
    if META not in book.sheetnames:
        return {}, [Problem(name, "xlsx_not_template")]
    meta = {str(k): "" if v is None else str(v) for k, v, *_ in book[META].iter_rows(values_only=True) if k is not None}
    if meta.get("template_version") not in VERSIONS:
        return meta, [Problem(name, "xlsx_version", value=meta.get("template_version"),
                              params={"known": ", ".join(sorted(VERSIONS))})]
    if not {"unit_code", "period", "sheet_businesses", "sheet_activities"} <= set(meta) or not all(
            meta[f"sheet_{k}"] in book.sheetnames for k in ("businesses", "activities")):
        return meta, [Problem(name, "xlsx_not_template")]
    problems = []
    if unit_code is not None and meta["unit_code"] != unit_code:
        problems.append(Problem(name, "xlsx_other_unit", "unit_code", value=meta["unit_code"], params={"expected": unit_code}))
    if period is not None and meta["period"] != period:
        problems.append(Problem(name, "xlsx_other_period", "period", value=meta["period"], params={"expected": period}))
    return meta, problems


def _sheet_rows(sheet, kind: str, name: str) -> tuple[pd.DataFrame | None, dict, list[Problem]]:
    """A data sheet's rows (contract columns) under its header row, with each value's cell;
    the problems of cells that are empty, text, fractions, negative or not yes/no."""
    from openpyxl.utils import get_column_letter

    wanted = COLUMNS[kind]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next((i for i, row in enumerate(rows[:30]) if set(wanted) <= {str(v).strip() for v in row if v is not None}),
                     None)
    if header_at is None:
        return None, {}, [Problem(name, "xlsx_no_header", params={"sheet": sheet.title, "columns": ", ".join(wanted)})]
    position = {}
    for j, v in enumerate(rows[header_at]):
        if v is not None and str(v).strip() in wanted:
            position.setdefault(str(v).strip(), j)
    records, cells, problems = [], {}, []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        if kind == "businesses" and all(_blank(row[position[k]] if position[k] < len(row) else None) for k in KEYS):
            break  # the totals below the data rows
        record = {}
        for col in wanted:
            j = position[col]
            ref = f"{get_column_letter(j + 1)}{i + 1}"
            cells[(len(records), col)] = ref
            value, rule = _cell_value(col, row[j] if j < len(row) else None)
            if rule:
                problems.append(Problem(name, rule, col, value=None if _blank(row[j] if j < len(row) else None)
                                        else str(row[j]), sheet=sheet.title, cell=ref))
            record[col] = value
        records.append(record)
        if kind == "activities":
            break  # one row
    if not records:
        problems.append(Problem(name, "xlsx_no_rows", params={"sheet": sheet.title}))
    return pd.DataFrame(records, columns=wanted), {"sheet": sheet.title, **cells}, problems


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _cell_value(col: str, v):
    """(value, rule broken or None) of one cell."""
    if _blank(v):
        return None, "xlsx_empty"
    if col in KEYS:
        return str(v).strip(), None
    if col == "register_updated":
        word = str(v).strip().lower() if not isinstance(v, bool) else str(v).lower()
        return (True, None) if word in YES else (False, None) if word in NO else (None, "xlsx_yes_no")
    if isinstance(v, bool) or isinstance(v, datetime) or not isinstance(v, int | float):
        return None, "xlsx_text"
    if not math.isfinite(v) or v != int(v):
        return None, "xlsx_fraction"
    if v < 0:
        return None, "xlsx_negative"
    return int(v), None


def _contract_problems(kind: str, frame: pd.DataFrame, cells: dict, name: str) -> list[Problem]:
    """The contract's rules on a sheet's rows (as a Parquet snapshot of them would be checked),
    each problem placed back on its sheet and cell."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{kind}.parquet"
        counts = {c: "int64" for c in frame if c in COUNT_COLUMNS + ACTIVITY_COUNTS}
        pq.write_table(pa.Table.from_pandas(frame.astype(counts), preserve_index=False), path)
        [snap] = read_snapshots([path], [kind])
    return [replace(p, file=name, sheet=cells["sheet"], row=None,
                    cell=cells.get((p.row - 1, p.column)) if p.row is not None else None) for p in snap.problems]


def is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() == ".xlsx"
