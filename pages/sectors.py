"""Ngành hàng: rate indicators by sector × business type, and a heatmap of units × sectors."""

import streamlit as st

import i18n
import ui
from charts import sectors as charts
from metrics import sectors
from metrics.indicators import of_kind

with ui.page() as f:
    store, lg = f.store, f.lang
    st.subheader(f"{ui.t('common.as_of')}: {i18n.fmt_period(f.period, lg)}")
    businesses = store.current["businesses"]
    key = (f.period, f.view, lg)

    st.markdown(f"#### {ui.t('sectors.rates')}")
    tab_sector, tab_type = st.tabs([ui.t("sectors.by_sector"), ui.t("sectors.by_business_type")])
    for tab, group in ((tab_sector, "sector"), (tab_type, "business_type")):
        with tab:
            values = ui.memo(("sectors.group_values", group, f.period, f.view),
                             lambda: sectors.group_values(businesses, f.period, f.view, group))
            fig = ui.memo(("sectors.by_group", group, *key), lambda: charts.indicators_by_group(values, group, f.period, lg))
            ui.chart(fig, f"indicators-by-{group}-{f.period}")
            ui.download_table(ui.memo(("sectors.by_group_download", group, *key),
                                      lambda: charts.values_download(values, f.period, lg)),
                              f"indicators-by-{group}-{f.period}", key=f"sectors_dl_{group}")

    indicator = st.selectbox(ui.t("sectors.indicator"), list(of_kind("ratio")), key="sectors_indicator",
                             format_func=lambda i: i18n.indicator_name(i, lg))

    st.markdown(f"#### {ui.t('sectors.cross')}")
    cross = ui.memo(("sectors.cross", f.period, f.view), lambda: sectors.sector_business_type(businesses, f.period, f.view))
    ui.chart(ui.memo(("sectors.cross_chart", indicator, *key),
                     lambda: charts.sector_by_business_type(cross, indicator, f.period, lg)),
             f"sector-by-business-type-{indicator}-{f.period}")
    ui.download_table(ui.memo(("sectors.cross_download", *key), lambda: charts.values_download(cross, f.period, lg)),
                      f"sector-by-business-type-{f.period}", key="sectors_dl_cross")

    st.markdown(f"#### {ui.t('sectors.units')}")
    st.caption(ui.t("sectors.units_note"))
    grid = ui.memo(("sectors.units", indicator, f.period, f.view),
                   lambda: sectors.unit_sector(businesses, f.period, indicator, f.view))
    ui.chart(ui.memo(("sectors.units_chart", indicator, *key), lambda: charts.units_by_sector(grid, indicator, f.period, lg)),
             f"units-by-sector-{indicator}-{f.period}")
    ui.download_table(ui.memo(("sectors.units_download", indicator, *key),
                              lambda: charts.values_download(grid, f.period, lg, indicator)),
                      f"units-by-sector-{indicator}-{f.period}", key="sectors_dl_units")
