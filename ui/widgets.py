"""Widgets that show what charts/ made: figures, tables, grids, status badges and downloads."""

from __future__ import annotations

import copy
import io
import re
import weakref

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

import i18n
from charts.maps import TOPOJSON_URL
from charts.style import status_colour, text_colour
from charts.tables import Grid
from loaders.spreadsheet import safe_cells
from ui.state import lang, t

_LEADING_MARKDOWN = re.compile(r"^([>#+\-*])")


def status_badge(status: str) -> str:
    """A status as a coloured badge (HTML) that also carries its symbol and words (never colour alone)."""
    return (f"<span style='background:{status_colour(status)};color:{text_colour(status)};padding:2px 8px;"
            f"border-radius:10px;font-weight:600'>{i18n.status_name(status, lang())}</span>")


def chart(fig: go.Figure, name: str, **kwargs):
    """Show a plotly figure full width; its camera button downloads a PNG named `name`
    (drawn in the browser, no network). Extra kwargs go to st.plotly_chart (key, on_select…)."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
              "topojsonURL": TOPOJSON_URL}  # a geo map's (empty) topology from the app itself, never a CDN
    return st.plotly_chart(_Encoded.of(fig), width="stretch", config=config, **kwargs)


class _Encoded(go.Figure):
    """A figure's dict, made once per figure. Streamlit asks the figure it shows for its dict on
    every rerun (plotly walks and copies every trace: 50 ms of the unit page's rerun with its 12
    charts), and a figure made by ui.memo serves every rerun unchanged (nothing may change a figure
    once shown). Streamlit asks nothing else of it, so Figure.__init__ (which would check the
    figure again) is not run. The dict is shared by the sessions showing the figure: its traces'
    uids, which plotly.io.to_json removes from the dict it is given, are removed here once."""

    _made: dict[int, _Encoded] = {}  # id(figure) → its dict, forgotten with the figure

    def __init__(self, fig: go.Figure):  # noqa: super().__init__ left out on purpose (above)
        self._dict = fig.to_dict()
        for trace in self._dict.get("data", []):
            trace.pop("uid", None)

    def to_dict(self) -> dict:
        return self._dict

    @classmethod
    def of(cls, fig: go.Figure) -> _Encoded:
        made = cls._made.get(id(fig))
        if made is None:
            made = cls._made[id(fig)] = cls(fig)
            weakref.finalize(fig, cls._made.pop, id(fig), None)
        return made


def table(frame: pd.DataFrame) -> None:
    """A table that wraps its text to the page's width (st.table). Its cells are Markdown: a cell
    that starts like Markdown syntax ("> 85%", "-4,4") is escaped so that it reads as written."""
    st.table(frame.map(lambda v: _LEADING_MARKDOWN.sub(r"\\\1", v) if isinstance(v, str) else v),
             border="horizontal", hide_index=True)


def styled(view: Styler, **kwargs) -> None:
    """A Styler (charts.tables.styled_table), made once by ui.memo, in the data grid: shown as a
    copy, since Streamlit writes into the Styler it shows (its uuid, its cells' styles), and the one
    made serves every rerun and session. Making a scorecard's took 50 ms a rerun, copying it 17.
    kwargs go to st.dataframe."""
    st.dataframe(copy.deepcopy(view), **kwargs)


def grid(view: Grid) -> None:
    """A Grid (charts.tables.grid_table) in the data grid, its columns formatted as i18n
    formats them: dd/mm/yyyy (HH:mm) in both languages, whole counts (grouped 1,234 in English;
    the counts of a Grid stay below 1.000, where Vietnamese writes no separator); a missing value
    reads "no data"."""
    formats = {"date": st.column_config.DateColumn(format="DD/MM/YYYY"),
               "datetime": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
               # wide enough for "không có số liệu" (a narrow column of numbers would cut it off)
               "count": st.column_config.NumberColumn(format="%d" if lang() == "vi" else "%,d", width=120)}
    st.dataframe(view.data, column_config={label: formats[kind] for label, kind in view.kinds.items()},
                 hide_index=True, width="stretch", placeholder=t("common.no_data"))


def download_table(frame: pd.DataFrame, name: str, key: str) -> None:
    """XLSX and CSV download buttons side by side for a table: the XLSX first (numbers stay
    numbers in Excel whatever its regional settings), the CSV saying its format."""
    # The files are made when a button is clicked, not on every rerun.
    row = st.container(horizontal=True)
    row.download_button(t("common.download_xlsx"), lambda: xlsx_bytes(frame), f"{name}.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                        help=t("common.download_xlsx_help"))
    row.download_button(t("common.download_csv"), lambda: csv_bytes(frame), f"{name}.csv", "text/csv",
                        key=f"{key}_csv", help=t("common.download_csv_help"))


CSV_DECIMALS = 2


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark: Excel on Windows reads the Vietnamese letters right only with it.
    A column of whole numbers (the counts) is written as integers ("766", never "766.0"), other
    numbers to CSV_DECIMALS decimals (the command line's export keeps full precision). A text
    that a spreadsheet would run as a formula is written as text (loaders.spreadsheet)."""
    out = safe_cells(frame)
    numbers = {c: _csv_numbers(out[c]) for c in out.select_dtypes("float").columns}
    return out.assign(**numbers).to_csv(index=False).encode("utf-8-sig")


def _csv_numbers(column: pd.Series) -> pd.Series:
    known = column.dropna()
    return column.astype("Int64") if (known == known.round()).all() else column.round(CSV_DECIMALS)


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    safe_cells(frame).to_excel(buf, index=False)
    return buf.getvalue()


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&:])")


def plain(text: str) -> str:
    """A text from a file, a workbook or a user, made to read as written where Streamlit renders
    Markdown (captions, headings, messages): no link, image, emphasis or HTML comes of it."""
    return _MARKDOWN.sub(r"\\\1", "".join(c if c.isprintable() else " " for c in str(text)))
