"""The review's files downloaded from the pages as a presenter and an officer would: the Word
report from the slideshow page and a unit's from its profile page, made on the server when the
button is clicked, opened with python-docx."""

from __future__ import annotations

import i18n
from browser_harness import assert_no_error, open_page
from docx import Document


def download(page, label: str, folder):
    button = page.get_by_role("button", name=label)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as got:
        button.click()
    path = folder / got.value.suggested_filename
    got.value.save_as(path)
    return path, Document(str(path))


def test_the_word_report_downloads_from_the_slideshow(app, page, tmp_path):
    open_page(page, app.url + "/slides?period=2026-H1")
    path, doc = download(page, i18n.t("slides.download_docx", "vi"), tmp_path)
    assert path.name == "tmdt-haiphong-2026-H1.docx"
    assert [p.text for p in doc.paragraphs][:2] == [
        "BÁO CÁO", "Sơ kết 06 tháng đầu năm 2026 tình hình thực hiện kế hoạch phát triển thương mại điện tử"]
    assert len(doc.inline_shapes) == 2
    assert_no_error(page)


def test_a_unit_s_word_report_downloads_from_its_profile(app, page, tmp_path):
    open_page(page, app.url + "/unit?unit=10507&period=2026-H1")
    path, doc = download(page, i18n.t("document.download_unit", "vi"), tmp_path)
    assert path.name == "tmdt-haiphong-2026-H1-10507.docx"
    assert doc.paragraphs[1].text.endswith("trên địa bàn phường Thành Đông")
    assert doc.tables[0].rows[0].cells[0].text.startswith("ỦY BAN NHÂN DÂN PHƯỜNG THÀNH ĐÔNG")
    assert_no_error(page)
