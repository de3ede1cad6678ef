"""The scorecard as a table for people (units × indicators), through charts.tables. No Streamlit
and no arithmetic here."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

import i18n
from charts.tables import labelled, styled_table
from loaders.reference import indicators, targets
from metrics.scorecard import UNIT_COLUMNS


def scorecard_spec(table: pd.DataFrame, lang: str) -> list[tuple[str, str, str]]:
    """(column, label, kind) for every column of metrics.scorecard.scorecard_table."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    spec = [("unit_name", t("scorecard.name"), "text"), ("unit_code", t("scorecard.code"), "text"),
            ("unit_type", t("scorecard.type"), "unit_type"), ("period", t("common.period"), "period"),
            ("worst_status", t("scorecard.worst_status"), "status"), ("gap", t("scorecard.gap"), "pp")]
    if "review" in table:  # metrics.review.with_review
        spec.append(("review", t("review.status"), "review"))
    for ind in _indicators(table):
        name = i18n.indicator_name(ind, lang)
        unit = "pct" if indicators()[ind]["unit"] == "%" else "count"
        spec += [(ind, name, unit), (f"{ind}__num", t("scorecard.col_num", name=name), "count"),
                 (f"{ind}__den", t("scorecard.col_den", name=name), "count")]
        if f"{ind}__status" in table:
            spec += [(f"{ind}__status", t("scorecard.col_status", name=name), "status"),
                     (f"{ind}__reason", t("scorecard.col_reason", name=name), "reason"),
                     (f"{ind}__expected", t("scorecard.col_expected", name=name), unit if unit == "pct" else "number"),
                     (f"{ind}__gap", t("scorecard.col_gap", name=name), "pp")]
    return spec


def _indicators(table: pd.DataFrame) -> list[str]:
    return [ind for ind in indicators() if ind in table.columns]


def scorecard_data(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The whole scorecard under its labels, every column (the download)."""
    return labelled(table, scorecard_spec(table, lang), lang)


def scorecard_view(table: pd.DataFrame, lang: str, detail: bool = False) -> Styler:
    """The scorecard as shown: unit, worst status, gap, then each indicator's value and status
    (the period is said above the table); with `detail` also the period and each indicator's
    numerator, denominator, note, expected value and gap. Only the columns shown are formatted
    (Streamlit formats every cell of a Styler on every rerun)."""
    inds = _indicators(table)
    main = {*UNIT_COLUMNS, "worst_status", "gap", "review", *inds, *(f"{ind}__status" for ind in inds)} - {"period"}
    return styled_table(table, [c for c in scorecard_spec(table, lang) if detail or c[0] in main], lang)


def scorecard_help(table: pd.DataFrame, lang: str) -> dict[str, str]:
    """Column help: the formula of each indicator and the target of each status column."""
    by_indicator = {t["indicator"]: t for t in targets() if t["scope"] == "unit"}
    helps = {}
    for col, label, _ in scorecard_spec(table, lang):
        ind, _, part = col.partition("__")
        if ind in indicators() and part in ("", "num", "den"):
            helps[label] = indicators()[ind].get(f"formula_{lang}", "")
        elif ind in by_indicator and part == "status":
            target = by_indicator[ind]
            helps[label] = i18n.t("scorecard.help_status", lang, text=i18n.target_text(target["id"], lang),
                                  goal=i18n.goal_text(target, lang), deadline=i18n.fmt_deadline(target["deadline"], lang))
    helps[i18n.t("scorecard.worst_status", lang)] = i18n.t("scorecard.help_worst", lang)
    helps[i18n.t("scorecard.gap", lang)] = i18n.t("scorecard.help_gap", lang)
    return helps


def scorecard_widths(table: pd.DataFrame, lang: str) -> dict[str, str]:
    """Column widths: numbers narrow, statuses (symbol and words) medium, so that several
    indicators fit across the page (a header cut short is whole in its help)."""
    width = {"pct": "small", "count": "small", "pp": "small", "status": "medium"}
    return {label: width[kind] for _, label, kind in scorecard_spec(table, lang) if kind in width}
