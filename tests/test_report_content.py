"""The review deck as data (report.content) on a tiny store whose figures are worked out by
hand: two units, the baseline 2025-H2 and 2026-H1; Hợp Tiến reports 5 days late, 112 units not at all."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from loaders.reference import units
from loaders.schema import COUNT_COLUMNS
from loaders.store import load_store
from metrics.indicators import View
from report.content import MAX_ROWS, build_deck, units_meeting_series
from report.xlsx import HEADER_ROW, write_xlsx
from metrics.tables import values

A, B = "11002", "10615"  # Phường Thạch Khôi, Xã Hợp Tiến
TZ = "Asia/Ho_Chi_Minh"
KEYS = ["title", "city_ward", "city_city", "units_by_status", "map", "ranking", "target_ward_digital_rate",
        "target_ward_outreach_rate", "target_ward_cashless_rises", "target_ward_trainings",
        "target_ward_register_review", "reporting"]


def biz(period: str, unit: str, *, businesses: int, digital: int, cashless: int, pos: int, informed: int) -> dict:
    counts = dict.fromkeys(COUNT_COLUMNS, 0)
    counts.update(businesses=businesses, digital_any=digital, digital_social=digital, cashless=cashless,
                  point_of_sale=pos, point_of_sale_informed=informed, online_sellers=1)
    return {"period": period, "unit_code": unit, "sector": "thuc_pham", "business_type": "ho_kinh_doanh", **counts}


def act(period: str, unit: str, trainings: int, reviewed: bool) -> dict:
    return {"period": period, "unit_code": unit, "trainings": trainings, "trainees": 30 * trainings,
            "outreach_items": 2, "marketplace_onboarded": 1, "register_updated": reviewed, "complaints_forwarded": 0}


def write(folder: Path, name: str, rows: list[dict], submitted: str) -> None:
    frame = pd.DataFrame(rows).assign(submitted_at=pd.Timestamp(submitted, tz=TZ))
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / name)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    write(root, "a-2025-H2.parquet", [biz("2025-H2", A, businesses=10, digital=4, cashless=5, pos=4, informed=2)],
          "2025-12-20 09:00")
    write(root, "b-2025-H2.parquet", [biz("2025-H2", B, businesses=20, digital=6, cashless=8, pos=10, informed=3)],
          "2025-12-20 09:00")
    write(root, "a-2026-H1.parquet", [biz("2026-H1", A, businesses=10, digital=6, cashless=6, pos=4, informed=3)],
          "2026-06-25 10:00")
    write(root, "b-2026-H1.parquet", [biz("2026-H1", B, businesses=20, digital=8, cashless=9, pos=10, informed=5)],
          "2026-07-05 10:00")
    write(root, "acts-2026-H1.parquet", [act("2026-H1", A, 1, True), act("2026-H1", B, 0, False)], "2026-06-25 10:00")
    return load_store(root)


@pytest.fixture(scope="module")
def deck(store):
    return build_deck(store, "2026-H1")


def slide(deck, key):
    return next(s for s in deck.slides if s.key == key)


def test_the_deck_has_every_slide_in_order(deck):
    assert [s.key for s in deck.slides] == KEYS


def test_every_slide_states_filters_period_as_of_and_number(deck):
    for n, s in enumerate(deck.slides, 1):
        stamp = deck.stamp(n)
        assert "Bộ lọc: ngành hàng tất cả; loại hình tất cả" in stamp
        assert "Kỳ: 6 tháng đầu năm 2026" in stamp
        assert "Số liệu đến 05/07/2026 10:00" in stamp  # the latest report of the period
        assert stamp.endswith(f"Trang {n}/12")
        assert "DỮ LIỆU MẪU" not in stamp  # real (not sample) files
    assert deck.synthetic_note == ""


def test_city_figures_against_the_ward_plan(deck):
    rows = slide(deck, "city_ward").table.rows
    # digital_rate: (6 + 8) / (10 + 20); baseline (4 + 6) / (10 + 20) = 33.3%, expected after 1 of 10
    # halves 33.3 + (70 − 33.3) / 10 = 37.0%: ahead of the line, on track
    assert rows[0] == ("Tỷ lệ cơ sở sử dụng kênh số", "46,7%", "≥ 70%", "↗ Đúng lộ trình")
    # outreach: (3 + 5) / (4 + 10) = 57.1%; baseline (2 + 3) / (4 + 10) = 35.7%
    assert rows[1][:2] == ("Tỷ lệ điểm bán được tuyên truyền, hướng dẫn TTKDTM", "57,1%")
    # cashless rises every year: no 2025-H1 to compare with
    assert rows[2][1:] == ("50,0%", "tăng qua từng năm", "? Chưa đủ số liệu — chưa có số liệu cùng kỳ năm trước")
    # trainings: 1 of the 114 units expected held one: 1 / 114 = 0.9%
    assert rows[3][:3] == ("Số lớp tập huấn/năm (tỷ lệ đơn vị đạt)", "0,9%", "100%")


def test_target_slide_gives_the_city_value_its_parts_and_the_trajectory(deck):
    s = slide(deck, "target_ward_digital_rate")
    assert s.title == "Mục tiêu: Tỷ lệ cơ sở sử dụng kênh số ≥ 70%"
    assert s.bullets[0] == "Toàn thành phố: 46,7% (14/30) — ↗ Đúng lộ trình"
    assert s.bullets[1] == "Mức cần đạt theo lộ trình kỳ này: 37,0%"
    assert s.bullets[2] == "Số đơn vị theo tình trạng: ↗ Đúng lộ trình 2 · ? Chưa đủ số liệu 112"
    assert s.figure.kind == "trajectory"
    series = s.figure.data.set_index("period")
    assert series.loc["2026-H1", "value"] == pytest.approx((6 + 8) / (10 + 20) * 100)
    assert series.loc["2026-H1", "expected"] == pytest.approx(10 / 30 * 100 + (70 - 10 / 30 * 100) / 10)
    assert "Đến năm 2030, ít nhất 70% cơ sở kinh doanh" in s.notes


def test_yearly_target_is_the_share_of_units_meeting_it(store, deck):
    s = slide(deck, "target_ward_trainings")
    assert s.figure.kind == "units_meeting"
    assert s.bullets[0] == "Toàn thành phố: 0,9% (1/114) — ▽ Tiến triển hạn chế"
    uv, _ = values(store)
    target = s.figure.target
    series = units_meeting_series(uv, target, "2026-H1", units()["unit_code"])
    assert series["period"].tolist() == ["2025-H2", "2026-H1"]
    assert series["value"].tolist() == pytest.approx([0 / 114 * 100, 1 / 114 * 100])
    assert series["numerator"].tolist() == [0, 1]


def test_ranking_leading_and_needing_support(deck):
    rows = slide(deck, "ranking").table.rows
    # Thạch Khôi: trainings and register met, digital and outreach on track, cashless no data → 2 of 4
    # judged targets met; Hợp Tiến: no training (0 of 1 expected by mid-year: 0 / 0.5) and list not
    # reviewed → limited progress, 0 of 4 met
    assert [r[:4] for r in rows] == [
        ("Dẫn đầu", "Phường Thạch Khôi (11002)", "↗ Đúng lộ trình", "2/4"),
        ("Dẫn đầu", "Xã Hợp Tiến (10615)", "▽ Tiến triển hạn chế", "0/4"),
        ("Cần hỗ trợ", "Xã Hợp Tiến (10615)", "▽ Tiến triển hạn chế", "0/4"),
        ("Cần hỗ trợ", "Phường Thạch Khôi (11002)", "↗ Đúng lộ trình", "2/4"),
    ]
    assert "(112 đơn vị)" in slide(deck, "ranking").notes


def test_map_counts_units_by_status(deck):
    s = slide(deck, "map")
    assert s.bullets == ("↗ Đúng lộ trình: 2 đơn vị", "? Chưa đủ số liệu: 112 đơn vị")
    assert s.figure.kind == "map" and len(s.figure.data) == 114


def test_reporting_names_the_late_and_missing_units(deck):
    s = slide(deck, "reporting")
    assert s.bullets[:4] == (
        f"Đã gửi báo cáo: 2/114 đơn vị ({2 / 114 * 100:.1f}%)".replace(".", ","),
        f"Đúng hạn (30/06/2026): 1/114 đơn vị ({1 / 114 * 100:.1f}%)".replace(".", ","),
        "Nộp muộn: 1 đơn vị",
        "Chưa gửi: 112 đơn vị",
    )
    assert s.table.rows[0] == ("Xã Hợp Tiến (10615)", "Nộp muộn 5 ngày", "05/07/2026 10:00")
    assert s.table.rows[1][1] == "Chưa gửi báo cáo"
    assert len(s.table.rows) == MAX_ROWS
    assert s.bullets[4] == f"… và {1 + 112 - MAX_ROWS} đơn vị khác (xem ghi chú, bảng XLSX)"
    assert "Nộp muộn: Xã Hợp Tiến (10615) (5)." in s.notes
    missing = s.notes.splitlines()[1].removeprefix("Chưa gửi: ").removesuffix(".").split("; ")
    assert len(missing) == 112 and "Phường Thạch Khôi (11002)" not in missing  # every missing unit, by name and code


def test_title_slide_and_english(store):
    en = build_deck(store, "2026-H1", lang="en")
    title = en.slides[0]
    assert title.subtitle.startswith("First half of 2026")
    assert "2 of 114 units reported for the period" in title.bullets
    assert en.stamp(1).startswith("Filters: sectors all; business types all · Period: First half of 2026")


def test_filters_apply_to_numerator_and_denominator(store):
    other = build_deck(store, "2026-H1", View(sectors=("ocop",)))
    assert other.stamp(1).startswith("Bộ lọc: ngành hàng Sản phẩm OCOP, đặc sản địa phương; loại hình tất cả")
    rows = slide(other, "city_ward").table.rows
    assert rows[0][1] == "không có số liệu"  # no OCOP business: 0 / 0 is no data, never 0


def test_synthetic_sample_is_said_on_every_slide():
    from loaders.reference import default_store

    sample = load_store(default_store())
    d = build_deck(sample, sample.periods[-1])
    assert d.synthetic_note == "DỮ LIỆU MẪU TỔNG HỢP, không phải số liệu thật"
    assert all(d.synthetic_note in d.stamp(n) for n in range(1, len(d.slides) + 1))
    assert d.slides[0].bullets[0].startswith("DỮ LIỆU MẪU TỔNG HỢP")


def test_a_period_with_city_indicators_only_has_every_unit_missing(store, tmp_path):
    root = Path(store.root)
    write(tmp_path, "city-2026-H2.parquet", [{"period": "2026-H2", "indicator": "adults_online_shopping", "value": 66.0,
                                             "source": "Thống kê thành phố"}], "2026-11-28 10:00")
    for f in root.glob("*.parquet"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    d = build_deck(load_store(tmp_path), "2026-H2")
    rep = slide(d, "reporting")
    assert rep.bullets[0] == "Đã gửi báo cáo: 0/114 đơn vị (0,0%)" and rep.bullets[3] == "Chưa gửi: 114 đơn vị"
    book = io.BytesIO()
    write_xlsx(load_store(tmp_path), "2026-H2", View(), "vi", book)
    sheet = openpyxl.load_workbook(book)["Tình hình báo cáo"]
    assert sheet.max_row == HEADER_ROW + 114 and sheet.cell(HEADER_ROW + 1, 4).value is False
    # adults shopping online: 66% is within 65–68%, met
    assert slide(d, "city_city").table.rows[4] == ("Tỷ lệ dân số trưởng thành tham gia mua sắm trực tuyến", "66,0%",
                                                   "65–68%", "✔ Đã đạt mục tiêu")


def test_a_period_not_in_the_store_is_refused(store):
    with pytest.raises(ValueError, match="2024-H1"):
        build_deck(store, "2024-H1")
