"""The deck as a printable PDF (fpdf2): one A4 landscape page per slide, the slide drawn to scale
at the top and, on request, its speaker notes (the figures behind each number) printed underneath.

Vietnamese needs a Unicode TrueType font: DejaVu Sans (Debian's fonts-dejavu-core), or the file
named by TMDT_PDF_FONT (its bold face beside it as <name>-Bold.ttf, else the regular one)."""

from __future__ import annotations

import io
import os
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from report import layout
from report.content import Deck, Slide

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)
PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
SLIDE_W = 250.0  # the slide's width on the page, mm
SCALE = SLIDE_W / (layout.WIDTH * 25.4)  # page mm per slide mm
X0, Y0 = (PAGE_W - SLIDE_W) / 2, 8.0
NOTES_TOP = Y0 + layout.HEIGHT * 25.4 * SCALE + 5
NOTES_X, NOTES_W, NOTES_BOTTOM = 15.0, PAGE_W - 30.0, PAGE_H - 8
NOTES_PT = (8.0, 7.0, 6.0, 5.0)  # the largest that fits is used
PT_MM = 25.4 / 72
GREY, WARN, HEADER_FILL = (85, 85, 85), (160, 58, 0), (221, 230, 240)


class FontMissing(RuntimeError):
    """No Unicode font for the PDF (message in Vietnamese, English in brackets)."""


def font_paths() -> tuple[Path, Path]:
    """(regular, bold) TrueType files of the PDF's font."""
    chosen = os.environ.get("TMDT_PDF_FONT")
    candidates = [chosen] if chosen else FONT_CANDIDATES
    regular = next((Path(c) for c in candidates if Path(c).is_file()), None)
    if regular is None:
        raise FontMissing(
            f"Không tìm thấy phông chữ Unicode cho PDF ({', '.join(candidates)}); cài gói fonts-dejavu-core hoặc đặt "
            f"TMDT_PDF_FONT là đường dẫn tệp .ttf (no Unicode font for the PDF: install fonts-dejavu-core or set "
            f"TMDT_PDF_FONT to a .ttf file)")
    bold = regular.with_name(f"{regular.stem}-Bold{regular.suffix}")
    return regular, bold if bold.is_file() else regular


def write_pdf(deck: Deck, images: dict[str, bytes], out, notes: bool = False) -> None:
    """Write the deck to `out` (a path or a binary file). `images` maps slide.key → PNG bytes;
    `notes`: the speaker notes under each slide (a presenter's copy; the handout has none)."""
    regular, bold = font_paths()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"{deck.title} — {deck.period}")
    pdf.add_font("Body", "", str(regular))
    pdf.add_font("Body", "B", str(bold))
    for n, slide in enumerate(deck.slides, 1):
        pdf.add_page()
        _slide(pdf, deck, slide, n, images.get(slide.key))
        if notes:
            _notes(pdf, slide.notes)
    pdf.output(out)


def _mm(box: layout.Box) -> tuple[float, float, float, float]:
    k = 25.4 * SCALE
    return X0 + box.x * k, Y0 + box.y * k, box.w * k, box.h * k


def _write(pdf: FPDF, box: layout.Box, lines, pt: float, bold: bool = False, colour=(0, 0, 0), bullet=False) -> None:
    x, y, w, _ = _mm(box)
    size = pt * SCALE
    pdf.set_font("Body", "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.set_xy(x, y)
    for line in lines:
        pdf.set_x(x)
        pdf.multi_cell(w, size * PT_MM * 1.3, f"• {line}" if bullet else line, align="L", new_x="LEFT", new_y="NEXT")
        if bullet:
            pdf.set_y(pdf.get_y() + size * PT_MM * 0.45)


def _bullets_height(pdf: FPDF, box: layout.Box, bullets, pt: float) -> float:
    """mm the bullets take, wrapped as _write writes them, at pt (slide points)."""
    _, _, w, _ = _mm(box)
    size = pt * SCALE
    pdf.set_font("Body", "", size)
    return sum(pdf.multi_cell(w, size * PT_MM * 1.3, f"• {b}", dry_run=True, output="HEIGHT") + size * PT_MM * 0.45
               for b in bullets)


def _bullet_pt(pdf: FPDF, box: layout.Box, bullets) -> float:
    """The largest of layout.BULLET_SIZES at which the bullets, measured in the PDF's own font,
    end inside their box (above the footer); else the smallest."""
    room = _mm(box)[3]
    return next((pt for pt in layout.BULLET_SIZES if _bullets_height(pdf, box, bullets, pt) <= room),
                layout.BULLET_SIZES[-1])


def _slide(pdf: FPDF, deck: Deck, slide: Slide, n: int, image: bytes | None) -> None:
    boxes = layout.boxes(slide)
    pdf.set_draw_color(190, 190, 190)
    pdf.rect(X0, Y0, SLIDE_W, layout.HEIGHT * 25.4 * SCALE)
    cover = slide.key == "title"
    _write(pdf, boxes["title"], [slide.title], layout.title_pt(slide), bold=True)
    if cover:
        _write(pdf, boxes["subtitle"], [slide.subtitle], layout.SUBTITLE_PT, colour=GREY)
    if "bullets" in boxes:
        _write(pdf, boxes["bullets"], slide.bullets, _bullet_pt(pdf, boxes["bullets"], slide.bullets), bullet=True)
    if "table" in boxes:
        _table(pdf, slide, boxes["table"])
    if "figure" in boxes and image:
        x, y, w, h = _mm(boxes["figure"])
        pdf.image(io.BytesIO(image), x=x, y=y, w=w, h=h, keep_aspect_ratio=True)
    _write(pdf, boxes["footer"], [deck.stamp(n)], layout.FOOTER_PT, colour=WARN if deck.synthetic_note else GREY)


def _table(pdf: FPDF, slide: Slide, box: layout.Box) -> None:
    x, y, w, _ = _mm(box)
    size = layout.table_pt(slide) * SCALE
    widths = [cw / box.w * w for cw in layout.column_widths(slide, box.w)]
    pdf.set_font("Body", "", size)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(x, y)
    margin = pdf.l_margin
    pdf.set_left_margin(x)
    with pdf.table(width=w, col_widths=widths, align="LEFT", text_align="LEFT", line_height=size * PT_MM * 1.35,
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL), padding=0.8) as grid:
        for values in (slide.table.columns, *slide.table.rows):
            row = grid.row()
            for value in values:
                row.cell(value)
    pdf.set_left_margin(margin)


def _notes(pdf: FPDF, notes: str) -> None:
    """The speaker notes under the slide, in the largest type that fits the space left."""
    if not notes:
        return
    room = NOTES_BOTTOM - NOTES_TOP
    for pt in NOTES_PT:
        pdf.set_font("Body", "", pt)
        height = pt * PT_MM * 1.25
        lines = pdf.multi_cell(NOTES_W, height, notes, dry_run=True, output="LINES")
        if len(lines) * height <= room:
            break
    fits = int(room // height)
    if len(lines) > fits:  # even the smallest type overflows: cut, and say so
        lines = [*lines[:fits - 1], lines[fits - 1] + " …"]
    pdf.set_text_color(*GREY)
    pdf.set_xy(NOTES_X, NOTES_TOP)
    pdf.multi_cell(NOTES_W, height, "\n".join(lines), align="L")
