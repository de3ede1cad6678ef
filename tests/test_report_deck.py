"""The review deck on the sample store as .pptx and .pdf: read back, every slide has its title,
figures, table, footer and speaker notes as text, and every chart as a non-empty PNG."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from loaders.reference import default_store
from loaders.store import load_store
from report import build, layout
from report.content import build_deck
from report.pdf import FontMissing, write_pdf
from report.pptx import write_pptx

PERIOD = "2026-H1"
FIGURES = {"units_by_status", "map", "target_ward_digital_rate", "target_ward_outreach_rate",
           "target_ward_cashless_rises", "target_ward_trainings", "target_ward_register_review"}
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def deck():
    return build_deck(load_store(default_store()), PERIOD)


@pytest.fixture(scope="module")
def images(deck):
    return build.images(deck)


@pytest.fixture(scope="module")
def prs(deck, images):
    buf = io.BytesIO()
    write_pptx(deck, images, buf)
    return Presentation(io.BytesIO(buf.getvalue()))


@pytest.fixture(scope="module")
def pdf(deck, images) -> bytes:
    buf = io.BytesIO()
    write_pdf(deck, images, buf)
    return buf.getvalue()


def texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_every_figure_is_a_png_of_its_box(deck, images):
    assert set(images) == FIGURES
    for s in deck.slides:
        if s.key in images:
            w, h = layout.boxes(s)["figure"].pixels()
            png = Image.open(io.BytesIO(images[s.key]))
            assert images[s.key].startswith(PNG) and png.size == (w * 2, h * 2)
            assert len(png.getcolors(1 << 24)) > 20  # drawn, not a blank page


def test_deck_is_16_by_9_with_one_slide_per_deck_slide(deck, prs):
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(prs.slides) == len(deck.slides) == 12


def test_each_slide_has_its_text(deck, prs):
    for n, (want, got) in enumerate(zip(deck.slides, prs.slides), 1):
        assert got.shapes.title.text_frame.text == want.title
        body = texts(got)
        for bullet in want.bullets:
            assert any(f"• {bullet}" in t for t in body), bullet
        stamp = deck.stamp(n)
        assert stamp in body and "DỮ LIỆU MẪU TỔNG HỢP" in stamp and "Kỳ: 6 tháng đầu năm 2026" in stamp
        assert got.notes_slide.notes_text_frame.text == want.notes
        tables = [s.table for s in got.shapes if s.has_table]
        if want.table:
            cells = [[c.text for c in row.cells] for row in tables[0].rows]
            assert cells == [list(want.table.columns), *map(list, want.table.rows)]
        else:
            assert not tables


def test_each_chart_slide_has_its_image(deck, prs, images):
    for want, got in zip(deck.slides, prs.slides):
        pictures = [s for s in got.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        if want.key in FIGURES:
            assert len(pictures) == 1 and pictures[0].image.blob == images[want.key]
        else:
            assert pictures == []


def test_city_slide_reads_the_figures(prs):
    cells = [[c.text for c in row.cells] for row in next(s for s in prs.slides[1].shapes if s.has_table).table.rows]
    assert cells[0] == ["Chỉ tiêu", "Kết quả", "Mục tiêu", "Tình trạng"]
    # the sample's city digital rate: 55,470 / 124,349 businesses
    assert cells[1] == ["Tỷ lệ cơ sở sử dụng kênh số", f"{55470 / 124349 * 100:.1f}%".replace(".", ","), "≥ 70%",
                        "↗ Đúng lộ trình"]


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", content))


def test_pdf_has_one_page_per_slide_with_the_charts_and_a_unicode_font(deck, pdf):
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == len(deck.slides) == 12
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) == len(FIGURES)
    assert b"DejaVuSans" in pdf  # embedded: Vietnamese prints as is


def test_pdf_without_a_font_fails_clearly(deck, monkeypatch):
    monkeypatch.setenv("TMDT_PDF_FONT", "/nonexistent/font.ttf")
    with pytest.raises(FontMissing, match=r"Không tìm thấy phông chữ Unicode.*\(no Unicode font"):
        write_pdf(deck, {}, io.BytesIO())
