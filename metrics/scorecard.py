"""The scorecard: one row per unit, a group of columns per unit-level indicator.

For every indicator computed per unit (metrics.indicators.unit_values) a row carries the value,
its numerator (`<id>__num`) and denominator (`<id>__den`); where the ward plan sets a unit-scope
target on the indicator it also carries the status (`<id>__status`), the edge case behind a
"not enough data" (`<id>__reason`), the value expected on the trajectory (`<id>__expected`) and
the gap to it in percentage points (`<id>__gap` = value − expected, percentage indicators only).

"Laggards first" orders units by their worst status, worst first:
deteriorating, limited progress, needs acceleration, on track, met, then units whose every
target lacks data (they are not judged: the reporting page chases missing reports); within a
status by the gap to the trajectory of the targets in that status (most behind first; a unit
with no gap to show comes last in its status), then by unit code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.reference import indicators, units
from metrics.indicators import wide

LAGGARD_ORDER = ["deteriorating", "limited_progress", "needs_acceleration", "on_track", "met", "no_data"]
UNIT_COLUMNS = ["unit_code", "unit_name", "unit_type", "period"]


def unit_indicators(unit_values: pd.DataFrame, also=()) -> list[str]:
    """The indicators of a unit values table (and `also`), in the order of the indicator dictionary."""
    present = set(unit_values["indicator"]) | set(also)
    return [ind for ind in indicators() if ind in present]


def targeted(unit_status: pd.DataFrame) -> list[str]:
    """The indicators that carry a unit-scope target, in the order of the dictionary."""
    present = set(unit_status["indicator"])
    return [ind for ind in indicators() if ind in present]


def scorecard_table(unit_values: pd.DataFrame, unit_status: pd.DataFrame, period: str,
                    unit_type: str | None = None, laggards_first: bool = False) -> pd.DataFrame:
    """Every unit expected (of `unit_type`: "phường", "xã" or "đặc khu"; None for all) at `period`.

    `unit_values`: long table of metrics.indicators.unit_values (every period);
    `unit_status`: metrics.targets.unit_status at `period`.
    Columns: unit_code, unit_name, unit_type, period, worst_status, gap, then per indicator the
    columns named in the module docstring. A unit without a report has NaN values (never 0)."""
    ref = units()[["unit_code", "name", "type"]].rename(columns={"name": "unit_name", "type": "unit_type"})
    if unit_type:
        ref = ref[ref["unit_type"] == unit_type]
    out = ref.assign(period=period).reset_index(drop=True)

    status = unit_status[unit_status["period"] == period]
    with_target = targeted(status)
    inds = unit_indicators(unit_values, with_target)
    values = wide(unit_values[unit_values["period"] == period], ["unit_code"])
    values = values.reindex(columns=["unit_code", *[f"{i}{s}" for i in inds for s in ("", "__num", "__den")]])
    out = out.merge(values, on="unit_code", how="left")

    for ind in with_target:
        rows = status.loc[status["indicator"] == ind, ["unit_code", "status", "reason", "expected"]]
        rows = rows.rename(columns={c: f"{ind}__{c}" for c in ("status", "reason", "expected")})
        out = out.merge(rows, on="unit_code", how="left")
        out[f"{ind}__status"] = out[f"{ind}__status"].fillna("no_data")
        out[f"{ind}__expected"] = pd.to_numeric(out[f"{ind}__expected"], errors="coerce").astype(float)
        is_pct = indicators()[ind]["unit"] == "%"
        out[f"{ind}__gap"] = out[ind] - out[f"{ind}__expected"] if is_pct else np.nan

    rank = {s: i for i, s in enumerate(LAGGARD_ORDER)}
    if with_target:
        ranks = pd.DataFrame({ind: out[f"{ind}__status"].map(rank) for ind in with_target})
        worst = ranks.min(axis=1).astype(int)
        gaps = pd.DataFrame({ind: out[f"{ind}__gap"].where(ranks[ind] == worst) for ind in with_target})
        out.insert(4, "worst_status", worst.map(dict(enumerate(LAGGARD_ORDER))))
        out.insert(5, "gap", gaps.min(axis=1))
    else:
        out.insert(4, "worst_status", "no_data")
        out.insert(5, "gap", np.nan)

    order = [c for ind in inds for c in (ind, f"{ind}__num", f"{ind}__den", *(
        [f"{ind}__status", f"{ind}__reason", f"{ind}__expected", f"{ind}__gap"] if ind in with_target else []))]
    out = out[[*UNIT_COLUMNS, "worst_status", "gap", *order]]
    if laggards_first:
        out = (out.assign(_rank=out["worst_status"].map(rank))
               .sort_values(["_rank", "gap", "unit_code"], na_position="last", kind="stable")
               .drop(columns="_rank"))
    return out.reset_index(drop=True)
