"""Nhật ký: who did what, when, on which unit and period, with which file, allowed or refused
(the store's audit log, loaders.audit), for the Department and the administrator; filtered and
downloaded."""

import streamlit as st

import i18n
import ui
from charts.audit import audit_table
from loaders.audit import ACTIONS
from metrics.audit_log import filtered

with ui.page() as f:
    lg, log = f.lang, ui.audit_log()
    left, mid, right = st.columns(3)
    users = left.multiselect(ui.t("audit.users"), sorted(set(log["user"])), key="audit_users",
                             placeholder=ui.t("filters.all"))
    actions = mid.multiselect(ui.t("audit.actions"), list(ACTIONS), key="audit_actions",
                              format_func=lambda a: ui.t(f"audit.action_{a}"), placeholder=ui.t("filters.all"))
    one_period = right.checkbox(ui.t("audit.only_period", period=i18n.fmt_period(f.period, lg)), key="audit_period")
    rows = filtered(log, f.unit, f.period if one_period else None, users, actions)
    st.caption(ui.t("audit.count", n=i18n.fmt_number(len(rows), lg), total=i18n.fmt_number(len(log), lg)))
    view = audit_table(rows, lg)
    ui.grid(view)
    ui.download_table(view.data, "nhat-ky", key="audit_dl")
