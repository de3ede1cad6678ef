"""Entry point: streamlit run dashboard.py"""

import streamlit as st

import ui

# No page or page_icon icons: Streamlit fetches a Material icon used as favicon from the internet.
st.set_page_config(page_title="TMĐT Hải Phòng", layout="wide")
ui.language_switch()

PAGES = [
    ("pages/overview.py", "nav.overview", True),
    ("pages/progress_map.py", "nav.map", False),
    ("pages/scorecard.py", "nav.scorecard", False),
    ("pages/unit.py", "nav.unit", False),
    ("pages/sectors.py", "nav.sectors", False),
    ("pages/targets.py", "nav.targets", False),
    ("pages/reporting.py", "nav.reporting", False),
    ("pages/slides.py", "nav.slides", False),
]
nav = st.navigation([st.Page(path, title=ui.t(key), default=default) for path, key, default in PAGES])
nav.run()
