"""Cached data and figures: the store, the tables every page reads, and memo() for a page's own.

The store is read once per version of its files and shared, not copied, between reruns and
sessions; so is everything computed from it here. Nothing may modify what these return, and
nothing does (metrics are pure functions; st.plotly_chart and st.dataframe only read a figure or a
DataFrame; a Styler, which showing writes into, is shown as a copy by ui.styled)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from loaders import audit
from loaders.reference import default_store, scope, unit_codes
from loaders.remote import AUDIT
from loaders.store import LiveStore, StoreData
from metrics import review, submissions, tables
from metrics.indicators import View

T = TypeVar("T")
_KEY = "_store_key"  # (store path, version) as store() took them at the start of this run
_DATA = "_store_data"  # the StoreData of that version (the accepted reports only, when so chosen)
_FULL = "_store_full"  # the whole StoreData of this run


@st.cache_resource(show_spinner=False, max_entries=4)
def _live(path: str) -> LiveStore:
    """One per store and server, shared by every session (cache_data would copy the store each rerun)."""
    return LiveStore(Path(path))


def store() -> StoreData:
    """The store as it is now: the same object while no file changed, read incrementally when one
    did (loaders.store.LiveStore). The version taken here holds for the whole run."""
    path = str(Path(default_store()))
    data = _live(path).get()
    st.session_state[_KEY] = (path, data.version)
    st.session_state[_DATA] = st.session_state[_FULL] = data
    return data


def in_provinces(codes: tuple[str, ...]) -> StoreData:
    """From here on in this run, the store as if it held the reports of these provinces' units only
    (and the city's own tables only when the scope is one province): every table and figure below
    is computed from, and cached for, that view."""
    path = st.session_state[_KEY][0]
    data, version = _within(path, st.session_state[_FULL], codes)
    st.session_state[_KEY] = (path, version)
    st.session_state[_FULL] = st.session_state[_DATA] = data
    return data


def _within(path: str, full: StoreData, codes: tuple[str, ...]) -> tuple[StoreData, tuple]:
    """(the store narrowed to these provinces' units, the version its figures are cached under)."""
    return (_memo(path, full.version, ("provinces", codes), lambda: full.within(unit_codes(), city=len(scope()) == 1)),
            (full.version, "provinces", codes))


def warm() -> None:
    """At a server's start (app.py), before any page asks: the store read, and the figures of the
    pages' first view (the whole scope, every sector and type, the latest period) computed."""
    path = str(Path(default_store()))
    data = _live(path).get()
    version = data.version
    if len(scope()) > 1:  # as the frame's province filter with no province chosen
        data, version = _within(path, data, scope())
    if data.periods:
        _statuses(path, version, data.periods[-1], View(), data)


def accepted_only() -> StoreData:
    """From here on in this run, the store as if it held only the accepted reports (metrics.review):
    every table and figure below is computed from, and cached for, that view."""
    full, status = st.session_state[_FULL], reviews()
    data = review.accepted_only(full, status)
    path, version = st.session_state[_KEY]
    st.session_state[_KEY] = (path, (version, "accepted", len(audit_log())))
    st.session_state[_DATA] = data
    return data


def reviews() -> pd.DataFrame:
    """The review status of every current report of the whole store (metrics.review.review_status),
    computed again when a report or a decision arrives."""
    full, log = st.session_state[_FULL], audit_log()
    path, version = st.session_state[_KEY]
    return _memo(path, version, ("reviews", len(log)),
                 lambda: review.review_status(full.current["businesses"], log))


def _key() -> tuple[str, int]:
    return st.session_state[_KEY]


# Keyed by the store's path and version (`_data` is the store of that version, not hashed).
@st.cache_data(show_spinner=False, max_entries=16)
def _values(path: str, version: int, view: View, _data: StoreData) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables.values(_data, view)


@st.cache_data(show_spinner=False, max_entries=64)
def _statuses(path: str, version: int, period: str, view: View, _data: StoreData) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables.scorecard(_data, period, view, _values(path, version, view, _data))


@st.cache_data(show_spinner=False, max_entries=4)
def _reporting(path: str, version: int, _data: StoreData) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables.reporting(_data)


def values(view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit values, city values) of every period."""
    return _values(*_key(), view, st.session_state[_DATA])


def statuses(period: str, view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(city status per target, unit status per unit-scope target) at a period."""
    return _statuses(*_key(), period, view, st.session_state[_DATA])


def reporting() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reporting summary per period, reports per unit and period): metrics.tables.reporting."""
    return _reporting(*_key(), st.session_state[_DATA])


@st.cache_data(show_spinner=False, max_entries=4)
def _audit(path: str, version: tuple) -> pd.DataFrame:
    return audit.read(Path(path))


def audit_log() -> pd.DataFrame:
    """The store's audit log (loaders.audit), read again when it grows."""
    path = Path(st.session_state[_KEY][0]) / audit.FILE
    entries = path.parent / AUDIT  # a remote store's: one file per entry, added to the folder
    return _audit(str(path.parent), tuple((p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else () for p in (path, entries)))


def versions(store: StoreData, unit_code: str) -> pd.DataFrame:
    """Every businesses report the unit sent, with the comment each carried (metrics.submissions.versions)."""
    log = audit_log()
    return memo(("versions", unit_code, len(log)), lambda: submissions.versions(
        store.history["businesses"], store.current["businesses"], log, unit_code))


_MEMO: OrderedDict[tuple, object] = OrderedDict()  # (store path, version, key) → what build() made
_MEMO_LOCK = threading.Lock()
_MAKING: dict[tuple, threading.Lock] = {}  # key → held while one session makes it (the others wait for it)
MEMO_ENTRIES = 256  # the least recently used goes first; a boundary map holds ~1 MB


def memo(key: tuple, build: Callable[[], T]) -> T:
    """build(), once per version of the store and per `key`: the figures and tables a page shows,
    so that a rerun that changes nothing they depend on does not compute them again.

    `key` names everything build() reads besides the store: a name for what it makes, then the
    period, filters, language… (hashable values). The result is shared between reruns and
    sessions, not copied: nothing may modify it (a Styler is shown by ui.styled, which shows a
    copy)."""
    return _memo(*_key(), key, build)


def _memo(path: str, version, key: tuple, build: Callable[[], T]) -> T:
    """A dictionary, not st.cache_resource: that hashes its arguments its own way on every call,
    0.5 ms a lookup, 17 ms of the unit page's rerun with its 24 lookups. Each key is made once even
    when several sessions ask for it at once (after a submission, every open page does)."""
    full = (path, version, key)
    with _MEMO_LOCK:
        if full in _MEMO:
            _MEMO.move_to_end(full)
            return _MEMO[full]
        making = _MAKING.setdefault(full, threading.Lock())
    with making:
        with _MEMO_LOCK:
            if full in _MEMO:  # made by another session meanwhile
                return _MEMO[full]
        try:
            made = build()
            with _MEMO_LOCK:
                _MEMO[full] = made
                while len(_MEMO) > MEMO_ENTRIES:
                    _MEMO.popitem(last=False)
        finally:  # stored or failed: a session arriving now finds it, or makes it
            with _MEMO_LOCK:
                _MAKING.pop(full, None)
    return made
