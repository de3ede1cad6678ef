"""Mục tiêu: every target of both plans with its status, the indicator dictionary and the status method."""

import streamlit as st

import i18n
import ui
from charts import targets as charts
from charts.overview import status_counts
from loaders.reference import plans, targets
from metrics.worked_example import worked_example

with ui.page() as f:
    store, lg = f.store, f.lang
    st.subheader(f"{ui.t('targets_page.all_targets')} · {ui.t('common.as_of')}: {i18n.fmt_period(f.period, lg)}")
    city, _ = ui.statuses(f.period, f.view)
    detail = st.toggle(ui.t("targets_page.detail"), key="targets_detail")
    for plan in plans():
        st.markdown(f"#### {i18n.plan_name(plan, lg)}")
        table = ui.memo(("targets.table", plan, f.period, f.view, lg, detail),
                        lambda: charts.targets_table(city, targets(), lg, plan, detail))
        ui.table(table)  # wraps to the page's width (a data grid would scroll sideways)
    st.caption(ui.t("targets_page.table_note"))
    ui.download_table(ui.memo(("targets.download", f.period, f.view, lg), lambda: charts.targets_download(city, targets(), lg)),
                      f"targets-{f.period}", key="targets_dl_status")

    st.markdown(f"#### {ui.t('targets_page.units_chart')}")
    ui.chart(ui.memo(("status_counts", f.period, f.view, lg), lambda: status_counts(city, lg)),
             f"targets-units-by-status-{f.period}")

    st.subheader(ui.t("targets_page.dictionary"))
    dictionary = ui.memo(("targets.dictionary", lg), lambda: charts.indicator_dictionary(lg))
    ui.table(dictionary)
    ui.download_table(dictionary, "indicator-dictionary", key="targets_dl_dictionary")

    st.subheader(ui.t("targets_page.method"))
    st.markdown(ui.t("targets_page.method_intro"))
    st.markdown(f"- {ui.t('targets_page.formula_expected')}\n- {ui.t('targets_page.formula_r')}")
    st.markdown(ui.t("targets_page.formula_order"))
    ui.table(charts.bands_table(lg))
    st.markdown(ui.t("targets_page.lower_better"))
    st.markdown(ui.t("targets_page.other_comparators"))

    st.markdown(f"#### {ui.t('targets_page.example')}")
    example = ui.memo(("targets.example",), worked_example)
    st.markdown(charts.example_text(example, lg))
    ui.chart(ui.memo(("targets.method_chart", lg), lambda: charts.method_chart(example, lg)), "status-method-example")
    ui.table(charts.example_table(example, lg))
    st.caption(ui.t("targets_page.example_note"))

    st.markdown(f"#### {ui.t('targets_page.reasons')}")
    st.caption(ui.t("targets_page.reasons_note"))
    ui.table(charts.reasons_table(lg))
