"""Views of reporting completeness and timeliness for the reporting page: counts per period, the
named lists of late and missing units, and each unit's history. Pure functions on the outputs of
metrics.reporting (reporting_summary and reporting_table with history, via metrics.tables.reporting).

Submission times are returned as local wall-clock time (the deadlines' time zone, no offset), so a
table can go to Excel as it is.
"""

from __future__ import annotations

import pandas as pd

from loaders import periods
from metrics.arithmetic import rate

CATEGORIES = ("reporting", "on_time", "late", "missing")
UNIT = ["unit_code", "name", "full_name", "type"]


def period_counts(summary: pd.DataFrame) -> pd.DataFrame:
    """Per period and category (reporting, on_time, late, missing): units, units expected and the
    share (%). late = reporting − on time; missing = expected − reporting."""
    counts = {
        "reporting": summary["units_reporting"],
        "on_time": summary["units_on_time"],
        "late": summary["units_reporting"] - summary["units_on_time"],
        "missing": summary["units_expected"] - summary["units_reporting"],
    }
    parts = [pd.DataFrame({"period": summary["period"], "category": c, "units": counts[c].astype(int),
                           "units_expected": summary["units_expected"].astype(int)}) for c in CATEGORIES]
    out = pd.concat(parts, ignore_index=True)
    out["share"] = rate(out["units"], out["units_expected"])
    return out.sort_values("period", kind="stable").reset_index(drop=True)


def period_summary(summary: pd.DataFrame, period: str) -> dict | None:
    """One period's figures: units expected, reporting, on time, late, missing, completeness and
    timeliness (%), and its deadline (a local date from configuration). None when no unit sent a
    businesses report for the period at all (the store has only other kinds for it)."""
    rows = summary[summary["period"] == period]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {
        "period": period, "deadline": periods.deadline(period),
        "units_expected": int(row["units_expected"]), "units_reporting": int(row["units_reporting"]),
        "units_on_time": int(row["units_on_time"]), "units_late": int(row["units_reporting"] - row["units_on_time"]),
        "units_missing": int(row["units_expected"] - row["units_reporting"]),
        "reporting_completeness": float(row["reporting_completeness"]),
        "reporting_timeliness": float(row["reporting_timeliness"]),
    }


def _local(times: pd.Series) -> pd.Series:
    return times.dt.tz_convert(periods.timezone()).dt.tz_localize(None)


def late_units(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """Units whose current report for `period` came after the deadline, most days late first."""
    late = table[(table["period"] == period) & table["reported"] & ~table["on_time"]]
    out = late[[*UNIT, "submitted_at", "deadline", "days_late"]].assign(
        submitted_at=_local(late["submitted_at"]), days_late=late["days_late"].astype(int))
    return out.sort_values(["days_late", "unit_code"], ascending=[False, True]).reset_index(drop=True)


def missing_units(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """Units with no current report for `period`."""
    missing = table[(table["period"] == period) & ~table["reported"]]
    return missing[[*UNIT, "deadline"]].sort_values("unit_code").reset_index(drop=True)


def unit_history(table: pd.DataFrame, unit_code: str | None = None) -> pd.DataFrame:
    """Every period of one unit (or of every unit): reported, on time, submitted_at, deadline, days
    late, files sent and resubmissions (files beyond the first). A period with no report has no
    on-time answer and no days late (missing, not False or 0)."""
    rows = table if unit_code is None else table[table["unit_code"] == unit_code]
    out = rows[["period", *UNIT, "reported", "on_time", "submitted_at", "deadline", "days_late", "files",
                "resubmissions"]].copy()
    out["submitted_at"] = _local(out["submitted_at"])
    out["on_time"] = out["on_time"].astype("boolean").where(out["reported"])
    return out.sort_values(["unit_code", "period"]).reset_index(drop=True)


def versions(history: pd.DataFrame, current: pd.DataFrame, log: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """Every businesses report one unit sent, newest first: period, snapshot, submitted_at (local
    time), on_time, days_late, current (the one its period's figures come from) and the comment
    its submission carried (from the audit log: the workbook a snapshot came from is named by the
    first 16 hex digits of its hash, as ingest names the files it stores)."""
    rows = history[history["unit_code"] == unit_code]
    columns = ["period", "submitted_at", "on_time", "days_late", "current", "comment", "snapshot"]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "submitted_at" else object) for c in columns})
    files = rows.groupby("snapshot", sort=False).agg(period=("period", "first"), submitted_at=("submitted_at", "first"))
    files = files.reset_index().astype({"snapshot": str})  # text: ties broken by the path, as ever
    ends = files["period"].map(periods.deadline_end)
    files["on_time"] = files["submitted_at"] <= ends
    late = (files["submitted_at"].dt.tz_convert(periods.timezone()).dt.normalize().dt.tz_localize(None)
            - ends.dt.tz_localize(None).dt.normalize()).dt.days
    files["days_late"] = late.where(~files["on_time"])
    files["current"] = files["snapshot"].isin(set(current.loc[current["unit_code"] == unit_code, "snapshot"]))
    sent = log[(log["action"] == "submit") & (log["result"] == "ok")]
    comments = dict(zip(sent["file_sha256"].str[:16], sent["comment"]))
    files["comment"] = [comments.get(s.rsplit("/", 1)[-1][:16], "") for s in files["snapshot"]]
    files["submitted_at"] = _local(files["submitted_at"])
    return files.sort_values(["submitted_at", "snapshot"], ascending=False, ignore_index=True)[columns]
