"""Not built yet (see the open issues)."""

import streamlit as st

import ui

store = ui.data()
ui.filters(store)
ui.banner(store)
st.info("…")
