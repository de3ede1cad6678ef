"""The Streamlit side: cached data, filters that live in the URL, language, banner and notes.

Pages call these and the metrics/charts builders; no arithmetic here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

import i18n
from charts.scorecard import Grid
from loaders.reference import business_types, default_store, sectors, units
from loaders.store import StoreData, fingerprint, load_store
from metrics import tables
from metrics.indicators import View

THACH_KHOI = "11002"
# widget key -> URL query parameter
PARAMS = {"lang": "lang", "f_period": "period", "f_sector": "sector", "f_btype": "type", "f_unit": "unit"}
# a page's own view (widget key -> URL query parameter), in the URL while that page is open
PAGE_PARAMS = {"m_indicator": "indicator", "m_colour": "colour", "m_kind": "map"}
MULTI = {"f_sector", "f_btype"}
T = TypeVar("T")


# --- language ---------------------------------------------------------------------------------

def t(key: str, **kw) -> str:
    return i18n.t(key, lang(), **kw)


# --- data -------------------------------------------------------------------------------------

def store_path() -> Path:
    return Path(default_store())


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(path: str, fp: int) -> StoreData:
    """Shared, not copied, between reruns and sessions (cache_data would unpickle the whole store
    on every rerun): nothing may modify it, and nothing does (metrics are pure functions)."""
    return load_store(Path(path))


def _through_entry_script() -> None:
    """Run every page through dashboard.py, even on a server's first request for a page URL.

    Streamlit treats an app with a `pages/` folder as an old-style multipage app until
    st.navigation is first called: a link straight to /unit would then run pages/unit.py alone
    (no wide layout, no language switch, file names as navigation). Clearing that flag and
    rerunning sends the request through the entry script and its st.navigation."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def data() -> StoreData:
    """The store, read once per change of its files (cached on the files' fingerprint).

    Every page starts with this call; it takes the store's fingerprint for the whole run."""
    _through_entry_script()
    path = store_path()
    st.session_state["_store_key"] = (str(path), hash(fingerprint(path)))
    return _load(*_key())


def _key() -> tuple[str, int]:
    """(store path, fingerprint) as data() took them at the start of this run."""
    return st.session_state["_store_key"]


@st.cache_data(show_spinner=False, max_entries=64)
def _scorecard(path: str, fp: int, period: str, view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables.scorecard(_load(path, fp), period, view, _values(path, fp, view))


@st.cache_data(show_spinner=False, max_entries=16)
def _values(path: str, fp: int, view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables.values(_load(path, fp), view)


@st.cache_data(show_spinner=False, max_entries=4)
def _reporting(path: str, fp: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables.reporting(_load(path, fp))


def scorecard(period: str, view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(city status per target, unit status per unit-scope target), cached."""
    return _scorecard(*_key(), period, view)


def values(view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit values, city values) for every period, cached."""
    return _values(*_key(), view)


def reporting() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _reporting(*_key())


@st.cache_resource(show_spinner=False, max_entries=256)  # a boundary map holds ~1 MB
def _memo(path: str, fp: int, key: tuple, _build: Callable[[], T]) -> T:
    return _build()


def memo(key: tuple, build: Callable[[], T]) -> T:
    """build(), once per version of the store and per `key`: the figures and tables a page shows,
    so that a rerun that changes nothing they depend on does not compute them again.

    `key` names everything build() reads besides the store: a name for what it makes, then the
    period, filters, language… The result is shared between reruns and sessions, not copied:
    nothing may modify it (st.plotly_chart and st.dataframe only read what they are given; a
    Styler is not cached, since showing one writes into it)."""
    return _memo(*_key(), key, build)


# --- filters ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    period: str
    view: View
    unit: str | None  # one unit_code, or None for all

    @property
    def sectors(self) -> tuple[str, ...]:
        return self.view.sectors

    @property
    def business_types(self) -> tuple[str, ...]:
        return self.view.business_types


# Each filter's value lives in a plain session key "_<key>", written back into the widget's key
# before the widget is drawn and updated by on_change. Widget state alone does not survive a page
# change (Streamlit drops the state of widgets a run does not draw); the plain copy does.

def _from_url() -> None:
    """Once per session: the filters from the URL, so a link opens the same view."""
    if st.session_state.get("_url_read"):
        return
    st.session_state["_url_read"] = True
    for key, param in (PARAMS | PAGE_PARAMS).items():
        if param in st.query_params:
            raw = st.query_params[param]
            st.session_state[f"_{key}"] = [v for v in raw.split(",") if v] if key in MULTI else raw


def _to_url() -> None:
    for param in PAGE_PARAMS.values():  # the page that has them puts them back (view_widget)
        st.query_params.pop(param, None)
    for key, param in PARAMS.items():
        value = st.session_state.get(f"_{key}")
        if value in (None, "", []):
            st.query_params.pop(param, None)
        else:
            st.query_params[param] = ",".join(value) if key in MULTI else str(value)


def _sync(key: str) -> None:
    st.session_state[f"_{key}"] = st.session_state[key]


def _bind(key: str, allowed, default=None) -> dict:
    """Put the kept value (or the default, if the kept one is not allowed) into the widget's key;
    returns the widget's on_change arguments."""
    value = st.session_state.get(f"_{key}", default)
    if key in MULTI:
        value = list(dict.fromkeys(v for v in (value or []) if v in allowed))  # "ocop,ocop" once
    elif value not in allowed:
        value = default
    st.session_state[key] = st.session_state[f"_{key}"] = value
    return {"key": key, "on_change": _sync, "args": (key,)}


def view_widget(key: str, allowed, default) -> dict:
    """The kwargs of a page's own view widget (PAGE_PARAMS): its value kept across page changes
    and written into the URL, so that a link opens the page as it was (the map's indicator…)."""
    kwargs = _bind(key, allowed, default)
    st.query_params[PAGE_PARAMS[key]] = str(st.session_state[key])
    return kwargs


def language_switch() -> None:
    _from_url()
    st.sidebar.radio(i18n.t("common.language", lang()), i18n.LANGS, horizontal=True,
                     format_func=lambda v: {"vi": "Tiếng Việt", "en": "English"}[v], **_bind("lang", i18n.LANGS, "vi"))


def lang() -> str:
    value = st.session_state.get("_lang", "vi")
    return value if value in i18n.LANGS else "vi"


def filters(store: StoreData, unit_default: str | None = None, show_unit: bool = True,
            note: str = "filters.applies_note") -> Filters:
    """Period, sector, business type and unit in the sidebar; the same on every page and in the URL.

    `unit_default` is the unit shown when none is chosen (the unit page needs one); it is not
    written into the filter, so the other pages still show every unit. `note`: the i18n key of
    what the page says under the filters (how the sector and business-type filters apply)."""
    _from_url()
    lg = lang()
    side = st.sidebar
    side.subheader(t("filters.title"))
    periods = store.periods or ["—"]
    period = side.selectbox(t("filters.period"), periods, **_bind("f_period", periods, periods[-1]),
                            format_func=lambda p: i18n.fmt_period(p, lg) if p != "—" else p)
    chosen_sectors = side.multiselect(t("filters.sector"), list(sectors()), **_bind("f_sector", sectors(), []),
                                      format_func=lambda c: i18n.sector_name(c, lg), placeholder=t("filters.all"))
    chosen_types = side.multiselect(t("filters.business_type"), list(business_types()),
                                    **_bind("f_btype", business_types(), []),
                                    format_func=lambda c: i18n.business_type_name(c, lg), placeholder=t("filters.all"))
    codes = units()["unit_code"].tolist()
    if show_unit:
        names = unit_labels(lg)
        # The default is shown, not chosen: the other pages keep "all units" until the user picks one.
        empty = t("filters.unit_default", name=names[unit_default]) if unit_default else t("filters.all")
        unit = side.selectbox(t("filters.unit"), codes, index=None, placeholder=empty,
                              format_func=lambda c: names[c], **_bind("f_unit", codes))
    else:
        if st.session_state.get("_f_unit") not in codes:
            st.session_state["_f_unit"] = None  # an unknown unit (from a link) is not kept in the URL
        unit = st.session_state["_f_unit"]
    unit = unit or unit_default
    side.caption(t(note))
    _to_url()
    return Filters(period, View(tuple(sorted(chosen_sectors)), tuple(sorted(chosen_types))), unit)


def open_unit(code: str) -> None:
    """Open a unit's profile (a click on the map)."""
    st.session_state["_f_unit"] = code
    st.switch_page("pages/unit.py")


def unit_labels(lg: str) -> dict[str, str]:
    u = units()
    return {c: f"{n} ({i18n.unit_type_name(ty, lg)}, {c})" for c, n, ty in zip(u["unit_code"], u["name"], u["type"])}


# --- notes on every page ----------------------------------------------------------------------

def banner(store: StoreData) -> None:
    """The synthetic-data banner, and a warning when files were skipped as invalid."""
    if store.synthetic:
        st.warning(t("common.synthetic_banner"), icon=":material/science:")
    if not store.periods:
        st.error(t("common.no_store", path=str(store.root)))


def sidebar_info(store: StoreData) -> None:
    lg = lang()
    side = st.sidebar
    side.divider()
    if store.periods:
        side.caption(f"{t('common.as_of')}: **{i18n.fmt_period(store.periods[-1], lg)}**")
    if store.last_submitted is not None:
        side.caption(f"{t('common.freshness')}: {i18n.fmt_datetime(store.last_submitted, lg)}")
    side.caption(f"{t('common.store')}: {store.root}")  # plain text: code type would load one more font
    if store.invalid:
        with side.expander(t("common.invalid_files", n=len(store.invalid))):
            for f in store.invalid:
                for p in f.problems:
                    st.caption(str(p))


def source_note(store: StoreData, period: str) -> None:
    """Where the figures come from: period, the rate formula, and each current snapshot file
    behind them (path in the store, table, units, rows, when it was submitted)."""
    lg = lang()
    files = memo(("snapshots", period), lambda: store.snapshots(period))
    st.caption(t("common.source_note", period=i18n.fmt_period(period, lg, mid_sentence=True), n=len(files)))
    with st.expander(t("common.snapshot_files", n=len(files))):
        st.caption("  \n".join(
            t("common.snapshot_line" if r.units else "common.snapshot_line_city", path=r.snapshot.replace("_", "\\_"),
              kind=r.kind, units=i18n.fmt_number(r.units, lg), rows=i18n.fmt_number(r.rows, lg),
              at=i18n.fmt_datetime(r.submitted_at, lg))
            for r in files.itertuples()))


def status_badge(status: str) -> str:
    """A status as a coloured badge that also carries its symbol and words (never colour alone)."""
    from charts.style import status_colour, text_colour

    return (f"<span style='background:{status_colour(status)};color:{text_colour(status)};padding:2px 8px;"
            f"border-radius:10px;font-weight:600'>{i18n.status_name(status, lang())}</span>")


def chart(fig, name: str, **kwargs):
    """Show a plotly figure full width; its camera button downloads a PNG named `name`
    (drawn in the browser, no network). Extra kwargs go to st.plotly_chart (key, on_select…)."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}
    return st.plotly_chart(fig, width="stretch", config=config, **kwargs)


def table(frame: pd.DataFrame) -> None:
    """A table that wraps its text to the page's width (st.table). Its cells are Markdown: a cell
    that starts like Markdown syntax ("> 85%", "-4,4") is escaped so that it reads as written."""
    st.table(frame.map(lambda v: _LEADING_MARKDOWN.sub(r"\\\1", v) if isinstance(v, str) else v),
             border="horizontal", hide_index=True)


_LEADING_MARKDOWN = re.compile(r"^([>#+\-*])")


def grid(view: Grid) -> None:
    """A Grid (charts.scorecard.grid_table) in the data grid, its columns formatted as i18n
    formats them: dd/mm/yyyy (HH:mm) in both languages, whole counts (grouped 1,234 in English;
    the counts of a Grid stay below 1.000, where Vietnamese writes no separator); a missing value
    reads "no data"."""
    formats = {"date": st.column_config.DateColumn(format="DD/MM/YYYY"),
               "datetime": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm"),
               # wide enough for "không có số liệu" (a narrow column of numbers would cut it off)
               "count": st.column_config.NumberColumn(format="%d" if lang() == "vi" else "%,d", width=120)}
    st.dataframe(view.data, column_config={label: formats[kind] for label, kind in view.kinds.items()},
                 hide_index=True, width="stretch", placeholder=t("common.no_data"))


def download_table(table: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX download buttons side by side for a table (XLSX keeps numbers as numbers)."""
    # The files are made when a button is clicked, not on every rerun.
    row = st.container(horizontal=True)
    row.download_button(t("common.download_csv"), lambda: csv_bytes(table), f"{name}.csv", "text/csv",
                        key=f"{key}_csv")
    row.download_button(t("common.download_xlsx"), lambda: xlsx_bytes(table), f"{name}.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark: Excel on Windows reads the Vietnamese letters right only with it."""
    return table.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    table.to_excel(buf, index=False)
    return buf.getvalue()
