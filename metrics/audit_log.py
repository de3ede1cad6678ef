"""The audit log as the Department reads it: filtered by unit, period, user and action, newest
first. Pure functions on the log (loaders.audit.read)."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd


def filtered(log: pd.DataFrame, unit_code: str | None = None, period: str | None = None,
             users: Collection[str] = (), actions: Collection[str] = ()) -> pd.DataFrame:
    """The entries of one unit, one period, some users, some actions (None or empty: all), newest first."""
    keep = pd.Series(True, index=log.index)
    if unit_code:
        keep &= log["unit_code"] == unit_code
    if period:
        keep &= log["period"] == period
    if users:
        keep &= log["user"].isin(list(users))
    if actions:
        keep &= log["action"].isin(list(actions))
    return log[keep].iloc[::-1].reset_index(drop=True)
