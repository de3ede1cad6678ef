"""Reporting completeness and timeliness against the deadlines in configuration."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders import periods
from loaders.reference import units
from metrics.arithmetic import per_period, rate


def reporting_table(businesses: pd.DataFrame, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit expected and period: reported, submitted_at of the current snapshot,
    deadline, on_time, days_late, snapshot, state ("on_time", "late" or "missing") and, given
    `history` (all rows), the files the unit sent for the period and its resubmissions (files
    beyond the first). `businesses` holds the current rows."""
    ref = units()[["unit_code", "name", "full_name", "type"]]
    if businesses.empty:  # no period to list (and nothing to merge on); every column the pages read
        return pd.DataFrame(columns=["period", *ref.columns, "submitted_at", "snapshot", "reported", "deadline",
                                     "on_time", "days_late", "state", "files", "resubmissions"]).astype(
            {"reported": bool, "on_time": bool, "submitted_at": "datetime64[ns, UTC]", "days_late": float,
             "files": int, "resubmissions": int})
    grid = pd.DataFrame({"period": sorted(businesses["period"].unique())}).merge(ref, how="cross")
    sent = businesses.groupby(["period", "unit_code"], observed=True).agg(
        submitted_at=("submitted_at", "first"), snapshot=("snapshot", "first")).reset_index()
    out = grid.merge(sent, on=["period", "unit_code"], how="left")
    out["reported"] = out["snapshot"].notna()
    out["deadline"] = per_period(out["period"], periods.deadline)
    end = per_period(out["period"], periods.deadline_end)
    out["on_time"] = out["reported"] & (out["submitted_at"] <= end)
    local_day = out["submitted_at"].dt.tz_convert(periods.timezone()).dt.tz_localize(None).dt.normalize()
    due = per_period(out["period"], lambda p: pd.Timestamp(periods.deadline(p)))
    out["days_late"] = (local_day - due).dt.days.clip(lower=0)  # NaN when not reported
    out["state"] = np.select([~out["reported"], out["on_time"]], ["missing", "on_time"], "late")
    if history is not None and not history.empty:
        files = history.groupby(["period", "unit_code"], observed=True)["snapshot"].nunique().rename("files")
        out = out.merge(files.reset_index(), on=["period", "unit_code"], how="left")
        out["files"] = out["files"].fillna(0).astype(int)
        out["resubmissions"] = (out["files"] - 1).clip(lower=0)
    return out


def reporting_summary(businesses: pd.DataFrame) -> pd.DataFrame:
    """Per period: units expected, reporting, on time, completeness and timeliness (%),
    and the named lists of missing and late units."""
    return summarise(reporting_table(businesses))


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """reporting_summary from a reporting_table."""
    g = table.groupby("period")
    out = pd.DataFrame({
        "units_expected": g.size(),
        "units_reporting": g["reported"].sum(),
        "units_on_time": g["on_time"].sum(),
        "missing": _codes(table[~table["reported"]], g.size().index),
        "late": _codes(table[table["reported"] & ~table["on_time"]], g.size().index),
    }).reset_index()
    out["reporting_completeness"] = rate(out["units_reporting"], out["units_expected"])
    out["reporting_timeliness"] = rate(out["units_on_time"], out["units_expected"])
    return out


def _codes(rows: pd.DataFrame, index: pd.Index) -> pd.Series:
    """The list of unit codes of `rows` per period of `index` (an empty list for none)."""
    lists: dict[str, list[str]] = {}
    for period, code in zip(rows["period"].tolist(), rows["unit_code"].tolist()):
        lists.setdefault(period, []).append(code)
    return pd.Series([lists.get(p, []) for p in index], index=index)
