"""Bảng điểm: every unit × every unit-level indicator at a period, with status, sortable,
filterable by unit type, laggards first on request, downloadable with numerators and denominators."""

import streamlit as st

import i18n
import ui
from charts.scorecard import scorecard_data, scorecard_help, scorecard_view, scorecard_widths
from loaders.reference import settings, unit_types
from metrics.review import with_review
from metrics.scorecard import scorecard_table

with ui.page() as f:
    store, lg = f.store, f.lang
    unit_values, _ = ui.values(f.view)
    _, unit_status = ui.statuses(f.period, f.view)

    c1, c2, c3 = st.columns([2, 2, 3], vertical_alignment="bottom")
    unit_type = c1.selectbox(ui.t("scorecard.unit_type"), list(unit_types()), index=None, key="sc_type",
                             placeholder=ui.t("filters.all"), format_func=lambda c: i18n.unit_type_name(c, lg))
    laggards = c2.toggle(ui.t("scorecard.laggards_first"), key="sc_laggards", help=ui.t("scorecard.laggards_help"))
    detail = c3.toggle(ui.t("scorecard.detail"), key="sc_detail")

    decisions = len(ui.audit_log())  # the reviews' version: a returned report is flagged here
    table = ui.memo(("scorecard.table", f.period, f.view, unit_type, laggards, decisions), lambda: with_review(
        scorecard_table(unit_values, unit_status, f.period, unit_type=unit_type, laggards_first=laggards),
        ui.reviews(), f.period))
    st.caption(ui.t("scorecard.rows", n=i18n.fmt_number(len(table), lg), period=i18n.fmt_period(f.period, lg)))
    helps = ui.memo(("scorecard.help", f.period, f.view, lg, decisions, detail), lambda: scorecard_help(table, lg, detail))
    widths = ui.memo(("scorecard.widths", f.period, f.view, lg, decisions, detail), lambda: scorecard_widths(table, lg, detail))
    columns = {label: st.column_config.Column(help=helps.get(label), width=widths.get(label)) for label in {*helps, *widths}}
    # at a glance a missing cell reads "—" (said under the table), as narrow as the columns
    view = ui.memo(("scorecard.view", f.period, f.view, unit_type, laggards, lg, decisions, detail),
                   lambda: scorecard_view(table, lg, detail))
    ui.styled(view, hide_index=True, height="content",
              placeholder=ui.t("common.no_data") if detail else "—",
              column_config=columns | {ui.t("scorecard.name"): st.column_config.Column(pinned=True)})
    if not detail:
        st.caption(ui.t("scorecard.compact_note"))
    ui.download_table(ui.memo(("scorecard.data", f.period, f.view, unit_type, laggards, lg, decisions), lambda: scorecard_data(table, lg)),
                      f"{ui.t('scorecard.file')}-{f.period}", key="sc_download")
    st.caption(ui.t("scorecard.method", baseline=i18n.fmt_period(settings()["periods"]["baseline"], lg)))
