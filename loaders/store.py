"""The store: a folder of snapshot files. The latest submitted_at per report key is current;
earlier files stay as history. Ingest is all-or-nothing and atomic, and never overwrites."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

import pyarrow as pa
import pyarrow.parquet as pq

from loaders.periods import timezone
from loaders.schema import KINDS, REPORT_KEY
from loaders.validate import SYNTHETIC_KEY, Problem, Snapshot, read_snapshots, valid_rows
from loaders.workbook import read_workbook

PATTERNS = ("*.parquet",)  # the store's snapshots; the workbooks kept beside them are evidence, not read
INPUTS = ("*.parquet", "*.xlsx")  # what validate and ingest take


@dataclass(frozen=True)
class FileInfo:
    """What the dashboard tells about one file of the store."""

    path: str  # relative to the store
    kind: str | None
    period: str | None
    submitted_at: pd.Timestamp | None
    rows: int
    synthetic: bool
    problems: tuple[Problem, ...] = ()


@dataclass
class StoreData:
    root: Path
    files: list[FileInfo] = field(default_factory=list)
    history: dict[str, pd.DataFrame] = field(default_factory=dict)  # every valid row, column `snapshot`
    current: dict[str, pd.DataFrame] = field(default_factory=dict)  # the rows of the current snapshots

    @property
    def invalid(self) -> list[FileInfo]:
        return [f for f in self.files if f.problems]

    @property
    def synthetic(self) -> bool:
        """True when any file in use is marked synthetic (the bundled sample)."""
        return any(f.synthetic for f in self.files if not f.problems)

    @cached_property
    def periods(self) -> list[str]:
        """Every period with a current snapshot (computed once: a loaded store does not change)."""
        return sorted(set().union(*(df["period"].unique() for df in self.current.values())))

    def snapshots(self, period: str) -> pd.DataFrame:
        """The current snapshot files behind `period`'s figures: snapshot (path in the store),
        kind, units (how many units' current rows it holds; 0 for the city's own tables, which
        have no unit), rows, submitted_at; newest first."""
        when = {f.path: f.submitted_at for f in self.files}
        parts = [df.loc[df["period"] == period].assign(unit_code=df.get("unit_code")).groupby("snapshot").agg(
                     units=("unit_code", "nunique"), rows=("period", "size")).reset_index().assign(kind=kind)
                 for kind, df in self.current.items() if not df.empty]
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["snapshot", "units", "rows", "kind"])
        out["submitted_at"] = out["snapshot"].map(when)
        out = out[["snapshot", "kind", "units", "rows", "submitted_at"]]
        return out.sort_values(["submitted_at", "snapshot"], ascending=[False, True], ignore_index=True)

    @property
    def last_submitted(self) -> pd.Timestamp | None:
        times = [f.submitted_at for f in self.files if f.submitted_at is not None and not f.problems]
        return max(times) if times else None


def find_files(path: Path, patterns: tuple[str, ...] = PATTERNS) -> list[Path]:
    """Snapshot files at or under a path, skipping hidden folders (an ingest's staging area)."""
    path = Path(path)
    if path.is_file():
        return [path]
    found = [p for pattern in patterns for p in path.rglob(pattern)]
    return sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(path).parts))


def find_inputs(paths: list[Path]) -> list[Path]:
    """The snapshots and workbooks at or under the paths, each file once (a folder and a file in it)."""
    found: dict[Path, Path] = {}
    for p in paths:
        for f in find_files(Path(p), INPUTS):
            found.setdefault(f.resolve(), f)
    return list(found.values())


def fingerprint(root: Path) -> tuple:
    """Changes whenever a file is added, removed or rewritten: a cache key for load_store."""
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in find_files(root)) if Path(root).exists() else ()


def _empty(kind: str) -> pd.DataFrame:
    from loaders.schema import COLUMNS

    return pd.DataFrame({c: pd.Series(dtype="object") for c in [*COLUMNS[kind], "snapshot"]})


def load_store(root: Path) -> StoreData:
    """Read every snapshot under root. Invalid files are listed with their problems and skipped."""
    root = Path(root)
    data = StoreData(root)
    paths = find_files(root) if root.exists() else []
    labels = [path.relative_to(root).as_posix() for path in paths]
    snaps = read_snapshots(paths, labels)
    data.files = [_info(rel, snap) for rel, snap in zip(labels, snaps)]
    rows = valid_rows(snaps)
    for kind in KINDS:
        history = rows[kind] if kind in rows else _empty(kind)
        data.history[kind] = history
        data.current[kind] = current_rows(history, kind)
    return data


def _info(rel: str, snap: Snapshot) -> FileInfo:
    if not snap.valid:
        return FileInfo(rel, snap.kind, None, None, 0, snap.synthetic, tuple(snap.problems))
    return FileInfo(rel, snap.kind, snap.period, snap.submitted_at, snap.rows, snap.synthetic)


def current_rows(history: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Rows of the snapshot with the latest submitted_at for each report key (ties: the later path)."""
    key = REPORT_KEY[kind]
    if history.empty:
        return history
    # Rank the files (a file has one submitted_at), then keep each key's rows of its top-ranked file.
    codes, names = pd.factorize(history["snapshot"])
    first_rows = np.unique(codes, return_index=True)[1]
    files = pd.DataFrame({"snapshot": names, "submitted_at": history["submitted_at"].iloc[first_rows].to_numpy()})
    rank = np.empty(len(files), dtype=np.int64)
    rank[files.sort_values(["submitted_at", "snapshot"]).index.to_numpy()] = np.arange(len(files))
    row_rank = pd.Series(rank[codes], index=history.index)
    latest = row_rank.groupby([history[k] for k in key], sort=False).transform("max")
    return history[row_rank == latest].reset_index(drop=True)


# --- ingest -----------------------------------------------------------------------------------


@dataclass
class IngestResult:
    problems: list[Problem] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # paths in the store
    already_there: list[str] = field(default_factory=list)  # source files whose bytes were stored before

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Inputs:
    """What validate and ingest were given, checked: every file once, the problems of all, the
    snapshot frames of each workbook, and which snapshot files are marked synthetic."""
    files: list[Path]
    problems: list[Problem]
    workbooks: dict[Path, dict[str, pd.DataFrame]]
    synthetic: set[Path]


def check_inputs(paths: list[Path], submitted_at: pd.Timestamp | None = None) -> Inputs:
    """Check the snapshots and workbooks at or under `paths` (a workbook's rows stamped `submitted_at`)."""
    files = find_inputs(paths)
    books = {f: read_workbook(f, str(f), submitted_at=submitted_at) for f in files if f.suffix.lower() == ".xlsx"}
    parquet = [f for f in files if f not in books]
    snaps = read_snapshots(parquet)
    return Inputs(files, [p for snap in snaps for p in snap.problems] + [p for _, found in books.values() for p in found],
                  {f: frames for f, (frames, _) in books.items()}, {f for f, snap in zip(parquet, snaps) if snap.synthetic})


def is_synthetic_store(store: Path) -> bool:
    """The store holds the bundled sample (its files are marked synthetic): real reports stay out of it."""
    first = next(iter(find_files(store)), None) if store.exists() else None
    try:
        return first is not None and (pq.read_schema(first).metadata or {}).get(SYNTHETIC_KEY) == b"true"
    except Exception:  # an unreadable file says nothing about the store
        return False


def ingest(paths: list[Path], store: Path, submitted_at: pd.Timestamp | None = None) -> IngestResult:
    """Validate every file first; if all are valid, copy the new ones into the store in one batch.

    A workbook becomes its snapshot files (Parquet, stamped `submitted_at`: now unless given, for
    back-filling) and is kept beside them. The batch is written to a hidden staging folder inside
    the store and then renamed into place: a crash midway leaves the store as it was. Files are
    named by their content hash, so nothing is overwritten and ingesting the same bytes twice adds
    nothing. Files not marked synthetic are refused by a store of synthetic data."""
    store = Path(store)
    at = submitted_at if submitted_at is not None else pd.Timestamp.now(tz=timezone())
    given = check_inputs(paths, at)
    files, problems, books = given.files, given.problems, given.workbooks
    if not problems and is_synthetic_store(store):
        problems = [Problem(str(f), "real_into_sample", params={"store": str(store)}) for f in files
                    if f not in given.synthetic]
    result = IngestResult(problems=problems)
    if problems:
        return result
    stored = {_sha256(p) for p in find_files(store, INPUTS)} if store.exists() else set()
    batch: dict[str, Path] = {}
    for f in files:
        digest = _sha256(f)
        if digest in stored or digest in batch:
            result.already_there.append(str(f))
        else:
            batch[digest] = f
    if not batch:
        return result
    batch_id = hashlib.sha256("".join(sorted(batch)).encode()).hexdigest()[:12]
    final = store / f"ingest-{batch_id}"
    staging = store / f".staging-{batch_id}-{uuid.uuid4().hex[:8]}"
    new_store = not store.exists()
    store.mkdir(parents=True, exist_ok=True)
    try:
        staging.mkdir()
        for digest, src in sorted(batch.items(), key=lambda kv: kv[1].name):
            dest = staging / f"{digest[:16]}_{src.name}"
            shutil.copyfile(src, dest)
            for kind, frame in books.get(src, {}).items():  # the workbook's snapshots beside it
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), dest.with_name(f"{dest.stem}_{kind}.parquet"))
            for written in staging.iterdir():
                with open(written, "rb") as fh:
                    os.fsync(fh.fileno())
        if final.exists():  # same batch bytes as an earlier, partly removed, batch: keep both
            final = store / f"ingest-{batch_id}-{uuid.uuid4().hex[:8]}"
        os.rename(staging, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        if new_store and not final.exists():  # the store this ingest created, left empty
            with contextlib.suppress(OSError):
                store.rmdir()
    result.added = [p.relative_to(store).as_posix() for p in sorted(final.iterdir())]
    return result
