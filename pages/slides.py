"""Trình chiếu: the semi-annual review deck on screen, one slide at a time, in large type for a
1920×1080 projector, with the sidebar folded away. A presenter's clicker (Page Up / Page Down)
turns the slides. The same slides download as .pptx and .pdf,
the unit tables as .xlsx and the half-year report as a Word draft (.docx) (report/)."""

import functools

import streamlit as st

import ui
from charts.slides import for_projector, slide_figure
from loaders.boundaries import configured
from report.build import MIME, file_name, report_bytes
from report.content import build_deck

# A slide's chart box on a 1366×768 screen (the smallest it fits): the map's names and tile labels
# are chosen for that size, and a larger screen only enlarges them.
SCREEN_FONT_PX, FIGURE_W, FIGURE_H = 20, 700, 440
# One slide fills the window below the banner and the coverage line (TOP): the slide box is a
# column as tall as what is left, its body takes what the heading leaves, and a chart fills its
# part of the body (plotly follows its box). Type grows with the window's height, so a slide
# fits a 1366×768 laptop and fills a 1920×1080 projector (tests/browser/test_screens.py); a body
# that still overflows (long real data, a smaller window) scrolls inside the slide, never cut.
TOP = "11.5rem"
STYLE = f"""<style>
[data-testid="stMainBlockContainer"] {{max-width: 1880px; padding-top: 2.5rem; padding-bottom: 1rem;}}
[data-testid="stMainBlockContainer"] [data-testid="stAlertContainer"] {{padding: 0.5rem 1rem;}}
[data-testid="stMainBlockContainer"] [data-testid="stAlert"] p {{font-size: 1rem;}}
.st-key-slide {{height: calc(100dvh - {TOP}); min-height: 24rem; flex: 0 0 auto !important;}}
.st-key-slide h1 {{font-size: clamp(1.6rem, 4.2vh, 3rem); line-height: 1.2; padding: 0.2rem 0;}}
.st-key-slide h3 {{font-size: clamp(1.2rem, 2.8vh, 2rem); padding: 0;}}
.st-key-slide [data-testid="stMarkdownContainer"] li,
.st-key-slide [data-testid="stMarkdownContainer"] p {{font-size: clamp(1rem, 2.5vh, 1.55rem); line-height: 1.4;}}
.st-key-slide [data-testid="stTable"] td, .st-key-slide [data-testid="stTable"] th {{
    font-size: clamp(0.9rem, 1.95vh, 1.3rem); line-height: 1.3; padding-top: 0.2vh; padding-bottom: 0.2vh;}}
.st-key-slide [data-testid="stTable"] td > div {{max-width: 45vw;}}
.st-key-slide_number p {{text-align: center;}}
.st-key-slide [data-testid="stCaptionContainer"] p {{font-size: 0.9rem;}}
div:has(> .st-key-slide_body), .st-key-slide_body {{flex: 1 1 0 !important; min-height: 0; overflow: auto;}}
.st-key-slide_body > div, .st-key-slide_body [data-testid="stHorizontalBlock"],
.st-key-slide_body [data-testid="stColumn"] {{height: 100%; min-height: 0;}}
div:has(> .st-key-slide_chart), .st-key-slide_chart {{height: 100% !important; max-height: none !important;
    flex: 1 1 0 !important; min-height: 0;}}
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

    with st.container(key="slide"):
        back, where, forward = st.columns([2, 3, 2], vertical_alignment="center")
        back.button(ui.t("slides.previous"), key="slide_prev", on_click=go, args=(-1, total), disabled=n == 1,
                    width="stretch", shortcut="PageUp")
        where.container(key="slide_number").markdown(ui.t("slides.page_number", n=n, total=total))
        forward.button(ui.t("slides.next"), key="slide_next", on_click=go, args=(1, total), disabled=n == total,
                       width="stretch", shortcut="PageDown")

        st.title(slide.title)
        if slide.subtitle:
            st.subheader(slide.subtitle)
        with st.container(key="slide_body"):
            text, chart = (st.columns([5, 7]) if slide.figure is not None and (slide.bullets or slide.table) else
                           (st.container(), st.container()))
            with text:
                if slide.bullets:
                    st.markdown("\n".join(f"- {b}" for b in slide.bullets))
                if slide.table:
                    ui.table(slide.table.frame())
            if slide.figure is not None:
                fig = for_projector(slide_figure(slide.figure, lg, FIGURE_W, FIGURE_H, configured().geojson), None, None,
                                    SCREEN_FONT_PX)
                with chart, st.container(height=FIGURE_H, key="slide_chart", border=False):
                    ui.chart(fig, f"slide-{n:02d}-{slide.figure.name}", key=f"slide_chart_{slide.key}", height="stretch")
        st.caption(d.stamp(n))
    if slide.notes:
        with st.expander(ui.t("slides.notes")):
            st.text(slide.notes)

    st.divider()
    st.markdown(f"**{ui.t('slides.exports')}**")
    st.caption(ui.t("slides.city_only") + " " + ui.t("slides.exports_help"))
    for col, suffix in zip(st.columns(4), (".pptx", ".pdf", ".xlsx", ".docx")):
        col.download_button(ui.t(f"slides.download_{suffix[1:]}"),
                            functools.partial(report_bytes, store, f.period, suffix, f.view, lg),
                            file_name(f.period, suffix), MIME[suffix], key=f"slides_download_{suffix[1:]}",
                            on_click="ignore", width="stretch")
