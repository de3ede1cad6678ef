"""Derived indicators on tiny hand-built frames; every expected figure is written as arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from loaders.schema import ACTIVITY_COUNTS, COUNT_COLUMNS
from metrics.arithmetic import rate
from metrics.indicators import View, city_values, ratio_values, unit_values

A, B, C = "11002", "10507", "10525"  # Thạch Khôi, Thành Đông, Hải Dương
UNITS_EXPECTED = 114
TZ = "Asia/Ho_Chi_Minh"


def businesses(*rows: dict) -> pd.DataFrame:
    """Current rows of the businesses table, as load_store gives them; counts not given are 0.
    Unless given, a unit's report was submitted on 1/6 (on time) in a file of its own."""
    frame = pd.DataFrame(rows)
    for col in COUNT_COLUMNS:
        frame[col] = frame[col].fillna(0).astype("int64") if col in frame else 0
    if "submitted_at" not in frame:
        frame["submitted_at"] = [pd.Timestamp(f"{p[:4]}-06-01 09:00", tz=TZ) for p in frame["period"]]
    frame["snapshot"] = frame["period"] + "_" + frame["unit_code"] + ".parquet"
    return frame


def row(unit: str, sector: str = "thuc_pham", btype: str = "ho_kinh_doanh", period: str = "2026-H1", **counts) -> dict:
    return {"period": period, "unit_code": unit, "sector": sector, "business_type": btype, **counts}


def activities(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for col in ACTIVITY_COUNTS:
        frame[col] = frame[col].fillna(0).astype("int64") if col in frame else 0
    if "register_updated" not in frame:
        frame["register_updated"] = False
    return frame


def act(unit: str, period: str, **values) -> dict:
    return {"period": period, "unit_code": unit, **values}


def pick(long: pd.DataFrame, indicator: str, **where) -> pd.Series:
    """The one row of a long table for an indicator (and e.g. unit_code, period)."""
    rows = long[long["indicator"] == indicator]
    for col, val in where.items():
        rows = rows[rows[col] == val]
    assert len(rows) == 1, rows
    return rows.iloc[0]


NO_CITY = pd.DataFrame(columns=["period", "indicator", "value", "source"])
NO_ACT = activities(act(A, "2026-H1"))

# Two units, three sectors, all three business types.
BIZ = businesses(
    row(A, "thuc_pham", "doanh_nghiep", businesses=10, digital_any=8, cashless=9, point_of_sale=4,
        point_of_sale_informed=3, online_sellers=5),
    row(A, "thuc_pham", "ho_kinh_doanh", businesses=40, digital_any=12, cashless=20, point_of_sale=20,
        point_of_sale_informed=5, online_sellers=6),
    row(A, "ocop", "hop_tac_xa", businesses=2, digital_any=1, cashless=1, point_of_sale=0,
        point_of_sale_informed=0, online_sellers=1),
    row(B, "thuc_pham", "doanh_nghiep", businesses=5, digital_any=2, cashless=3, point_of_sale=1,
        point_of_sale_informed=1, online_sellers=1),
    row(B, "dien_tu", "ho_kinh_doanh", businesses=30, digital_any=15, cashless=12, point_of_sale=10,
        point_of_sale_informed=9, online_sellers=10),
)


# --- the ratio indicators, by every grouping -------------------------------------------------

def test_every_ratio_by_unit():
    long = ratio_values(BIZ, ["period", "unit_code"])
    expected = {
        (A, "digital_rate"): ((8 + 12 + 1), (10 + 40 + 2)),
        (A, "enterprise_digital_rate"): (8, 10),
        (A, "cashless_rate"): ((9 + 20 + 1), (10 + 40 + 2)),
        (A, "outreach_rate"): ((3 + 5 + 0), (4 + 20 + 0)),
        (A, "online_seller_rate"): ((5 + 6 + 1), (10 + 40 + 2)),
        (B, "digital_rate"): ((2 + 15), (5 + 30)),
        (B, "enterprise_digital_rate"): (2, 5),
        (B, "cashless_rate"): ((3 + 12), (5 + 30)),
        (B, "outreach_rate"): ((1 + 9), (1 + 10)),
        (B, "online_seller_rate"): ((1 + 10), (5 + 30)),
    }
    for (unit, ind), (num, den) in expected.items():
        got = pick(long, ind, unit_code=unit)
        assert (got["numerator"], got["denominator"]) == (num, den), (unit, ind)
        assert got["value"] == pytest.approx(num / den * 100), (unit, ind)
    assert len(long) == len(expected)


def test_every_ratio_by_sector():
    long = ratio_values(BIZ, ["period", "sector"])
    food = lambda ind: pick(long, ind, sector="thuc_pham")["value"]  # noqa: E731
    assert food("digital_rate") == pytest.approx((8 + 12 + 2) / (10 + 40 + 5) * 100)
    assert food("enterprise_digital_rate") == pytest.approx((8 + 2) / (10 + 5) * 100)
    assert food("cashless_rate") == pytest.approx((9 + 20 + 3) / (10 + 40 + 5) * 100)
    assert food("outreach_rate") == pytest.approx((3 + 5 + 1) / (4 + 20 + 1) * 100)
    assert food("online_seller_rate") == pytest.approx((5 + 6 + 1) / (10 + 40 + 5) * 100)
    # no enterprise in the electronics sector: no denominator, so no value (not 0)
    assert math.isnan(pick(long, "enterprise_digital_rate", sector="dien_tu")["value"])
    assert pick(long, "enterprise_digital_rate", sector="dien_tu")["denominator"] == 0
    assert pick(long, "digital_rate", sector="dien_tu")["value"] == pytest.approx(15 / 30 * 100)


def test_every_ratio_by_business_type():
    long = ratio_values(BIZ, ["period", "business_type"])
    hh = lambda ind: pick(long, ind, business_type="ho_kinh_doanh")["value"]  # noqa: E731
    assert hh("digital_rate") == pytest.approx((12 + 15) / (40 + 30) * 100)
    assert hh("cashless_rate") == pytest.approx((20 + 12) / (40 + 30) * 100)
    assert hh("outreach_rate") == pytest.approx((5 + 9) / (20 + 10) * 100)
    assert hh("online_seller_rate") == pytest.approx((6 + 10) / (40 + 30) * 100)
    assert math.isnan(hh("enterprise_digital_rate"))
    ent = pick(long, "enterprise_digital_rate", business_type="doanh_nghiep")
    assert ent["value"] == pytest.approx((8 + 2) / (10 + 5) * 100)
    assert pick(long, "digital_rate", business_type="doanh_nghiep")["value"] == ent["value"]


def test_every_ratio_for_the_city():
    long = city_values(BIZ, NO_ACT, NO_CITY)
    city = lambda ind: pick(long, ind, period="2026-H1")["value"]  # noqa: E731
    assert city("digital_rate") == pytest.approx((8 + 12 + 1 + 2 + 15) / (10 + 40 + 2 + 5 + 30) * 100)
    assert city("enterprise_digital_rate") == pytest.approx((8 + 2) / (10 + 5) * 100)
    assert city("cashless_rate") == pytest.approx((9 + 20 + 1 + 3 + 12) / (10 + 40 + 2 + 5 + 30) * 100)
    assert city("outreach_rate") == pytest.approx((3 + 5 + 0 + 1 + 9) / (4 + 20 + 0 + 1 + 10) * 100)
    assert city("online_seller_rate") == pytest.approx((5 + 6 + 1 + 1 + 10) / (10 + 40 + 2 + 5 + 30) * 100)


def test_a_rate_is_a_ratio_of_sums_not_a_mean_of_rates():
    frame = businesses(row(A, businesses=2, digital_any=1), row(B, businesses=100, digital_any=30))
    city = pick(city_values(frame, NO_ACT, NO_CITY), "digital_rate")["value"]
    assert city == pytest.approx((1 + 30) / (2 + 100) * 100)
    mean_of_rates = (1 / 2 * 100 + 30 / 100 * 100) / 2
    assert abs(city - mean_of_rates) > 9  # 30.39… against 40


def test_periods_are_kept_apart():
    frame = businesses(row(A, period="2025-H2", businesses=10, digital_any=1),
                       row(A, period="2026-H1", businesses=10, digital_any=4))
    long = ratio_values(frame, ["period", "unit_code"])
    assert pick(long, "digital_rate", period="2025-H2")["value"] == pytest.approx(1 / 10 * 100)
    assert pick(long, "digital_rate", period="2026-H1")["value"] == pytest.approx(4 / 10 * 100)


# --- filters ---------------------------------------------------------------------------------

def test_sector_filter_applies_to_numerator_and_denominator():
    long = unit_values(BIZ, NO_ACT, View(sectors=("thuc_pham",)))
    got = pick(long, "digital_rate", unit_code=A)
    assert (got["numerator"], got["denominator"]) == (8 + 12, 10 + 40)
    assert got["value"] == pytest.approx((8 + 12) / (10 + 40) * 100)
    outreach = pick(long, "outreach_rate", unit_code=B)
    assert (outreach["numerator"], outreach["denominator"]) == (1, 1)


def test_business_type_filter_applies_to_numerator_and_denominator():
    city = city_values(BIZ, NO_ACT, NO_CITY, View(business_types=("ho_kinh_doanh", "hop_tac_xa")))
    got = pick(city, "cashless_rate")
    assert (got["numerator"], got["denominator"]) == (20 + 1 + 12, 40 + 2 + 30)
    assert got["value"] == pytest.approx((20 + 1 + 12) / (40 + 2 + 30) * 100)
    # the enterprise rate has nothing left to count: no data, not 0
    assert math.isnan(pick(city, "enterprise_digital_rate")["value"])


def test_sector_and_business_type_filters_combine():
    view = View(sectors=("thuc_pham",), business_types=("doanh_nghiep",))
    got = pick(city_values(BIZ, NO_ACT, NO_CITY, view), "online_seller_rate")
    assert (got["numerator"], got["denominator"]) == (5 + 1, 10 + 5)


# --- zero denominators -----------------------------------------------------------------------

def test_rate_with_zero_denominator_is_nan():
    got = rate([3, 0, 5], [4, 0, 0])
    assert got[0] == pytest.approx(3 / 4 * 100)
    assert np.isnan(got[1]) and np.isnan(got[2])


def test_unit_with_no_businesses_has_no_rate_at_all():
    frame = businesses(row(A, businesses=0), row(B, businesses=4, digital_any=1, point_of_sale=2))
    long = ratio_values(frame, ["period", "unit_code"])
    for ind in ("digital_rate", "enterprise_digital_rate", "cashless_rate", "outreach_rate", "online_seller_rate"):
        got = pick(long, ind, unit_code=A)
        assert got["denominator"] == 0 and math.isnan(got["value"]), ind
    assert pick(long, "digital_rate", unit_code=B)["value"] == pytest.approx(1 / 4 * 100)
    assert pick(long, "outreach_rate", unit_code=B)["value"] == pytest.approx(0 / 2 * 100)


def test_zero_points_of_sale_gives_no_outreach_rate():
    frame = businesses(row(A, businesses=7, digital_any=2, point_of_sale=0))
    long = city_values(frame, NO_ACT, NO_CITY)
    assert math.isnan(pick(long, "outreach_rate")["value"])
    assert pick(long, "digital_rate")["value"] == pytest.approx(2 / 7 * 100)


# --- units with online sellers, growth -------------------------------------------------------

def test_units_with_online_sellers_over_the_114_units_expected():
    frame = businesses(
        row(A, "thuc_pham", businesses=5, online_sellers=0), row(A, "ocop", businesses=3, online_sellers=1),
        row(B, businesses=9, online_sellers=0), row(C, businesses=4, online_sellers=4),
    )
    got = pick(city_values(frame, NO_ACT, NO_CITY), "units_with_online_sellers")
    assert (got["numerator"], got["denominator"]) == (2, UNITS_EXPECTED)
    assert got["value"] == pytest.approx(2 / 114 * 100)


def test_site_notified_growth_against_the_same_half_of_2025():
    frame = businesses(
        row(A, period="2025-H1", businesses=50, site_notified=30), row(B, period="2025-H1", businesses=50, site_notified=10),
        row(A, period="2025-H2", businesses=50, site_notified=0),
        row(A, period="2026-H1", businesses=50, site_notified=33), row(B, period="2026-H1", businesses=50, site_notified=13),
        row(A, period="2026-H2", businesses=50, site_notified=5),
        row(A, period="2027-H1", businesses=50, site_notified=36),
    )
    long = city_values(frame, NO_ACT, NO_CITY)
    growth = pick(long, "site_notified_growth", period="2026-H1")
    assert (growth["numerator"], growth["denominator"]) == (33 + 13, 30 + 10)
    assert growth["value"] == pytest.approx(((33 + 13) / (30 + 10) - 1) * 100)
    # always against 2025, not against the previous year
    assert pick(long, "site_notified_growth", period="2027-H1")["value"] == pytest.approx((36 / (30 + 10) - 1) * 100)
    # 2025-H2 held 0 notified sites: no growth can be computed
    assert math.isnan(pick(long, "site_notified_growth", period="2026-H2")["value"])


def test_site_notified_growth_without_the_2025_half_is_nan():
    frame = businesses(row(A, period="2025-H1", businesses=9, site_notified=4),
                       row(A, period="2026-H2", businesses=9, site_notified=6))
    got = pick(city_values(frame, NO_ACT, NO_CITY), "site_notified_growth", period="2026-H2")
    assert math.isnan(got["denominator"]) and math.isnan(got["value"])


# --- activities: year-to-date sums and the yearly flag ---------------------------------------

ACT = activities(
    act(A, "2025-H2", trainings=4, trainees=70, register_updated=True),
    act(A, "2026-H1", trainings=1, trainees=30, register_updated=True),
    act(B, "2026-H1", trainings=0, trainees=20, register_updated=False),
    act(A, "2026-H2", trainings=2, trainees=10, register_updated=False),
    act(B, "2026-H2", trainings=1, trainees=5, register_updated=True),
    act(C, "2026-H2", trainings=0, trainees=0, register_updated=True),
)


def test_trainees_total_is_the_year_to_date_sum():
    long = city_values(businesses(row(A, businesses=1)), ACT, NO_CITY)
    assert pick(long, "trainees_total", period="2026-H1")["value"] == 30 + 20
    assert pick(long, "trainees_total", period="2026-H2")["value"] == (30 + 20) + (10 + 5 + 0)
    # a new year starts again from 0: 2025-H2 does not roll into 2026
    assert pick(long, "trainees_total", period="2025-H2")["value"] == 70


def test_trainings_per_year_per_unit():
    long = unit_values(businesses(row(A, businesses=1)), ACT)
    assert pick(long, "trainings_per_year", unit_code=A, period="2026-H1")["value"] == 1
    assert pick(long, "trainings_per_year", unit_code=A, period="2026-H2")["value"] == 1 + 2
    assert pick(long, "trainings_per_year", unit_code=B, period="2026-H2")["value"] == 0 + 1
    assert pick(long, "trainings_per_year", unit_code=A, period="2025-H2")["value"] == 4
    assert pick(long, "trainees_total", unit_code=A, period="2026-H2")["value"] == 30 + 10


def test_register_updated_comes_from_the_h1_snapshot_of_the_year():
    long = unit_values(businesses(row(A, businesses=1)), ACT)
    flag = lambda unit, period: pick(long, "register_updated", unit_code=unit, period=period)["value"]  # noqa: E731
    assert flag(A, "2026-H1") == 100
    assert flag(A, "2026-H2") == 100  # the H2 snapshot says False, the H1 one True
    assert flag(B, "2026-H2") == 0  # the H2 snapshot says True, the H1 one False
    assert math.isnan(flag(C, "2026-H2"))  # no H1 snapshot in 2026
    assert math.isnan(flag(A, "2025-H2"))  # no 2025-H1 snapshot either


def test_register_updated_for_the_city_counts_units_over_114():
    long = city_values(businesses(row(A, businesses=1)), ACT, NO_CITY)
    got = pick(long, "register_updated", period="2026-H2")
    assert (got["numerator"], got["denominator"]) == (1, UNITS_EXPECTED)
    assert got["value"] == pytest.approx(1 / 114 * 100)
