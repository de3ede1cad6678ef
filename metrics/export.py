"""The indicator table of `python -m metrics export`, as CSV or Excel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.store import StoreData
from metrics.tables import by_city, by_group, by_unit


def export_table(data: StoreData, by: str, period: str | None) -> pd.DataFrame:
    """The contract's columns first, then the numerators (`<id>__num`) and denominators (`<id>__den`)."""
    table = {"unit": by_unit, "city": by_city}.get(by)
    out = table(data, period) if table else by_group(data, by, period)
    out = out.copy()
    out.insert(len(out.columns), "synthetic", data.synthetic)
    return out


def write_export(data: StoreData, by: str, period: str | None, out: Path) -> int:
    table = export_table(data, by, period)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        table.to_excel(out, index=False, sheet_name=by)
    else:
        table.to_csv(out, index=False)
    return len(table)
