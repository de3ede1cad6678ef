"""Tổng quan: the city's value for every target of both plans, its status and the as-of period."""

import streamlit as st

import i18n
import ui
from charts.overview import change_shown, status_counts
from loaders.reference import indicators, plans, targets

store = ui.data()
f = ui.filters(store, show_unit=False)
lg = ui.lang()
st.title(ui.t("nav.overview"))
st.caption(ui.t("app.subtitle"))
ui.banner(store)
if not store.periods:
    st.stop()

city, _ = ui.scorecard(f.period, f.view)
st.subheader(f"{ui.t('common.as_of')}: {i18n.fmt_period(f.period, lg)}")
by_id = {t["id"]: t for t in targets()}

for plan in plans():
    st.markdown(f"#### {i18n.plan_name(plan, lg)}")
    rows = city[city["plan"] == plan]
    cols = st.columns(3)
    for i, row in enumerate(rows.itertuples()):
        target = by_id[row.target]
        yearly = row.share_of_units
        unit = row.unit
        with cols[i % 3].container(border=True):
            label = i18n.indicator_name(row.indicator, lg)
            if yearly:
                label = ui.t("overview.units_meeting_label", name=label)
            goal = "100%" if yearly else i18n.goal_text(target, lg)
            help_text = ui.t("overview.tile_help", text=i18n.target_text(row.target, lg),
                             num=i18n.fmt_number(row.numerator, lg),
                             den=i18n.fmt_number(row.denominator, lg), period=i18n.fmt_period(f.period, lg),
                             baseline=i18n.fmt_value(row.baseline, unit, lg), expected=i18n.fmt_value(row.expected, unit, lg),
                             previous=i18n.fmt_value(row.previous, unit, lg) + (
                                 f" ({i18n.fmt_period(row.previous_period, lg)})" if isinstance(row.previous_period, str) else ""))
            # The name wraps above the figure (a metric's own label is cut to one line).
            st.markdown(f"**{label}**", help=help_text)
            delta, arrow, colour = change_shown(row.change, row.comparator, unit, row.previous_period, lg)
            st.metric(label, i18n.fmt_value(row.value, unit, lg), delta, label_visibility="collapsed",
                      delta_arrow=arrow, delta_color=colour)
            st.markdown(ui.status_badge(row.status) + f" &nbsp; {ui.t('common.target')}: **{goal}** · "
                        f"{ui.t('common.deadline')}: {i18n.fmt_deadline(row.deadline, lg)}", unsafe_allow_html=True)
            extra = [i18n.reason_text(row.reason, lg)] if isinstance(row.reason, str) else []
            if (f.sectors or f.business_types) and indicators()[row.indicator]["source"] != "businesses":
                extra.append(ui.t("overview.not_filtered"))  # city reports and activities have no sector or type
            if row.exceeded:
                extra.append(i18n.reason_text("exceeded", lg))
            if yearly:
                extra.append(ui.t("common.units_meeting", n=int(row.numerator), total=int(row.denominator)))
            if extra:
                st.caption(" · ".join(extra))

st.markdown(f"#### {ui.t('common.units_by_status')}")
ui.chart(ui.memo(("status_counts", f.period, f.view, lg), lambda: status_counts(city, lg)), "units-by-status")
ui.source_note(store, f.period)
ui.sidebar_info(store)
