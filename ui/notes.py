"""What every page says about its data: the synthetic-data banner, the store in the sidebar, and
the source of the figures under them."""

from __future__ import annotations

import streamlit as st

import i18n
from loaders import periods
from loaders.access import allowed, open_submit
from loaders.reference import settings, unit_codes
from loaders.store import StoreData
from loaders.remote import describe
from metrics.coverage import coverage, is_low
from ui.data import memo, reviews
from ui.state import lang, t, user
from ui.widgets import plain


def banner(store: StoreData) -> None:
    """The synthetic-data banner, and on every page the word that anyone may write (TMDT_OPEN_SUBMIT=1)."""
    if store.synthetic:
        st.warning(t("common.synthetic_banner"), icon=":material/science:")
    if open_submit():
        st.warning(t("submit.open_mode"), icon=":material/lock_open:")


def review_note(unit_code: str, period: str) -> None:
    """The Department's decision on the unit's current report of the period: returned (its comment,
    as text) or accepted; nothing while it waits."""
    status = reviews()
    mine = status[(status["unit_code"] == unit_code) & (status["period"] == period)]
    if mine.empty or mine.iloc[0]["status"] == "waiting":
        return
    report = mine.iloc[0]
    at = i18n.fmt_datetime(report["reviewed_at"].tz_convert(periods.timezone()), lang())
    if report["status"] == "returned":
        st.warning(t("review.returned_note", at=at), icon=":material/undo:")
        st.text(report["comment"])  # typed by a user: text, never Markdown
    else:
        st.success(t("review.accepted_note", at=at))


def coverage_note(store: StoreData, period: str) -> dict[str, int]:
    """How many units the period's city figures rest on, flagged when few; and a word when the
    store lacks the baseline period every trajectory starts from. Returns the coverage."""
    got = memo(("coverage", period), lambda: coverage(store.current, period))
    total = len(unit_codes())
    if is_low(got["businesses"], total):
        st.warning(t("common.coverage_low", n=got["businesses"], total=total), icon=":material/group_off:")
    st.caption(t("common.coverage", n=got["businesses"], m=got["activities"], total=total))
    baseline = settings()["periods"]["baseline"]
    if baseline not in store.periods:
        st.warning(t("common.no_baseline", period=i18n.fmt_period(baseline, lang())))
    return got


def shows_paths() -> bool:
    """The server's paths are for whoever runs it: the administrator, or one person on their own machine."""
    return allowed(user(), "access") or user().role == "open"


def sidebar_info(store: StoreData) -> None:
    lg = lang()
    side = st.sidebar
    side.divider()
    if store.periods:
        side.caption(f"{t('common.as_of')}: **{i18n.fmt_period(store.periods[-1], lg)}**")
    if store.last_submitted is not None:
        side.caption(f"{t('common.freshness')}: {i18n.fmt_datetime(store.last_submitted, lg)}")
    if shows_paths():
        side.caption(f"{t('common.store')}: {plain(describe(store.root))}")  # not code type: it would load one more font
    if store.invalid:
        with side.expander(t("common.invalid_files", n=len(store.invalid))):
            for f in store.invalid:
                for p in f.problems:
                    st.caption(plain(p))  # a bad file's values and name are never Markdown


def source_note(store: StoreData, period: str) -> None:
    """Where the figures come from: period, the rate formula, and the current snapshot files behind
    them, newest first (path in the store, table, units, rows, when it was submitted): the first
    `[pages] source_files_listed` of them, and how many more (a national store has thousands; the
    reporting page names each unit's)."""
    lg = lang()
    files = memo(("snapshots", period), lambda: store.snapshots(period))
    st.caption(t("common.source_note", period=i18n.fmt_period(period, lg, mid_sentence=True), n=len(files)))
    with st.expander(t("common.snapshot_files", n=len(files))):
        listed = settings()["pages"]["source_files_listed"]
        st.caption(memo(("snapshot_lines", period, lg, listed), lambda: _snapshot_lines(files, lg, listed)))


def _snapshot_lines(files, lg: str, listed: int) -> str:
    lines = [t("common.snapshot_line" if r.units else "common.snapshot_line_city", path=plain(r.snapshot), kind=r.kind,
               units=i18n.fmt_number(r.units, lg), rows=i18n.fmt_number(r.rows, lg),
               at=i18n.fmt_datetime(r.submitted_at, lg))
             for r in files.head(listed).itertuples()]
    if len(files) > listed:
        lines.append(t("common.snapshot_more", n=i18n.fmt_number(len(files) - listed, lg)))
    return "  \n".join(lines)
