"""A bare Streamlit page that shows one saved plotly figure and nothing else: the baseline that
bench_pages.py compares the progress map page with. BENCH_FIGURE names the figure's JSON file.

With BENCH_CONTROLS set, the page also draws the widgets the map page has (the frame's sidebar
filters, the map's own controls and download buttons; fixed labels, nothing computed): what the
same controls cost a cold page, apart from everything else the dashboard's page does."""

import json
import os

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")  # as dashboard.py, so the figure is drawn at the same width
controls = bool(os.environ.get("BENCH_CONTROLS"))
if controls:
    side = st.sidebar
    side.radio("Ngôn ngữ", ["vi", "en"], horizontal=True)
    side.html("<script>document.documentElement.lang = 'vi';</script>", unsafe_allow_javascript=True, width="content")
    side.subheader("Bộ lọc")
    side.selectbox("Kỳ báo cáo", ["2025-H2", "2026-H1"], index=1)
    side.multiselect("Ngành hàng", ["a", "b", "c"], placeholder="Tất cả")
    side.multiselect("Loại hình", ["a", "b", "c"], placeholder="Tất cả")
    side.toggle("Chỉ báo cáo đã duyệt")
    st.title("Bản đồ tiến độ")
    with st.popover("Tỷ lệ cơ sở sử dụng kênh số · tô màu: Giá trị", icon=":material/tune:"):  # the map's options
        st.selectbox("Chỉ tiêu", ["a", "b"])
        st.radio("Tô màu theo", ["value", "status", "gap"], horizontal=True)
        st.toggle("So sánh với kỳ khác")
with open(os.environ["BENCH_FIGURE"], encoding="utf-8") as f:
    # The figure as it was sent, not validated again: its JSON has null where it had NaN.
    figure = go.Figure(json.load(f), _validate=False)
# A geo map's empty topology from this server's static/ folder, as the dashboard's (ui.chart)
st.plotly_chart(figure, width="stretch", config={"displaylogo": False, "topojsonURL": "app/static/topojson/"})
if controls:
    with st.popover("Bảng số liệu và tải về", icon=":material/table:"):
        st.toggle("Xem bảng số liệu của bản đồ")
        row = st.container(horizontal=True)
        row.download_button("Tải XLSX", b"-", "map.xlsx")
        row.download_button("Tải CSV", b"-", "map.csv")
