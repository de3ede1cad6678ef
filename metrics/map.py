"""The progress map's numbers: one row per unit of the 114 for one indicator and period.

A unit is judged against the unit-scope target on the indicator (the ward plan). An indicator
with no unit-scope target but a city-plan target is judged against that target as a reference,
only when it is a ratio (Σ numerator / Σ denominator means the same for a unit as for the city;
a city total such as trainees_total does not). Otherwise the status is "no_target".

The gap is value − expected, where expected is the value on the target's trajectory at the
period (the same line metrics.targets judges on):
  at_least / range / …   baseline + (goal − baseline) × elapsed / total (the goal itself when the
                          baseline already met it; NaN before the baseline or without a baseline)
  count_per_year         goal × half / 2 (a new count each year, from 0)
  rises_every_year       the value of the same half of the previous year
  every_year             100 (the flag holds)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from loaders.reference import indicators, provinces, targets, units
from metrics.arithmetic import rate
from metrics.indicators import of_kind
from metrics.targets import STATUSES, evaluate, expected_value, goal_value

MODES = ("value", "status", "gap")
NO_TARGET = "no_target"
MAP_STATUSES = [*STATUSES, NO_TARGET]
COLUMNS = ["unit_code", "name", "type", "period", "indicator", "value", "numerator", "denominator", "target",
           "basis", "goal", "expected", "gap", "status", "reason", "exceeded"]
PER_UNIT = ["unit_code", "value", "numerator", "denominator", "expected", "status", "reason", "exceeded"]


def map_indicators() -> list[str]:
    """Indicators with a value per unit (ratios, yearly counts, yearly flags), in config order."""
    return list(of_kind("ratio", "year_sum", "flag"))


def reference_target(indicator: str) -> tuple[dict | None, str | None]:
    """(target, basis): the unit-scope target on the indicator (basis "unit"); else the city
    plan's target on a ratio indicator (basis "city"); else (None, None)."""
    mine = [t for t in targets() if t["indicator"] == indicator]
    unit = [t for t in mine if t["scope"] == "unit"]
    if unit:
        return unit[0], "unit"
    if mine and indicators()[indicator]["kind"] == "ratio":
        return mine[0], "city"
    return None, None


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def province_table(unit_values: pd.DataFrame, period: str, indicator: str) -> pd.DataFrame:
    """One row per province in view for `indicator` at `period`, for choosing one (a scope of
    several): province_code, name, value (Σ numerator / Σ denominator over its units; a yearly count
    is the Σ itself), numerator, denominator, units_reporting, units; lowest value first, no data last."""
    rows = unit_values[(unit_values["indicator"] == indicator) & (unit_values["period"] == period)]
    rows = rows.merge(units()[["unit_code", "province_code"]], on="unit_code")
    sums = rows.groupby("province_code").agg(numerator=("numerator", "sum"),
                                             denominator=("denominator", lambda s: s.sum(min_count=1)),
                                             units_reporting=("value", "count"))
    out = provinces()[["province_code", "name"]].merge(sums.reset_index(), on="province_code", how="left")
    out["units"] = out["province_code"].map(units()["province_code"].value_counts()).astype(int)
    out["units_reporting"] = out["units_reporting"].fillna(0).astype(int)
    count = of_kind("year_sum").get(indicator) is not None
    out["value"] = out["numerator"].where(out["units_reporting"] > 0) if count else rate(out["numerator"], out["denominator"])
    return out.sort_values(["value", "province_code"], na_position="last", ignore_index=True)[
        ["province_code", "name", "value", "numerator", "denominator", "units_reporting", "units"]]


def map_table(unit_values: pd.DataFrame, period: str, indicator: str) -> pd.DataFrame:
    """One row per unit of the 114 (in unit-list order) for `indicator` at `period`.

    `unit_values` is the long table of metrics.indicators.unit_values (period, unit_code,
    indicator, numerator, denominator, value) for every period (baselines and previous years are
    read from it). Columns: unit_code, name, type, period, indicator, value, numerator,
    denominator, target (id or None), basis ("unit", "city" or None), goal (the value that meets
    the target, NaN for "rises"/"every year"), expected, gap (value − expected), status (one of
    MAP_STATUSES), reason (metrics.targets.REASONS or None), exceeded. A unit with no report has
    value NaN, status no_data and reason no_value (no_denominator when the denominator is 0).
    This is the table the slideshow draws with charts.maps.unit_map."""
    rows = unit_values[unit_values["indicator"] == indicator]
    grid = units()[["unit_code", "name", "type"]].copy()
    target, basis = reference_target(indicator)
    if target is None:
        got = _no_target(rows, period)
    else:
        got = evaluate(target, rows, period, key="unit_code").reindex(columns=PER_UNIT)
        series = {code: dict(zip(g["period"], g["value"])) for code, g in rows.groupby("unit_code", observed=True)}
        got["expected"] = pd.Series([expected_value(target, series[c], period) for c in got["unit_code"]],
                                    index=got.index, dtype=float)
    out = grid.merge(got[PER_UNIT], on="unit_code", how="left")
    numbers = ["value", "numerator", "denominator", "expected"]
    out[numbers] = out[numbers].astype(float)
    out["period"], out["indicator"] = period, indicator
    out["target"], out["basis"] = (target["id"], basis) if target else (None, None)
    out["goal"] = goal_value(target) if target and target["comparator"] not in ("rises_every_year", "every_year") else np.nan
    out["gap"] = out["value"] - out["expected"]
    no_report = out["status"].isna()
    out["status"] = out["status"].where(~no_report, "no_data")
    out["reason"] = out["reason"].astype(object).where(~no_report, "no_value")
    out["reason"] = out["reason"].where(out["reason"].notna(), None)
    out["exceeded"] = out["exceeded"].astype(object).where(~no_report, False).astype(bool)
    return out[COLUMNS]


def _no_target(rows: pd.DataFrame, period: str) -> pd.DataFrame:
    """Value, numerator and denominator at `period`: status no_target, or no_data without a value."""
    now = rows[rows["period"] == period][["unit_code", "value", "numerator", "denominator"]].astype(
        {"value": float, "numerator": float, "denominator": float})
    missing = now["value"].isna()
    now["expected"] = np.nan
    now["status"] = np.where(missing, "no_data", NO_TARGET)
    now["reason"] = np.where(missing & (now["denominator"] == 0), "no_denominator", np.where(missing, "no_value", None))
    now["exceeded"] = False
    return now


def colour_range(tables: list[pd.DataFrame], colour_by: str) -> tuple[float, float]:
    """One colour range for maps drawn side by side: min–max of `value` over the tables, or
    ±max |gap| (centred on 0) for the gap; (0, 1) when there is nothing to colour."""
    column = "gap" if colour_by == "gap" else "value"
    data = pd.concat([t[column] for t in tables]).dropna()
    if data.empty:
        return (-1.0, 1.0) if colour_by == "gap" else (0.0, 1.0)
    if colour_by == "gap":
        m = float(data.abs().max()) or 1.0
        return -m, m
    lo, hi = float(data.min()), float(data.max())
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


def selected_unit(selection) -> str | None:
    """The unit_code of the first point clicked on the map (its customdata), or None."""
    points = (selection or {}).get("points") or []
    for p in points:
        code = p.get("customdata")
        code = code[0] if isinstance(code, (list, tuple)) and code else code
        if isinstance(code, str) and code:
            return code
    return None
