"""URL and session state: the language, and widgets whose value lives in the URL.

A linked widget's key is its URL parameter, holding codes (`?period=2026-H1&sector=ocop,thuc_pham`),
so that a link means the same in either language. Streamlit keeps the widget's value across page
changes (persist_state="session"). Its own URL binding (bind="query-params") is not used: it writes
an option's label, not its code (`?period=6+tháng+đầu+năm+2026`, another URL in English), while the
data contract fixes links such as `/submit?unit=11002&period=2026-H1`. What is written here is only
that: read the link once per session, drop what the page does not offer, and write the codes back."""

from __future__ import annotations

import json

from collections.abc import Sequence
from datetime import date, datetime

import streamlit as st

import i18n
from loaders import periods
from loaders.access import User, local_user

LANG = "lang"  # the language switch's key and URL parameter
_LINK = "_link"  # the URL parameters the session's first run found, until each widget has taken its own
_DRAWN = "_linked"  # the linked widgets of this run
USER = "_user"  # who this run serves (set by ui.signin.gate on every run)


def _link() -> dict[str, list[str]]:
    if _LINK not in st.session_state:
        st.session_state[_LINK] = {key: [v for raw in st.query_params.get_all(key) for v in raw.split(",") if v]
                                   for key in st.query_params}
    return st.session_state[_LINK]


def new_run() -> None:
    """Start a run's list of linked widgets (navigation() calls it first)."""
    st.session_state[_DRAWN] = set()


def peek_link(key: str) -> list[str]:
    """The values the link gave `key`, while no widget has taken them yet (else [])."""
    return list(_link().get(key, []))


def linked(key: str, options: Sequence, default=None, multi: bool = False, in_url_as_default: bool = False) -> dict:
    """The kwargs of a widget whose value is in the URL as `?key=code` (several: `?key=a,b`): the
    link's value on the session's first run, the kept value after; a value the widget does not
    offer falls back to `default` (each of several counted once). The default leaves the URL clean,
    unless `in_url_as_default` (the period: the latest one moves when a new period arrives)."""
    given = _link().pop(key, None)
    if given is not None:
        st.session_state[key] = given if multi else given[0]
    value = st.session_state.get(key, default)
    if multi:
        value = list(dict.fromkeys(v for v in (value or []) if v in options))
    elif value not in options:
        value = default
    st.session_state[key] = value
    st.session_state.setdefault(_DRAWN, set()).add(key)
    if value in (None, []) or (value == default and not in_url_as_default):
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = ",".join(value) if multi else str(value)
    return {"key": key, "persist_state": "session"}


def drop_unlinked() -> None:
    """Take out of the URL what no widget of this run shows (the map's view, once another page is open)."""
    for key in set(st.query_params) - st.session_state.get(_DRAWN, set()):
        st.query_params.pop(key)


def lang() -> str:
    value = st.session_state.get(LANG, "vi")
    return value if value in i18n.LANGS else "vi"


def t(key: str, **kw) -> str:
    return i18n.t(key, lang(), **kw)


def language_switch() -> None:
    """The language radio in the sidebar, and the page's <html lang> set to match (screen readers
    read Vietnamese as Vietnamese). The language code is one of i18n.LANGS, never user text."""
    kwargs = linked(LANG, i18n.LANGS, "vi")
    chosen = st.sidebar.radio(i18n.t("common.language", lang()), i18n.LANGS, horizontal=True,
                              format_func=lambda v: {"vi": "Tiếng Việt", "en": "English"}[v], **kwargs)
    st.sidebar.html(f"<script>document.documentElement.lang = {json.dumps(chosen)};</script>", unsafe_allow_javascript=True,
            width="content")


def user() -> User:
    """Who this run serves: the signed-in user, or the local one without an identity provider
    (ui.signin.gate decides at the top of every run, before any page)."""
    return st.session_state.get(USER) or local_user()


def now() -> datetime:
    """The time in the deadlines' time zone."""
    return datetime.now(periods.timezone())


def today() -> date:
    return now().date()
