"""A unit's report from a workbook into the store, checked on the server against who is asking.

The page and the command line both end here: `check()` reads the workbook (every cell by the data
contract's rules) and `submit()` stores it, only when the user may submit for that unit, nothing
is wrong, and the warnings (if any) came with a comment; every attempt goes into the audit log,
a refused one too."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import audit
from loaders.access import User, allowed, may
from loaders.store import IngestResult, ingest, is_synthetic_store
from loaders.validate import Problem
from loaders.workbook import read_workbook


@dataclass(frozen=True)
class Checked:
    """A workbook read for one unit and period: its frames by kind (empty when any problem), its problems."""
    name: str
    data: bytes = field(repr=False)
    unit_code: str
    period: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    problems: tuple[Problem, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check(data: bytes, name: str, unit_code: str, period: str) -> Checked:
    """Read a workbook that must be the template of `unit_code` and `period`."""
    frames, problems = read_workbook(data, name, unit_code=unit_code, period=period)
    return Checked(name, data, unit_code, period, frames if not problems else {}, tuple(problems))


def refuse_other_unit(store: Path, checked: Checked, user: User) -> bool:
    """A workbook made for a unit the user may not submit for (an officer uploading another unit's
    report): recorded as a refused submission. True when it was one."""
    other = next((str(p.value) for p in checked.problems if p.rule == "xlsx_other_unit"), None)
    if other is None or allowed(user, "submit", other) or not may(user, "submit"):
        return False
    audit.record(store, user=user.name, role=user.role or "", action="submit", result="refused", unit_code=other,
                 period=checked.period, file_sha256=checked.sha256, reason="submit.other_unit_workbook")
    return True


class Refused(Exception):
    """A write the server does not do; its message is an i18n key (submit.* or common.*)."""


def submit(store: Path, checked: Checked, user: User, comment: str = "", warned: bool = False,
           at: pd.Timestamp | None = None) -> IngestResult:
    """Store the checked report (the workbook is kept beside its snapshots) and log it.

    Refused (and logged as refused) when the user may not submit for the unit, when the workbook
    has problems, or when there were warnings (`warned`) and no comment. Refused without a trace
    in the store when the store is the synthetic sample: nothing is ever written into it."""
    if is_synthetic_store(store):
        raise Refused("submit.sample_store")
    reason = None
    if not allowed(user, "submit", checked.unit_code):
        reason = "submit.not_yours" if may(user, "submit") else "submit.read_only" if user.role == "reader" else "submit.role_reads"
    elif checked.problems:
        reason = "submit.has_problems"
    elif warned and not comment.strip():
        reason = "submit.need_confirmation"
    log = dict(user=user.name, role=user.role or "", action="submit", unit_code=checked.unit_code,
               period=checked.period, file_sha256=checked.sha256, comment=comment.strip())
    if reason:
        audit.record(store, result="refused", reason=reason, **log)
        raise Refused(reason)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{checked.unit_code}-{checked.period}.xlsx"
        path.write_bytes(checked.data)
        result = ingest([path], store, submitted_at=at, read={path: checked.frames})  # checked: not read again
    audit.record(store, result="ok" if result.ok else "refused", reason="" if result.ok else "submit.store_refused",
                 snapshot=next((p for p in result.added if p.endswith("_businesses.parquet")), ""), **log)
    return result
