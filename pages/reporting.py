"""Báo cáo: completeness and timeliness of the units' reports per period, against the deadlines in
configuration; who is late or missing; each unit's history."""

import streamlit as st

import i18n
import ui
from charts import reporting as charts
from metrics import submissions

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
                view = view_of(listed, lg)
                st.dataframe(view, hide_index=True, width="stretch")
                ui.download_table(view.data, f"{kind}-units-{f.period}", key=f"reporting_dl_{kind}")

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
