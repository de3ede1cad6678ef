"""Tổng quan: the city's value for every target of both plans, its status and the as-of period."""

import streamlit as st

import i18n
import ui
from charts.overview import status_counts, tile
from loaders.reference import plans, targets
from metrics.coverage import coverage

with ui.page() as f:
    city, _ = ui.statuses(f.period, f.view)
    st.subheader(f"{ui.t('common.as_of')}: {i18n.fmt_period(f.period, f.lang)}")
    by_id = {t["id"]: t for t in targets()}
    reported = ui.memo(("coverage", f.period), lambda: coverage(f.store.current, f.period))
    for plan in plans():
        st.markdown(f"#### {i18n.plan_name(plan, f.lang)}")
        cols = st.columns(3)
        for i, row in enumerate(city[city["plan"] == plan].itertuples()):
            shown = tile(row, by_id[row.target], f.period, bool(f.sectors or f.business_types), reported, f.lang)
            with cols[i % 3].container(border=True):
                # The name wraps above the figure (a metric's own label is cut to one line).
                st.markdown(f"**{shown.label}**", help=shown.help)
                st.metric(shown.label, shown.value, shown.delta, label_visibility="collapsed",
                          delta_arrow=shown.arrow, delta_color=shown.colour)
                st.markdown(ui.status_badge(row.status) + f" &nbsp; {ui.t('common.target')}: **{shown.goal}** · "
                            f"{ui.t('common.deadline')}: {shown.deadline}", unsafe_allow_html=True)
                if shown.caption:
                    st.caption(shown.caption)

    st.markdown(f"#### {ui.t('common.units_by_status')}")
    ui.chart(ui.memo(("status_counts", f.period, f.view, f.lang), lambda: status_counts(city, f.lang)), "units-by-status")
