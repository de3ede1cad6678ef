"""Đơn vị: one unit's profile — each target over time against its trajectory, its other indicators
over time against the city, the unit against the city, sectors × business types, the funnel to
online sellers, activities, reporting history."""

import streamlit as st

import functools

import i18n
import ui
from charts import unit as charts
from charts.reporting import versions_table
from loaders.reference import home_unit, indicators, targets
from metrics import profile
from report.build import MIME, file_name, report_bytes

def heading(v: ui.PageView) -> str:
    info = profile.unit_info(v.unit)
    return i18n.unit_full_name(info["name"], info["type"], v.lang)


def subtitle(v: ui.PageView) -> str:
    return ui.t("unit.subtitle", type=i18n.unit_type_name(profile.unit_info(v.unit)["type"], v.lang), code=v.unit,
                period=i18n.fmt_period(v.period, v.lang, mid_sentence=True))


with ui.page(heading, subtitle) as f:
    store, lg = f.store, f.lang
    name = heading(f)
    st.info(ui.t("unit.own_plan" if f.unit == home_unit() else "unit.other_plan"))
    ui.review_note(f.unit, f.period)
    for row in profile.converted(store.current["businesses"], f.unit).itertuples():
        st.caption(ui.plain(ui.t("unit.converted_estimated" if row.estimated else "unit.converted",
                                 period=i18n.fmt_period(row.period, lg), sources=row.sources)))
    st.download_button(ui.t("document.download_unit"),
                       functools.partial(report_bytes, store, f.period, ".docx", f.view, lg, unit=f.unit),
                       file_name(f.period, ".docx", f.unit), MIME[".docx"], key="unit_download_docx", on_click="ignore",
                       help=ui.t("document.download_help"))

    unit_values, city_values = ui.values(f.view)
    _, unit_status = ui.statuses(f.period, f.view)
    businesses = store.current["businesses"]
    by_id = {t["id"]: t for t in targets()}
    shown = (f.unit, f.period, f.view)  # what the figures show; with the language, what the charts say
    key = (*shown, lg)

    st.subheader(ui.t("unit.targets"))
    cols = st.columns(2)
    for i, row in enumerate(profile.unit_targets(unit_status, f.unit).itertuples()):
        target = by_id[row.target]
        with cols[i % 2].container(border=True):
            st.markdown(ui.status_badge(row.status) + f" &nbsp; {i18n.target_text(row.target, lg)}", unsafe_allow_html=True)
            goal = {"goal": i18n.goal_text(target, lg), "deadline": i18n.fmt_deadline(target["deadline"], lg)}
            line = ui.t("unit.no_value_line", **goal) if row.value != row.value else ui.t(
                "unit.value_line", value=i18n.fmt_value(row.value, indicators()[row.indicator]["unit"], lg),
                num=i18n.fmt_number(row.numerator, lg), den=i18n.fmt_number(row.denominator, lg), **goal)
            st.caption(line + (f" · {i18n.reason_text(row.reason, lg)}" if isinstance(row.reason, str) else ""))
            fig = ui.memo(("unit.trajectory", row.target, *key),
                          lambda: charts.trajectory_chart(profile.trajectory(unit_values, target, f.unit), target, lg))
            ui.chart(fig, f"{f.unit}-{row.target}", key=f"unit_traj_{row.target}")

    st.subheader(ui.t("unit.others"))
    st.caption(ui.t("unit.others_note"))
    mine = ui.memo(("unit.with_growth", f.unit, f.view), lambda: profile.with_growth(unit_values, businesses, f.unit, f.view))
    cols = st.columns(2)
    for i, (ind, target) in enumerate(profile.other_indicators()):
        with cols[i % 2].container(border=True):
            st.caption(ui.t("unit.no_target_line") if target is None else ui.t(
                "unit.city_target_line", plan=i18n.plan_name(target["plan"], lg), target=i18n.target_text(target["id"], lg)))
            fig = ui.memo(("unit.over_time", ind, f.unit, f.view, lg), lambda: charts.trajectory_chart(
                profile.over_time(mine, city_values, ind, f.unit, store.periods, target), target, lg, ind))
            ui.chart(fig, f"{f.unit}-{ind}", key=f"unit_other_{ind}")

    st.subheader(ui.t("unit.compare"))
    comparison = ui.memo(("unit.comparison", *shown),
                         lambda: profile.city_comparison(unit_values, city_values, f.unit, f.period))
    ui.chart(ui.memo(("unit.comparison_chart", *key), lambda: charts.comparison_chart(comparison, name, lg)),
             f"{f.unit}-city-comparison", key="unit_compare")
    ui.styled(ui.memo(("unit.comparison_table", *key), lambda: charts.comparison_table(comparison, name, lg)),
              hide_index=True, placeholder=ui.t("common.no_data"))

    st.subheader(ui.t("unit.breakdown"))
    breakdown = ui.memo(("unit.breakdown", *shown), lambda: profile.breakdown(businesses, f.unit, f.period, f.view))
    indicator = st.selectbox(ui.t("unit.breakdown_indicator"), profile.breakdown_indicators(), key="unit_bd_indicator",
                             format_func=lambda ind: i18n.indicator_name(ind, lg))
    ui.chart(ui.memo(("unit.breakdown_chart", indicator, *key), lambda: charts.breakdown_heatmap(breakdown, indicator, lg)),
             f"{f.unit}-{indicator}-by-sector", key="unit_heatmap")
    # Its table is made when the expander is opened: a formatted table costs every rerun it is on the page.
    with st.expander(ui.t("unit.breakdown_table"), key="unit_bd_table", on_change="rerun") as box:
        if box.open:
            table = ui.memo(("unit.breakdown_table", indicator, *key), lambda: charts.breakdown_table(breakdown, indicator, lg))
            ui.styled(table, hide_index=True, placeholder=ui.t("common.no_data"))
            ui.download_table(table.data, f"{ui.t('unit.file')}-{f.unit}-{indicator}-{f.period}", key="unit_bd_download")

    st.subheader(ui.t("unit.funnel"))
    ui.chart(ui.memo(("unit.funnel", *key), lambda: charts.funnel_chart(profile.funnel(businesses, f.unit, f.period, f.view), lg)),
             f"{f.unit}-funnel", key="unit_funnel")
    st.caption(ui.t("unit.funnel_caveat"))

    st.subheader(ui.t("unit.activities"))
    activities = ui.memo(("unit.activities", f.unit),
                         lambda: profile.activities_history(store.current["activities"], f.unit, store.periods))
    ui.styled(ui.memo(("unit.activities_table", f.unit, lg), lambda: charts.activities_table(activities, lg)),
              hide_index=True, placeholder=ui.t("common.no_data"))

    st.subheader(ui.t("unit.reporting"))
    st.markdown(f"**{ui.t('reporting_page.versions', unit=name)}**")
    ui.grid(ui.memo(("unit.versions_view", f.unit, lg), lambda: versions_table(ui.versions(store, f.unit), lg)))
    history = ui.memo(("unit.reporting", f.unit), lambda: profile.reporting_history(ui.reporting()[1], f.unit))
    ui.grid(ui.memo(("unit.reporting_view", f.unit, lg), lambda: charts.reporting_history_table(history, lg)))
    st.caption(ui.t("unit.reporting_note"))
