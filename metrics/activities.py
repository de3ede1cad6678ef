"""What the units did in a period (the activities table): trainings, trainees, outreach,
marketplace onboarding, complaints forwarded, the online-seller register reviewed. Pure functions
on DataFrames; the Word report (report/document.py) writes them."""

from __future__ import annotations

import pandas as pd

from loaders import periods

COUNTS = ["trainings", "trainees", "outreach_items", "marketplace_onboarded", "complaints_forwarded"]


def activity_totals(activities: pd.DataFrame, period: str, unit_code: str | None = None) -> dict[str, float]:
    """Σ of each count over the units' current activities reports of `period` (`<count>`) and of
    the halves of its year up to it (`<count>_year`); `units_reporting`: units with a report for the
    period; `register_updated`: those of them that reviewed the online-seller register. One unit's
    figures with `unit_code`. Nothing reported: the counts are NaN ("no data", never 0)."""
    rows = activities if unit_code is None else activities[activities["unit_code"] == unit_code]
    year = [p for p in rows["period"].unique()
            if periods.year(p) == periods.year(period) and periods.index(p) <= periods.index(period)]
    now, so_far = rows[rows["period"] == period], rows[rows["period"].isin(year)]
    out: dict[str, float] = {}
    for c in COUNTS:
        out[c] = float(now[c].sum()) if not now.empty else float("nan")
        out[f"{c}_year"] = float(so_far[c].sum()) if not so_far.empty else float("nan")
    out["units_reporting"] = float(now["unit_code"].nunique())
    out["register_updated"] = float(now.loc[now["register_updated"].astype(bool), "unit_code"].nunique())
    return out
