"""The audit log as a table for people: its columns labelled, actions, roles, results and reasons
in words, times in local time. No arithmetic here."""

from __future__ import annotations

import pandas as pd

import i18n
from charts.tables import Grid, grid_table
from loaders import periods


def _words(prefix: str, codes: pd.Series, lang: str) -> list[str]:
    return [i18n.t(f"{prefix}{c}", lang) if c and f"{prefix}{c}" in i18n.table() else c for c in codes]


def audit_table(log: pd.DataFrame, lang: str = "vi") -> Grid:
    """Every entry: time, user, role, action, unit, period, result, reason, comment, file hash, snapshot."""
    shown = log.assign(at=log["at"].dt.tz_convert(periods.timezone()),
                       role=_words("role.", log["role"], lang), action=_words("audit.action_", log["action"], lang),
                       result=_words("audit.result_", log["result"], lang), reason=_words("", log["reason"], lang))
    t = lambda key: i18n.t(f"audit.col_{key}", lang)  # noqa: E731
    return grid_table(shown, [
        ("at", t("at"), "datetime"), ("user", t("user"), "text"), ("role", t("role"), "text"),
        ("action", t("action"), "text"), ("unit_code", t("unit_code"), "text"), ("period", t("period"), "text"),
        ("result", t("result"), "text"), ("reason", t("reason"), "text"), ("comment", t("comment"), "text"),
        ("file_sha256", t("file_sha256"), "text"), ("snapshot", t("snapshot"), "text"),
    ], lang)
