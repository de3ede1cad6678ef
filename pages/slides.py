"""Trình chiếu: the semi-annual review deck on screen, one slide at a time, in large type for a
1920×1080 projector, with the sidebar folded away. A presenter's clicker (Page Up / Page Down)
turns the slides. The same slides download as .pptx and .pdf,
and the unit tables as .xlsx (report/)."""

import functools

import streamlit as st

import ui
from charts.slides import for_projector, slide_figure
from loaders.boundaries import configured
from report.build import MIME, file_name, report_bytes
from report.content import build_deck

SCREEN_FONT_PX, FIGURE_W, FIGURE_H = 20, 1000, 600
STYLE = """<style>
[data-testid="stMainBlockContainer"] {max-width: 1880px; padding-top: 2.5rem;}
[data-testid="stMainBlockContainer"] h1 {font-size: 3rem; line-height: 1.2;}
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] p {font-size: 1.55rem; line-height: 1.45;}
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th {font-size: 1.3rem;}
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p {font-size: 1rem;}
</style>"""


def go(step: int, total: int) -> None:
    st.session_state["slide"] = min(max(st.session_state.get("slide", 1) + step, 1), total)


st.set_page_config(initial_sidebar_state="collapsed")
st.markdown(STYLE, unsafe_allow_html=True)
with ui.page(title="") as f:
    store, lg = f.store, f.lang
    d = ui.memo(("slides.deck", f.period, f.view, lg), lambda: build_deck(store, f.period, f.view, lg))
    total = len(d.slides)
    n = min(max(st.session_state.get("slide", 1), 1), total)
    st.session_state["slide"] = n
    slide = d.slides[n - 1]

    back, where, forward = st.columns([2, 3, 2], vertical_alignment="center")
    back.button(ui.t("slides.previous"), key="slide_prev", on_click=go, args=(-1, total), disabled=n == 1,
                width="stretch", shortcut="PageUp")
    where.markdown(f"<div style='text-align:center;font-size:1.4rem'>{ui.t('slides.page_number', n=n, total=total)}</div>",
                   unsafe_allow_html=True)
    forward.button(ui.t("slides.next"), key="slide_next", on_click=go, args=(1, total), disabled=n == total,
                   width="stretch", shortcut="PageDown")

    st.title(slide.title)
    if slide.subtitle:
        st.subheader(slide.subtitle)
    text, chart = (st.columns([5, 7]) if slide.figure is not None and (slide.bullets or slide.table) else
                   (st.container(), st.container()))
    with text:
        if slide.bullets:
            st.markdown("\n".join(f"- {b}" for b in slide.bullets))
        if slide.table:
            ui.table(slide.table.frame())
    if slide.figure is not None:
        with chart:
            fig = for_projector(slide_figure(slide.figure, lg, FIGURE_W, FIGURE_H, configured().geojson), None, FIGURE_H, SCREEN_FONT_PX)
            ui.chart(fig, f"slide-{n:02d}-{slide.figure.name}", key=f"slide_chart_{slide.key}")
    st.caption(d.stamp(n))
    if slide.notes:
        with st.expander(ui.t("slides.notes")):
            st.text(slide.notes)

    st.divider()
    st.markdown(f"**{ui.t('slides.exports')}**")
    st.caption(ui.t("slides.city_only") + " " + ui.t("slides.exports_help"))
    for col, suffix in zip(st.columns(3), (".pptx", ".pdf", ".xlsx")):
        col.download_button(ui.t(f"slides.download_{suffix[1:]}"),
                            functools.partial(report_bytes, store, f.period, suffix, f.view, lg),
                            file_name(f.period, suffix), MIME[suffix], key=f"slides_download_{suffix[1:]}",
                            on_click="ignore", width="stretch")
