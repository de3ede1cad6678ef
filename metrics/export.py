"""The indicator table of `python -m metrics export`, as CSV or Excel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.store import StoreData
from metrics.tables import RATES, by_city, by_group, by_unit

# The data contract's columns, first and in this order; a column the store cannot fill (e.g.
# trainees with no activities report) is written empty rather than left out.
CONTRACT_COLUMNS = {
    "unit": ["period", "unit_code", "businesses", *RATES],
    "sector": ["period", "sector", "businesses", *RATES],
    "business_type": ["period", "business_type", "businesses", *RATES],
    "city": ["period", "businesses", *RATES, "units_expected", "units_reporting", "units_on_time",
             "reporting_completeness", "reporting_timeliness", "units_with_online_sellers", "trainees"],
}


def export_table(data: StoreData, by: str, period: str | None) -> pd.DataFrame:
    """The contract's columns first, then the rest (names, numerators `<id>__num` and
    denominators `<id>__den`, other indicators) and `synthetic`."""
    table = {"unit": by_unit, "city": by_city}.get(by)
    out = table(data, period) if table else by_group(data, by, period)
    front = CONTRACT_COLUMNS[by]
    out = out.reindex(columns=[*front, *[c for c in out.columns if c not in front]])
    return out.assign(synthetic=data.synthetic)


def write_export(data: StoreData, by: str, period: str | None, out: Path) -> int:
    table = export_table(data, by, period)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        table.to_excel(out, index=False, sheet_name=by)
    else:
        table.to_csv(out, index=False)
    return len(table)
