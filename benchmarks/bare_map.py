"""A bare Streamlit page that shows one saved plotly figure and nothing else: the baseline that
bench_pages.py compares the progress map page with. BENCH_FIGURE names the figure's JSON file."""

import json
import os

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")  # as dashboard.py, so the figure is drawn at the same width
with open(os.environ["BENCH_FIGURE"], encoding="utf-8") as f:
    # The figure as it was sent, not validated again: its JSON has null where it had NaN.
    figure = go.Figure(json.load(f), _validate=False)
# A geo map's empty topology from this server's static/ folder, as the dashboard's (ui.chart)
st.plotly_chart(figure, width="stretch", config={"displaylogo": False, "topojsonURL": "app/static/topojson/"})
