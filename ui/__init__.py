"""The Streamlit side, by concern: state (URL, session, language, who is asking), data (cached
store, tables and figures), widgets (figures, tables, downloads), notes (banner, sources), frame
(navigation, filters and the page frame), signin (sign-in, the account in the sidebar), submission (the submit page's grid and checked
workbooks), routing (one Streamlit workaround). Pages call what is named here and the builders
of metrics/ and charts/; no arithmetic here."""

from ui.data import audit_log, memo, reporting, reviews, statuses, store, values, versions
from ui.notes import review_note
from ui.frame import REFUSED_LINK, PageView, navigation, open_unit, page, province_picker, unit_labels
from ui.state import lang, linked, now, t, today, user
from ui.submission import checked, forget, remember, report_grid, seen
from ui.widgets import chart, csv_bytes, download_table, grid, plain, status_badge, styled, table, xlsx_bytes

__all__ = ["REFUSED_LINK", "PageView", "audit_log", "versions", "chart", "checked", "csv_bytes", "download_table", "forget", "grid", "lang", "linked", "memo",
           "navigation", "now", "open_unit", "page", "province_picker", "plain", "remember", "report_grid", "reporting", "seen", "status_badge", "styled",
           "review_note", "reviews", "statuses", "store", "t", "table", "today", "unit_labels", "user", "values", "xlsx_bytes"]
