"""The audit log of a store (data contract v1.1, "Who may do what"): who did what, when, on which
unit and period, with which file, and whether it was allowed. Append-only: each entry is one JSON
line added under the store's lock, never rewritten; it lives in the store (`audit.jsonl`)."""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from pathlib import Path

import pandas as pd

from loaders.remote import AUDIT, append_entry, remote_of, sync
from loaders.store import is_synthetic_store

COLUMNS = ["at", "user", "role", "action", "unit_code", "period", "result", "file_sha256", "comment", "reason",
           "snapshot"]  # the contract's columns, then: why a refusal, and which stored report a review is of
ACTIONS = ("submit", "accept", "return", "sign_in", "sign_out")
RESULTS = ("ok", "refused")
FILE = "audit.jsonl"


def record(store: Path, *, user: str, role: str, action: str, result: str, unit_code: str = "", period: str = "",
           file_sha256: str = "", comment: str = "", reason: str = "", snapshot: str = "",
           at: pd.Timestamp | None = None) -> dict:
    """Append one entry (at: now, in UTC, unless given) and return it. Nothing is written into the
    bundled sample store, which stays as committed (it takes no write either)."""
    if action not in ACTIONS or result not in RESULTS:
        raise ValueError(f"unknown action or result: {action!r}, {result!r}")
    entry = {"at": (at or pd.Timestamp.now(tz="UTC")).isoformat(), "user": user, "role": role, "action": action,
             "unit_code": unit_code, "period": period, "result": result, "file_sha256": file_sha256, "comment": comment,
             "reason": reason, "snapshot": snapshot}
    store = Path(store)
    if is_synthetic_store(store):
        return entry
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    if remote_of(store):  # one object per entry, written once (object storage has no append)
        stamp = pd.Timestamp(entry["at"]).strftime("%Y%m%dT%H%M%S%fZ")
        append_entry(store, f"{stamp}-{uuid.uuid4().hex[:12]}.json", line)
        return entry
    store.mkdir(parents=True, exist_ok=True)
    fd = os.open(store / FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # one whole line at a time, whoever else appends
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def read(store: Path) -> pd.DataFrame:
    """Every entry in the order written (COLUMNS; `at` as a UTC timestamp); empty when none. A remote
    store's entries are objects of their own, in the order of their time."""
    store = Path(store)
    sync(store)
    path = store / FILE
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    lines += [f.read_text(encoding="utf-8") for f in sorted((store / AUDIT).glob("*.json"))] if (store / AUDIT).is_dir() else []
    entries = [json.loads(line) for line in lines if line.strip()]
    if not entries:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns, UTC]" if c == "at" else object) for c in COLUMNS})
    frame = pd.DataFrame(entries, columns=COLUMNS).fillna("")
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    return frame
