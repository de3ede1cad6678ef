"""metrics.sectors and charts.sectors on a tiny hand-made businesses table."""

import math

import pandas as pd
import pytest

from charts import sectors as charts
from metrics import sectors
from metrics.indicators import View
from metrics.sectors import ALL

COLS = ["period", "unit_code", "sector", "business_type", "businesses", "digital_any", "cashless",
        "point_of_sale", "point_of_sale_informed", "online_sellers"]
ROWS = [
    # 10507 and 10525 are phường, 10606 and 10615 are xã, 11914 is a đặc khu
    ("2026-H1", "10507", "thuc_pham", "doanh_nghiep", 1200, 600, 700, 100, 80, 300),
    ("2026-H1", "10507", "thuc_pham", "ho_kinh_doanh", 300, 150, 90, 0, 0, 30),
    ("2026-H1", "10525", "ocop", "doanh_nghiep", 20, 5, 10, 4, 1, 1),
    ("2026-H1", "10606", "ocop", "hop_tac_xa", 10, 9, 2, 5, 5, 0),
    ("2026-H1", "11914", "thuc_pham", "ho_kinh_doanh", 0, 0, 0, 0, 0, 0),
    ("2025-H2", "10507", "thuc_pham", "doanh_nghiep", 999, 1, 1, 1, 1, 1),  # another period: never counted
]


@pytest.fixture
def biz():
    return pd.DataFrame(ROWS, columns=COLS)


def lines(hover: str) -> list[str]:
    """A cell's hover text, line by line, without the bold of its first line."""
    return hover.replace("<b>", "").replace("</b>", "").split("<br>")


def cell(frame, **keys):
    mask = pd.Series(True, index=frame.index)
    for k, v in keys.items():
        mask &= frame[k] == v
    assert mask.sum() == 1, keys
    return frame[mask].iloc[0]


def test_group_values_by_sector_is_ratio_of_sums(biz):
    out = sectors.group_values(biz, "2026-H1", View(), "sector")
    food = cell(out, sector="thuc_pham", indicator="digital_rate")
    assert (food.numerator, food.denominator) == (600 + 150 + 0, 1200 + 300 + 0)
    assert food.value == pytest.approx((600 + 150) / (1200 + 300) * 100)
    total = cell(out, sector=ALL, indicator="digital_rate")
    assert total.value == pytest.approx((600 + 150 + 5 + 9) / (1200 + 300 + 20 + 10) * 100)
    outreach = cell(out, sector="ocop", indicator="outreach_rate")
    assert outreach.value == pytest.approx((1 + 5) / (4 + 5) * 100)
    # every sector of the reference list is there; one without rows is 0/0 → no data, never 0
    assert out["sector"].nunique() == 10 + 1
    empty = cell(out, sector="dien_tu", indicator="digital_rate")
    assert (empty.numerator, empty.denominator) == (0, 0) and math.isnan(empty.value)


def test_group_values_by_business_type_and_filter(biz):
    out = sectors.group_values(biz, "2026-H1", View(sectors=("thuc_pham",)), "business_type")
    assert list(dict.fromkeys(out["business_type"])) == ["doanh_nghiep", "hop_tac_xa", "ho_kinh_doanh", ALL]
    hkd = cell(out, business_type="ho_kinh_doanh", indicator="cashless_rate")
    assert hkd.value == pytest.approx((90 + 0) / (300 + 0) * 100)
    total = cell(out, business_type=ALL, indicator="cashless_rate")
    assert total.value == pytest.approx((700 + 90) / (1200 + 300) * 100)  # ocop rows filtered out
    coop = cell(out, business_type="hop_tac_xa", indicator="cashless_rate")
    assert math.isnan(coop.value)
    # enterprise_digital_rate counts only doanh_nghiep rows: household businesses have no denominator
    assert math.isnan(cell(out, business_type="ho_kinh_doanh", indicator="enterprise_digital_rate").value)


def test_sector_business_type_with_totals(biz):
    out = sectors.sector_business_type(biz, "2026-H1", View())
    assert len(out) == (10 + 1) * (3 + 1) * 5
    dn = cell(out, sector=ALL, business_type="doanh_nghiep", indicator="online_seller_rate")
    assert dn.value == pytest.approx((300 + 1) / (1200 + 20) * 100)
    food_all = cell(out, sector="thuc_pham", business_type=ALL, indicator="online_seller_rate")
    assert food_all.value == pytest.approx((300 + 30 + 0) / (1200 + 300 + 0) * 100)
    # a zero denominator (no point of sale) is no data, never 0
    pos = cell(out, sector="thuc_pham", business_type="ho_kinh_doanh", indicator="outreach_rate")
    assert (pos.numerator, pos.denominator) == (0, 0) and math.isnan(pos.value)
    overall = cell(out, sector=ALL, business_type=ALL, indicator="outreach_rate")
    assert overall.value == pytest.approx((80 + 1 + 5) / (100 + 4 + 5) * 100)


def test_sector_business_type_follows_the_filter(biz):
    out = sectors.sector_business_type(biz, "2026-H1", View(sectors=("ocop",), business_types=("doanh_nghiep",)))
    assert set(out["sector"]) == {"ocop", ALL} and set(out["business_type"]) == {"doanh_nghiep", ALL}
    assert cell(out, sector=ALL, business_type=ALL, indicator="digital_rate").value == pytest.approx(5 / 20 * 100)


def test_unit_sector_covers_every_unit_and_orders_rows(biz):
    out = sectors.unit_sector(biz, "2026-H1", "digital_rate")
    assert len(out) == 114 * (10 + 1)
    first = out.drop_duplicates("unit_code")
    # phường first (45 of them), best total first: 10507 (600 + 150) / (1200 + 300) = 50%
    # before 10525 5 / 20 = 25%; then the phường with no data by code
    assert first["unit_code"].tolist()[:3] == ["10507", "10525", "10532"]
    assert first["row"].tolist() == list(range(114))
    # xã start at row 45 with the one that has a value; đặc khu are the last two, by code
    assert first.iloc[45]["unit_code"] == "10606"
    assert first["unit_code"].tolist()[-2:] == ["11914", "11948"]
    # each unit's rows: its total first, then the sectors in reference order
    assert out[out["unit_code"] == "10507"]["sector"].tolist()[:3] == [ALL, "thuc_pham", "ocop"]
    total = cell(out, unit_code="10507", sector=ALL)
    assert total.value == pytest.approx((600 + 150) / (1200 + 300) * 100)
    assert total.unit_name == "Thành Đông" and total.unit_type == "phường"
    # 11914 reported only zero businesses: a blank (no data), not 0
    zero = cell(out, unit_code="11914", sector="thuc_pham")
    assert zero.denominator == 0 and math.isnan(zero.value)


def test_unit_sector_with_sector_filter(biz):
    out = sectors.unit_sector(biz, "2026-H1", "cashless_rate", View(sectors=("ocop",)))
    assert set(out["sector"]) == {ALL, "ocop"}
    first = out.drop_duplicates("unit_code")
    assert first["unit_code"].tolist()[:2] == ["10525", "10507"]  # 10507 has no ocop row: no data, last
    assert cell(out, unit_code="10525", sector=ALL).value == pytest.approx(10 / 20 * 100)
    assert math.isnan(cell(out, unit_code="10507", sector=ALL).value)


# --- charts ------------------------------------------------------------------------------------

def test_indicators_by_group_heatmap(biz):
    fig = charts.indicators_by_group(sectors.group_values(biz, "2026-H1", View(), "sector"), "sector", "2026-H1")
    hm = fig.data[0]
    assert hm.y[0] == "Lương thực, thực phẩm, nông sản" and hm.y[-1] == "Tất cả"
    assert hm.x[0] == "Tỷ lệ cơ sở sử dụng kênh số"
    assert hm.z[0][0] == pytest.approx((600 + 150) / (1200 + 300) * 100)
    assert hm.text[0][0] == "50,0%"
    assert lines(hm.hovertext[0][0]) == [
        "Lương thực, thực phẩm, nông sản", "Tỷ lệ cơ sở sử dụng kênh số", "Tử số: 750", "Mẫu số: 1.500",
        "Giá trị: 50,0%", "Kỳ: 6 tháng đầu năm 2026"]
    # dien_tu has no rows: blank cell that reads "không có số liệu", never 0
    row = list(hm.y).index("Điện tử, điện máy, gia dụng")
    assert hm.z[row][0] is None or math.isnan(hm.z[row][0])
    assert hm.text[row][0] == "không có số liệu"
    assert lines(hm.hovertext[row][0])[4] == "Giá trị: không có số liệu"
    assert (hm.zmin, hm.zmax) == (0, 100)


def test_sector_by_business_type_heatmap_english(biz):
    fig = charts.sector_by_business_type(sectors.sector_business_type(biz, "2026-H1", View()), "outreach_rate",
                                         "2026-H1", "en")
    hm = fig.data[0]
    assert list(hm.x) == ["Enterprise", "Cooperative", "Household business", "All"]
    assert fig.layout.title.text == "Points of sale reached by cashless-payment outreach"
    assert hm.z[-1][-1] == pytest.approx((80 + 1 + 5) / (100 + 4 + 5) * 100)
    assert lines(hm.hovertext[-1][-1])[2:5] == ["Numerator: 86", "Denominator: 109", "Value: 78.9%"]
    assert lines(hm.hovertext[0][2])[4] == "Value: no data"  # thuc_pham × household business: no point of sale


def test_units_by_sector_heatmap(biz):
    fig = charts.units_by_sector(sectors.unit_sector(biz, "2026-H1", "digital_rate"), "digital_rate", "2026-H1")
    hm = fig.data[0]
    assert len(hm.y) == 114 and len(hm.x) == 11
    assert hm.x[0] == "Tất cả" and hm.x[1] == "Lương thực, thực phẩm, nông sản"
    assert hm.y[0] == "Phường Thành Đông (10507)"
    assert list(fig.layout.yaxis.ticktext[:2]) == ["Phường Thành Đông", "Phường Hải Dương"]
    assert hm.z[0][0] == pytest.approx((600 + 150) / (1200 + 300) * 100)
    assert lines(hm.hovertext[0][1])[:4] == ["Phường Thành Đông (10507)", "Lương thực, thực phẩm, nông sản",
                                             "Tử số: 750", "Mẫu số: 1.500"]
    assert hm.text is None
    last = lines(hm.hovertext[-1][0])  # Đặc khu Bạch Long Vĩ (11948) reported nothing
    assert last[0] == "Đặc khu Bạch Long Vĩ (11948)" and last[4] == "Giá trị: không có số liệu"


def test_downloads_in_words_with_numbers_kept(biz):
    period = "2026-H1"
    by_sector = charts.values_download(sectors.group_values(biz, period, View(), "sector"), period)
    assert by_sector.columns.tolist() == ["Nhóm ngành hàng", "Chỉ tiêu", "Tử số", "Mẫu số", "Giá trị (%)", "Kỳ"]
    assert by_sector.iloc[0].tolist() == ["Lương thực, thực phẩm, nông sản", "Tỷ lệ cơ sở sử dụng kênh số",
                                          600 + 150, 1200 + 300, 50.0, "6 tháng đầu năm 2026"]
    assert by_sector.iloc[-1]["Nhóm ngành hàng"] == "Tất cả"  # the total, never its code
    empty = by_sector[by_sector["Nhóm ngành hàng"] == "Điện tử, điện máy, gia dụng"].iloc[0]
    assert (empty["Tử số"], empty["Mẫu số"]) == (0, 0) and math.isnan(empty["Giá trị (%)"])  # no data, not 0

    cross = charts.values_download(sectors.sector_business_type(biz, period, View()), period, "en")
    assert cross.columns.tolist() == ["Sector", "Business type", "Indicator", "Numerator", "Denominator", "Value (%)",
                                      "Period"]
    overall = cross[(cross["Sector"] == "All") & (cross["Business type"] == "All")
                    & (cross["Indicator"] == "Points of sale reached by cashless-payment outreach")].iloc[0]
    assert overall[["Numerator", "Denominator", "Period"]].tolist() == [80 + 1 + 5, 100 + 4 + 5, "First half of 2026"]
    assert overall["Value (%)"] == pytest.approx(78.8991, abs=1e-4)  # 86 / 109

    grid = sectors.unit_sector(biz, period, "digital_rate")
    units = charts.values_download(grid, period, "vi", "digital_rate")
    # the unit's code is kept; the helper column `row` (the order) is not
    assert units.columns.tolist() == ["Mã đơn vị", "Đơn vị", "Nhóm ngành hàng", "Chỉ tiêu", "Tử số", "Mẫu số",
                                      "Giá trị (%)", "Kỳ"]
    assert len(units) == 114 * (10 + 1)
    assert units.iloc[0].tolist() == ["10507", "Phường Thành Đông", "Tất cả", "Tỷ lệ cơ sở sử dụng kênh số",
                                      750, 1500, 50.0, "6 tháng đầu năm 2026"]
    english = charts.values_download(grid, period, "en", "digital_rate")
    assert english.iloc[1][["Unit code", "Unit", "Sector"]].tolist() == ["10507", "Thành Đông Ward",
                                                                         "Food, foodstuffs, farm produce"]
