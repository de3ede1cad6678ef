"""Deck, printable report or tables for a store, a period and filters, as bytes or a file.

This is the output end of the flow (like a page): content.py computes the slides (document.py
the Word report) from metrics, charts.slides draws their figures, render.py turns them into PNGs
with one browser, and the writers lay everything out. The .xlsx needs no figures."""

from __future__ import annotations

import io
from pathlib import Path

from charts.slides import for_print, for_projector, slide_figure
from loaders.boundaries import configured
from loaders.store import StoreData
from metrics.indicators import View
from report import layout, render
from report.content import Deck, build_deck
from report.document import Report, build_report

FORMATS = (".pptx", ".pdf", ".xlsx", ".docx")
MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def figures(deck: Deck) -> dict:
    """slide.key → the slide's plotly figure at the size of its box, type enlarged for a projector."""
    out, geojson = {}, configured().geojson
    for slide in deck.slides:
        if slide.figure is not None:
            w, h = layout.boxes(slide)["figure"].pixels()
            out[slide.key] = for_print(for_projector(slide_figure(slide.figure, deck.lang, w, h, geojson), w, h,
                                                     layout.FIGURE_FONT_PX))
    return out


def images(deck: Deck) -> dict[str, bytes]:
    """slide.key → PNG bytes of its figure (one browser for all of them)."""
    render.start()
    return {key: render.png(fig, fig.layout.width, fig.layout.height) for key, fig in figures(deck).items()}


# A figure of the Word report: its size (px) and type (px), printed 160 mm wide.
DOCUMENT_FIGURE = (900, 520, 14)


def document_images(report: Report) -> dict[str, bytes]:
    """figure name → PNG bytes of the Word report's figures (one browser for all of them)."""
    w, h, font = DOCUMENT_FIGURE
    geojson, out = configured().geojson, {}
    for block in report.blocks:
        if block.figure is not None:
            fig = for_print(for_projector(slide_figure(block.figure, report.lang, w, h, geojson), w, h, font))
            out[block.figure.name] = render.png(fig, w, h)
    return out


def report_bytes(data: StoreData, period: str, suffix: str, view: View = View(), lang: str = "vi",
                 deck: Deck | None = None, unit: str | None = None, notes: bool = False) -> bytes:
    """The file of type `suffix` (.pptx, .pdf, .xlsx, .docx) for the period and filters; the
    Word report for the city, or for `unit` against the city; the PDF with the speaker notes
    under each slide with `notes`."""
    suffix = suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"unsupported output {suffix!r}: {', '.join(FORMATS)}")
    buf = io.BytesIO()
    if suffix == ".docx":
        from report.docx import write_docx

        render.start()
        report = build_report(data, period, view, lang, unit)
        write_docx(report, document_images(report), buf)
        return buf.getvalue()
    if suffix != ".xlsx":
        render.start()  # Chromium boots in the background while the slides' metrics are computed
    if suffix == ".xlsx":
        from report.xlsx import write_xlsx

        write_xlsx(data, period, view, lang, buf)
        return buf.getvalue()
    deck = deck or build_deck(data, period, view, lang)
    if suffix == ".pdf":
        from report.pdf import font_paths, write_pdf

        font_paths()  # no font: fail before drawing anything
        write_pdf(deck, images(deck), buf, notes)
    else:
        from report.pptx import write_pptx

        write_pptx(deck, images(deck), buf)
    return buf.getvalue()


def write_report(data: StoreData, period: str, out: Path, view: View = View(), lang: str = "vi",
                 unit: str | None = None, notes: bool = False) -> None:
    content = report_bytes(data, period, out.suffix, view, lang, unit=unit, notes=notes)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)


def file_name(period: str, suffix: str, unit: str | None = None) -> str:
    return f"tmdt-haiphong-{period}{f'-{unit}' if unit else ''}{suffix}"
