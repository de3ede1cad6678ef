"""The store's index (`STORE/.index/`): every file's stamp (size, modification time), hash and what
it holds, and the valid rows of all of them (Arrow files), so that a dashboard starting on a large store reads
a few files per kind instead of thousands, and an ingest hashes and reads only what is new.

The index is a list of segments, each written once by one ingest for the files it added (and any
the index did not know yet); a later segment's entry for a file replaces an earlier one's. So an
ingest's cost does not grow with the store: it writes one small segment and a new list, except
every COMPACT_AFTER segments, when it merges the newest of them, those not much larger than the
ones after them, into one. Only ingest writes, under the store's
lock (`STORE/.lock`): the segment, then a new list, then the `CURRENT` pointer replaced in one
step, so that a reader sees the old index or the new one, never half of one. Loading never writes
(the bundled sample store stays as committed). The index is a cache: a file whose stamp differs
from its entry, or that was written within RACY_NS of its segment (a change inside the clock's
resolution could hide), is read again from its own bytes; a store without an index is read file
by file.

Which files there are is a `look`: a server's rerun stats the store's folders and lists again only
those whose time changed, so that seeing nothing new costs a few stat calls, not one per file."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from loaders.clock import RACY_NS
from loaders.schema import KINDS

FOLDER, POINTER = ".index", "CURRENT"
COMPACT_AFTER = 32  # segments; then the next ingest writes one merged segment instead
GROWTH = 2  # a segment is merged with the newer ones once it holds at most this many times their entries
KEEP = 2  # lists kept besides the current one, so that a reader still holding an older one can finish


@dataclass
class Index:
    """What an index (or a previous load) knows: per file (path relative to the store) its stamp,
    sha256 and when its entry was written, and the valid rows of every kind (column `snapshot`
    naming the file). `segments`: the names of the segments it was read from, oldest first."""
    written_ns: int = 0
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)  # path -> FileInfo fields (problems as text)
    rows: dict[str, pd.DataFrame] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)  # path -> its entry's written_ns (else written_ns)
    segments: list[str] = field(default_factory=list)
    by_sha256: dict[str, str] = field(default_factory=dict)  # sha256 -> a path whose entry has it (the latest segment's)


@dataclass(frozen=True)
class Look:
    """What one look at a store's files saw: each snapshot file's stamp (path -> (size, mtime_ns)),
    each folder's files and modification time (adding, removing or renaming an entry changes it;
    "" is the root), when the look began, and when the last look at every file was."""
    stamps: dict[str, tuple[int, int]]
    folders: dict[str, tuple[int, dict[str, tuple[int, int]], tuple[str, ...]]]  # folder -> (mtime_ns, its files' stamps, its subfolders)
    began_ns: int
    full_at: float  # time.monotonic() of the last look that stat'ed every file


def scan(root: Path) -> dict[str, tuple[int, int]]:
    """Every snapshot file under root, outside hidden folders: path -> (size, mtime_ns). Only stat calls."""
    return look(root).stamps


def look(root: Path, before: Look | None = None, full_after: float = 0.0) -> Look:
    """The store's files now. With a look `before` it that stat'ed every file less than `full_after`
    seconds ago, a folder whose time is the same as then, and was old enough then to be sure (RACY_NS),
    holds the same entries: its files keep their stamps unlooked (a file rewritten in place, which only a
    hand can do, is seen by the next whole look). The rest are listed and stat'ed. Returns `before`
    itself when no folder had to be listed, and its stamps when the files are the same."""
    root = Path(root)
    began, now = time.time_ns(), time.monotonic()
    whole = before is None or now - before.full_at >= full_after
    seen: dict[str, tuple[int, dict[str, tuple[int, int]], tuple[str, ...]]] = {}
    relisted = False  # some folder was listed (or could not be): the files may have changed

    def walk(folder: str) -> None:
        nonlocal relisted
        path = root / folder if folder else root
        try:
            mark = os.stat(path).st_mtime_ns
        except OSError:  # gone, or not there yet (a new store): looked at again next time
            relisted = True
            return
        old = None if whole else before.folders.get(folder)
        if old is not None and old[0] == mark and mark < before.began_ns - RACY_NS:
            seen[folder] = old
            subfolders = old[2]
        else:
            relisted = True
            files, subfolders = {}, []
            try:
                entries = list(os.scandir(path))
            except OSError:  # unreadable: listed again next time
                return
            for e in entries:
                if e.name.startswith("."):
                    continue
                if e.is_dir(follow_symlinks=False):
                    subfolders.append(f"{folder}{e.name}/")
                elif e.name.lower().endswith(".parquet"):
                    st = e.stat()
                    files[folder + e.name] = (st.st_size, st.st_mtime_ns)
            seen[folder] = (mark, dict(sorted(files.items())), tuple(sorted(subfolders)))
        for sub in subfolders:
            walk(sub)

    walk("")
    if before is not None and not relisted:
        return before
    stamps: dict[str, tuple[int, int]] = {}

    def in_order(folder: str) -> None:
        """The stamps of a folder and below, in the order of their paths, each folder's files sorted
        once when it was listed (a sort of 66,000 paths at every look cost more than the look)."""
        _, files, subfolders = seen[folder]
        subfolders = [s for s in subfolders if s in seen]
        if not subfolders:
            stamps.update(files)
            return
        # A subfolder sorts among its folder's files as the paths under it do: "a/" before "b.parquet".
        for path, sub in sorted([*((p, False) for p in files), *((s, True) for s in subfolders)]):
            if sub:
                in_order(path)
            else:
                stamps[path] = files[path]

    if "" in seen:
        in_order("")
    if before is not None and stamps == before.stamps:
        stamps = before.stamps  # the same files: the caller may tell by identity
    return Look(stamps, seen, began, now if whole else before.full_at)


def changed(before: Look, after: Look) -> set[str]:
    """The files whose stamps may differ between two looks at a store (added, removed or changed):
    those of the folders the later look listed again. A folder it did not list again is the same
    object in both, and its files kept their stamps."""
    out: set[str] = set()
    for folder in before.folders.keys() | after.folders.keys():
        was, now = before.folders.get(folder), after.folders.get(folder)
        if was is not now:
            out |= (was[1].keys() if was else set()) | (now[1].keys() if now else set())
    return out


def fresh(index: Index, stamps: dict[str, tuple[int, int]]) -> set[str]:
    """The files whose entry in the index still holds: same stamp, and not written too close to
    their entry (a loop of a national store's 66,000 files: no call per file)."""
    known, written, at = index.stamps, index.written, index.written_ns
    return {p for p, st in stamps.items() if known.get(p) == st and st[1] < written.get(p, at) - RACY_NS}


def holds(index: Index, path: str, stamp: tuple[int, int] | None) -> bool:
    """fresh() for one file (`stamp`: its stamp now, None when it is gone)."""
    return stamp is not None and index.stamps.get(path) == stamp and stamp[1] < index.written.get(path, index.written_ns) - RACY_NS


def read_index(root: Path, rows: bool = True) -> Index:
    """The current index of a store, its segments merged, or an empty one (none yet, or unreadable:
    the files are read instead). `rows=False`: what it knows of the files only (what an ingest needs)."""
    folder = Path(root) / FOLDER
    try:
        segments = json.loads((folder / (folder / POINTER).read_text().strip()).read_text())["segments"]
        for gone in [k for k in list(_SEGMENTS) if k.parent == folder.absolute() and k.name not in segments]:
            _SEGMENTS.pop(gone, None)  # merged into a later one, and pruned (list(): another thread may add one)
    except (OSError, KeyError, ValueError):
        return Index()
    return _read(folder, segments, rows)


def _read(folder: Path, segments: list[str], rows: bool = True, latest: bool = True) -> Index:
    """These segments of an index merged, or an empty index when one cannot be read. `latest`: they
    are the store's current list (its merged manifests are kept for the next read)."""
    try:
        known, owner, replaced = _manifests(folder, segments, latest)
        out = Index(known.written_ns, known.stamps, known.sha256, known.files, {}, known.written, list(segments),
                    known.by_sha256)
        parts: dict[str, list[tuple[str, pa.Table]]] = {kind: [] for kind in KINDS}
        for name in out.segments if rows else ():
            for kind in KINDS:
                if (folder / name / f"{kind}.arrow").exists():
                    parts[kind].append((name, feather.read_table(folder / name / f"{kind}.arrow", memory_map=True)))
    except (OSError, KeyError, ValueError, pa.ArrowException):
        return Index()
    order = {name: i for i, name in enumerate(out.segments)}
    for kind, tables in parts.items():
        if not tables:
            continue
        frame = _to_frame(pa.concat_tables([table for _, table in tables], promote_options="permissive"))
        if replaced:  # keep each file's rows from the segment of its latest entry only
            codes, paths = pd.factorize(frame["snapshot"])
            latest = np.array([order[owner[p]] if p in owner else -1 for p in paths])
            segment = np.repeat([order[name] for name, _ in tables], [table.num_rows for _, table in tables])
            frame = frame[latest[codes] == segment].reset_index(drop=True)
        out.rows[kind] = frame
    return out


_SEGMENTS: dict[Path, Index] = {}  # segment folder -> what its manifest says (written once, never changed)
_MERGED: dict[Path, tuple[tuple[str, ...], Index, dict[str, str], bool]] = {}  # index folder -> its latest list merged


def _manifests(folder: Path, segments: list[str], latest: bool = True) -> tuple[Index, dict[str, str], bool]:
    """The manifests of a list of segments merged (a later entry for a file replaces an earlier one),
    each file's segment, and whether some file has entries in several; kept per store for its
    latest list (a national store's 66,000 entries take a fifth of a second to merge, at every
    ingest), unless `latest` is False (a part of the list). The dicts returned are shared: never
    changed by their readers."""
    key = folder.absolute()
    if latest and key in _MERGED and _MERGED[key][0] == tuple(segments):
        return _MERGED[key][1:]
    out, owner, replaced = Index(), {}, False
    for name in segments:
        seg = _segment(folder / name)
        replaced = replaced or not owner.keys().isdisjoint(seg.stamps)
        out.stamps |= seg.stamps
        out.sha256 |= seg.sha256
        out.files |= seg.files
        out.written |= seg.written
        out.by_sha256 |= seg.by_sha256
        owner |= dict.fromkeys(seg.stamps, name)
        out.written_ns = seg.written_ns
    if latest:
        _MERGED[key] = (tuple(segments), out, owner, replaced)
    return out, owner, replaced


def _segment(folder: Path) -> Index:
    """A segment's manifest as an Index without rows, read once per process: a segment is written
    whole before any list names it and never changed after (a national store's manifests take a
    quarter of a second to parse). read_index forgets those its store's list no longer names."""
    key = folder.absolute()
    if key not in _SEGMENTS:
        raw = (folder / "files.json").read_bytes()
        try:
            manifest = orjson.loads(raw)  # 0.26 s for a national store's manifests, json 0.45 s
        except orjson.JSONDecodeError:  # a file name that is not UTF-8, written with its own bytes
            manifest = json.loads(raw.decode("utf-8", errors="surrogateescape"))
        at, files = manifest["written_ns"], manifest["files"]
        _SEGMENTS[key] = Index(at, {p: tuple(f["stamp"]) for p, f in files.items()},
                               {p: f["sha256"] for p, f in files.items()}, {p: f["info"] for p, f in files.items()},
                               written=dict.fromkeys(files, at), by_sha256={f["sha256"]: p for p, f in files.items() if f["sha256"]})
    return _SEGMENTS[key]


def entries_of(root: Path, segments: list[str]) -> set[str]:
    """The files these segments of a store's index have entries for."""
    return set().union(*(_segment(Path(root) / FOLDER / name).stamps.keys() for name in segments))


def _to_frame(table: pa.Table) -> pd.DataFrame:
    from loaders.validate import _to_pandas

    return _to_pandas(table)


def add_segment(root: Path, before: Index, entries: Index, on_disk: set[str]) -> None:
    """Write `entries` (the files new to the index, with their rows) as a new segment after the
    segments of `before` (the index as read under the same lock), or, once there are COMPACT_AFTER
    segments, merged with the newest of them (_merge_from) into one, keeping only the files `on_disk`
    (an older segment's entry for a file gone stays until that segment is merged: a load finds the file
    gone); then point CURRENT at the new list. The caller holds the store's lock."""
    folder = Path(root) / FOLDER
    folder.mkdir(exist_ok=True)
    segments = before.segments
    if len(segments) >= COMPACT_AFTER:
        start = _merge_from(folder, segments, len(entries.stamps))
        newer = before if start == 0 and before.rows else _read(folder, segments[start:], latest=start == 0)
        entries, segments = _merged(newer, entries, on_disk), segments[:start]
    name = f"s-{entries.written_ns}-{uuid.uuid4().hex[:6]}"
    (folder / name).mkdir()
    for kind, frame in entries.rows.items():
        if frame.empty:  # no rows of that kind (an empty frame has no column types to keep)
            continue
        # one record batch, not one per file the rows came from: read whole, with no decoding, at each server start
        feather.write_feather(pa.Table.from_pandas(frame, preserve_index=False).combine_chunks(),
                              folder / name / f"{kind}.arrow", compression="uncompressed")
    manifest = {"written_ns": entries.written_ns,
                "files": {p: {"stamp": list(st), "sha256": entries.sha256.get(p, ""), "info": entries.files[p]}
                          for p, st in entries.stamps.items()}}
    # surrogateescape: a file name that is not UTF-8 keeps its own bytes (and is found again by them)
    (folder / name / "files.json").write_text(json.dumps(manifest, ensure_ascii=False, default=str),
                                              encoding="utf-8", errors="surrogateescape")
    listing = f"list-{entries.written_ns}-{uuid.uuid4().hex[:6]}.json"
    (folder / listing).write_text(json.dumps({"segments": [*segments, name]}))
    pointer = folder / f".{POINTER}-{uuid.uuid4().hex[:6]}"
    pointer.write_text(listing)
    os.replace(pointer, folder / POINTER)
    _prune(folder, {*segments, name})


def _merge_from(folder: Path, segments: list[str], adding: int) -> int:
    """Where the segments to merge with `adding` new entries begin: the newest ones, back to the first
    that holds more than GROWTH times the entries of all after it (and the new ones). A national
    store's first segment, 66,000 files, is merged with the few files of 32 submissions only once
    the segments after it hold a 1/GROWTH of it: a submission that merges writes the entries of a
    few, not the 66,000 and their million rows (3.5 s, once every 32 submissions). The segments
    kept, each larger than GROWTH times all after it, are at most log2 of the store's files."""
    sizes = [len(_segment(folder / name).stamps) for name in segments]
    start, after = len(sizes), adding
    while start and sizes[start - 1] <= GROWTH * after:
        start -= 1
        after += sizes[start]
    return start


def _merged(before: Index, entries: Index, on_disk: set[str]) -> Index:
    """One index of what `before` knows and `entries` adds (the latter winning), for the files on disk.
    Every entry takes the merged segment's written_ns, later than its own: none is too new to trust,
    since the ingest read again every file whose entry was (loaders.store._compare)."""
    paths = sorted((set(before.stamps) | set(entries.stamps)) & on_disk)
    pick = lambda d, e: {p: e[p] if p in e else d[p] for p in paths}  # noqa: E731
    rows = {}
    for kind in set(before.rows) | set(entries.rows):
        parts = [before.rows[kind][~before.rows[kind]["snapshot"].isin(entries.stamps).to_numpy()]] if kind in before.rows else []
        parts += [entries.rows[kind]] if kind in entries.rows else []
        merged = pd.concat(parts, ignore_index=True)
        rows[kind] = merged[merged["snapshot"].isin(paths).to_numpy()]  # not on_disk: every file of the store
    return Index(entries.written_ns, pick(before.stamps, entries.stamps), pick(before.sha256, entries.sha256),
                 pick(before.files, entries.files), rows)


def _prune(folder: Path, live: set[str]) -> None:
    """Remove the lists older than the KEEP newest (and the current one), and the segments no list kept names."""
    listings = sorted(folder.glob("list-*.json"), key=lambda f: f.stat().st_mtime_ns)
    current = (folder / POINTER).read_text().strip()
    kept = {f.name for f in listings[-(KEEP + 1):]} | {current}
    for f in listings:
        if f.name not in kept:
            f.unlink(missing_ok=True)
    named = set(live)
    for f in kept:
        try:
            named |= set(json.loads((folder / f).read_text())["segments"])
        except (OSError, ValueError, KeyError):
            pass
    for g in folder.iterdir():
        if g.is_dir() and g.name not in named:
            shutil.rmtree(g, ignore_errors=True)
