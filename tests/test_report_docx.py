"""The Word report (python -m metrics report --out F.docx [--unit CODE]) on a small store made by
the command line (tests/test_export_cli.py's): read back with python-docx, its figures those of
`metrics export` for the period and of a hand computation; rendered to PDF by LibreOffice and read
back with pdftotext."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from test_export_cli import A, B, run, store  # noqa: F401 (store: the module's fixture)

import i18n
from loaders.reference import default_store, units
from loaders.store import load_store
from metrics.export import export_table

PERIOD = "2026-H1"
HEADINGS = ["I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU", "II. ĐƠN VỊ CHẬM TIẾN ĐỘ VÀ TÌNH HÌNH GỬI BÁO CÁO",
            "III. KẾT QUẢ TRIỂN KHAI CÁC HOẠT ĐỘNG", "IV. TỒN TẠI, HẠN CHẾ", "V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"]


def report(store_path: Path, out: Path, *extra: str) -> Document:
    done = run("metrics", "report", "--data", str(store_path), "--period", PERIOD, "--out", str(out), *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return Document(str(out))


@pytest.fixture(scope="module")
def city_docx(store, tmp_path_factory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("docx") / "city.docx"
    report(store, out)
    return out


@pytest.fixture(scope="module")
def unit_docx(store, tmp_path_factory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("docx") / "unit.docx"
    report(store, out, "--unit", A)
    return out


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def row_of(doc: Document, first_cells: tuple[str, ...], name: str) -> list[str]:
    """The row naming `name` of the body table whose header starts with first_cells."""
    for t in doc.tables:
        rows = cells(t)
        if tuple(rows[0][:len(first_cells)]) == first_cells:
            for r in rows[1:]:
                if r[1] == name:
                    return r
    raise AssertionError(f"no row {name!r}")


def test_the_administrative_format(city_docx):
    doc = Document(str(city_docx))
    head = cells(doc.tables[0])[0]
    assert head[0].split("\n") == ["ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "SỞ CÔNG THƯƠNG", "_______", "Số:        /BC-SCT"]
    motto = head[1].split("\n")
    assert motto[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert motto[3].startswith("Hải Phòng, ngày ")
    body = texts(doc)
    assert body[0] == "BÁO CÁO"
    assert body[1] == "Sơ kết 06 tháng đầu năm 2026 tình hình thực hiện kế hoạch phát triển thương mại điện tử"
    assert [t for t in body if t in HEADINGS] == HEADINGS
    section = doc.sections[0]
    mm = lambda *lengths: tuple(round(x.mm) for x in lengths)  # noqa: E731 (Word keeps twentieths of a point)
    assert mm(section.page_width, section.page_height) == (210, 297)  # A4
    assert mm(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == (20, 20, 30, 15)
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    assert section.different_first_page_header_footer  # the page number from page 2, at the top
    assert 'w:instr="PAGE"' in section.header._element.xml
    signature = cells(doc.tables[-1])[0]
    assert signature[0].startswith("Nơi nhận:\n- UBND thành phố (để báo cáo);")
    assert signature[1].startswith("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n(Ký, ghi rõ họ tên)")
    assert not any("DỮ LIỆU MẪU" in t for t in body)  # real reports: no synthetic note


def test_the_results_are_the_export_s_figures(city_docx, store):  # noqa: F811
    doc = Document(str(city_docx))
    city = export_table(load_store(store), "city", PERIOD).iloc[0]
    header = ("TT", "Chỉ tiêu", "Kết quả", "Tử số / mẫu số", "Mục tiêu", "Tình trạng")
    digital = row_of(doc, header, "Tỷ lệ cơ sở sử dụng kênh số")
    # Thạch Khôi: 8 + 6 + 1 of 10 + 20 + 3 businesses; Thành Đông: none. 2025-H2: 4 of 8.
    assert city["digital_rate__num"] == 15 and city["digital_rate__den"] == 33
    assert digital[2:4] == [i18n.fmt_pct(city["digital_rate"]), "15 / 33"] == ["45,5%", "15 / 33"]
    assert digital[4] == "≥ 70%"
    assert digital[6] == "-4,5 điểm %"  # 45,5% − 50,0%
    assert cells(doc.tables[1])[0][6] == "So với 6 tháng cuối năm 2025"
    enterprises = row_of(doc, header, "Tỷ lệ doanh nghiệp ứng dụng TMĐT")
    assert enterprises[2:4] == [i18n.fmt_pct(city["enterprise_digital_rate"]), "8 / 10"]
    trainees = row_of(doc, header, "Lượt người được đào tạo, tập huấn")
    assert trainees[2:4] == ["40", "—"] and city["trainees"] == 25 + 15


def test_late_and_missing_units_are_named_in_order(city_docx):
    doc = Document(str(city_docx))
    late = next(cells(t) for t in doc.tables if cells(t)[0] == ["TT", "Đơn vị", "Tình trạng báo cáo", "Nộp lúc"])
    assert late[1] == ["1", "Phường Thành Đông (10507)", "Nộp muộn 2 ngày", "02/07/2026 08:00"]
    missing = [r[1] for r in late[2:]]
    others = [c for c in units()["unit_code"] if c not in (A, B)]
    assert len(missing) == len(others) == 112 and missing[0].endswith(f"({sorted(others)[0]})")
    assert [r[1][-6:-1] for r in late[2:]] == sorted(others)
    body = texts(doc)
    assert "Đã gửi báo cáo: 2/114 đơn vị (1,8%); đúng hạn 30/06/2026: 1/114 đơn vị (0,9%); nộp muộn: 1 đơn vị; chưa gửi: 112 đơn vị." in body
    assert "- 1 đơn vị gửi báo cáo muộn: Phường Thành Đông (10507)." in body
    assert "- Tổ chức 2 lớp tập huấn với 40 lượt người tham dự trong kỳ (lũy kế năm 2026: 2 lớp, 40 lượt người)." in body
    assert "- Đôn đốc các đơn vị gửi báo cáo kỳ 6 tháng cuối năm 2026 đúng hạn 30/12/2026." in body
    assert len(doc.inline_shapes) == 2  # units by status, and the map


def test_the_unit_variant_speaks_of_the_unit_against_the_city(unit_docx):
    doc = Document(str(unit_docx))
    assert cells(doc.tables[0])[0][0].split("\n")[:2] == ["ỦY BAN NHÂN DÂN PHƯỜNG THẠCH KHÔI", "_______"]
    body = texts(doc)
    assert body[1].endswith("trên địa bàn phường Thạch Khôi")
    assert any(t.startswith("Thực hiện ") and "Ủy ban nhân dân phường Thạch Khôi báo cáo" in t for t in body)
    header = ("TT", "Chỉ tiêu", "Kết quả của đơn vị", "Tử số / mẫu số")
    digital = row_of(doc, header, "Tỷ lệ cơ sở sử dụng kênh số")
    assert digital[2:4] == ["45,5%", "15 / 33"] and digital[7] == "45,5%"  # the city: Thạch Khôi's only
    outreach = row_of(doc, header, "Tỷ lệ điểm bán được tuyên truyền, hướng dẫn TTKDTM")
    assert outreach[2:4] == [i18n.fmt_pct(4 / 7 * 100), "4 / 7"]
    assert "Đơn vị đã gửi báo cáo lúc 28/06/2026 16:00 (đúng hạn 30/06/2026)." in body
    assert "- Gửi báo cáo kỳ 6 tháng cuối năm 2026 đúng hạn 30/12/2026." in body
    signature = cells(doc.tables[-1])[0]
    assert signature[1].startswith("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
    assert len(doc.inline_shapes) == 1  # the unit's trajectory


def test_the_sample_says_it_is_synthetic(tmp_path):
    doc = report(default_store(), tmp_path / "sample.docx")
    assert texts(doc)[3].startswith("DỮ LIỆU MẪU TỔNG HỢP — không phải số liệu thật")


def test_a_unit_needs_the_docx_and_a_known_code(store, tmp_path):  # noqa: F811
    done = run("metrics", "report", "--data", str(store), "--out", str(tmp_path / "x.pptx"), "--unit", A)
    assert done.returncode == 2 and "chỉ cho báo cáo Word .docx" in done.stdout
    done = run("metrics", "report", "--data", str(store), "--out", str(tmp_path / "x.docx"), "--unit", "99999")
    assert done.returncode == 2 and "99999" in done.stdout
    assert not (tmp_path / "x.docx").exists()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{name} not found (.ci/run installs it)")
        pytest.skip(f"{name} not found")
    return path


def test_libreoffice_prints_it_with_its_lists_in_order(tmp_path):
    soffice, pdftotext = _tool("soffice"), _tool("pdftotext")
    doc_path = tmp_path / "sample.docx"
    doc = report(default_store(), doc_path)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(doc_path)], check=True, capture_output=True, timeout=180)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "sample.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "BÁO CÁO" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    for heading in HEADINGS:
        assert heading in text
    lagging = next(cells(t) for t in doc.tables if cells(t)[0][:3] == ["TT", "Đơn vị", "Tình trạng kém nhất"])
    codes = [r[1][-7:] for r in lagging[1:11]]  # "(11911)": a unit's code, first written in this table
    at = [text.index(c) for c in codes]
    assert at == sorted(at)  # printed in the table's order, furthest behind first
    gaps = [float(r[4].split()[0].replace(",", ".")) for r in lagging[1:] if r[2] == lagging[1][2]]
    assert gaps == sorted(gaps)  # within a status, the gap grows
