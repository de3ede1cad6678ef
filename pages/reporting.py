"""Báo cáo: completeness and timeliness of the units' reports per period, against the deadlines in
configuration; who is late or missing; each unit's history."""

import streamlit as st

import i18n
import ui
from charts import reporting as charts
from loaders.access import allowed
from loaders.review import MAX_COMMENT
from loaders.review import review as review_report
from loaders.submit import Refused
from metrics import review, submissions

DECIDED = "_review_outcome"  # (kind of message, text) of the decision just made, shown once


def review_section(f: ui.PageView) -> None:
    """The period's reports and their review; for the Department, accept or return the chosen unit's."""
    lg = f.lang
    st.subheader(ui.t("review.title"))
    st.caption(ui.t("review.intro"))
    status = ui.reviews()
    rows = ui.memo(("review.rows", f.period, len(ui.audit_log()), lg),
                   lambda: charts.review_table(review.period_reviews(status, f.period), lg))
    ui.grid(rows)
    ui.download_table(rows.data, f"review-{f.period}", key="reporting_dl_review")
    if not allowed(ui.user(), "review"):
        return
    outcome = st.session_state.pop(DECIDED, None)
    if outcome:
        getattr(st, outcome[0])(outcome[1])
    if f.unit is None:
        st.info(ui.t("review.choose_unit"))
        return
    mine = status[(status["unit_code"] == f.unit) & (status["period"] == f.period)]
    if mine.empty:
        st.info(ui.t("review.no_current"))
        return
    report = mine.iloc[0]
    st.markdown(f"**{ui.plain(ui.unit_labels(lg)[f.unit])} — {ui.t(f'review.{report.status}')}**")
    st.caption(ui.plain(report.snapshot))
    st.text_area(ui.t("review.decision_comment"), key="review_comment", max_chars=MAX_COMMENT)
    left, right = st.columns(2)
    for col, decision, kind in ((left, "accept", "primary"), (right, "return", "secondary")):
        col.button(ui.t(f"review.{decision}"), key=f"review_{decision}", type=kind, on_click=decide,
                   args=(f.unit, f.period, decision, report.snapshot, lg))


def decide(unit: str, period: str, decision: str, seen: str, lg: str) -> None:
    """On Accept or Return: the decision, checked again on the server (loaders.review), and how it went."""
    try:
        review_report(ui.store(), ui.user(), unit, period, decision, st.session_state.get("review_comment", ""), seen)
    except Refused as refusal:
        st.session_state[DECIDED] = ("error", ui.t("submit.refused", reason=ui.t(str(refusal))))
        return
    st.session_state[DECIDED] = ("success", ui.t(f"review.done_{decision}"))
    st.session_state["review_comment"] = ""


with ui.page() as f:
    store, lg = f.store, f.lang
    summary, table = ui.reporting()
    st.subheader(ui.t("reporting_page.by_period"))
    counts = ui.memo(("reporting.counts",), lambda: submissions.period_counts(summary))
    ui.chart(ui.memo(("reporting.chart", lg), lambda: charts.periods_chart(counts, lg)), "reporting-by-period")
    ui.download_table(ui.memo(("reporting.counts_download", lg), lambda: charts.counts_download(counts, lg)),
                      "reporting-by-period", key="reporting_dl_counts")

    now = submissions.period_summary(summary, f.period)
    if now is None:
        st.info(ui.t("reporting_page.no_reports"))
    else:
        st.subheader(ui.t("reporting_page.period_title", period=i18n.fmt_period(f.period, lg),
                          deadline=i18n.fmt_date(now["deadline"], lg)))
        of = {"total": i18n.fmt_number(now["units_expected"], lg)}
        c1, c2, c3, c4, c5 = st.columns(5)
        c1.metric(ui.t("reporting_page.expected"), i18n.fmt_number(now["units_expected"], lg))
        c2.metric(ui.t("reporting_page.completeness"), i18n.fmt_pct(now["reporting_completeness"], lg),
                  help=ui.t("reporting_page.metric_help", n=i18n.fmt_number(now["units_reporting"], lg), **of))
        c3.metric(ui.t("reporting_page.timeliness"), i18n.fmt_pct(now["reporting_timeliness"], lg),
                  help=ui.t("reporting_page.metric_help", n=i18n.fmt_number(now["units_on_time"], lg), **of))
        c4.metric(charts.category_name("late", lg), i18n.fmt_number(now["units_late"], lg))
        c5.metric(charts.category_name("missing", lg), i18n.fmt_number(now["units_missing"], lg))

        for kind, units_of, view_of in (("late", submissions.late_units, charts.late_table),
                                        ("missing", submissions.missing_units, charts.missing_table)):
            listed = ui.memo(("reporting.units", kind, f.period), lambda: units_of(table, f.period))
            st.markdown(f"#### {ui.t(f'reporting_page.{kind}_title', n=i18n.fmt_number(len(listed), lg))}")
            if listed.empty:
                st.caption(ui.t(f"reporting_page.none_{kind}"))
            else:
                view = ui.memo(("reporting.units_view", kind, f.period, lg), lambda: view_of(listed, lg))
                ui.styled(view, hide_index=True, width="stretch")
                ui.download_table(view.data, f"{kind}-units-{f.period}", key=f"reporting_dl_{kind}")

    review_section(f)

    st.subheader(ui.t("reporting_page.history"))
    if f.unit:
        st.markdown(f"**{ui.t('reporting_page.versions', unit=ui.unit_labels(lg)[f.unit])}**")
        sent = ui.memo(("reporting.versions_view", f.unit, lg), lambda: charts.versions_table(ui.versions(store, f.unit), lg))
        ui.grid(sent)
    history = ui.memo(("reporting.history", f.unit), lambda: submissions.unit_history(table, f.unit))
    if f.unit:
        st.caption(ui.t("reporting_page.history_one", unit=ui.unit_labels(lg)[f.unit]))
    else:
        st.caption(ui.t("reporting_page.history_all"))
    view = ui.memo(("reporting.history_view", f.unit, lg), lambda: charts.history_table(history, lg))
    ui.grid(view)
    ui.download_table(view.data, f"reporting-history-{f.unit or 'all'}", key="reporting_dl_history")
