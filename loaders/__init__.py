"""Read, validate and store ward-level snapshots (data contract v1.1), from Parquet or the Excel template."""

from loaders.store import IngestResult, LiveStore, StoreData, check_inputs, find_files, ingest, load_store
from loaders.validate import Problem, read_snapshot, read_snapshots

__all__ = [
    "IngestResult", "LiveStore", "Problem", "StoreData", "check_inputs", "find_files", "ingest", "load_store",
    "read_snapshot", "read_snapshots",
]
