"""Derived indicators as pure functions on DataFrames.

Every rate is Σ numerator / Σ denominator × 100 over the rows in scope, never a mean of rates; a
zero denominator gives NaN ("no data"), never 0. Results come in a long table, one row per
period, scope and indicator, with the numerator and denominator that made the value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders import periods
from loaders.reference import indicators, settings, units
from metrics.arithmetic import per_period, rate
from metrics.reporting import reporting_summary

LONG = ["period", "indicator", "numerator", "denominator", "value"]


@dataclass(frozen=True)
class View:
    """Filters on the businesses table: a sector or business-type filter applies to numerator and
    denominator alike. Activities and city indicators have no sector, so they are not filtered."""

    sectors: tuple[str, ...] = ()
    business_types: tuple[str, ...] = ()

    def apply(self, businesses: pd.DataFrame) -> pd.DataFrame:
        mask = pd.Series(True, index=businesses.index)
        if self.sectors:
            mask &= businesses["sector"].isin(self.sectors)
        if self.business_types:
            mask &= businesses["business_type"].isin(self.business_types)
        return businesses[mask]


def of_kind(*kinds: str) -> dict[str, dict]:
    return {k: v for k, v in indicators().items() if v["kind"] in kinds}


def units_expected() -> int:
    return len(units())


def ratio_sums(businesses: pd.DataFrame, by: list[str], extra: list[str] = ()) -> pd.DataFrame:
    """Σ numerator and Σ denominator of every ratio indicator, grouped by `by` (wide), and Σ of
    the `extra` columns under their own names.

    Each distinct column (or column under a `where`) is summed once, then shared by the indicators
    that use it: digital_rate, cashless_rate and online_seller_rate all divide by Σ businesses."""
    sums = {col: businesses[col].to_numpy() for col in ["businesses", *extra]}
    masks: dict[tuple, np.ndarray] = {}
    names = {}  # output column -> the column of `sums` that holds it
    for ind_id, ind in of_kind("ratio").items():
        where = tuple(sorted(ind.get("where", {}).items()))
        if where and where not in masks:
            masks[where] = np.logical_and.reduce([(businesses[c] == v).to_numpy() for c, v in where])
        for part in ("numerator", "denominator"):
            name = f"{ind[part]}{where}" if where else ind[part]
            if name not in sums:
                values = businesses[ind[part]].to_numpy()
                sums[name] = np.where(masks[where], values, 0) if where else values
            names[f"{ind_id}__{part[:3]}"] = name
    frame = pd.DataFrame({**{b: businesses[b] for b in by}, **sums})
    grouped = frame.groupby(by, sort=True, observed=True).sum()
    out = grouped[["businesses", *[c for c in extra if c != "businesses"]]].copy()
    for col, name in names.items():
        out[col] = grouped[name]
    return out.reset_index()


def _melt_ratios(sums: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    parts = []
    for ind_id in of_kind("ratio"):
        part = sums[by].copy()
        part["indicator"] = ind_id
        part["numerator"] = sums[f"{ind_id}__num"].astype(float)
        part["denominator"] = sums[f"{ind_id}__den"].astype(float)
        part["value"] = rate(part["numerator"], part["denominator"])
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def ratio_values(businesses: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Long table of the ratio indicators grouped by `by` (which includes period)."""
    return _melt_ratios(ratio_sums(businesses, by), by)


def year_sum(activities: pd.DataFrame, column: str, by: list[str]) -> pd.DataFrame:
    """Σ column over the halves of each period's year so far, grouped by `by` (period included).

    The numerator is that sum; a count has no denominator (NaN)."""
    if activities.empty:
        return pd.DataFrame(columns=[*by, "numerator", "denominator", "value"])
    per = activities.groupby(by, observed=True)[column].sum().reset_index()
    per["year"] = per_period(per["period"], periods.year)
    per["half"] = per_period(per["period"], lambda p: periods.parse(p)[1])
    keys = [b for b in by if b != "period"]
    per = per.sort_values([*keys, "year", "half"])
    grouped = per.groupby([*keys, "year"], observed=True) if keys else per.groupby("year")
    per["numerator"] = grouped[column].cumsum().astype(float)
    per["denominator"] = np.nan
    per["value"] = per["numerator"]
    return per[[*by, "numerator", "denominator", "value"]]


def flag_values(activities: pd.DataFrame, column: str, half: str) -> pd.DataFrame:
    """Per unit and period: the flag from the `half` snapshot of the period's year (1/0, NaN if none)."""
    cols = ["period", "unit_code", "numerator", "denominator", "value"]
    if activities.empty:
        return pd.DataFrame(columns=cols)
    source = activities[activities["period"].str.endswith(half)][["period", "unit_code", column]]
    source = source.assign(year=per_period(source["period"], periods.year)).drop(columns="period")
    out = activities[["period", "unit_code"]].assign(year=per_period(activities["period"], periods.year))
    out = out.merge(source, on=["year", "unit_code"], how="left")
    out["numerator"] = out[column].astype(float)
    out["denominator"] = np.where(out[column].isna(), np.nan, 1.0)
    out["value"] = out["numerator"] * 100
    return out[cols]


def business_sums(businesses: pd.DataFrame, view: View = View()) -> pd.DataFrame | None:
    """Σ per period and unit of every column the indicators on the businesses table read (the
    ratios' numerators and denominators, and the columns of units_share and growth), over the rows
    the view keeps; None when it keeps none. One pass over the rows serves every indicator."""
    biz = view.apply(businesses)
    if biz.empty:
        return None
    extra = [ind["column"] for ind in [*of_kind("units_share").values(), *of_kind("growth").values()]]
    return ratio_sums(biz, ["period", "unit_code"], extra=extra)


def unit_values(businesses: pd.DataFrame, activities: pd.DataFrame, view: View = View(),
                sums: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every unit-level indicator for every unit and period with data (long table).

    `sums`: business_sums(businesses, view) when the caller has it already."""
    sums = business_sums(businesses, view) if sums is None else sums
    parts = [_melt_ratios(sums, ["period", "unit_code"])] if sums is not None else []
    for ind_id, ind in of_kind("year_sum").items():
        parts.append(year_sum(activities, ind["column"], ["period", "unit_code"]).assign(indicator=ind_id))
    for ind_id, ind in of_kind("flag").items():
        parts.append(flag_values(activities, ind["column"], ind["half"]).assign(indicator=ind_id))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["period", "unit_code", "indicator", "numerator", "denominator", "value"])
    return pd.concat(parts, ignore_index=True)[["period", "unit_code", "indicator", "numerator", "denominator", "value"]]


def units_with(businesses: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per period: units whose Σ column ≥ 1 over the units expected (rows, or sums per unit)."""
    per_unit = businesses.groupby(["period", "unit_code"], observed=True)[column].sum().reset_index()
    out = per_unit.assign(hit=per_unit[column] >= 1).groupby("period")["hit"].sum().reset_index()
    out["numerator"] = out["hit"].astype(float)
    out["denominator"] = float(units_expected())
    out["value"] = rate(out["numerator"], out["denominator"])
    return out[["period", "numerator", "denominator", "value"]]


def growth(businesses: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per period: Σ column / Σ column in the same half of the reference year − 1, × 100 (rows,
    or sums per period)."""
    ref_year = settings()["periods"]["growth_reference_year"]
    sums = businesses.groupby("period")[column].sum()
    out = pd.DataFrame({"period": sums.index, "numerator": sums.to_numpy(dtype=float)})
    out["denominator"] = [float(sums.get(f"{ref_year}-{periods.half(p)}", np.nan)) for p in out["period"]]
    out["value"] = rate(out["numerator"], out["denominator"]) - 100
    return out


def city_values(businesses: pd.DataFrame, activities: pd.DataFrame, city: pd.DataFrame,
                view: View = View(), summary: pd.DataFrame | None = None,
                sums: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every indicator for the city as a whole, per period (long table, plus `source`).

    `summary`: reporting_summary(businesses), `sums`: business_sums(businesses, view), when the
    caller has them already."""
    sums = business_sums(businesses, view) if sums is None else sums
    parts = []
    if sums is not None:  # the city's sums are the sums of its units' sums
        period_sums = sums.drop(columns="unit_code").groupby("period", sort=True, observed=True).sum().reset_index()
        parts.append(_melt_ratios(period_sums, ["period"]))
        for ind_id, ind in of_kind("units_share").items():
            parts.append(units_with(sums, ind["column"]).assign(indicator=ind_id))
        for ind_id, ind in of_kind("growth").items():
            parts.append(growth(period_sums, ind["column"]).assign(indicator=ind_id))
    for ind_id, ind in of_kind("year_sum").items():
        parts.append(year_sum(activities, ind["column"], ["period"]).assign(indicator=ind_id))
    for ind_id, ind in of_kind("flag").items():
        flags = flag_values(activities, ind["column"], ind["half"])
        done = flags.groupby("period")["numerator"].sum(min_count=1).reset_index()
        done["denominator"] = float(units_expected())
        done["value"] = rate(done["numerator"], done["denominator"])
        parts.append(done.assign(indicator=ind_id))
    if not businesses.empty:
        summary = reporting_summary(businesses) if summary is None else summary
        for ind_id, ind in of_kind("reporting").items():
            col = "units_reporting" if ind["count"] == "reporting" else "units_on_time"
            parts.append(pd.DataFrame({
                "period": summary["period"], "indicator": ind_id, "numerator": summary[col].astype(float),
                "denominator": summary["units_expected"].astype(float),
            }).assign(value=lambda d: rate(d["numerator"], d["denominator"])))
    if not city.empty:
        reported = city[["period", "indicator", "value", "source"]].copy()
        reported["numerator"] = np.nan
        reported["denominator"] = np.nan
        parts.append(reported)
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=[*LONG, "source"])
    out = pd.concat(parts, ignore_index=True)
    if "source" not in out:
        out["source"] = None
    return out[[*LONG, "source"]]


def wide(long: pd.DataFrame, index: list[str]) -> pd.DataFrame:
    """One row per `index`, a column per indicator value plus `<id>__num` and `<id>__den`."""
    if long.empty:
        return pd.DataFrame(columns=index)
    table = long.pivot_table(index=index, columns="indicator", values=["value", "numerator", "denominator"],
                             aggfunc="first", dropna=False)
    out = table["value"].copy()
    for col in table["value"].columns:
        out[f"{col}__num"] = table["numerator"][col]
        out[f"{col}__den"] = table["denominator"][col]
    out.columns.name = None
    return out.reset_index()
