"""Read snapshot files and check them against the contract; every problem becomes one message.

Each file is first read and checked alone: can it be read, what kind of table it is, whether the
contract's columns are there with the right types. Its values are then checked together with the
other files of the same kind and column types, in one pandera pass over their rows (the rules that
hold within a file, such as one period or a unique key, are grouped by file), so the cost of
validation follows the number of rows, not of files. Each failure is traced back to its file and row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.parquet as pq

from loaders.periods import timezone
from loaders.reference import settings
from loaders.schema import (COLUMNS, CURRENT, FILE, FLOAT, INTEGER, OPTIONAL, RULES, STRING, TIMESTAMP, arrow_family,
                            bound_params, detect_kind, schema)

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
    sheet: str | None = None  # of a workbook
    cell: str | None = None  # on that sheet, in A1 notation

    @property
    def place(self) -> str | None:
        """Where in a workbook: `Cơ sở kinh doanh!F12` (the sheet alone when no cell applies)."""
        if self.sheet is None:
            return None
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def texts(self) -> tuple[str, str]:
        vi, en = RULES[self.rule]
        params = bound_params() | self.params
        return vi.format(**params), en.format(**params)

    def __str__(self) -> str:
        vi, en = self.texts()
        where = [f"ô (cell) {self.place}"] if self.place else []
        if self.column:
            where.append(f"cột (column) {self.column}")
        if self.row is not None:
            where.append(f"dòng (row) {self.row}")
        place = (", ".join(where) + ": ") if where else ""
        value = f" — giá trị (value): {self.value}" if self.value is not None else ""
        # one line, whatever a value or a file name holds (a newline, a NUL, a terminal escape)
        return "".join(c if c.isprintable() else "?" for c in f"{self.file}: {place}{vi} ({en}){value}")


@dataclass
class Snapshot:
    """One snapshot file: its kind and rows when valid, its problems otherwise. Its rows live in
    the frame of the batch of files checked with it (`batch`, rows start..start + rows)."""

    path: Path
    name: str = ""  # how messages name the file
    kind: str | None = None
    problems: list[Problem] = field(default_factory=list)
    synthetic: bool = False
    rows: int = 0
    period: str | None = None  # of the first row
    submitted_at: pd.Timestamp | None = None  # of the first row
    batch: pd.DataFrame | None = field(default=None, repr=False)
    start: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems and self.batch is not None

    @property
    def frame(self) -> pd.DataFrame | None:
        """The file's rows (contract columns) when valid, else None."""
        if not self.valid:
            return None
        return self.batch.iloc[self.start:self.start + self.rows].drop(columns=FILE).reset_index(drop=True)


def read_snapshot(path: Path, label: str | None = None) -> Snapshot:
    """Read and validate one Parquet snapshot. Never raises on bad bytes."""
    return read_snapshots([path], [label])[0]


def latest_submitted_at(now: pd.Timestamp | None = None) -> pd.Timestamp:
    """The latest submitted_at a file may carry when checked at `now` (default: this moment): now and
    the allowed clock skew; later is refused (submitted_future)."""
    now = now if now is not None else pd.Timestamp.now(tz=timezone())
    return now + pd.Timedelta(minutes=settings()["bounds"]["clock_skew_minutes"])


def read_snapshots(paths: list[Path], labels: list[str | None] | None = None,
                   now: pd.Timestamp | None = None, era: str = CURRENT, checked: bool = False) -> list[Snapshot]:
    """Read and validate Parquet snapshots; `labels` name them in messages (default: the path).
    A submitted_at later than `now` (default: the moment of checking) by more than the allowed
    clock skew is refused. `era`: the unit list their codes are read against (loaders.schema).
    `checked`: their values were checked before they were written (the snapshots an ingest has just
    written from a workbook's checked frames): read and typed, not checked again. Never raises on bad bytes."""
    now = now if now is not None else pd.Timestamp.now(tz=timezone())
    latest = latest_submitted_at(now)
    snaps, batches = [], {}
    for path, label in zip(paths, labels or [None] * len(paths)):
        snap, table = _read(Path(path), label or str(path))
        snaps.append(snap)
        if table is not None:
            batches.setdefault((snap.kind, table.schema), []).append((snap, table))
    for (kind, _), members in batches.items():
        _check_values(kind, members, era, checked)
    for snap in snaps:  # one submitted_at per file (one_submitted_at): its first row speaks for it
        if snap.batch is not None and pd.notna(snap.submitted_at) and snap.submitted_at > latest:
            snap.problems.append(Problem(snap.name, "submitted_future", "submitted_at", 1, str(snap.submitted_at),
                                         params={"now": now.strftime("%d/%m/%Y %H:%M")}))
    return snaps


def _read(path: Path, name: str) -> tuple[Snapshot, pa_arrow.Table | None]:
    """A file's kind, synthetic mark and column problems, and its columns of the right type in
    the types the value checks expect (None when there are no rows to check)."""
    snap = Snapshot(path, name)
    try:
        with open(path, "rb") as fh:  # opened by Python: Arrow would take a name that is not UTF-8 for text
            parquet = pq.ParquetFile(fh)
            table = parquet.read(use_threads=False)  # files are small: threads cost more than they save
        table.validate(full=True)  # e.g. text that is not UTF-8
        meta = parquet.schema_arrow.metadata or {}
    except Exception as exc:  # any corrupt, truncated or foreign file
        snap.problems.append(Problem(name, "unreadable", params={"detail": _detail(exc)}))
        return snap, None
    snap.synthetic = meta.get(SYNTHETIC_KEY) == b"true"

    kind = detect_kind(table.column_names)
    if kind is None:
        snap.problems.append(Problem(name, "unknown_kind"))
        return snap, None
    snap.kind = kind
    problems = snap.problems
    good = {}
    names = Counter(table.column_names)
    for col, family in (COLUMNS[kind] | OPTIONAL[kind]).items():
        if col not in names and col in OPTIONAL[kind]:
            continue
        if col not in names:
            problems.append(Problem(name, "missing_column", col, params={"kind": kind}))
            continue
        if names[col] > 1:
            problems.append(Problem(name, "duplicate_column", col))
            continue
        actual = table.schema.field(col).type
        if arrow_family(actual) != family:
            problems.append(Problem(name, "type", col, params={"expected": family, "actual": str(actual)}))
            continue
        try:
            good[col] = _normalised(table.column(col), family)
        except pa_arrow.ArrowInvalid:  # an unsigned count beyond int64
            problems.append(Problem(name, "type", col, params={"expected": family, "actual": str(actual)}))
    if table.num_rows == 0:
        problems.append(Problem(name, "empty"))
        return snap, None
    # Built anew: the file's own metadata (pandas' JSON among it) plays no part and may be corrupt.
    return snap, pa_arrow.table(good)


def _normalised(column: pa_arrow.ChunkedArray, family: str) -> pa_arrow.ChunkedArray:
    """One Arrow type per family, so that files of a kind concatenate: int64 for any integer (a
    value that does not fit raises), float64, large_string (dictionaries decoded), and aware
    times as UTC instants (the file's zone name plays no part, and pandas may not know it)."""
    t = column.type
    target = {INTEGER: pa_arrow.int64(), FLOAT: pa_arrow.float64(), STRING: pa_arrow.large_string()}.get(family, t)
    if family == TIMESTAMP and t.tz is not None:
        target = pa_arrow.timestamp(t.unit, "UTC")
    return column if t == target else column.cast(target)


def _detail(exc: Exception) -> str:
    """The first line of a library's message, printable (it may quote the file's own bytes)."""
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
    return "".join(c if c.isprintable() else "?" for c in text)


def _to_pandas(table: pa_arrow.Table) -> pd.DataFrame:
    frame = table.to_pandas()
    if "submitted_at" in frame:
        ts = frame["submitted_at"]
        # Naive means local time. Vietnam has no daylight saving now; the rare local times made
        # ambiguous or skipped by clock changes of the past resolve without failing.
        frame["submitted_at"] = (ts.dt.tz_localize(timezone(), ambiguous=True, nonexistent="shift_forward")
                                 if ts.dt.tz is None else ts.dt.tz_convert(timezone()))
    return frame


def _check_values(kind: str, members: list[tuple[Snapshot, pa_arrow.Table]], era: str = CURRENT,
                  checked: bool = False) -> None:
    """Check the values of files sharing a kind and column types, in one pass over their rows
    (`checked`: checked before, not again; the rows are taken as they are)."""
    snaps = [snap for snap, _ in members]
    try:
        frame = _to_pandas(pa_arrow.concat_tables([table for _, table in members]).combine_chunks())  # text ops on one piece
    except Exception as exc:  # bytes that Arrow reads but pandas cannot convert
        if len(members) > 1:  # find the file at fault
            for member in members:
                _check_values(kind, [member], era)
            return
        snaps[0].problems.append(Problem(snaps[0].name, "unreadable", params={"detail": _detail(exc)}))
        return
    sizes = np.array([table.num_rows for _, table in members])
    starts = np.concatenate([[0], np.cumsum(sizes)])
    frame[FILE] = np.repeat(np.arange(len(members)), sizes)
    failures = _no_failures() if checked else _failures(kind, frame, era)
    if len(members) > 1 and failures["position"].isna().any():  # a failure with no row: find its file
        for member in members:
            _check_values(kind, [member], era)
        return
    columns = [c for c in frame.columns if c != FILE]
    if len(members) == 1:  # every failure is the file's, a failure with no row too
        by_file = {0: failures} if len(failures) else {}
    else:
        by_file = dict(iter(failures.groupby("file")))
    heads = frame.iloc[starts[:-1]]
    periods = heads["period"].tolist() if "period" in heads else [None] * len(snaps)
    times = heads["submitted_at"].tolist() if "submitted_at" in heads else [None] * len(snaps)
    for i, snap in enumerate(snaps):
        if i in by_file:
            snap.problems.extend(_problems(snap.name, frame, columns, by_file[i], starts[i]))
        snap.batch, snap.start, snap.rows = frame, int(starts[i]), int(sizes[i])
        snap.period, snap.submitted_at = periods[i], times[i]


def valid_rows(snaps: list[Snapshot]) -> dict[str, pd.DataFrame]:
    """Every row of the valid snapshots, by kind, with a `snapshot` column holding the file's
    name; taken from the batches whole, not file by file."""
    batches: dict[int, tuple[str, pd.DataFrame, list[Snapshot]]] = {}
    for snap in snaps:
        if snap.batch is not None:
            batches.setdefault(id(snap.batch), (snap.kind, snap.batch, []))[2].append(snap)
    parts: dict[str, list[pd.DataFrame]] = {}
    for kind, batch, members in batches.values():
        files = batch[FILE].to_numpy()
        names = [None] * (int(files[-1]) + 1)  # by file number in the batch; None: not wanted
        for snap in members:
            if snap.valid:
                names[files[snap.start]] = snap.name
        keep = np.array([n is not None for n in names])[files]
        if not keep.any():
            continue
        rows = batch if keep.all() else batch[keep]
        part = rows.drop(columns=FILE).reset_index(drop=True)
        part["snapshot"] = pa_arrow.array(names, pa_arrow.large_string()).take(rows[FILE].to_numpy()).to_pandas()
        parts.setdefault(kind, []).append(part)
    return {kind: pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0] for kind, frames in parts.items()}


def _no_failures() -> pd.DataFrame:
    return pd.DataFrame(columns=["rule", "column", "other", "position", "file"])


def _failures(kind: str, frame: pd.DataFrame, era: str = CURRENT) -> pd.DataFrame:
    """One row per failing (rule, column, row of the frame): rule, column, other, position, file."""
    columns = frozenset(c for c in frame.columns if c != FILE)
    try:
        schema(kind, columns, era).validate(frame, lazy=True, inplace=True)  # no coercion: a copy is waste
        return _no_failures()
    except pa.errors.SchemaErrors as exc:
        errors = exc.schema_errors
    parts = []
    for err in errors:
        name = err.check if isinstance(err.check, str) else err.check.name
        rule, column, other = ("not_null", err.schema.name, "") if name == "not_nullable" else name.split("|")
        if err.check_output is not None:  # every failing row is in the check's output
            output = err.check_output
            positions = output.index[~output.to_numpy(dtype=bool)].to_numpy(dtype=float)
        elif isinstance(err.failure_cases, pd.DataFrame) and "index" in err.failure_cases:  # nulls
            positions = err.failure_cases["index"].to_numpy(dtype=float)
        else:  # a check that could not run: no row to name
            positions = np.array([np.nan])
        parts.append(pd.DataFrame({"rule": rule, "column": column, "other": other, "position": positions}))
    out = pd.concat(parts, ignore_index=True)
    known = out["position"].notna()
    out["file"] = -1
    out.loc[known, "file"] = frame[FILE].to_numpy()[out.loc[known, "position"].astype(int)]
    return out


def _problems(name: str, frame: pd.DataFrame, columns: list[str], failures: pd.DataFrame, start: int) -> list[Problem]:
    """A file's failures as problems, in column order, at most MAX_ROWS_PER_RULE rows for each
    (column, rule); the rest are counted in a last line."""
    if failures.empty:
        return []
    order = {c: i for i, c in enumerate(columns)}
    failures = failures.assign(order=failures["column"].map(order).fillna(-1))
    failures = failures.sort_values(["order", "rule", "position"], na_position="first")
    failures["n"] = failures.groupby(["column", "rule"], sort=False).cumcount()
    out = []
    for rule, col, other, position in failures.loc[failures["n"] < MAX_ROWS_PER_RULE, ["rule", "column", "other", "position"]].itertuples(index=False):
        row = None if pd.isna(position) else int(position)
        value = str(frame[col].iloc[row]) if row is not None and col in order and rule != "not_null" else None
        out.append(Problem(name, rule, col, None if row is None else row - start + 1, value,
                           params={"other": other, "keys": f"({col})"}))
    counts = failures.groupby(["column", "rule"], sort=False).size()
    for (col, rule), n in counts[counts > MAX_ROWS_PER_RULE].items():
        first = next(p for p in out if p.column == col and p.rule == rule)
        out.append(Problem(name, rule, col, None, f"+{n - MAX_ROWS_PER_RULE} dòng khác (more rows)", first.params))
    return out
