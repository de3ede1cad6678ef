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


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext reads it (poppler-utils; .ci/run installs it)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "deck.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_pdf_speaker_notes_only_on_request(deck, images, pdf, tmp_path):
    note = deck.slides[1].notes.splitlines()[0][:40]  # the city slide's first figure behind a number
    assert note not in pdf_text(pdf, tmp_path)  # the handout: slides only
    with_notes = io.BytesIO()
    write_pdf(deck, images, with_notes, notes=True)
    assert note in pdf_text(with_notes.getvalue(), tmp_path)


def test_pdf_bullets_end_above_the_footer(deck):
    from fpdf import FPDF

    from report.pdf import _bullet_pt, _bullets_height, _mm, font_paths

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font("Body", "", str(font_paths()[0]))
    pdf.add_page()
    for slide in (s for s in deck.slides if s.bullets):
        box = layout.boxes(slide)["bullets"]
        pt = _bullet_pt(pdf, box, slide.bullets)
        _, y, _, h = _mm(box)
        footer_top = _mm(layout.boxes(slide)["footer"])[1]
        assert y + _bullets_height(pdf, box, slide.bullets, pt) <= min(y + h, footer_top), slide.key


def test_printed_charts_on_white(deck):
    for key, fig in build.figures(deck).items():
        assert (fig.layout.paper_bgcolor, fig.layout.plot_bgcolor) == ("white", "white"), key  # not plotly's grey


def test_furthest_behind_are_named_in_the_order_of_their_gaps(deck):
    named = [b for s in deck.slides for b in s.bullets if b.startswith("Chậm nhất: ")]
    assert named
    for bullet in named:
        # "(-6,3 điểm %)" after a rate, "(-1)" after a count; a unit's code "(11809)" has no sign
        gaps = [float(g.replace(".", "").replace(",", ".")) for g in re.findall(r"\(([-+][\d.,]+|0,0|0)(?: điểm %)?\)", bullet)]
        values = [float(v.replace(".", "").replace(",", ".")) for v in re.findall(r"\(\d{5}\) ([\d.,]+)", bullet)]
        assert gaps == sorted(gaps) if gaps else values == sorted(values), bullet  # a yearly target: no trajectory
