"""Entry point: streamlit run dashboard.py"""

import streamlit as st

import ui

# No page or page_icon icons: Streamlit fetches a Material icon used as favicon from the internet.
st.set_page_config(page_title="TMĐT Hải Phòng", layout="wide")
ui.navigation().run()
