"""The store: a folder of snapshot files. The latest submitted_at per report key is current;
earlier files stay as history. Ingest is all-or-nothing and atomic, and never overwrites."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pandas as pd

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loaders.clock import RACY_NS, dated_back
from loaders.index import Index, Look, add_segment, changed, entries_of, fresh, holds, look, read_index, scan
from loaders.periods import timezone
from loaders.reference import settings
from loaders.remote import publish, remote_of, sync
from loaders.schema import KINDS, REPORT_KEY
from loaders.validate import SYNTHETIC_KEY, Problem, Snapshot, latest_submitted_at, read_snapshots, valid_rows
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


@dataclass(eq=False)
class StoreData:
    root: Path
    history: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # every valid row, column `snapshot`
    current: dict[str, pd.DataFrame] = field(default_factory=dict)  # the rows of the current snapshots
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (size, mtime_ns) as read
    loaded_ns: int = 0  # when it was read (a file written close to it is read again next time)
    racy: frozenset[str] = frozenset()  # the files written close to it
    infos: dict[str, FileInfo] = field(default_factory=dict)  # path -> what the dashboard tells about the file
    paths: pd.CategoricalDtype | None = None  # the `snapshot` columns' categories: the files' paths

    @cached_property
    def files(self) -> list[FileInfo]:
        """Every file's description, in the order of their paths."""
        return [self.infos[p] for p in self.stamps]

    @cached_property
    def version(self) -> int:
        """Changes whenever a file is added, removed or rewritten: a cache key for what is computed from it
        (once: a loaded store does not change)."""
        return hash(tuple(self.stamps.items()))

    @cached_property
    def invalid(self) -> list[FileInfo]:
        return [f for f in self.files if f.problems]

    @cached_property
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
        parts = [df.loc[df["period"] == period].assign(unit_code=df.get("unit_code")).groupby("snapshot").agg(
                     units=("unit_code", "nunique"), rows=("period", "size"), submitted_at=("submitted_at", "first"))
                 .reset_index().assign(kind=kind, snapshot=lambda f: f["snapshot"].astype(str))
                 for kind, df in self.current.items() if not df.empty]
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["snapshot", "units", "rows", "kind", "submitted_at"])
        out = out[["snapshot", "kind", "units", "rows", "submitted_at"]]
        return out.sort_values(["submitted_at", "snapshot"], ascending=[False, True], ignore_index=True)

    def report(self, unit_code: str, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(businesses rows, activities row) of a unit's current report for a period; empty when none."""
        def rows(frame):
            return frame[(frame["unit_code"] == unit_code) & (frame["period"] == period)].reset_index(drop=True)
        return rows(self.current["businesses"]), rows(self.current["activities"])

    def within(self, codes: frozenset[str], city: bool) -> StoreData:
        """The store as if it held the reports of these units only (a province's, in a scope of
        several), and the city's own tables only when `city` (they are one province's figures)."""
        def keep(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
            if kind == "city_indicators":
                return frame if city else frame.iloc[:0]
            return frame[frame["unit_code"].isin(codes).to_numpy()].reset_index(drop=True)
        return dataclasses.replace(self, current={k: keep(k, f) for k, f in self.current.items()},
                                   history={k: keep(k, f) for k, f in self.history.items()})

    @cached_property
    def last_submitted(self) -> pd.Timestamp | None:
        times = [f.submitted_at for f in self.files if f.submitted_at is not None and not f.problems]
        return max(times) if times else None


def find_files(path: Path, patterns: tuple[str, ...] = PATTERNS, unreadable: list[OSError] | None = None) -> list[Path]:
    """Snapshot files at or under a path, skipping hidden folders (an ingest's staging area); each
    folder that cannot be opened is added to `unreadable` (when given) as the error that said so."""
    path = Path(path)
    if path.is_file():
        return [path]
    suffixes = tuple(p.removeprefix("*").lower() for p in patterns)
    found = []
    for folder, subfolders, names in os.walk(path, onerror=None if unreadable is None else unreadable.append):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found += [Path(folder) / n for n in names if n.lower().endswith(suffixes) and not n.startswith(".")]
    return sorted(found)


def _snapshots_in(store: Path):
    """The store's snapshot files one by one, outside hidden folders, without walking further than asked."""
    for folder, subfolders, names in os.walk(store):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".parquet"):
                yield Path(folder) / name


def find_inputs(paths: list[Path], unreadable: list[OSError] | None = None) -> list[Path]:
    """The snapshots and workbooks at or under the paths, each file once (a folder and a file in it);
    the folders that cannot be opened are added to `unreadable` (when given)."""
    found: dict[Path, Path] = {}
    for p in paths:
        for f in find_files(Path(p), INPUTS, unreadable):
            found.setdefault(f.resolve(), f)
    return list(found.values())


def _empty(kind: str) -> pd.DataFrame:
    from loaders.schema import COLUMNS

    return pd.DataFrame({c: pd.Series(dtype="object") for c in [*COLUMNS[kind], "snapshot"]})


def load_store(root: Path, previous: StoreData | None = None, index: Index | None = None,
               stamps: dict[str, tuple[int, int]] | None = None, changed: set[str] | None = None) -> StoreData:
    """Read the store: from `previous` (the last load of the same store) or the store's index what
    they still know, and only the files that are new or changed from their own bytes. Invalid
    files are listed with their problems and skipped. Returns `previous` itself when nothing changed.
    `index`: the store's index when the caller has read it already; `stamps`: its files' stamps, when
    the caller has just looked (else every file is stat'ed); `changed`: with `previous`, the only
    files whose stamps may differ from its own (loaders.index.changed), else any may."""
    root = Path(root)
    if stamps is None:
        sync(root)  # a remote store: the objects its mirror lacks (at most every few seconds)
        stamps = scan(root) if root.exists() else {}
    now = time.time_ns()
    handed = _handed(root, stamps)  # taken even when nothing changed (a load between the ingest's rename and its hand-over)
    since = previous if previous is not None and previous.root == root else None
    if since is not None:
        known = Index(since.loaded_ns, since.stamps, {}, since.infos, since.history)
    else:
        index = index if index is not None else read_index(root)
        known = Index(index.written_ns, index.stamps, index.sha256,
                      _infos_from_json(index.files), index.rows, index.written)
    # The files known or on disk whose entry no longer holds: new, changed, gone or too new to trust.
    if since is not None and changed is not None:  # only these, and those read too close to the last load, are compared
        stale = {p for p in changed | since.racy if not holds(known, p, stamps.get(p))}
    else:
        stale = (stamps.keys() | known.stamps.keys()) - fresh(known, stamps)
    if since is not None and not stale:  # the same files, none too new to trust
        return since
    new = sorted(stale.intersection(stamps))  # in the order of their paths, as the stamps are
    snaps = _read_stored(root, new, handed)
    rows = valid_rows(snaps)
    data = StoreData(root, stamps=stamps, loaded_ns=now)
    data.infos = dict(known.files)
    for p in stale:
        data.infos.pop(p, None)
    data.infos |= {p: _info(p, snap) for p, snap in zip(new, snaps)}
    # A kept file is older than its entry by RACY_NS: only a new one can be that close to this load,
    # unless the clock went back since the last.
    among = new if since is not None and since.loaded_ns <= now else stamps
    data.racy = frozenset(p for p in among if stamps[p][1] >= now - RACY_NS)
    # files known before that are gone or changed (rows name only files whose names are UTF-8)
    dropped = {p for p in stale if p in known.stamps and _utf8(p)}
    # The files as the categories of `snapshot`: those of the last load keep their codes, new ones come after.
    extends = since.paths if since is not None and since.paths is not None and not dropped else None
    if extends is not None:
        before = extends.categories
        # Distinct by construction (the new files are not among the last load's): pandas' fast path (its
        # version pinned) skips the check that hashes the 66,000 paths, 40 ms of every load after a submission.
        data.paths = pd.CategoricalDtype._from_fastpath(
            before.append(pd.Index([p for p in new if _utf8(p)], dtype=before.dtype)), ordered=False)
    else:
        data.paths = pd.CategoricalDtype([p for p in stamps if _utf8(p)])
    paths = data.paths
    history: dict[str, list[pd.DataFrame]] = {}
    for kind in KINDS:
        if extends is not None:  # the last load's parts as they are: not joined for a submission
            old = since.history.parts(kind)
        else:
            old = [known.rows[kind]] if kind in known.rows else []
            old = [f[~f["snapshot"].isin(dropped).to_numpy()] if dropped else f for f in old]
        parts = [as_categories(f, paths, extends) for f in old if len(f)]
        parts += [as_categories(rows[kind], paths)] if kind in rows else []
        history[kind] = parts if len(parts) > 1 else [parts[0].reset_index(drop=True) if parts else _empty(kind)]
    data.history = Stacked(history)
    for kind in KINDS:
        if extends is not None:  # files only added: the keys they hold are chosen again
            current = as_categories(since.current[kind], paths, extends)
            data.current[kind] = _current_after(current, as_categories(rows[kind], paths), kind) if kind in rows else current
        else:
            data.current[kind] = current_rows(data.history[kind], kind)
    return data


class Stacked(Mapping):
    """Frames by kind, each kept as the parts it is made of (a store's million rows, a submission's
    few after them) until it is first read, then joined once (_stack) and kept: the current figures
    of a submission do not wait for its history to be copied."""

    def __init__(self, parts: dict[str, list[pd.DataFrame]]):
        self._parts = parts
        self._lock = threading.Lock()

    def parts(self, kind: str) -> list[pd.DataFrame]:
        """The parts of `kind` (one, once joined); none for a kind it does not hold."""
        with self._lock:
            return list(self._parts.get(kind, []))

    def __getitem__(self, kind: str) -> pd.DataFrame:
        with self._lock:
            parts = self._parts[kind]
            if len(parts) > 1:
                parts = self._parts[kind] = [_stack(parts)]
            return parts[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _read_stored(root: Path, paths: list[str], handed: dict[str, Snapshot] | None = None,
                 checked: bool = False) -> list[Snapshot]:
    """The store's files at these paths, read and checked (those `handed` over as read already are
    not read again; `checked`: written by this ingest from values checked before, not checked again).
    A name that is not UTF-8 (a file put in by hand from another system; ingest renames them) is a
    problem of its own: tables and the index hold names as text."""
    handed = handed or {}
    good = [p for p in paths if _utf8(p) and p not in handed]
    read = handed | dict(zip(good, read_snapshots([root / p for p in good], good, checked=checked)))
    return [read[p] if p in read else Snapshot(root / p, p, problems=[Problem(p, "name_not_utf8")]) for p in paths]


_SERVED: set[Path] = set()  # the stores a LiveStore of this process serves
_HANDOVER: dict[Path, dict[str, tuple[tuple[int, int], Snapshot]]] = {}  # store -> its last ingest's files, as read


def _hand_over(root: Path, read: dict[str, tuple[tuple[int, int], Snapshot]]) -> None:
    """A server's ingest (a submission) leaves the files it has just read back for the index to the
    next load of the same store in this process, which then need not read and check them again.
    Only the last ingest's, and only for a store this process serves (a command line's back-fill
    of thousands of files keeps nothing)."""
    key = Path(root).absolute()
    if key in _SERVED:
        _HANDOVER[key] = read


def _handed(root: Path, stamps: dict[str, tuple[int, int]]) -> dict[str, Snapshot]:
    """The files handed over by this process's last ingest into the store whose stamps are still the
    same as when it read them (as the index, a file is trusted by its stamp)."""
    read = _HANDOVER.pop(Path(root).absolute(), {})
    return {p: snap for p, (stamp, snap) in read.items() if stamps.get(p) == stamp}


class LiveStore:
    """The store as a dashboard server sees it: get() returns the same StoreData while no file
    was added or removed, and a new one, read incrementally, when one was. Thread-safe.

    A rerun stats the store's folders, not its 66,000 files (loaders.index.look): adding, removing
    or renaming a file changes its folder's time. Every file is stat'ed at least every
    `[data] full_look_seconds`, for a file rewritten in place, which only a hand can do."""

    def __init__(self, root: Path):
        self.root = Path(root)
        _SERVED.add(self.root.absolute())
        self._data: StoreData | None = None
        self._seen: Look | None = None  # the look it was loaded after
        self._lock = threading.Lock()

    def get(self) -> StoreData:
        with self._lock:
            sync(self.root)  # a remote store: what its mirror lacks, into the mirror's folders
            seen = look_now(self.root)
            if self._data is None or seen is not self._seen:  # some folder was listed again (load_store tells what changed)
                first = self._data is None
                self._data, self._seen = load_store(self.root, self._data, stamps=seen.stamps,
                                                    changed=None if first else changed(self._seen, seen)), seen
                if first and remote_of(self.root):
                    _remember(self.root, self._data)
            return self._data


def _remember(mirror: Path, data: StoreData) -> None:
    """A remote store's mirror (this machine's copy of the objects, not the store) keeps an index of
    the files its server read from their own bytes at its start, so that the server's next start
    reads the index instead of every file again (a national store: 66,000 objects). The objects
    never change, so their stamps in the mirror hold; hashes are left to the next ingest here."""
    with _locked(mirror):
        index = read_index(mirror, rows=False)
        known = fresh(index, data.stamps)
        unknown = [p for p in data.stamps if p not in known and _utf8(p)]
        if not unknown:
            return
        wanted = set(unknown)
        rows = {kind: _as_text(frame[frame["snapshot"].isin(wanted).to_numpy()]) for kind, frame in data.history.items()}
        entries = Index(data.loaded_ns, {p: data.stamps[p] for p in unknown}, dict.fromkeys(unknown, ""),
                        {p: _info_json(data.infos[p]) for p in unknown}, {k: f for k, f in rows.items() if len(f)})
        add_segment(mirror, index, entries, set(data.stamps))


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows as the index holds them: categories written out as text (as_categories undone)."""
    return frame.astype({c: "str" for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})


_LOOKS: dict[Path, Look] = {}  # this process's latest look at each store
_LOOKING = threading.Lock()


def look_now(root: Path) -> Look:
    """The store's files now, from this process's latest look at it (loaders.index.look)."""
    key = Path(root).absolute()
    with _LOOKING:
        _LOOKS[key] = look(key, _LOOKS.get(key), settings()["data"]["full_look_seconds"])
        return _LOOKS[key]


def _info_json(info: FileInfo) -> dict:
    return {"kind": info.kind, "period": info.period, "rows": info.rows, "synthetic": info.synthetic,
            "submitted_at": None if info.submitted_at is None else info.submitted_at.isoformat(),
            "problems": [asdict(p) for p in info.problems]}


def _infos_from_json(files: dict[str, dict]) -> dict[str, FileInfo]:
    """The index's entries as FileInfo, their times parsed at once (one by one, 66,000 cost a third of a second)."""
    times = pd.to_datetime(pd.Series([f["submitted_at"] for f in files.values()], dtype=object), format="ISO8601",
                           utc=True).dt.tz_convert(timezone())
    return {path: FileInfo(path, f["kind"], f["period"], None if pd.isna(at) else at, f["rows"], f["synthetic"],
                           tuple(Problem(**p) for p in f["problems"]))
            for (path, f), at in zip(files.items(), times)}


def _info(rel: str, snap: Snapshot) -> FileInfo:
    if not snap.valid:
        return FileInfo(rel, snap.kind, None, None, 0, snap.synthetic, tuple(snap.problems))
    return FileInfo(rel, snap.kind, snap.period, snap.submitted_at, snap.rows, snap.synthetic)


@cache
def _key_types() -> dict[str, pd.CategoricalDtype]:
    """The key columns' values as categories of the reference lists, the same for every frame (so
    that frames join without turning them back into text): grouping a million rows by codes costs
    milliseconds, by text seconds."""
    from loaders.periods import between
    from loaders.reference import all_units, business_types, sectors

    limits = settings()["periods"]
    return {"period": pd.CategoricalDtype(between(limits["earliest"], limits["latest"])),
            "unit_code": pd.CategoricalDtype(all_units()["unit_code"]),
            "sector": pd.CategoricalDtype(list(sectors())), "business_type": pd.CategoricalDtype(list(business_types()))}


def as_categories(frame: pd.DataFrame, paths: pd.CategoricalDtype, extends: pd.CategoricalDtype | None = None) -> pd.DataFrame:
    """`frame` with its key columns as categories (_key_types) and its `snapshot` as one of `paths`
    (the store's files, as loaded); a column holding a value outside its list (none does, once
    validated and loaded) stays text. `extends`: the last load's files, which `paths` begins with."""
    out = frame.copy(deep=False)
    for column, dtype in (_key_types() | {"snapshot": paths}).items():
        if column not in frame:
            continue
        series = frame[column]
        if series.dtype == dtype:
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):  # of an earlier load
            before = series.cat.categories
            # the same codes, more files after them (a national store's 66,000 paths: 20 ms to compare)
            if series.dtype is extends or before.equals(dtype.categories[:len(before)]):
                out[column] = pd.Categorical.from_codes(series.cat.codes, dtype=dtype, validate=False)
            else:
                out[column] = series.astype(dtype)
            continue
        values = pa.array(series, pa.large_string())
        if isinstance(values, pa.ChunkedArray):  # a piece per file, from the index
            values = values.combine_chunks()
        codes = _codes(values, pa.array(dtype.categories, pa.large_string()))
        if codes is not None:
            out[column] = pd.Categorical.from_codes(codes, dtype=dtype)
    return out


def _codes(values: pa.Array, categories: pa.Array) -> np.ndarray | None:
    """Each value's place among the categories (distinct); None when one is not among them. A few
    rows (a submission's) look up their distinct values only: a lookup table of a national store's
    66,000 paths takes 18 ms to build."""
    if len(values) >= len(categories):
        codes = pc.index_in(values, value_set=categories)
        return codes.to_numpy(zero_copy_only=False) if codes.null_count == 0 else None
    distinct = pc.unique(values)
    where = pc.index_in(categories, value_set=distinct)  # each category's place among the distinct values
    found = np.flatnonzero(where.is_valid().to_numpy(zero_copy_only=False))
    if len(found) < len(distinct):
        return None
    place = np.empty(len(distinct), dtype=np.int64)
    place[where.filter(where.is_valid()).to_numpy()] = found
    codes = pc.index_in(values, value_set=distinct)
    return place[codes.to_numpy(zero_copy_only=False)] if codes.null_count == 0 else None


def current_rows(history: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Rows of the snapshot with the latest submitted_at for each report key (ties: the later path)."""
    if history.empty:
        return history
    # Rank the files (a file has one submitted_at), then keep each key's rows of its top-ranked file;
    # on integer codes: grouping a million rows by their text costs seconds.
    files, names = pd.factorize(history["snapshot"])
    first_rows = pd.Series(files).drop_duplicates().index.to_numpy()  # file i's first row (codes follow first sight)
    ranked = pd.DataFrame({"snapshot": np.asarray(names, dtype=object), "submitted_at": history["submitted_at"].array[first_rows]})
    rank = np.empty(len(names), dtype=np.int64)
    rank[ranked.sort_values(["submitted_at", "snapshot"]).index.to_numpy()] = np.arange(len(names))
    row_rank = rank[files]
    key = np.zeros(len(history), dtype=np.int64)
    for column in REPORT_KEY[kind]:
        codes, uniques = pd.factorize(history[column])
        key = key * len(uniques) + codes
    latest = pd.Series(row_rank).groupby(key, sort=False).transform("max").to_numpy()
    return history[row_rank == latest].reset_index(drop=True)


def _current_after(current: pd.DataFrame, new: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The current rows once the rows of new files join a store whose current rows are `current`:
    only the report keys the new rows hold are chosen again (a row that was not current stays so)."""
    if new.empty or current.empty:
        return current_rows(new, kind) if current.empty else current
    touched = np.arange(len(current))  # the rows of the keys the new rows hold (a superset): chosen again with them
    for column in REPORT_KEY[kind]:  # narrowed a column at a time: the period leaves a tenth of a million rows
        values = current[column] if len(touched) == len(current) else current[column].take(touched)
        touched = touched[values.isin(new[column].unique()).to_numpy()]
    if not len(touched):  # reports of keys the store had none of (a unit's first report of a period)
        return _stack([current, current_rows(new, kind)])
    chosen = current_rows(_stack([current.take(touched), new]), kind)
    keep = np.ones(len(current), dtype=bool)
    keep[touched] = False
    return _stack([current, chosen], keep=keep)


MANY_RUNS = 256  # _stack: more runs than this are copied by a boolean index


def _stack(frames: list[pd.DataFrame], keep: np.ndarray | None = None) -> pd.DataFrame:
    """pd.concat(frames, ignore_index=True), of the first frame only the rows `keep` (a boolean mask)
    when given. A column every frame holds in one numpy type, or with the same categories (the same
    dtype: as_categories), is copied once into a new array, its values or codes (a national store:
    pandas' concat hashed the 66,000 paths of `snapshot` each time, and masking the million current
    rows before joining copied them twice); the others as concat does. A block per column: joining
    them into one would copy them again."""
    first = frames[0]
    if any(not f.columns.equals(first.columns) for f in frames):  # a converted report's optional columns
        return pd.concat([first[keep] if keep is not None else first, *frames[1:]], ignore_index=True)
    rows = int(keep.sum()) if keep is not None else len(first)
    # The runs of the first frame's rows kept, [start, end) each: a submission leaves out a report's rows,
    # one run or a few, and copying the rest a run at a time costs a fifth of a boolean index (a
    # twentieth of np.compress).
    runs = (np.flatnonzero(np.diff(keep, prepend=False, append=False)).reshape(-1, 2) if keep is not None
            else np.array([[0, rows]]))
    size = rows + sum(len(f) for f in frames[1:])
    columns = {}
    for column in first.columns:
        series = [f[column] for f in frames]
        dtype = series[0].dtype
        if isinstance(dtype, pd.CategoricalDtype) and all(s.dtype is dtype for s in series):
            arrays = [s.cat.codes.to_numpy() for s in series]
        elif isinstance(dtype, np.dtype) and dtype != object and all(s.dtype == dtype for s in series):
            arrays = [s.to_numpy() for s in series]
        else:
            columns[column] = pd.concat([series[0][keep] if keep is not None else series[0], *series[1:]],
                                        ignore_index=True)
            continue
        out = np.empty(size, dtype=arrays[0].dtype)
        if len(runs) <= MANY_RUNS:
            at = 0
            for start, end in runs:
                out[at:at + end - start] = arrays[0][start:end]
                at += end - start
        else:
            out[:rows] = arrays[0][keep]
        at = rows
        for a in arrays[1:]:
            out[at:at + len(a)] = a
            at += len(a)
        columns[column] = pd.Categorical.from_codes(out, dtype=dtype, validate=False) if isinstance(dtype, pd.CategoricalDtype) else out
    return pd.DataFrame(columns, copy=False)


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


def check_inputs(paths: list[Path], submitted_at: pd.Timestamp | None = None,
                 read: dict[Path, dict[str, pd.DataFrame]] | None = None) -> Inputs:
    """Check the snapshots and workbooks at or under `paths` (a workbook's rows stamped `submitted_at`);
    a folder among them that cannot be opened is a problem too (its files would go unchecked).
    `read`: workbooks read and checked already (by loaders.submit.check), by path; not read again."""
    unreadable: list[OSError] = []
    files = find_inputs(paths, unreadable)
    closed = [Problem(str(e.filename), "folder_unreadable", params={"detail": e.strerror or type(e).__name__})
              for e in unreadable]
    read = read or {}

    def workbook(f: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
        if f not in read or (submitted_at is not None and submitted_at > latest_submitted_at()):  # not checked with it
            return read_workbook(f, str(f), submitted_at=submitted_at)
        return {k: v if submitted_at is None else v.assign(submitted_at=submitted_at) for k, v in read[f].items()}, []

    books = {f: workbook(f) for f in files if f.suffix.lower() == ".xlsx"}
    parquet = [f for f in files if f not in books]
    snaps = read_snapshots(parquet)
    return Inputs(files, closed + [p for snap in snaps for p in snap.problems] + [p for _, found in books.values() for p in found],
                  {f: frames for f, (frames, _) in books.items()}, {f for f, snap in zip(parquet, snaps) if snap.synthetic})


def is_synthetic_store(store: Path) -> bool:
    """The store holds the bundled sample (its files are marked synthetic): real reports stay out of it."""
    first = next(_snapshots_in(store), None)
    try:
        return first is not None and (pq.read_schema(first).metadata or {}).get(SYNTHETIC_KEY) == b"true"
    except Exception:  # an unreadable file says nothing about the store
        return False


def ingest(paths: list[Path], store: Path, submitted_at: pd.Timestamp | None = None,
           read: dict[Path, dict[str, pd.DataFrame]] | None = None) -> IngestResult:
    """Validate every file first; if all are valid, copy the new ones into the store in one batch.

    A workbook becomes its snapshot files (Parquet, stamped `submitted_at`: now unless given, for
    back-filling) and is kept beside them. Under the store's lock (`STORE/.lock`), so that ingests
    at once store each file once: the batch is written to a hidden staging folder inside the store
    and renamed into place, so a crash midway leaves the store as it was (and its staging folder is
    removed by the next ingest); then the index is brought up to date. Files are named by their
    content hash, so nothing is overwritten and ingesting the same bytes twice adds nothing; only
    files the index does not know are hashed. Files not marked synthetic are refused by a store of
    synthetic data. `read`: workbooks among `paths` read and checked already, as check_inputs takes them."""
    store = Path(store)
    at = submitted_at if submitted_at is not None else pd.Timestamp.now(tz=timezone())
    given = check_inputs(paths, at, read)
    files, problems, books = given.files, given.problems, given.workbooks
    if not problems and is_synthetic_store(store):
        problems = [Problem(str(f), "real_into_sample", params={"store": str(store)}) for f in files
                    if f not in given.synthetic]
    result = IngestResult(problems=problems)
    if problems:
        return result
    new_store = not store.exists()
    store.mkdir(parents=True, exist_ok=True)
    try:
        with _locked(store):
            _ingest_locked(store, files, books, result)
    finally:
        if new_store and not any(store.glob("ingest-*")):  # the store this ingest created, left empty
            shutil.rmtree(store, ignore_errors=True)
    return result


def _ingest_locked(store: Path, files: list[Path], books: dict, result: IngestResult) -> None:
    """The part of an ingest that holds the store's lock: dedupe, write the batch, add what the index
    did not know (the batch, files placed or changed by hand) as a new segment of the index, with the
    files written too close to their entry (read again, so that the next ingest trusts them). Its
    cost grows with the files added, not with the store."""
    for staging in store.glob(".staging-*"):  # a dead ingest's: a live one would hold the lock
        shutil.rmtree(staging, ignore_errors=True)
    sync(store, force=True)  # a remote store: what other servers stored, so that it is not stored twice
    index = read_index(store, rows=False)
    seen = look_now(store)
    compared = _compare(store, index, seen)
    unsure = compared.unsure  # new to the index, changed, written too close to it, or without a hash
    hashes = {p: _sha256(store / p) for p in unsure}
    differing = [p for p in unsure if hashes[p] != index.sha256.get(p)]
    batch: dict[str, Path] = {}
    for f in files:
        digest = _sha256(f)
        # an ingested file, or a kept workbook's snapshots, start with its hash
        if digest in batch or compared.named(digest[:16]) or _stored(digest, index, seen.stamps, hashes):
            result.already_there.append(str(f))
        else:
            batch[digest] = f
    if batch:
        result.added = _write_batch(store, batch, books)
        if not result.added:  # a remote store: another writer stored the same batch first
            result.already_there += [str(f) for f in batch.values()]
            sync(store, force=True)
    if not (batch or differing):  # the index holds the right entry of every file (some only too close to it)
        return
    added = [p for p in result.added if p.endswith(".parquet")]
    stamps = seen.stamps | {p: _stamp(store / p) for p in added}
    at = time.time_ns()  # before reading: a file changed after this is read again by the next load
    # A workbook's snapshots, written from the frames checked in memory, are read without checking their
    # values again; a copied file is checked again (its source may have changed since check_inputs read it).
    workbooks = {digest[:16] for digest, src in batch.items() if src in books}  # a workbook's snapshots start with its hash
    from_books = [p for p in added if p.rpartition("/")[2][:16] in workbooks]
    checked_again = [p for p in added if p not in from_books]
    new = unsure + checked_again + from_books  # read again into a later segment
    snaps = _read_stored(store, unsure + checked_again) + _read_stored(store, from_books, checked=True)
    entries = Index(at, {p: stamps[p] for p in new}, {p: hashes.get(p) or _sha256(store / p) for p in new},
                    {p: _info_json(_info(p, snap)) for p, snap in zip(new, snaps)}, valid_rows(snaps))
    add_segment(store, index, entries, set(stamps))
    # The batch's files, dated back: not those a hand may still be writing (within RACY_NS of their read)
    _hand_over(store, {p: (stamps[p], snap) for p, snap in zip(new, snaps) if stamps[p][1] < at - RACY_NS})


@dataclass(frozen=True)
class _Compared:
    """An ingest's comparison of the store's files (a look) with its index: the files whose entry
    does not hold (in the order of their paths), and per folder the first 16 characters of its files' names."""
    segments: tuple[str, ...]
    seen: Look
    unsure: list[str]
    names: dict[str, frozenset[str]]

    def named(self, prefix: str) -> bool:
        return any(prefix in names for names in self.names.values())


_COMPARED: dict[Path, _Compared] = {}  # store -> this process's latest comparison (made under the store's lock)


def _compare(store: Path, index: Index, seen: Look) -> _Compared:
    """The store's files against its index. From this process's latest comparison, when the index
    has only gained segments since (no other list, no merge): only the files of the folders the look
    listed again, those the new segments have entries for and those unsure then are compared again
    (every other file kept its stamp and its entry); else every file (a national store's 66,000:
    about 0.2 s)."""
    key = store.absolute()
    last = _COMPARED.get(key)
    stamps = seen.stamps

    def unsure(p: str) -> bool:
        return not (holds(index, p, stamps.get(p)) and index.sha256.get(p))

    if last is not None and tuple(index.segments[:len(last.segments)]) == last.segments:
        maybe = {*last.unsure, *changed(last.seen, seen), *entries_of(store, index.segments[len(last.segments):])}
        found = sorted(p for p in maybe if p in stamps and unsure(p))
    else:
        kept = fresh(index, stamps)
        last, found = None, [p for p in stamps if p not in kept or not index.sha256.get(p)]
    names = {folder: last.names[folder] if last and last.seen.folders.get(folder) is entry
             else frozenset(p.rpartition("/")[2][:16] for p in entry[1])
             for folder, entry in seen.folders.items()}
    _COMPARED[key] = _Compared(tuple(index.segments), seen, found, names)
    return _COMPARED[key]


def _stored(digest: str, index: Index, stamps: dict[str, tuple[int, int]], hashed: dict[str, str]) -> bool:
    """Some file of the store holds these bytes: one just `hashed` (those whose entry did not hold),
    or one whose entry in the index holds and says so."""
    if digest in hashed.values():
        return True
    path = index.by_sha256.get(digest)
    if path is None:  # no entry has it
        return False
    if path not in hashed and index.sha256.get(path) == digest and holds(index, path, stamps.get(path)):
        return True
    # that file is gone or changed: another may hold the same bytes (rare: each file is stored once)
    return any(index.sha256.get(p) == digest for p in stamps if p not in hashed and holds(index, p, stamps[p]))


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


@contextlib.contextmanager
def _locked(store: Path):
    """The store's lock, held until the block ends (or the process does)."""
    with open(store / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write_batch(store: Path, batch: dict[str, Path], books: dict[Path, dict[str, pd.DataFrame]]) -> list[str]:
    """The new files (and each workbook's snapshots) in a staging folder, renamed into place in one
    step; on a remote store, published first (none when another writer stored the batch first)."""
    batch_id = hashlib.sha256("".join(sorted(batch)).encode()).hexdigest()[:12]
    final = store / f"ingest-{batch_id}"
    staging = store / f".staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir()
        sources = []
        for digest, src in sorted(batch.items(), key=lambda kv: kv[1].name):
            # a name that is not UTF-8 (bytes from another system) is stored with its odd bytes replaced
            name = os.fsencode(src.name).decode("utf-8", "replace").replace("\ufffd", "_")
            dest = staging / f"{digest[:16]}_{name}"
            shutil.copyfile(src, dest)
            sources.append(dest.name)
            for kind, frame in books.get(src, {}).items():  # the workbook's snapshots beside it
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), dest.with_name(f"{dest.stem}_{kind}.parquet"))
        past = dated_back()
        for written in staging.iterdir():
            with open(written, "rb") as fh:
                os.fsync(fh.fileno())
            # Dated back past the index's racy window, so that the index trusts them at once: any later
            # change to a file dates it now, which no longer matches its stamp.
            os.utime(written, ns=(past, past))
        if final.exists():  # same batch bytes as an earlier, partly removed, batch: keep both
            final = store / f"ingest-{batch_id}-{uuid.uuid4().hex[:8]}"
        if remote_of(store) and not publish(store, staging, final.name, sources):
            return []
        os.rename(staging, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [p.relative_to(store).as_posix() for p in sorted(final.iterdir())]
