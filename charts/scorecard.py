"""Tables for people: labelled columns, codes in words, numbers kept as numbers and formatted the
Vietnamese way (1.234,5) through i18n, status cells coloured *and* spelled out with their symbol.

A pandas Styler is the table's figure: st.dataframe shows its formatted text and colours while
sorting on the numbers underneath; `styler.data` is the labelled table to download (numbers stay
numbers in XLSX). A table that grows with every period and needs no colours nor decimals is a
Grid instead (grid_table), which the data grid formats itself. No Streamlit and no arithmetic here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

import i18n
from charts.style import status_colours, text_colour
from loaders.reference import indicators, targets
from metrics.scorecard import UNIT_COLUMNS

# kind -> how a code becomes words (the column's values change) ...
WORDS = {
    "status": i18n.status_name,
    "reason": i18n.reason_text,
    "unit_type": i18n.unit_type_name,
    "indicator": i18n.indicator_name,
    "sector": i18n.sector_name,
    "business_type": i18n.business_type_name,
    "period": i18n.fmt_period,
}
# ... and how a number or date is shown (the column's values stay as they are).
FORMATS = {
    "count": lambda x, lang: i18n.fmt_number(x, lang),
    "number": lambda x, lang: i18n.fmt_number(x, lang, 1),
    "pct": lambda x, lang: i18n.fmt_pct(x, lang),
    "pp": lambda x, lang: i18n.fmt_number(x, lang, 1),
    "datetime": lambda x, lang: i18n.fmt_datetime(None if pd.isna(x) else x, lang),
    "date": lambda x, lang: i18n.fmt_date(None if pd.isna(x) else x, lang),
}


def status_style(lang: str) -> dict[str, str]:
    """CSS of a status cell, keyed by the status in words (the colour never stands alone)."""
    return {i18n.status_name(s, lang): f"background-color: {c}; color: {text_colour(s)}"
            for s, c in status_colours().items()}


def labelled(frame: pd.DataFrame, spec: list[tuple[str, str, str]], lang: str) -> pd.DataFrame:
    """The columns of `spec` (column, label, kind), in its order, under their labels, with codes in
    words (WORDS kinds) and yes/no as ✔/✖ in words; numbers and dates stay as they are (for
    downloads: numbers stay numbers in XLSX)."""
    out = pd.DataFrame(index=frame.index)
    for col, label, kind in spec:
        values = frame[col]
        if kind in WORDS:
            out[label] = [_words(kind, v, lang) for v in values]
        elif kind == "yesno":
            out[label] = [i18n.t("scorecard.yes" if v else "scorecard.no", lang) if pd.notna(v) else i18n.t("common.no_data", lang)
                          for v in values]
        else:
            out[label] = values
    return out


def styled_table(frame: pd.DataFrame, spec: list[tuple[str, str, str]], lang: str) -> Styler:
    """`labelled(frame, spec)` with the FORMATS kinds written the i18n way (still numbers
    underneath, so a column sorts on them) and status cells coloured. kinds: "text" (as is),
    "yesno", the WORDS kinds, the FORMATS kinds. Missing values read "không có số liệu" (a missing
    reason reads nothing)."""
    formats = {label: lambda x, k=kind: FORMATS[k](x, lang) for _, label, kind in spec if kind in FORMATS}
    statuses = [label for _, label, kind in spec if kind == "status"]
    css = status_style(lang)
    return labelled(frame, spec, lang).style.format(formats).map(lambda v: css.get(v, ""), subset=statuses)


# The FORMATS kinds the data grid writes as i18n does (ui.grid): dates dd/mm/yyyy in both
# languages, and whole counts (1,234 in English; in Vietnamese without a separator, exact below
# 1.000, which the counts a Grid shows, days late and files, stay under).
GRID_KINDS = ("date", "datetime", "count")


@dataclass(frozen=True)
class Grid:
    """A table shown without a Styler: `data` is labelled(...) (codes in words; numbers and dates
    as values, so columns sort on them; the table to download), `kinds` the kind of each column
    the data grid formats (GRID_KINDS). Streamlit formats a Styler cell by cell on every rerun
    (65 ms for 342 rows of reporting history); a Grid costs it nothing."""
    data: pd.DataFrame
    kinds: dict[str, str]


def grid_table(frame: pd.DataFrame, spec: list[tuple[str, str, str]], lang: str) -> Grid:
    """`labelled(frame, spec)` and the kinds of its formatted columns, which must be GRID_KINDS."""
    kinds = {label: kind for _, label, kind in spec if kind in FORMATS}
    if not set(kinds.values()) <= set(GRID_KINDS):
        raise ValueError(f"a Grid cannot format {sorted(set(kinds.values()) - set(GRID_KINDS))}: use styled_table")
    if "status" in {kind for *_, kind in spec}:
        raise ValueError("a Grid cannot colour statuses: use styled_table")
    return Grid(labelled(frame, spec, lang), kinds)


def _words(kind: str, code, lang: str) -> str:
    if isinstance(code, str):
        return WORDS[kind](code, lang)
    return "" if kind == "reason" else i18n.t("common.no_data", lang)  # no reason: nothing to say


def scorecard_spec(table: pd.DataFrame, lang: str) -> list[tuple[str, str, str]]:
    """(column, label, kind) for every column of metrics.scorecard.scorecard_table."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    spec = [("unit_name", t("scorecard.name"), "text"), ("unit_code", t("scorecard.code"), "text"),
            ("unit_type", t("scorecard.type"), "unit_type"), ("period", t("common.period"), "period"),
            ("worst_status", t("scorecard.worst_status"), "status"), ("gap", t("scorecard.gap"), "pp")]
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
    main = {*UNIT_COLUMNS, "worst_status", "gap", *inds, *(f"{ind}__status" for ind in inds)} - {"period"}
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
