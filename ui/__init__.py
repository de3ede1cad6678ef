"""The Streamlit side, by concern: state (URL, session, language), data (cached store, tables and
figures), widgets (figures, tables, downloads), notes (banner, sources), frame (navigation,
filters and the page frame), routing (one Streamlit workaround). Pages call what is named here
and the builders of metrics/ and charts/; no arithmetic here."""

from ui.data import memo, reporting, statuses, values
from ui.frame import PageView, navigation, open_unit, page, unit_labels
from ui.state import lang, linked, t
from ui.widgets import chart, csv_bytes, download_table, grid, status_badge, table, xlsx_bytes

__all__ = ["PageView", "chart", "csv_bytes", "download_table", "grid", "lang", "linked", "memo", "navigation", "open_unit",
           "page", "reporting", "status_badge", "statuses", "t", "table", "unit_labels", "values", "xlsx_bytes"]
