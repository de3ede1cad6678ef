"""Trình chiếu page (AppTest): slides of the chosen period, previous/next with the slide number,
every slide stating filters, period, as-of date and the synthetic sample, charts downloadable as
PNG, the three exports offered."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from loaders.reference import ROOT

TOTAL = 12


@pytest.fixture(scope="module")
def at():
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
    app.switch_page("pages/slides.py").run()
    app.sidebar.selectbox(key="period").select("2026-H1").run()
    return app


def stamp(app) -> str:
    return next(c.value for c in app.caption if c.value.startswith("Bộ lọc:"))


def go_to(app, n: int) -> None:
    while app.session_state["slide"] < n:
        app.button(key="slide_next").click().run()
    while app.session_state["slide"] > n:
        app.button(key="slide_prev").click().run()


def test_first_slide(at):
    assert not at.exception
    assert at.title[0].value == "Sơ kết tiến độ phát triển thương mại điện tử"
    assert at.subheader[0].value == "6 tháng đầu năm 2026 · Hải Phòng, 114 xã, phường, đặc khu"
    assert any("DỮ LIỆU MẪU TỔNG HỢP" in w.value for w in at.warning)  # ui.banner
    assert any(m.value == "Trang 1/12" for m in at.markdown)
    assert at.button(key="slide_prev").disabled and not at.button(key="slide_next").disabled


def test_every_slide_states_filters_period_as_of_and_synthetic(at):
    titles = []
    for n in range(1, TOTAL + 1):
        go_to(at, n)
        assert not at.exception
        titles.append(at.title[0].value)
        s = stamp(at)
        assert s.startswith("Bộ lọc: ngành hàng tất cả; loại hình tất cả · Kỳ: 6 tháng đầu năm 2026 · "
                            "Số liệu đến 23/07/2026 09:00 · 113/114 đơn vị đã báo cáo · DỮ LIỆU MẪU TỔNG HỢP, không phải số liệu thật")
        assert s.endswith(f"Trang {n}/{TOTAL}")
    assert titles[1] == "Toàn thành phố — Kế hoạch phát triển TMĐT phường Thạch Khôi giai đoạn 2026–2030"
    assert titles[-1] == "Tình hình gửi báo cáo"
    assert at.button(key="slide_next").disabled


def test_charts_download_as_png_with_a_name(at):
    go_to(at, 5)  # the progress map
    chart = at.get("plotly_chart")[0]
    config = json.loads(chart.proto.config)
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "slide-05-map-digital_rate", "scale": 2}
    spec = json.loads(chart.proto.spec)
    assert spec["layout"]["font"]["size"] == 20  # large type on screen


def test_reporting_slide_names_late_and_missing_units(at):
    go_to(at, TOTAL)
    table = at.table[0].value
    assert table.iloc[0].tolist() == ["Đặc khu Cát Hải (11914)", "Nộp muộn 23 ngày", "23/07/2026 09:00"]
    assert table.iloc[-1].tolist() == ["Xã Hợp Tiến (10615)", "Chưa gửi báo cáo", "—"]


def test_three_exports_are_offered(at):
    buttons = {b.key: b.label for b in at.get("download_button")}
    assert buttons == {"slides_download_pptx": "Bộ trình chiếu (PPTX)", "slides_download_pdf": "Báo cáo in (PDF)",
                       "slides_download_xlsx": "Bảng số liệu (XLSX)",
                       "slides_download_docx": "Báo cáo sơ kết, tổng kết (Word, DOCX)"}


def test_english():
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
    app.switch_page("pages/slides.py").run()
    app.sidebar.radio(key="lang").set_value("en").run()
    app.sidebar.selectbox(key="period").select("2026-H1").run()
    assert not app.exception
    assert app.title[0].value == "E-commerce progress review"
    assert app.button(key="slide_next").label == "Next ▶"
    assert any(c.value.startswith("Filters: sectors all; business types all · Period: First half of 2026")
               for c in app.caption)
