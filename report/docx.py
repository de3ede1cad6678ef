"""The half-year report (report/document.Report) as a Word document in the administrative format
of Nghị định 30/2020/NĐ-CP: A4, the margins, font and sizes of config/document.toml [page]; the
issuing body and its number on the left, the national motto on the right, place and date; the
title "BÁO CÁO" and its subject; the body; "Nơi nhận" and the signature block left for the signer;
page numbers centred at the top from the second page. Tables are Word tables (their header row
repeated on every page), figures PNG images. python-docx writes everything but the page-number
field and the repeated header row, two small pieces of WordprocessingML it has no API for."""

from __future__ import annotations

import io
from typing import BinaryIO

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

import i18n
from loaders.reference import document as settings_of
from report.content import Table
from report.document import Report

A4_MM = (210, 297)
NUMERIC = set("0123456789.,%+-–— /≥≤<>")  # a cell of figures only is aligned right


def write_docx(report: Report, images: dict[str, bytes], out: BinaryIO) -> None:
    """Write the report; `images`: figure name → PNG bytes (report/build.document_images)."""
    page = settings_of()["page"]
    doc = new_document()
    _page_setup(doc, page)
    _letterhead(doc, report)
    _title(doc, report)
    if report.synthetic_note:
        _paragraph(doc, report.synthetic_note, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for block in report.blocks:
        if block.kind == "heading":
            _paragraph(doc, block.text, bold=True, indent=True, keep_with_next=True)
        elif block.kind == "subheading":
            _paragraph(doc, block.text, bold=True, italic=True, indent=True, keep_with_next=True)
        elif block.kind in ("text", "note"):
            _paragraph(doc, block.text, italic=block.kind == "note", indent=True)
        elif block.kind == "bullets":
            for item in block.items:
                _paragraph(doc, f"- {item}", indent=True)
        elif block.kind == "table":
            _table(doc, block.table, page["table_size_pt"])
        elif block.kind == "figure":
            png = images.get(block.figure.name)
            if png:
                doc.add_picture(io.BytesIO(png), width=Mm(_text_width_mm() - 5))  # across the text
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _paragraph(doc, block.text, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=page["table_size_pt"])
    _signature(doc, report)
    doc.save(out)


def _page_setup(doc, page: dict) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    m = page["margins_mm"]
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = page["font"], Pt(page["size_pt"])
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), page["font"])  # Word reads the font for every script
    normal.paragraph_format.space_after = Pt(6)
    # The page number, centred at the top, from the second page (the first has the letterhead).
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    header._p.append(field)


def _paragraph(where, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False, keep_with_next: bool = False):
    p = where.add_paragraph()
    p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    p.paragraph_format.keep_with_next = keep_with_next
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return p


def _cell_text(cell, lines: list[tuple[str, dict]], align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """Lines of (text, run options) in a cell, each its own paragraph."""
    for i, (text, opts) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold, run.italic = opts.get("bold", False), opts.get("italic", False)
        run.font.size = Pt(opts.get("size", 13))


def _letterhead(doc, report: Report) -> None:
    """The issuing body and the number (left), the motto and the place and date (right)."""
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    _fixed_widths(head, [_text_width_mm() * 0.4, _text_width_mm() * 0.6])
    body = [(report.parent, {"size": 12})] if report.parent else []
    body += [(report.issuer, {"bold": True, "size": 13}), ("_______", {"bold": True, "size": 10}),
             (report.number, {"size": 13})]
    _cell_text(left, body)
    motto_1, motto_2 = (_t(report, "motto_1"), _t(report, "motto_2"))
    _cell_text(right, [(motto_1, {"bold": True, "size": 12}), (motto_2, {"bold": True, "size": 13}),
                       ("_________________", {"bold": True, "size": 10}), (report.place_date, {"italic": True, "size": 14})])


def _title(doc, report: Report) -> None:
    p = _paragraph(doc, _t(report, "title"), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.space_after = Pt(0)
    _paragraph(doc, report.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "_______", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=10)


CHAR_MM = 2.4  # a character of 12 pt Times New Roman (bold, digits)
PAD_MM = 4.0  # a cell's padding, both sides


def _widths(table: Table, total_mm: float) -> list[float]:
    """Column widths (mm) across the text width: each column at least as wide as its longest word
    or number (no figure broken across lines), the rest shared by how much each column writes
    (its header's and cells' mean length)."""
    texts = [[head, *(r[i] for r in table.rows)] for i, head in enumerate(table.columns)]
    least = [max(len(w) for t in col for w in t.split() or [""]) * CHAR_MM + PAD_MM for col in texts]
    weights = [sum(map(len, col)) / len(col) for col in texts]
    room = total_mm - sum(least)
    if room <= 0:
        return [w * total_mm / sum(least) for w in least]
    return [m + room * w / sum(weights) for m, w in zip(least, weights)]


def _fixed_widths(grid, widths_mm: list[float]) -> None:
    """Word reads the cells' widths, LibreOffice the table grid's: both are set."""
    grid.autofit = False
    for column, w in zip(grid.columns, widths_mm):
        column.width = Mm(w)
    for row in grid.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)


def _table(doc, table: Table, size: float) -> None:
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")  # the header row again at the top of every page
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, table.columns):
        _cell_text(cell, [(text, {"bold": True, "size": size})])
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row):
            align = WD_ALIGN_PARAGRAPH.RIGHT if text and set(text) <= NUMERIC and text != "—" else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(cell, [(text, {"size": size})], align)
    _fixed_widths(grid, _widths(table, _text_width_mm()))
    doc.add_paragraph()


def _text_width_mm() -> float:
    m = settings_of()["page"]["margins_mm"]
    return A4_MM[0] - m["left"] - m["right"]


def _signature(doc, report: Report) -> None:
    """"Nơi nhận" and its list (left), the signer's title and room for the signature (right)."""
    block = doc.add_table(rows=1, cols=2)
    left, right = block.rows[0].cells
    _fixed_widths(block, [_text_width_mm() / 2] * 2)
    _cell_text(left, [(_t(report, "recipients"), {"bold": True, "italic": True, "size": 12}),
                      *((f"- {r}", {"size": 11}) for r in report.recipients)], WD_ALIGN_PARAGRAPH.LEFT)
    _cell_text(right, [*((s, {"bold": True, "size": 14}) for s in report.signer),
                       (_t(report, "sign_here"), {"italic": True, "size": 12}), *(("", {}) for _ in range(4))])


def _t(report: Report, key: str) -> str:
    return i18n.t(f"document.{key}", report.lang)
