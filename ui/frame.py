"""The frame every page stands in: the navigation from the registry (config/pages.toml), the
sidebar's filters, and `page()`, which opens a page (heading, banner, the guard of an empty store)
and closes it (the source of its figures, the store in the sidebar).

dashboard.py calls navigation() before running the page, so that the bound filters are drawn in
the entry script on every run (a link's values are read on the first one) and kept across pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st

import i18n
from loaders import periods
from loaders.reference import business_types, home_unit, narrow, pages, provinces, scope, sectors, settings, units
from loaders.store import StoreData
from loaders.remote import describe
from metrics.indicators import View
from loaders import audit
from loaders.access import User, allowed, may
from ui import data, notes, signin
from ui.routing import through_entry_script
from ui.widgets import plain
from ui.state import USER, drop_unlinked, lang, language_switch, linked, new_run, peek_link, t, today

UNIT = "unit"  # the unit selector's key and URL parameter
PROVINCE = "province"  # the province filter's, where the scope holds several
_OPEN = "_frame"  # what navigation() chose in this run, for page()
REFUSED_LINK = "_refused_link"  # the unit of a link the user may not submit for, to say on the page
NO_PERIOD = "—"
HOME_PATH = "trang-chu"  # the default page's reserved path (it is served at "/")


@dataclass(frozen=True)
class PageView:
    """What a page shows, frozen for the run: the store, the period, the sector/type filter, the
    unit (None for all; the home unit on a page that needs one) and the language."""
    store: StoreData = field(compare=False, repr=False)
    period: str
    view: View
    unit: str | None
    lang: str
    page: str  # the page's URL path in the registry

    @property
    def sectors(self) -> tuple[str, ...]:
        return self.view.sectors

    @property
    def business_types(self) -> tuple[str, ...]:
        return self.view.business_types


def navigation():
    """The language switch, the navigation of the registered pages and the current page's filters;
    returns the page to run."""
    new_run()
    narrow(None)  # the whole scope, until the province filter says otherwise
    language_switch()
    store = data.store()
    st.session_state[USER] = user = signin.gate(store.root)  # or a sign-in page, and the run stops
    entries, aliases = [], []  # (registry entry, page, the user's role may open it); hidden pages leading home
    for entry in pages():
        mine = user.role in entry["roles"]
        # Another role's page keeps its address, hidden, and says whose it is (a link to it is no
        # "page not found"); its script never runs for this user.
        script = entry["file"] if mine else _not_for_role(entry, user)
        home = entry["default"] and mine
        # The default page is served at "/", and Streamlit reserves its own path too: that path is
        # HOME_PATH, so that its registry address (/overview) can lead to it (a hidden page).
        page = st.Page(script, title=t(entry["title"]), url_path=HOME_PATH if home else entry["url"], default=home,
                       visibility="visible" if mine else "hidden")
        entries.append((entry, page, mine))
        if home:
            aliases.append(st.Page(_switch_to(page), title=page.title, url_path=entry["url"], visibility="hidden"))
    current = st.navigation([p for _, p, _ in entries] + aliases)
    if current in aliases:
        return current
    entry, _, mine = next(e for e in entries if e[1] is current)
    if mine:
        st.session_state[_OPEN] = _filters(store, entry, user)
    signin.account_box(user, store.root)
    return current


def _switch_to(page) -> Callable[[], None]:
    def alias() -> None:  # the link's parameters (language, period…) kept
        st.switch_page(page, query_params=st.query_params.to_dict())

    alias.__name__ = "home_alias"
    return alias


def _not_for_role(entry: dict, user: User) -> Callable[[], None]:
    def page() -> None:
        st.title(t(entry["title"]))
        st.info(t("account.not_for_role", role=t(f"role.{user.role}")))

    page.__name__ = f"not_for_role_{entry['url']}"  # st.Page tells pages apart by their function's name
    return page


def unit_labels(lg: str) -> dict[str, str]:
    u = units()
    return {c: f"{n} ({i18n.unit_type_name(ty, lg)}, {c})" for c, n, ty in zip(u["unit_code"], u["name"], u["type"])}


def open_periods(store: StoreData) -> list[str]:
    """The periods a unit may report on: from the first one stored (or the baseline) to the one
    open today, in the deadlines' time zone."""
    first = min([*store.periods[:1], settings()["periods"]["baseline"]])
    return periods.between(first, periods.containing(today()))


def _filters(store: StoreData, entry: dict, user: User) -> PageView:
    """Period, sector, business type and unit in the sidebar, as the page's registry entry names
    them, linked to the URL; and, where it names `accepted`, whether to count the accepted reports only."""
    lg = lang()
    side = st.sidebar
    side.subheader(t("filters.title"))
    if len(scope()) > 1:  # a drill-down: the pages speak of the chosen province, or of the whole scope
        names = dict(zip(provinces()["province_code"], provinces()["name"]))
        chosen = side.selectbox(t("filters.province"), list(names), index=None, format_func=names.get,
                                placeholder=t("filters.all_provinces"), **linked(PROVINCE, names))
        narrow(None if chosen is None else (chosen,))
        store = data.in_provinces(scope() if chosen is None else (chosen,))
    choices = open_periods(store) if entry["periods"] == "open" else store.periods or [NO_PERIOD]
    period = side.selectbox(t("filters.period"), choices, **linked("period", choices, choices[-1], in_url_as_default=True),
                            format_func=lambda p: i18n.fmt_period(p, lg) if p != NO_PERIOD else p)
    chosen_sectors, chosen_types = [], []
    if "sector" in entry["filters"]:
        chosen_sectors = side.multiselect(t("filters.sector"), list(sectors()), **linked("sector", sectors(), multi=True),
                                          format_func=lambda c: i18n.sector_name(c, lg), placeholder=t("filters.all"))
    if "type" in entry["filters"]:
        chosen_types = side.multiselect(t("filters.business_type"), list(business_types()),
                                        **linked("type", business_types(), multi=True),
                                        format_func=lambda c: i18n.business_type_name(c, lg), placeholder=t("filters.all"))
    unit = None
    if UNIT in entry["filters"]:
        names = unit_labels(lg)
        if entry["units"] == "own":  # an officer's own units only; a link to another one is refused and recorded
            names = {c: n for c, n in names.items() if allowed(user, "submit", c) or not may(user, "submit")}
            _refuse_other_unit(user, store, names, entry, period)
        home = home_unit() if entry["url"] == "unit" else next(iter(names)) if len(names) == 1 else None
        # The home unit is shown, not chosen: the other pages keep "all units" until the user picks one.
        empty = t("filters.unit_default", name=names[home]) if home else t("filters.all")
        unit = side.selectbox(t("filters.unit"), list(names), index=None, placeholder=empty, **linked(UNIT, names),
                              format_func=lambda c: names[c]) or home
    if "accepted" in entry["filters"] and side.toggle(t("review.accepted_only"), key="accepted", persist_state="session",
                                                      help=t("review.accepted_only_help")):
        store = data.accepted_only()
        side.caption(t("review.accepted_only_note", n=i18n.fmt_number((data.reviews()["status"] == "accepted").sum(), lg)))
    side.caption(t(entry["note"]))
    return PageView(store, period, View(tuple(sorted(chosen_sectors)), tuple(sorted(chosen_types))), unit, lg,
                    entry["url"])


def _refuse_other_unit(user: User, store: StoreData, offered: dict, entry: dict, period: str) -> None:
    """A link naming a unit the user may not submit for: recorded as a refused submission, said on the page."""
    asked = next(iter(peek_link(UNIT)), None)
    if asked is not None and asked not in offered:
        audit.record(store.root, user=user.name, role=user.role or "", action="submit", result="refused",
                     unit_code=asked, period=period, reason="submit.other_unit_link",
                     comment=f"/{entry['url']}?unit={asked}")
        st.session_state[REFUSED_LINK] = asked


def province_picker(table, codes: list[str], key: str) -> None:
    """A table of provinces; a click on a row chooses that province in the sidebar (a drill-down)."""
    def choose() -> None:
        rows = st.session_state[key].selection.rows
        if rows:
            st.session_state[PROVINCE] = codes[rows[0]]
    st.dataframe(table, hide_index=True, on_select=choose, selection_mode="single-row", key=key, width="stretch")


def open_unit(code: str) -> None:
    """Open a unit's profile (a click on the map)."""
    st.session_state[UNIT] = code
    st.switch_page("pages/unit.py")


@contextmanager
def page(title: str | Callable[[PageView], str] | None = None,
         intro: Callable[[PageView], str] | None = None) -> Iterator[PageView]:
    """Open the page: its heading (`title`, a callable of the view, or the registry's title;
    "" for none), its intro (a callable of the view, or the registry's), the banner, how many
    units the figures rest on; stop with a word where the store holds no report. Then the page
    draws from the view it is handed; closing, the source of its figures and the store in the sidebar."""
    through_entry_script()
    v: PageView = st.session_state[_OPEN]
    entry = next(e for e in pages() if e["url"] == v.page)
    if title is None or (not v.store.periods and entry["periods"] == "stored"):
        title, intro = t(entry["title"]), None
    heading = title(v) if callable(title) else title
    if heading:
        st.title(heading)
    if intro or entry["intro"]:
        st.caption(intro(v) if intro else t(entry["intro"]))
    notes.banner(v.store)
    if entry["periods"] == "stored":
        if not v.store.periods:
            st.error(t("common.no_store", path=plain(describe(v.store.root)) if notes.shows_paths() else "—"))
            notes.sidebar_info(v.store)
            st.stop()
        notes.coverage_note(v.store, v.period)
    yield v
    notes.source_note(v.store, v.period)
    notes.sidebar_info(v.store)
    drop_unlinked()
