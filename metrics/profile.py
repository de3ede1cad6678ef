"""One unit's profile: its targets over time, its other indicators over time, its sectors and
business types, the funnel from businesses to online sellers, its activities, its reporting
history and how it compares with the city. Pure functions on the store's frames and the long
indicator tables (no Streamlit)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders import periods
from loaders.reference import business_types, legacy_units, sectors, targets, unit_rows
from metrics.arithmetic import rate
from metrics.indicators import View, growth, of_kind, ratio_values
from metrics.targets import expected_value, goal_value

FUNNEL = ["businesses", "point_of_sale_informed", "digital_any", "cashless", "online_sellers"]
PER_UNIT = ("ratio", "year_sum", "flag", "growth")  # the kinds of config/indicators.toml with a value per unit
ACTIVITIES = ["trainings", "trainees", "outreach_items", "marketplace_onboarded", "register_updated",
              "complaints_forwarded"]


def unit_info(unit_code: str) -> dict:
    """The unit's row of the unit list: unit_code, name, full_name, type, name_en, lat, lon."""
    return dict(unit_rows()[unit_code])


def converted(businesses: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """The unit's periods whose current report was converted from the units before 1 July 2025
    (loaders.legacy): period, sources (the old units' names and codes), estimated (one of them
    was split between several current units); in period order."""
    if "converted_from" not in businesses:  # no converted report in the store
        return pd.DataFrame(columns=["period", "sources", "estimated"])
    rows = _unit_rows(businesses, unit_code)
    rows = rows[rows["converted_from"].notna()].drop_duplicates("period").sort_values("period")
    names = legacy_units().set_index("old_code")["old_name"]
    return pd.DataFrame({"period": rows["period"].to_numpy(),
                         "sources": [", ".join(f"{names.get(c, c)} ({c})" for c in codes.split())
                                     for codes in rows["converted_from"]],
                         "estimated": rows["estimated"].fillna(False).astype(bool).to_numpy()})


def unit_targets(unit_status: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """The unit's rows of metrics.targets.unit_status: one per unit-scope target."""
    return unit_status[unit_status["unit_code"] == unit_code].reset_index(drop=True)


def _series(values_long: pd.DataFrame, indicator: str, key_value: str | None) -> pd.DataFrame:
    rows = values_long[values_long["indicator"] == indicator]
    if key_value is not None:
        rows = rows[rows["unit_code"] == key_value]
    return rows[["period", "numerator", "denominator", "value"]]


def trajectory(values_long: pd.DataFrame, target: dict, key_value: str | None = None) -> pd.DataFrame:
    """A target's indicator over time, with the value expected on the target's trajectory.

    values_long: a long indicator table (period, [unit_code], indicator, numerator, denominator,
    value). For the city pass metrics.indicators.city_values and key_value None; for a unit pass
    metrics.indicators.unit_values and the unit's unit_code as key_value.
    target: one entry of config/targets.toml (loaders.reference.targets()).

    One row per period from the earlier of the first period with data and the baseline to the
    later of the deadline and the last period with data. Columns:
      period, value, expected, numerator, denominator (NaN where there is no value),
      goal, goal_high (the target's value, or the low and high ends of a range; NaN when none).
    `expected`, by comparator (as in metrics.targets.assess):
      at_least, greater_than, at_most, less_than, range: the straight line from the baseline value
        (at the baseline period, or the target's baseline_value) to the goal at the deadline, held
        at the goal after it; NaN before the baseline or with no baseline value; the goal itself
        when the baseline already meets the target.
      rises_every_year: the value of the same half of the previous year (the value to beat).
      count_per_year: a new target each year from 0: the goal × half / 2 (H1 half of it).
      every_year: 100 (the flag must hold every year)."""
    series = _series(values_long, target["indicator"], key_value)
    known = sorted(series["period"])
    first = min([*known[:1], target["baseline"]], key=periods.index)
    last = max([*known[-1:], target["deadline"]], key=periods.index)
    grid = [periods.from_index(i) for i in range(periods.index(first), periods.index(last) + 1)]
    out = pd.DataFrame({"period": grid}).merge(series, on="period", how="left")
    by_period = dict(zip(out["period"], out["value"]))
    out["goal"], out["goal_high"] = _goals(target)
    out["expected"] = [expected_value(target, by_period, p) for p in grid]
    return out[["period", "value", "expected", "numerator", "denominator", "goal", "goal_high"]]


def _goals(target: dict | None) -> tuple[float, float]:
    """(goal, goal_high): the target's value, or the low and high ends of a range; NaN when none
    (no target, or "rises every year")."""
    if target is None:
        return np.nan, np.nan
    comp = target["comparator"]
    return (np.nan if comp == "rises_every_year" else goal_value(target),
            float(target["high"]) if comp == "range" else np.nan)


def other_indicators() -> list[tuple[str, dict | None]]:
    """The indicators a unit has a value of (config/indicators.toml kinds PER_UNIT) that no
    unit-scope target of config/targets.toml follows, in the order of indicators.toml, each with
    its first target in either plan (a city-scope one), or None when it has none."""
    followed = {t["indicator"] for t in targets() if t["scope"] == "unit"}
    return [(ind, next((t for t in targets() if t["indicator"] == ind), None))
            for ind in of_kind(*PER_UNIT) if ind not in followed]


def with_growth(unit_values: pd.DataFrame, businesses: pd.DataFrame, unit_code: str,
                view: View = View()) -> pd.DataFrame:
    """The unit's rows of metrics.indicators.unit_values plus its growth indicators (kind growth),
    which metrics.indicators computes for the city only: Σ column over the unit's businesses rows
    in the view / Σ in the same half of the reference year − 1 (× 100; NaN where that Σ is 0 or
    the unit did not report then). Same columns as unit_values."""
    rows = view.apply(_unit_rows(businesses, unit_code))
    parts = [unit_values[unit_values["unit_code"] == unit_code],
             *[growth(rows, ind["column"]).assign(unit_code=unit_code, indicator=ind_id)
               for ind_id, ind in of_kind("growth").items()]]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True)[list(unit_values.columns)] if parts else unit_values.iloc[:0]


def over_time(values_long: pd.DataFrame, city_values: pd.DataFrame, indicator: str, key_value: str,
              all_periods: list[str], target: dict | None = None) -> pd.DataFrame:
    """One indicator of a unit over every period, with the city's value for reference.

    values_long: a long indicator table with unit_code (with_growth, for a growth indicator);
    city_values: metrics.indicators.city_values; target: the indicator's target in either plan
    (other_indicators), or None. One row per period of all_periods: period, value, numerator,
    denominator (the unit's; NaN where it has no value, a zero denominator included),
    city_value, city_numerator, city_denominator, goal, goal_high (the target's, as trajectory)."""
    city = _series(city_values, indicator, None).rename(columns=lambda c: c if c == "period" else f"city_{c}")
    out = (pd.DataFrame({"period": list(all_periods)})
           .merge(_series(values_long, indicator, key_value), on="period", how="left")
           .merge(city, on="period", how="left"))
    out["goal"], out["goal_high"] = _goals(target)
    return out[["period", "value", "numerator", "denominator", "city_value", "city_numerator", "city_denominator",
                "goal", "goal_high"]]


def _unit_rows(frame: pd.DataFrame, unit_code: str, period: str | None = None) -> pd.DataFrame:
    rows = frame[frame["unit_code"] == unit_code] if not frame.empty else frame
    return rows[rows["period"] == period] if period is not None and not rows.empty else rows


def breakdown_indicators() -> list[str]:
    """The ratio indicators worth splitting by sector and business type (those without a `where`)."""
    return [ind for ind, spec in of_kind("ratio").items() if "where" not in spec]


def breakdown(businesses: pd.DataFrame, unit_code: str, period: str, view: View = View()) -> pd.DataFrame:
    """Every ratio indicator of the unit at `period` by sector × business type (long table).

    One row per sector (of the view, else all) × business type (likewise) × indicator, in the
    order of config/reference.toml: sector, business_type, indicator, numerator, denominator,
    value. A combination the unit did not report has NaN numerator, denominator and value."""
    rows = view.apply(_unit_rows(businesses, unit_code, period))
    cols = ["sector", "business_type", "indicator", "numerator", "denominator", "value"]
    grid = pd.MultiIndex.from_product(
        [list(view.sectors or sectors()), list(view.business_types or business_types()), list(of_kind("ratio"))],
        names=["sector", "business_type", "indicator"]).to_frame(index=False)
    if rows.empty:
        return grid.assign(numerator=np.nan, denominator=np.nan, value=np.nan)[cols]
    got = ratio_values(rows, ["sector", "business_type"])
    return grid.merge(got, on=["sector", "business_type", "indicator"], how="left")[cols]


def funnel(businesses: pd.DataFrame, unit_code: str, period: str, view: View = View()) -> pd.DataFrame:
    """From businesses to online sellers at `period`: one row per stage of FUNNEL.

    Columns: stage (the contract's column), count (Σ of it), denominator, value (count /
    denominator × 100). The stages are not nested: each is a share of Σ businesses, except
    point_of_sale_informed, which the contract counts among points of sale only (markets,
    commercial streets, convenience stores), so its denominator is Σ point_of_sale."""
    rows = view.apply(_unit_rows(businesses, unit_code, period))
    sums = {c: float(rows[c].sum()) if not rows.empty else np.nan for c in [*FUNNEL, "point_of_sale"]}
    den = [sums["point_of_sale"] if s == "point_of_sale_informed" else sums["businesses"] for s in FUNNEL]
    out = pd.DataFrame({"stage": FUNNEL, "count": [sums[s] for s in FUNNEL], "denominator": den})
    out["value"] = rate(out["count"], out["denominator"])
    return out


def activities_history(activities: pd.DataFrame, unit_code: str, all_periods: list[str]) -> pd.DataFrame:
    """The unit's activities report for each period: period, reported, the ACTIVITIES columns
    (NaN / None where the unit sent no report), submitted_at."""
    rows = _unit_rows(activities, unit_code)
    cols = [c for c in [*ACTIVITIES, "submitted_at"] if c in rows]
    out = pd.DataFrame({"period": list(all_periods)}).merge(rows[["period", *cols]], on="period", how="left")
    out.insert(1, "reported", out["period"].isin(set(rows["period"])) if not rows.empty else False)
    return out


def reporting_history(reporting_table: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """The unit's rows of metrics.reporting.reporting_table, one per period: period, reported,
    submitted_at, deadline, on_time, days_late, files (snapshots sent), resubmissions (files
    beyond the first) and state: "on_time", "late" or "missing" (no report)."""
    rows = reporting_table[reporting_table["unit_code"] == unit_code].sort_values("period")
    cols = ["period", "reported", "submitted_at", "deadline", "on_time", "days_late", "files", "resubmissions", "state"]
    return rows[cols].reset_index(drop=True)


def city_comparison(unit_values: pd.DataFrame, city_values: pd.DataFrame, unit_code: str,
                    period: str) -> pd.DataFrame:
    """The unit against the city at `period`, for every ratio indicator (both ratios of sums):
    indicator, unit_value, unit_numerator, unit_denominator, city_value, city_numerator,
    city_denominator, difference (unit − city, in percentage points; NaN if either is missing)."""
    inds = list(of_kind("ratio"))
    out = pd.DataFrame({"indicator": inds})
    for scope, frame, key in (("unit", unit_values, unit_code), ("city", city_values, None)):
        rows = frame[frame["period"] == period]
        if key is not None:
            rows = rows[rows["unit_code"] == key]
        got = rows.set_index("indicator").reindex(inds)
        for col in ("value", "numerator", "denominator"):
            out[f"{scope}_{col}"] = got[col].to_numpy(dtype=float)
    out["difference"] = out["unit_value"] - out["city_value"]
    return out
