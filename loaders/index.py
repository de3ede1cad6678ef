"""The store's index (`STORE/.index/`): every file's stamp (size, modification time), hash and what
it holds, and the valid rows of all of them (Arrow files), so that a dashboard starting on a large store reads
one file per kind instead of thousands, and an ingest hashes only what is new.

Only ingest writes it, under the store's lock (`STORE/.lock`): a new generation folder, then the
`CURRENT` pointer replaced in one step, so a reader sees the old index or the new one, never half
of one. Loading never writes (the bundled sample store stays as committed). The index is a cache:
a file whose stamp differs from the index, or that was written within RACY_NS of the index (a
change inside the clock's resolution could hide), is read again from its own bytes; a store
without an index is read file by file."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from loaders.schema import KINDS

FOLDER, POINTER = ".index", "CURRENT"
RACY_NS = 2_000_000_000
KEEP = 2  # generations kept, so that a reader still holding the previous one can finish


@dataclass
class Index:
    """What an index (or a previous load) knows: per file (path relative to the store) its stamp
    and sha256, and the valid rows of every kind (column `snapshot` naming the file)."""
    written_ns: int = 0
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)  # path -> FileInfo fields (problems as text)
    rows: dict[str, pd.DataFrame] = field(default_factory=dict)


def scan(root: Path, suffixes: tuple[str, ...] = (".parquet",)) -> dict[str, tuple[int, int]]:
    """Every file with one of the suffixes under root, outside hidden folders: path -> (size, mtime_ns).
    Only stat calls: the cost of seeing that nothing changed."""
    out: dict[str, tuple[int, int]] = {}

    def walk(folder: Path, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for e in entries:
            if e.name.startswith("."):
                continue
            if e.is_dir(follow_symlinks=False):
                walk(Path(e.path), f"{prefix}{e.name}/")
            elif e.name.lower().endswith(suffixes):
                st = e.stat()
                out[prefix + e.name] = (st.st_size, st.st_mtime_ns)

    walk(Path(root), "")
    return dict(sorted(out.items()))


def fresh(index: Index, path: str, stamp: tuple[int, int]) -> bool:
    """The index's knowledge of a file still holds: same stamp, and not written too close to the index."""
    return index.stamps.get(path) == stamp and stamp[1] < index.written_ns - RACY_NS


def read_index(root: Path) -> Index:
    """The current index of a store, or an empty one (none yet, or unreadable: the files are read instead)."""
    folder = Path(root) / FOLDER
    try:
        generation = folder / (folder / POINTER).read_text().strip()
        manifest = json.loads((generation / "files.json").read_text(encoding="utf-8"))
        rows = {kind: _to_frame(feather.read_table(generation / f"{kind}.arrow")) for kind in KINDS
                if (generation / f"{kind}.arrow").exists()}
    except (OSError, ValueError, pa.ArrowException):
        return Index()
    return Index(manifest["written_ns"], {p: tuple(f["stamp"]) for p, f in manifest["files"].items()},
                 {p: f["sha256"] for p, f in manifest["files"].items()},
                 {p: f["info"] for p, f in manifest["files"].items()}, rows)


def _to_frame(table: pa.Table) -> pd.DataFrame:
    from loaders.validate import _to_pandas

    return _to_pandas(table)


def write_index(root: Path, index: Index) -> None:
    """A new generation of the index, then CURRENT pointed at it; the oldest generations removed.
    The caller holds the store's lock."""
    folder = Path(root) / FOLDER
    folder.mkdir(exist_ok=True)
    generation = folder / f"g-{index.written_ns}-{uuid.uuid4().hex[:6]}"
    generation.mkdir()
    for kind, frame in index.rows.items():
        if frame.empty:  # no rows of that kind (an empty frame has no column types to keep)
            continue
        feather.write_feather(pa.Table.from_pandas(frame, preserve_index=False), generation / f"{kind}.arrow",
                              compression="uncompressed")  # read whole at each server start: no decoding
    manifest = {"written_ns": index.written_ns,
                "files": {p: {"stamp": list(index.stamps[p]), "sha256": index.sha256.get(p, ""), "info": index.files[p]}
                          for p in index.stamps}}
    (generation / "files.json").write_text(json.dumps(manifest, ensure_ascii=False, default=str), encoding="utf-8")
    pointer = folder / f".{POINTER}-{uuid.uuid4().hex[:6]}"
    pointer.write_text(generation.name)
    os.replace(pointer, folder / POINTER)
    for old in sorted((g for g in folder.iterdir() if g.is_dir()), key=lambda g: g.stat().st_mtime_ns)[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)
