"""Read, validate and store ward-level snapshots (data contract v1)."""

from loaders.store import IngestResult, StoreData, fingerprint, find_files, ingest, load_store, validate_paths
from loaders.validate import Problem, read_snapshot, read_snapshots

__all__ = [
    "IngestResult", "Problem", "StoreData", "fingerprint", "find_files", "ingest", "load_store",
    "read_snapshot", "read_snapshots", "validate_paths",
]
