"""A unit's report against its previous one: the indicators side by side, and the plausibility
warnings (DHIS2's "validation rules" that only warn) the officer confirms before submitting.

Pure functions on the report's frames (the businesses rows and the activities row of one unit
and period, as the template gives them) and the frames it is compared with."""

from __future__ import annotations

import pandas as pd

from loaders.reference import settings
from loaders.schema import ACTIVITY_COUNTS, COUNT_COLUMNS
from metrics.indicators import of_kind, ratio_values

COMPARED = ["item", "kind", "previous", "value", "change"]


def side_by_side(new_businesses: pd.DataFrame, new_activities: pd.DataFrame,
                 old_businesses: pd.DataFrame, old_activities: pd.DataFrame) -> pd.DataFrame:
    """One row per ratio indicator (kind "rate", Σ numerator / Σ denominator × 100, NaN for a
    zero denominator), per count total (kind "count": Σ over sectors × business types) and per
    activity count: the previous value (NaN with no previous report), this report's, the change."""
    def rates(frame):
        if frame.empty:
            return pd.Series(float("nan"), index=list(of_kind("ratio")))
        return ratio_values(frame.assign(_all=0), ["_all"]).set_index("indicator")["value"]

    def totals(frame, columns):
        return frame[columns].sum().astype(float) if not frame.empty else pd.Series(float("nan"), index=columns)

    parts = [("rate", rates(new_businesses), rates(old_businesses)),
             ("count", totals(new_businesses, COUNT_COLUMNS), totals(old_businesses, COUNT_COLUMNS)),
             ("activity", totals(new_activities, ACTIVITY_COUNTS), totals(old_activities, ACTIVITY_COUNTS))]
    rows = [(item, kind, old.get(item, float("nan")), value, value - old.get(item, float("nan")))
            for kind, new, old in parts for item, value in new.items()]
    return pd.DataFrame(rows, columns=COMPARED)


def warnings(compared: pd.DataFrame, bounds: dict | None = None) -> pd.DataFrame:
    """The rows of side_by_side() that need a confirmation, with the rule each breaks:
    "businesses_drop" (businesses operating down by more than the bound), "rate_jump" (a rate
    moved by more than the bound in points), "count_change" (a count total or an activity count
    moved by more than the bound's share of the previous value and by more than the floor).
    Nothing is compared where there is no previous value."""
    b = bounds or settings()["plausibility"]
    prev, change = compared["previous"], compared["change"]
    counts = compared["kind"].isin(["count", "activity"])
    share = change.abs() / prev.where(prev > 0)
    rules = pd.Series(None, index=compared.index, dtype=object)
    rules[counts & (share > b["count_change"]) & (change.abs() > b["count_floor"])] = "count_change"
    rules[(compared["kind"] == "rate") & (change.abs() > b["rate_jump_pp"])] = "rate_jump"
    rules[(compared["item"] == "businesses") & (compared["kind"] == "count")
          & (-change > b["businesses_drop"] * prev)] = "businesses_drop"
    return compared.assign(rule=rules)[rules.notna()].reset_index(drop=True)
