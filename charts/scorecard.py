"""The scorecard as a table for people (units × indicators), through charts.tables. No Streamlit
and no arithmetic here."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

import i18n
from charts.tables import RETURNED, labelled, styled_table
from loaders.reference import indicators, targets


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


def compact_spec(table: pd.DataFrame, lang: str) -> list[tuple[str, str, str]]:
    """(column, label, kind) of the scorecard at a glance: the unit, its worst status and gap, and
    the value of each indicator with a target under its short name (its status in the same cell)."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    return [("unit_name", t("scorecard.name"), "text"), ("worst_status", t("scorecard.worst_status"), "status"),
            ("gap", t("scorecard.gap_short"), "pp"),
            *((ind, i18n.indicator_short(ind, lang), "pct" if indicators()[ind]["unit"] == "%" else "count")
              for ind in _targeted(table))]


def _targeted(table: pd.DataFrame) -> list[str]:
    return [ind for ind in _indicators(table) if f"{ind}__status" in table]


def scorecard_view(table: pd.DataFrame, lang: str, detail: bool = False) -> Styler:
    """The scorecard as shown. At a glance (fits a 1366 px screen with the sidebar open): the unit
    (↩ before a returned report's), its worst status and gap, and per target one cell with the
    status's symbol and the value, in the status's colour (the period is said above the table).
    With `detail`: every column of the download. Only the columns shown are formatted
    (Streamlit formats every cell of a Styler on every rerun)."""
    if detail:
        return styled_table(table, scorecard_spec(table, lang), lang)
    shown = table
    if "review" in table:  # metrics.review.with_review
        shown = table.assign(unit_name=[f"{RETURNED} {n}" if r == "returned" else n
                                        for n, r in zip(table["unit_name"], table["review"])])
    return styled_table(shown, compact_spec(table, lang), lang, missing="—",
                        marks={ind: f"{ind}__status" for ind in _targeted(table)})


def scorecard_help(table: pd.DataFrame, lang: str, detail: bool = False) -> dict[str, str]:
    """Column help: the formula of each indicator and the target of each status column (at a
    glance: the indicator's name, formula and target under its short name)."""
    by_indicator = {t["indicator"]: t for t in targets() if t["scope"] == "unit"}

    def target_help(ind: str) -> str:
        target = by_indicator[ind]
        return i18n.t("scorecard.help_status", lang, text=i18n.target_text(target["id"], lang),
                      goal=i18n.goal_text(target, lang), deadline=i18n.fmt_deadline(target["deadline"], lang))

    helps = {i18n.t("scorecard.worst_status", lang): i18n.t("scorecard.help_worst", lang)}
    if not detail:
        for ind in _targeted(table):
            helps[i18n.indicator_short(ind, lang)] = i18n.t(
                "scorecard.help_compact", lang, name=i18n.indicator_name(ind, lang),
                formula=indicators()[ind].get(f"formula_{lang}", ""), status=target_help(ind))
        helps[i18n.t("scorecard.gap_short", lang)] = f"{i18n.t('scorecard.gap', lang)}: {i18n.t('scorecard.help_gap', lang)}"
        return helps
    for col, label, _ in scorecard_spec(table, lang):
        ind, _, part = col.partition("__")
        if ind in indicators() and part in ("", "num", "den"):
            helps[label] = indicators()[ind].get(f"formula_{lang}", "")
        elif ind in by_indicator and part == "status":
            helps[label] = target_help(ind)
    helps[i18n.t("scorecard.gap", lang)] = i18n.t("scorecard.help_gap", lang)
    return helps


# Column widths at a glance (px): the unit's name, a status in words, and a number column as wide
# as its header (about 6.5 px a character of the grid's 14 px type, and room for the sort arrow).
NAME_PX, STATUS_PX = 140, 165


def scorecard_widths(table: pd.DataFrame, lang: str, detail: bool = False) -> dict[str, str | int]:
    """Column widths. At a glance: in px, so that every column fits a 1366 px screen whole. With
    `detail`: numbers narrow, statuses medium (a header cut short is whole in its help)."""
    if not detail:
        return {label: NAME_PX if kind == "text" else STATUS_PX if kind == "status" else max(80, round(6.5 * len(label)) + 24)
                for _, label, kind in compact_spec(table, lang)}
    width = {"pct": "small", "count": "small", "pp": "small", "status": "medium"}
    return {label: width[kind] for _, label, kind in scorecard_spec(table, lang) if kind in width}
