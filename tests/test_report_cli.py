"""`python -m metrics report --data STORE --period P --out FILE`: the file by its ending, clear
bilingual errors with exit 1 (exit 2 for a wrong ending), never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import openpyxl
import pytest
from pptx import Presentation

from loaders.reference import ROOT
from metrics.__main__ import main


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TMDT_DATA"}
    return subprocess.run([sys.executable, "-m", "metrics", "report", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_xlsx_from_the_sample_by_default(tmp_path):
    out = tmp_path / "bang.xlsx"
    done = run("--period", "2026-H1", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Kỳ 2026-H1 ->" in done.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Chỉ số theo đơn vị"
    assert book.active["A1"].value == "Chỉ số theo đơn vị — 6 tháng đầu năm 2026"


def test_deck_from_a_fresh_process_prints_no_traceback(tmp_path):
    out = tmp_path / "deck.pptx"
    done = run("--out", str(out))
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stderr[-2000:]
    assert len(Presentation(out).slides) == 12


def test_period_not_in_the_store(tmp_path):
    out = tmp_path / "deck.pptx"
    done = run("--period", "2024-H1", "--out", str(out))
    assert done.returncode == 1
    assert "Kỳ 2024-H1 không có trong kho" in done.stdout and "(period 2024-H1 is not in the store" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr and not out.exists()


def test_empty_store(tmp_path):
    (tmp_path / "store").mkdir()
    done = run("--data", str(tmp_path / "store"), "--out", str(tmp_path / "deck.pdf"))
    assert done.returncode == 1
    assert "kho không có báo cáo hợp lệ nào (the store holds no valid snapshot)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_store_folder_missing(tmp_path):
    done = run("--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "deck.pdf"))
    assert done.returncode == 1 and "(store folder not found)" in done.stdout


def test_unknown_ending_or_code_is_a_usage_error(tmp_path):
    done = run("--out", str(tmp_path / "deck.odt"))
    assert done.returncode == 2 and "chỉ hỗ trợ .pptx, .pdf, .xlsx hoặc .docx (only .pptx, .pdf, .xlsx or .docx)" in done.stdout
    done = run("--notes", "--out", str(tmp_path / "deck.pptx"))
    assert done.returncode == 2 and "--notes: chỉ cho báo cáo in .pdf" in done.stdout
    done = run("--sector", "gao", "--out", str(tmp_path / "deck.xlsx"))
    assert done.returncode == 2 and "(unknown code): gao" in done.stdout


def test_pdf_without_font_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TMDT_PDF_FONT", str(tmp_path / "none.ttf"))
    assert main(["report", "--out", str(tmp_path / "deck.pdf")]) == 1
    assert "(no Unicode font for the PDF" in capsys.readouterr().out
    assert not (tmp_path / "deck.pdf").exists()


@pytest.mark.parametrize("ending", [".pptx", ".pdf"])
def test_deck_and_report(tmp_path, ending, capsys):
    out = tmp_path / f"deck{ending}"
    assert main(["report", "--period", "2025-H2", "--sector", "ocop", "--out", str(out)]) == 0
    assert "Kỳ 2025-H2 ->" in capsys.readouterr().out
    content = out.read_bytes()
    if ending == ".pptx":
        prs = Presentation(out)
        assert len(prs.slides) == 12
        footer = [s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame][-1]
        assert footer.startswith("Bộ lọc: ngành hàng Sản phẩm OCOP, đặc sản địa phương; loại hình tất cả · "
                                  "Kỳ: 6 tháng cuối năm 2025")
    else:
        assert content.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", content)) == 12
