"""The deck as a 16:9 PowerPoint file (python-pptx): titles, bullet figures, tables and speaker
notes as real text; charts as the PNG images of report.render."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from report import layout
from report.content import Deck, Slide

GREY = RGBColor(0x55, 0x55, 0x55)
WARN = RGBColor(0xA0, 0x3A, 0x00)  # dark vermillion: the synthetic-data note
HEADER_FILL = RGBColor(0xDD, 0xE6, 0xF0)
TITLE_ONLY, TITLE_SLIDE = 5, 0  # layouts of python-pptx's default template


def write_pptx(deck: Deck, images: dict[str, bytes], out) -> None:
    """Write the deck to `out` (a path or a binary file). `images` maps slide.key → PNG bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(layout.WIDTH), Inches(layout.HEIGHT)
    for n, slide in enumerate(deck.slides, 1):
        _slide(prs, deck, slide, n, images.get(slide.key))
    prs.save(out)


def _place(shape, box: layout.Box) -> None:
    shape.left, shape.top, shape.width, shape.height = Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)


def _text(frame, lines, pt: int, bold: bool = False, colour=None, bullet: bool = False) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = f"• {line}" if bullet else line
        para.space_after = Pt(pt * 0.45) if bullet else Pt(0)
        for run in para.runs:
            run.font.size, run.font.bold = Pt(pt), bold
            if colour is not None:
                run.font.color.rgb = colour


def _slide(prs, deck: Deck, slide: Slide, n: int, image: bytes | None) -> None:
    boxes = layout.boxes(slide)
    cover = slide.key == "title"
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE if cover else TITLE_ONLY])
    title = page.shapes.title
    _place(title, boxes["title"])
    _text(title.text_frame, [slide.title], layout.title_pt(slide), bold=True)
    if cover:
        sub = page.placeholders[1]
        _place(sub, boxes["subtitle"])
        _text(sub.text_frame, [slide.subtitle], layout.SUBTITLE_PT, colour=GREY)
    if "bullets" in boxes:
        shape = page.shapes.add_textbox(0, 0, 0, 0)
        _place(shape, boxes["bullets"])
        _text(shape.text_frame, slide.bullets, layout.bullet_pt(slide), bullet=True)
    if "table" in boxes:
        _table(page, slide, boxes["table"])
    if "figure" in boxes and image:
        box = boxes["figure"]
        page.shapes.add_picture(io.BytesIO(image), Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    foot = page.shapes.add_textbox(0, 0, 0, 0)
    _place(foot, boxes["footer"])
    _text(foot.text_frame, [deck.stamp(n)], layout.FOOTER_PT, colour=WARN if deck.synthetic_note else GREY)
    page.notes_slide.notes_text_frame.text = slide.notes


def _table(page, slide: Slide, box: layout.Box) -> None:
    table = slide.table
    pt = layout.table_pt(slide)
    row_h = pt * 2.1 / 72  # inches: one line of type and its padding
    shape = page.shapes.add_table(len(table.rows) + 1, len(table.columns), Inches(box.x), Inches(box.y),
                                  Inches(box.w), Inches(row_h * (len(table.rows) + 1)))
    grid = shape.table
    for i, w in enumerate(layout.column_widths(slide, box.w)):
        grid.columns[i].width = Inches(w)
    for r, values in enumerate([table.columns, *table.rows]):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = value
            cell.margin_top = cell.margin_bottom = Pt(3)
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size, run.font.bold = Pt(pt), r == 0
                    run.font.color.rgb = RGBColor(0, 0, 0)
            if r == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = HEADER_FILL
            else:
                cell.fill.background()
