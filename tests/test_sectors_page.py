"""The sectors page (Ngành hàng) on the bundled sample store, through Streamlit's AppTest."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.reference import default_store
from loaders.store import load_store
from metrics import sectors
from metrics.indicators import View
from metrics.sectors import ALL

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def businesses():
    return load_store(default_store()).current["businesses"]


def open_page(period="2026-H1"):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/sectors.py").run()
    # the period is chosen explicitly, not carried over from the first page
    at.sidebar.selectbox(key="period").select(period).run()
    assert not at.exception
    return at


def figures(at):
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def lines(hover: str) -> list[str]:
    """A cell's hover text, line by line, without the bold of its first line."""
    return hover.replace("<b>", "").replace("</b>", "").split("<br>")


def heatmap(fig):
    return fig["data"][0]


def test_page_shows_heatmaps_and_follows_the_sector_filter(businesses):
    at = open_page()
    assert at.title[0].value == "Ngành hàng"
    assert "DỮ LIỆU MẪU" in at.warning[0].value
    figs = figures(at)
    assert len(figs) == 4  # by sector, by business type, sector × type, units × sectors
    by_sector = heatmap(figs[0])
    assert by_sector["y"][-1] == "Tất cả" and len(by_sector["y"]) == 10 + 1
    # the page shows the figures metrics.sectors computes for the latest period
    expected = sectors.group_values(businesses, "2026-H1", View(), "sector")
    food = expected[(expected["sector"] == "thuc_pham") & (expected["indicator"] == "digital_rate")].iloc[0]
    assert lines(by_sector["hovertext"][0][0])[2] == f"Tử số: {int(food.numerator):,}".replace(",", ".")
    units = heatmap(figs[3])
    assert len(units["y"]) == 114
    assert lines(units["hovertext"][-3][0])[4] == "Giá trị: không có số liệu"  # Hợp Tiến (10615) did not report
    assert units["y"][-3] == "Xã Hợp Tiến (10615)"
    assert any("Kỳ 6 tháng đầu năm 2026" in c.value for c in at.caption)

    # the sector filter changes every figure
    before = figs
    at.sidebar.multiselect(key="sector").select("ocop").run()
    assert not at.exception
    after = figures(at)
    assert heatmap(after[0])["y"] == ["Sản phẩm OCOP, đặc sản địa phương", "Tất cả"]
    assert heatmap(after[3])["x"] == ["Tất cả", "Sản phẩm OCOP, đặc sản địa phương"]
    assert heatmap(after[1])["hovertext"] != heatmap(before[1])["hovertext"]
    ocop = sectors.group_values(businesses, "2026-H1", View(sectors=("ocop",)), "business_type")
    total = ocop[(ocop["business_type"] == ALL) & (ocop["indicator"] == "digital_rate")].iloc[0]
    assert lines(heatmap(after[1])["hovertext"][-1][0])[3] == f"Mẫu số: {int(total.denominator):,}".replace(",", ".")


def test_indicator_choice_and_english():
    at = open_page()
    at.selectbox(key="sectors_indicator").select("outreach_rate").run()
    figs = figures(at)
    assert figs[2]["layout"]["title"]["text"] == "Tỷ lệ điểm bán được tuyên truyền, hướng dẫn TTKDTM"
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Sectors"
    figs = figures(at)
    assert heatmap(figs[0])["y"][-1] == "All"
    assert figs[3]["layout"]["title"]["text"] == "Points of sale reached by cashless-payment outreach"
    assert lines(heatmap(figs[3])["hovertext"][0][0])[5] == "Period: First half of 2026"
