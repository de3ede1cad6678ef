"""Nộp báo cáo: a unit's half-year report from the Excel template or typed in the browser,
checked cell by cell, compared with the previous report, stored on Submit (checked on the server
against who is asking: loaders.submit)."""

import streamlit as st

import i18n
import ui
from charts.submission import compared_table, problems_table
from loaders import periods
from loaders.access import allowed, may
from loaders.reference import settings
from loaders.submit import Refused, check, refuse_other_unit, submit
from metrics.plausibility import side_by_side, warnings
from report.template import make_template

MAX_MB = settings()["submit"]["max_upload_mb"]
OUTCOME = "_submit_outcome"  # (kind of message, text) of the last Submit, shown once


def deadline_line(period: str, lg: str) -> str:
    due = periods.deadline(period)
    days = (due - ui.today()).days
    key = "submit.deadline_left" if days > 0 else "submit.deadline_today" if days == 0 else "submit.deadline_past"
    return ui.t(key, deadline=i18n.fmt_date(due, lg), days=i18n.fmt_number(abs(days), lg))


def report_form(f: ui.PageView) -> None:
    lg, unit, period = f.lang, f.unit, f.period
    name = ui.unit_labels(lg)[unit]
    st.subheader(ui.t("submit.heading", unit=name, period=i18n.fmt_period(period, lg)))
    st.caption(deadline_line(period, lg))
    user = ui.user()
    if not allowed(user, "submit", unit):  # open submission is said on every page (ui.notes.banner)
        st.info(ui.t("submit.not_yours" if may(user, "submit") else "submit.read_only" if user.role == "reader"
                     else "submit.role_reads"))
    current = f.store.report(unit, period)
    if not current[0].empty:
        st.info(ui.t("submit.current", at=i18n.fmt_datetime(current[0]["submitted_at"].iloc[0], lg)))
        ui.review_note(unit, period)
    before = periods.shift(period, -1)
    previous = f.store.report(unit, before)

    get, type_in, send = st.tabs([ui.t("submit.tab_template"), ui.t("submit.tab_browser"), ui.t("submit.tab_upload")])
    latest = current if not current[0].empty else previous
    with get:
        st.caption(ui.t("submit.template_help"))
        prefill = not latest[0].empty and st.checkbox(
            ui.t("submit.prefill", period=i18n.fmt_period(latest[0]["period"].iloc[0], lg)), key="submit_prefill")
        filled = {"businesses": latest[0], "activities": latest[1]} if prefill else None
        st.download_button(ui.t("submit.download_template"), lambda: make_template(unit, period, lg, previous=filled),
                           f"bao-cao-tmdt-{unit}-{period}.xlsx", key="submit_template", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    with type_in:
        st.caption(ui.t("submit.browser_help"))
        typed = ui.report_grid(unit, period, latest)
        st.button(ui.t("submit.check"), key="submit_check_typed", on_click=lambda: ui.remember(
            check(make_template(unit, period, lg, previous=typed), ui.t("submit.tab_browser"), unit, period)))
    with send:
        upload = st.file_uploader(ui.t("submit.upload", mb=MAX_MB), type=["xlsx"], key="submit_upload")
        if upload is not None and upload.size > MAX_MB * 2**20:
            st.error(ui.t("submit.too_big", name=ui.plain(upload.name), mb=MAX_MB))
        elif upload is not None and not ui.seen(upload.file_id):
            checked = check(upload.getvalue(), upload.name, unit, period)
            refuse_other_unit(f.store.root, checked, user)  # recorded; its problem is listed below
            ui.remember(checked, upload.file_id)

    outcome = st.session_state.pop(OUTCOME, None)  # of the Submit just pressed
    if outcome:
        getattr(st, outcome[0])(outcome[1])
    checked = ui.checked(unit, period)
    if checked is None:
        return
    st.subheader(ui.t("submit.checked", name=ui.plain(checked.name)))
    if checked.problems:
        st.error(ui.t("submit.problems", n=i18n.fmt_number(len(checked.problems), lg)))
        st.dataframe(problems_table(checked.problems, lg), hide_index=True, width="stretch")
        return
    st.success(ui.t("submit.no_problems"))
    new = checked.frames["businesses"], checked.frames["activities"]
    found = warnings(side_by_side(*new, *(current if not current[0].empty else previous)))
    comment_label = "submit.comment_optional"
    if not found.empty:
        st.warning(ui.t("submit.warnings", n=len(found)))
        shown_before = ui.t("submit.col_current") if not current[0].empty else ui.t(
            "submit.col_previous", period=i18n.fmt_period(before, lg))
        ui.grid(compared_table(found, shown_before, lg))
        comment_label = "submit.comment"
    st.markdown(f"**{ui.t('submit.preview')}**")
    ui.grid(compared_table(side_by_side(*new, *previous), ui.t("submit.col_previous", period=i18n.fmt_period(before, lg)), lg))
    if not current[0].empty:
        st.markdown(f"**{ui.t('submit.changes')}**")
        ui.grid(compared_table(side_by_side(*new, *current), ui.t("submit.col_current"), lg))
    confirmed = found.empty or st.checkbox(ui.t("submit.confirm"), key="submit_confirm")
    comment = st.text_area(ui.t(comment_label), key="submit_comment", max_chars=1000)
    ready = confirmed and (found.empty or bool(comment.strip()))  # the server checks it again (loaders.submit)
    if not ready:
        st.caption(ui.t("submit.need_confirmation"))
    st.button(ui.t("submit.submit"), type="primary", key="submit_go", disabled=not ready,
              on_click=send_report, args=(f, checked, user, not found.empty))


def send_report(f: ui.PageView, checked, user, warned: bool) -> None:
    """On Submit: store the report, checked again on the server (loaders.submit), and say how it went."""
    lg = f.lang
    try:
        result = submit(f.store.root, checked, user, st.session_state.get("submit_comment", ""), warned=warned)
    except Refused as refusal:
        st.session_state[OUTCOME] = ("error", ui.t("submit.refused", reason=ui.t(str(refusal))))
        return
    if result.added:
        ui.forget(checked.unit_code, checked.period)
        st.session_state[OUTCOME] = ("success", ui.t("submit.stored", unit=ui.unit_labels(lg)[checked.unit_code],
                                                     period=i18n.fmt_period(checked.period, lg),
                                                     at=i18n.fmt_datetime(ui.now(), lg)))
    elif result.ok:
        st.session_state[OUTCOME] = ("info", ui.t("submit.already"))
    else:  # the store refused it (e.g. the synthetic sample)
        st.session_state[OUTCOME] = ("error", ui.t("submit.refused", reason=ui.plain("; ".join(map(str, result.problems)))))


with ui.page() as f:
    refused = st.session_state.pop(ui.REFUSED_LINK, None)
    if refused:
        st.error(ui.t("submit.other_unit_link", unit=ui.plain(refused)))
    with st.expander(ui.t("submit.guide_title")):
        st.markdown(ui.t("submit.guide"))
    if f.unit is None:
        st.info(ui.t("submit.choose_unit"))
    else:
        report_form(f)
