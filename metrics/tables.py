"""Indicator tables by unit, sector, business type and city, from a loaded store (current snapshots)."""

from __future__ import annotations

import pandas as pd

from loaders.reference import units
from loaders.store import StoreData
from metrics.arithmetic import rate
from metrics.indicators import View, business_sums, city_values, of_kind, ratio_sums, unit_values, wide
from metrics.reporting import reporting_summary, reporting_table, summarise
from metrics.targets import city_status, unit_status

RATES = list(of_kind("ratio"))


def _frames(data: StoreData):
    return data.current["businesses"], data.current["activities"], data.current["city_indicators"]


def _ratio_table(data: StoreData, by: list[str], view: View, period: str | None) -> pd.DataFrame:
    biz = view.apply(data.current["businesses"])
    if period:
        biz = biz[biz["period"] == period]
    if biz.empty:
        return pd.DataFrame(columns=[*by, "businesses", *RATES])
    sums = ratio_sums(biz, by)
    out = sums[by + ["businesses"]].copy()
    for ind in RATES:
        out[ind] = rate(sums[f"{ind}__num"], sums[f"{ind}__den"])
    for ind in RATES:
        out[f"{ind}__num"] = sums[f"{ind}__num"]
        out[f"{ind}__den"] = sums[f"{ind}__den"]
    return out


def by_unit(data: StoreData, period: str | None = None, view: View = View()) -> pd.DataFrame:
    """One row per period and unit that reported: businesses, every rate, numerators and denominators."""
    out = _ratio_table(data, ["period", "unit_code"], view, period)
    names = units()[["unit_code", "name", "type"]].rename(columns={"name": "unit_name", "type": "unit_type"})
    out = out.merge(names, on="unit_code", how="left")
    return out[["period", "unit_code", "unit_name", "unit_type", *[c for c in out.columns if c not in ("period", "unit_code", "unit_name", "unit_type")]]]


def by_group(data: StoreData, group: str, period: str | None = None, view: View = View()) -> pd.DataFrame:
    """One row per period and sector (or business_type)."""
    return _ratio_table(data, ["period", group], view, period)


def by_city(data: StoreData, period: str | None = None, view: View = View()) -> pd.DataFrame:
    """One row per period for the city: rates, reporting, units with online sellers, trainees."""
    biz, act, city = _frames(data)
    out = _ratio_table(data, ["period"], view, period)
    summary = None
    if not biz.empty:
        summary = reporting_summary(biz)
        out = out.merge(summary[["period", "units_expected", "units_reporting", "units_on_time",
                                 "reporting_completeness", "reporting_timeliness"]], on="period", how="left")
    values = wide(city_values(biz, act, city, view, summary), ["period"])
    extra = [c for c in ("units_with_online_sellers", "trainees_total", "site_notified_growth") if c in values]
    out = out.merge(values[["period", *extra]], on="period", how="left") if extra else out
    trainees = act.groupby("period")["trainees"].sum().rename("trainees").reset_index() if not act.empty else None
    if trainees is not None:
        out = out.merge(trainees, on="period", how="left")
    if period:
        out = out[out["period"] == period]
    front = ["period", "businesses", *RATES, "units_expected", "units_reporting", "units_on_time",
             "reporting_completeness", "reporting_timeliness", "units_with_online_sellers", "trainees"]
    front = [c for c in front if c in out]
    return out[front + [c for c in out.columns if c not in front]].reset_index(drop=True)


def values(data: StoreData, view: View = View()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit values, city values), long tables for every period."""
    biz, act, city = _frames(data)
    sums = business_sums(biz, view)
    return unit_values(biz, act, view, sums), city_values(biz, act, city, view, sums=sums)


def scorecard(data: StoreData, period: str, view: View = View(),
              precomputed: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(city status per target, unit status per unit-scope target) at a period.

    `precomputed`: the (unit, city) values of `values(data, view)`, when the caller has them."""
    uv, cv = precomputed or values(data, view)
    codes = units()["unit_code"]
    per_unit = unit_status(uv, period, codes)
    return city_status(cv, uv, period, codes, per_unit), per_unit


def reporting(data: StoreData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-period summary, per-unit table) of reporting completeness and timeliness."""
    biz = data.current["businesses"]
    table = reporting_table(biz, None if biz.empty else data.history["businesses"])
    return summarise(table), table
