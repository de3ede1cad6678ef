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

RETURNED = "↩"  # the flag of a report the Department returned (tables, map labels and hovers)
# kind -> how a code becomes words (the column's values change) ...
WORDS = {
    "status": i18n.status_name,
    "reason": i18n.reason_text,
    "unit_type": i18n.unit_type_name,
    "indicator": i18n.indicator_name,
    "sector": i18n.sector_name,
    "business_type": i18n.business_type_name,
    "period": i18n.fmt_period,
    "review": lambda code, lang: (f"{RETURNED} " if code == "returned" else "") + i18n.t(f"review.{code}", lang),
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


def styled_table(frame: pd.DataFrame, spec: list[tuple[str, str, str]], lang: str, *, missing: str | None = None,
                 marks: dict[str, str] | None = None) -> Styler:
    """`labelled(frame, spec)` with the FORMATS kinds written the i18n way (still numbers
    underneath, so a column sorts on them) and status cells coloured. kinds: "text" (as is),
    "yesno", the WORDS kinds, the FORMATS kinds. Missing values read "không có số liệu", or
    `missing` (a missing reason reads nothing). marks: value column → its status column of
    `frame`: the value written after its status's symbol, in its status's colour (a compact
    table: one column for both)."""
    fmt = {label: kind for _, label, kind in spec if kind in FORMATS}
    shown = lambda x, k: missing if missing is not None and pd.isna(x) else FORMATS[k](x, lang)  # noqa: E731
    statuses = [label for _, label, kind in spec if kind == "status"]
    css = status_style(lang)
    view = labelled(frame, spec, lang).style.format({label: lambda x, k=k: shown(x, k) for label, k in fmt.items()})
    labels = {col: label for col, label, _ in spec}
    colours = {label: view.data[label].map(css) for label in statuses}  # a status's CSS, or NaN
    for col, status_col in (marks or {}).items():
        label, status = labels[col], frame[status_col].fillna("no_data").to_numpy()
        for code in pd.unique(status):
            symbol = i18n.status_symbol(code)
            view = view.format(lambda x, k=fmt[label], m=symbol: f"{m} {shown(x, k)}", subset=(status == code, [label]))
        colours[label] = pd.Series([css[i18n.status_name(c, lang)] for c in status], index=frame.index)
    if colours:  # one pass (Streamlit applies the styles again each time it shows the table)
        styles = pd.DataFrame(colours).fillna("")
        view = view.apply(lambda _: styles, axis=None, subset=list(styles))
    return view


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
