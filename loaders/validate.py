"""Read one snapshot file and check it against the contract; every problem becomes one message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.parquet as pq

from loaders.periods import timezone
from loaders.schema import COLUMNS, INTEGER, RULES, arrow_family, detect_kind, schema

# The key in a Parquet file's metadata that marks synthetic data (the bundled sample).
SYNTHETIC_KEY = b"tmdt.synthetic"
MAX_ROWS_PER_RULE = 20


@dataclass(frozen=True)
class Problem:
    file: str
    rule: str
    column: str | None = None
    row: int | None = None  # 1-based data row of the file
    value: str | None = None
    params: dict = field(default_factory=dict, compare=False)

    def texts(self) -> tuple[str, str]:
        vi, en = RULES[self.rule]
        return vi.format(**self.params), en.format(**self.params)

    def __str__(self) -> str:
        vi, en = self.texts()
        where = []
        if self.column:
            where.append(f"cột (column) {self.column}")
        if self.row is not None:
            where.append(f"dòng (row) {self.row}")
        place = (", ".join(where) + ": ") if where else ""
        value = f" — giá trị (value): {self.value}" if self.value is not None else ""
        return f"{self.file}: {place}{vi} ({en}){value}"


@dataclass
class Snapshot:
    """One snapshot file: its kind and rows when valid, its problems otherwise."""

    path: Path
    kind: str | None = None
    frame: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    synthetic: bool = False

    @property
    def valid(self) -> bool:
        return not self.problems and self.frame is not None


def read_snapshot(path: Path, label: str | None = None) -> Snapshot:
    """Read and validate one Parquet snapshot. Never raises on bad bytes."""
    name = label or str(path)
    snap = Snapshot(Path(path))
    try:
        parquet = pq.ParquetFile(path)
        table = parquet.read()
        table.validate(full=True)  # e.g. text that is not UTF-8
        meta = parquet.schema_arrow.metadata or {}
    except Exception as exc:  # any corrupt, truncated or foreign file
        snap.problems.append(Problem(name, "unreadable", params={"detail": _detail(exc)}))
        return snap
    snap.synthetic = meta.get(SYNTHETIC_KEY) == b"true"

    kind = detect_kind(table.column_names)
    if kind is None:
        snap.problems.append(Problem(name, "unknown_kind"))
        return snap
    snap.kind = kind
    problems = snap.problems
    good = {}
    for col, family in COLUMNS[kind].items():
        if col not in table.column_names:
            problems.append(Problem(name, "missing_column", col, params={"kind": kind}))
            continue
        if table.column_names.count(col) > 1:
            problems.append(Problem(name, "duplicate_column", col))
            continue
        actual = table.schema.field(col).type
        if arrow_family(actual) != family:
            problems.append(Problem(name, "type", col, params={"expected": family, "actual": str(actual)}))
            continue
        try:  # any integer type holds counts, as long as every value fits in int64
            good[col] = table.column(col).cast(pa_arrow.int64()) if family == INTEGER else table.column(col)
        except pa_arrow.ArrowInvalid:
            problems.append(Problem(name, "type", col, params={"expected": family, "actual": str(actual)}))
    if table.num_rows == 0:
        problems.append(Problem(name, "empty"))
        return snap

    try:
        frame = _to_pandas(pa_arrow.table(good))
    except Exception as exc:  # bytes that Arrow reads but pandas cannot convert
        snap.problems.append(Problem(name, "unreadable", params={"detail": _detail(exc)}))
        return snap
    problems.extend(_value_problems(name, kind, frame))
    if not problems:
        snap.frame = frame
    return snap


def _detail(exc: Exception) -> str:
    """The first line of a library's message, printable (it may quote the file's own bytes)."""
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
    return "".join(c if c.isprintable() else "?" for c in text)


def _to_pandas(table) -> pd.DataFrame:
    if "submitted_at" in table.column_names and table.schema.field("submitted_at").type.tz is not None:
        # An aware time is stored as a UTC instant; the file's zone name plays no part (and may be
        # one pandas does not know).
        i = table.column_names.index("submitted_at")
        table = table.set_column(i, "submitted_at", table.column(i).cast(pa_arrow.timestamp(table.column(i).type.unit, "UTC")))
    frame = table.to_pandas()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype(str)
    if "submitted_at" in frame:
        ts = pd.to_datetime(frame["submitted_at"])
        # Naive means local time. Vietnam has no daylight saving now; the rare local times made
        # ambiguous or skipped by clock changes of the past resolve without failing.
        frame["submitted_at"] = (ts.dt.tz_localize(timezone(), ambiguous=True, nonexistent="shift_forward")
                                 if ts.dt.tz is None else ts.dt.tz_convert(timezone()))
    return frame


def _value_problems(name: str, kind: str, frame: pd.DataFrame) -> list[Problem]:
    try:
        schema(kind, list(frame.columns)).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    found: dict[tuple, Problem] = {}
    for check, column, index in cases[["check", "column", "index"]].itertuples(index=False):
        if check == "not_nullable":
            rule, col, other = "not_null", column, ""
        else:
            rule, col, other = str(check).split("|")
        row = None if pd.isna(index) else int(index)
        value = None
        if row is not None and col in frame.columns and rule != "not_null":
            value = str(frame[col].iloc[row])
        key = (rule, col, row)
        if key not in found:
            found[key] = Problem(name, rule, col, None if row is None else row + 1, value,
                                 params={"other": other, "keys": f"({col})"})
    return _capped(sorted(found.values(), key=lambda p: (list(frame.columns).index(p.column) if p.column in frame.columns else -1, p.rule, p.row or 0)))


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_ROWS_PER_RULE rows for each (column, rule); the rest are counted in a last line."""
    out, seen = [], {}
    for p in problems:
        n = seen[(p.column, p.rule)] = seen.get((p.column, p.rule), 0) + 1
        if n <= MAX_ROWS_PER_RULE:
            out.append(p)
    for (column, rule), n in seen.items():
        if n > MAX_ROWS_PER_RULE:
            first = next(p for p in problems if p.column == column and p.rule == rule)
            out.append(Problem(first.file, rule, column, None, f"+{n - MAX_ROWS_PER_RULE} dòng khác (more rows)", first.params))
    return out
