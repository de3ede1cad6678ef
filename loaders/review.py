"""A review decision on a unit's current report (accept, or return with a comment), checked on the
server against who is asking and against the store as it is now, whatever the page showed; every
attempt goes into the audit log, a refused one too. Statuses are read back by metrics.review."""

from __future__ import annotations

from pathlib import Path

from loaders import audit
from loaders.access import User, allowed
from loaders.store import StoreData, is_synthetic_store
from loaders.submit import Refused

DECISIONS = ("accept", "return")
MAX_COMMENT = 1000  # characters


def review(data: StoreData, user: User, unit_code: str, period: str, decision: str, comment: str, seen: str) -> None:
    """Record `decision` on the current report of `unit_code` for `period`. `seen`: the snapshot the
    reviewer was shown; refused when the unit has resubmitted since (the reviewer saw another
    report). Refused (and recorded) when the user may not review, a return
    has no comment, or the unit has no current report; refused without a trace in the sample store."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision: {decision!r}")
    store = Path(data.root)
    if is_synthetic_store(store):
        raise Refused("submit.sample_store")
    comment = comment.strip()[:MAX_COMMENT]
    businesses = data.report(unit_code, period)[0]
    current = businesses["snapshot"].iloc[0] if not businesses.empty else ""
    reason = None
    if not allowed(user, "review"):
        reason = "review.not_allowed"
    elif not current:
        reason = "review.no_report"
    elif current != seen:
        reason = "review.stale"
    elif decision == "return" and not comment:
        reason = "review.need_comment"
    audit.record(store, user=user.name, role=user.role or "", action=decision,
                 result="refused" if reason else "ok", unit_code=unit_code, period=period, comment=comment,
                 reason=reason or "", snapshot=current)
    if reason:
        raise Refused(reason)
