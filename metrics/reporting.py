"""Reporting completeness and timeliness against the deadlines in configuration."""

from __future__ import annotations

import pandas as pd

from loaders import periods
from loaders.reference import units


def reporting_table(businesses: pd.DataFrame, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit expected and period: reported, submitted_at of the current snapshot,
    deadline, on_time, days_late, snapshot and how many files the unit sent for the period.

    `businesses` holds the current rows; `history` (all rows) counts resubmissions."""
    ref = units()[["unit_code", "name", "full_name", "type"]]
    all_periods = sorted(businesses["period"].unique()) if not businesses.empty else []
    grid = pd.DataFrame({"period": all_periods}).merge(ref, how="cross")
    sent = businesses.groupby(["period", "unit_code"], observed=True).agg(
        submitted_at=("submitted_at", "first"), snapshot=("snapshot", "first")).reset_index()
    out = grid.merge(sent, on=["period", "unit_code"], how="left")
    out["reported"] = out["snapshot"].notna()
    out["deadline"] = out["period"].map(periods.deadline)
    end = out["period"].map(periods.deadline_end)
    out["on_time"] = out["reported"] & (out["submitted_at"] <= end)
    local_day = out["submitted_at"].dt.tz_convert(periods.timezone()).dt.date
    out["days_late"] = [
        max((d - dl).days, 0) if r else None for d, dl, r in zip(local_day, out["deadline"], out["reported"])
    ]
    if history is not None and not history.empty:
        files = history.groupby(["period", "unit_code"], observed=True)["snapshot"].nunique().rename("files")
        out = out.merge(files.reset_index(), on=["period", "unit_code"], how="left")
        out["files"] = out["files"].fillna(0).astype(int)
    return out


def reporting_summary(businesses: pd.DataFrame) -> pd.DataFrame:
    """Per period: units expected, reporting, on time, completeness and timeliness (%),
    and the named lists of missing and late units."""
    from metrics.indicators import rate

    table = reporting_table(businesses)
    g = table.groupby("period")
    out = pd.DataFrame({
        "units_expected": g.size(),
        "units_reporting": g["reported"].sum(),
        "units_on_time": g["on_time"].sum(),
        "missing": g.apply(lambda d: d.loc[~d["reported"], "unit_code"].tolist(), include_groups=False),
        "late": g.apply(lambda d: d.loc[d["reported"] & ~d["on_time"], "unit_code"].tolist(), include_groups=False),
    }).reset_index()
    out["reporting_completeness"] = rate(out["units_reporting"], out["units_expected"])
    out["reporting_timeliness"] = rate(out["units_on_time"], out["units_expected"])
    return out
