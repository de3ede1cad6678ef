"""The script every page runs (served by app.py: streamlit run app.py)."""

import streamlit as st

import ui
from loaders.reference import area_names

# No page or page_icon icons: Streamlit fetches a Material icon used as favicon from the internet.
st.set_page_config(page_title=f"TMĐT {area_names('vi')['area']}", layout="wide")
ui.navigation().run()
