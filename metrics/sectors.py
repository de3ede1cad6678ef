"""Ratio indicators by sector, business type and unit × sector: pure functions on the businesses table.

Every cell is Σ numerator / Σ denominator over the rows in it (metrics.indicators.ratio_values),
totals included: a total is the ratio of the sums, never a mean of the cells' rates. Cells with no
rows at all are kept with numerator and denominator 0 and value NaN ("no data"), so a grid is
always complete.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.reference import business_types, sectors, unit_types, units
from metrics.indicators import View, of_kind, ratio_values

ALL = "__all__"  # the code of a total row or column
LONG = ["indicator", "numerator", "denominator", "value"]


def _rows(businesses: pd.DataFrame, period: str, view: View) -> pd.DataFrame:
    return view.apply(businesses[businesses["period"] == period])


def _complete(long: pd.DataFrame, grid: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Every combination of `grid` × indicator, with 0/0 → NaN where no row fed a cell."""
    full = grid.merge(pd.DataFrame({"indicator": list(of_kind("ratio"))}), how="cross")
    out = full.merge(long[[*keys, *LONG]], on=[*keys, "indicator"], how="left")
    out[["numerator", "denominator"]] = out[["numerator", "denominator"]].fillna(0.0)
    return out


def _grouped(rows: pd.DataFrame, by: list[str], totals: dict[str, str]) -> pd.DataFrame:
    """ratio_values over `by` (plus period); the columns of `totals` are set to ALL."""
    if rows.empty:
        return pd.DataFrame(columns=[*by, *totals, *LONG])
    return ratio_values(rows, ["period", *by]).drop(columns="period").assign(**totals)


def chosen_sectors(view: View) -> list[str]:
    """The sectors in view, in the order of the reference list."""
    return [s for s in sectors() if not view.sectors or s in view.sectors]


def chosen_business_types(view: View) -> list[str]:
    return [b for b in business_types() if not view.business_types or b in view.business_types]


def group_values(businesses: pd.DataFrame, period: str, view: View = View(), group: str = "sector") -> pd.DataFrame:
    """Every ratio indicator for each value of `group` (sector or business_type) in view, plus a
    total row (`group` = ALL) over all rows in view. Long: group, indicator, numerator, denominator, value."""
    rows = _rows(businesses, period, view)
    codes = chosen_sectors(view) if group == "sector" else chosen_business_types(view)
    long = pd.concat([_grouped(rows, [group], {}), _grouped(rows, [], {group: ALL})], ignore_index=True)
    return _complete(long, pd.DataFrame({group: [*codes, ALL]}), [group])


def sector_business_type(businesses: pd.DataFrame, period: str, view: View = View()) -> pd.DataFrame:
    """Every ratio indicator for each sector × business type in view, with totals by sector
    (business_type ALL), by business type (sector ALL) and overall (both ALL)."""
    rows = _rows(businesses, period, view)
    long = pd.concat([
        _grouped(rows, ["sector", "business_type"], {}),
        _grouped(rows, ["sector"], {"business_type": ALL}),
        _grouped(rows, ["business_type"], {"sector": ALL}),
        _grouped(rows, [], {"sector": ALL, "business_type": ALL}),
    ], ignore_index=True)
    grid = pd.DataFrame({"sector": [*chosen_sectors(view), ALL]}).merge(
        pd.DataFrame({"business_type": [*chosen_business_types(view), ALL]}), how="cross")
    return _complete(long, grid, ["sector", "business_type"])


def unit_sector(businesses: pd.DataFrame, period: str, indicator: str, view: View = View()) -> pd.DataFrame:
    """One ratio indicator for every unit (all 114, reported or not) × every sector in view, plus
    each unit's total over the sectors in view (sector ALL, first of each unit's rows).

    Columns: unit_code, unit_name, unit_type, sector, numerator, denominator, value, row. `row`
    orders the units: by unit type (reference order), then by the unit's total value, highest first,
    units with no value last, then by code."""
    rows = _rows(businesses, period, view)
    long = pd.concat([_grouped(rows, ["unit_code", "sector"], {}), _grouped(rows, ["unit_code"], {"sector": ALL})],
                     ignore_index=True)
    ref = units()[["unit_code", "name", "type"]].rename(columns={"name": "unit_name", "type": "unit_type"})
    grid = ref.merge(pd.DataFrame({"sector": [*chosen_sectors(view), ALL]}), how="cross")
    out = _complete(long, grid, ["unit_code", "sector"])
    out = out[out["indicator"] == indicator].drop(columns="indicator")

    total = out[out["sector"] == ALL].copy()
    total["type_order"] = total["unit_type"].map({ty: i for i, ty in enumerate(unit_types())})
    total["no_value"] = total["value"].isna()
    total = total.sort_values(["type_order", "no_value", "value", "unit_code"], ascending=[True, True, False, True])
    order = dict(zip(total["unit_code"], np.arange(len(total))))
    out["row"] = out["unit_code"].map(order)
    columns = {code: i for i, code in enumerate([ALL, *chosen_sectors(view)])}
    out = out.sort_values(["row", "sector"], key=lambda c: c.map(columns) if c.name == "sector" else c)
    return out.reset_index(drop=True)
