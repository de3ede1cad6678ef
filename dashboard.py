"""Entry point: streamlit run dashboard.py"""

import streamlit as st

import ui

# No page_icon: a Material or emoji favicon is fetched from the internet; the default is served locally.
st.set_page_config(page_title="TMĐT Hải Phòng", layout="wide")
ui.language_switch()

PAGES = [
    ("pages/overview.py", "nav.overview", ":material/dashboard:", True),
    ("pages/progress_map.py", "nav.map", ":material/map:", False),
    ("pages/scorecard.py", "nav.scorecard", ":material/table_chart:", False),
    ("pages/unit.py", "nav.unit", ":material/location_city:", False),
    ("pages/sectors.py", "nav.sectors", ":material/category:", False),
    ("pages/targets.py", "nav.targets", ":material/flag:", False),
    ("pages/reporting.py", "nav.reporting", ":material/event_available:", False),
    ("pages/slides.py", "nav.slides", ":material/slideshow:", False),
]
nav = st.navigation([st.Page(path, title=ui.t(key), icon=icon, default=default) for path, key, icon, default in PAGES])
nav.run()
