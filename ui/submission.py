"""The submit page's widgets and state: the report typed in a grid laid out like the template,
and the workbook last checked for a unit and period (kept until it is stored or replaced)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from loaders.reference import business_types, sectors
from loaders.schema import ACTIVITY_COUNTS, COUNT_COLUMNS
from loaders.submit import Checked
from ui.state import lang, t

_CHECKED = "_submit_checked"  # (unit, period) -> Checked
_SEEN = "_submit_seen"  # the uploads already checked (Streamlit's file ids)


def report_grid(unit_code: str, period: str, latest: tuple[pd.DataFrame, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The businesses rows (sector × business type, as in the template) and the activities row in
    editable grids, empty or, with a latest report, filled with it; returns the contract's frames."""
    lg = lang()
    keys = pd.MultiIndex.from_product([list(sectors()), list(business_types())], names=["sector", "business_type"])
    biz = pd.DataFrame(index=keys, columns=COUNT_COLUMNS, dtype="Int64")
    if not latest[0].empty:
        biz.update(latest[0].set_index(["sector", "business_type"])[COUNT_COLUMNS])
    shown = biz.reset_index()
    shown.insert(0, "_sector", [i18n.sector_name(c, lg) for c in shown["sector"]])
    shown.insert(1, "_type", [i18n.business_type_name(c, lg) for c in shown["business_type"]])
    counts = {c: st.column_config.NumberColumn(t(f"columns.{c}"), min_value=0, step=1, format="%d") for c in COUNT_COLUMNS}
    edited = st.data_editor(
        shown, key=f"submit_grid_{unit_code}_{period}", hide_index=True, num_rows="fixed", disabled=["_sector", "_type"],
        column_order=["_sector", "_type", *COUNT_COLUMNS],
        column_config={"_sector": st.column_config.TextColumn(t("columns.sector"), pinned=True),
                       "_type": st.column_config.TextColumn(t("columns.business_type"), pinned=True), **counts})
    st.markdown(f"**{t('submit.activities')}**")
    act = pd.DataFrame([{c: (latest[1][c].iloc[0] if not latest[1].empty else None)
                         for c in [*ACTIVITY_COUNTS, "register_updated"]}])
    act_config = {c: st.column_config.NumberColumn(t(f"columns.{c}"), min_value=0, step=1, format="%d")
                  for c in ACTIVITY_COUNTS}
    act_config["register_updated"] = st.column_config.CheckboxColumn(t("columns.register_updated"))
    act_edited = st.data_editor(act, key=f"submit_act_{unit_code}_{period}", hide_index=True, num_rows="fixed",
                                column_config=act_config)
    return {"businesses": edited[["sector", "business_type", *COUNT_COLUMNS]], "activities": act_edited}


def remember(checked: Checked, source: str | None = None) -> None:
    """Keep the workbook just checked for its unit and period; `source` names an upload checked once."""
    st.session_state.setdefault(_CHECKED, {})[(checked.unit_code, checked.period)] = checked
    if source:
        st.session_state.setdefault(_SEEN, set()).add(source)


def seen(source: str) -> bool:
    return source in st.session_state.get(_SEEN, set())


def checked(unit_code: str, period: str) -> Checked | None:
    return st.session_state.get(_CHECKED, {}).get((unit_code, period))


def forget(unit_code: str, period: str) -> None:
    st.session_state.get(_CHECKED, {}).pop((unit_code, period), None)
