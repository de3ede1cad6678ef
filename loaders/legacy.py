"""Reports of the units before 1 July 2025, converted to the units in force.

On 1 July 2025 the communes and wards were merged (Nghị quyết 202/2025/QH15): each current unit took
in one or more old ones, and a few old ones were split between several. A report filed by an old
unit (its code of the old list, for a period before 2025-H2) is converted to the current unit that
took it in (config/units_legacy.csv): the old units' current reports for a period are summed into
one report of the current unit, which names them (`converted_from`); where an old unit was split,
its figures go whole to the current unit that took most of it, and the report is marked an
estimate (`estimated`). The converted files are snapshots like any other, ingested as usual; the
old files are checked by every rule of the contract, their codes against the old list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loaders.reference import legacy_units
from loaders.schema import ACTIVITY_COUNTS, BEFORE, COUNT_COLUMNS, KEY_COLUMNS
from loaders.store import current_rows, find_files
from loaders.validate import SYNTHETIC_KEY, Problem, read_snapshots, valid_rows


@dataclass
class Converted:
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    estimated: list[str] = field(default_factory=list)  # current units whose converted report is an estimate

    @property
    def ok(self) -> bool:
        return not self.problems


def convert(paths: list[Path], out: Path) -> Converted:
    """Check the old units' snapshot files at or under `paths`; when every one is valid, write one
    converted snapshot per kind, period and current unit into `out` (nothing otherwise)."""
    files = [f for p in paths for f in find_files(Path(p))]
    snaps = read_snapshots(files, era=BEFORE)
    result = Converted([p for s in snaps for p in s.problems])
    result.problems += [Problem(s.name, "kind_before", params={"kind": s.kind}) for s in snaps
                        if s.valid and s.kind not in ("businesses", "activities")]
    if result.problems:
        return result
    synthetic = all(s.synthetic for s in snaps)
    old = legacy_units().set_index("old_code")
    out.mkdir(parents=True, exist_ok=True)
    for kind, history in valid_rows(snaps).items():
        rows = current_rows(history, kind)  # each old unit's latest report for a period
        for (period, unit), part in _to_current(rows, kind, old).groupby(["period", "unit_code"]):
            path = out / f"{unit}-{period}-{kind}-converted.parquet"
            table = pa.Table.from_pandas(part.reset_index(drop=True), preserve_index=False)
            if synthetic:
                table = table.replace_schema_metadata({**(table.schema.metadata or {}), SYNTHETIC_KEY: b"true"})
            pq.write_table(table, path)
            result.written.append(path)
            if part["estimated"].iloc[0] and kind == "businesses":
                result.estimated.append(f"{unit} {period}")
    return result


def _to_current(rows: pd.DataFrame, kind: str, old: pd.DataFrame) -> pd.DataFrame:
    """The old units' rows summed per key of the current unit, with the old codes and the estimate flag."""
    rows = rows.assign(old_code=rows["unit_code"], unit_code=rows["unit_code"].map(old["unit_code"]),
                       split=rows["unit_code"].map(old["estimated"]).astype(bool))
    counts = COUNT_COLUMNS if kind == "businesses" else ACTIVITY_COUNTS
    report = ["period", "unit_code"]
    # A current unit's report names every old unit summed in it, and is an estimate when one was split.
    sources = rows.groupby(report).agg(converted_from=("old_code", lambda s: " ".join(sorted(set(s)))),
                                       estimated=("split", "any"), submitted_at=("submitted_at", "max"))
    aggregations = {c: (c, "sum") for c in counts}
    if kind == "activities":  # the register was reviewed in the new unit only where every old unit reviewed its own
        aggregations["register_updated"] = ("register_updated", "all")
    summed = rows.groupby(KEY_COLUMNS[kind]).agg(**aggregations).reset_index()
    out = summed.merge(sources.reset_index(), on=report)
    columns = [*KEY_COLUMNS[kind], *counts, *(["register_updated"] if kind == "activities" else []), "submitted_at",
               "converted_from", "estimated"]
    out["submitted_at"] = out["submitted_at"].dt.tz_convert("UTC")
    return out[columns]
