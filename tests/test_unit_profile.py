"""metrics/profile.py on tiny hand-built frames; every expected figure is written as arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from metrics.indicators import View
from metrics.profile import (FUNNEL, activities_history, breakdown, breakdown_indicators, city_comparison, funnel,
                             other_indicators, over_time, reporting_history, trajectory, unit_info, unit_targets,
                             with_growth)

A, B = "11002", "10507"  # Thạch Khôi, Thành Đông
TZ = "Asia/Ho_Chi_Minh"
SECTORS, TYPES, RATIOS = 10, 3, 5


def long(rows, unit=True) -> pd.DataFrame:
    """A long indicator table from (period, [unit,] indicator, numerator, denominator)."""
    out = []
    for r in rows:
        if unit:
            period, code, ind, num, den = r
        else:
            period, ind, num, den = r
        value = num / den * 100 if den else np.nan
        out.append({"period": period, **({"unit_code": code} if unit else {}), "indicator": ind,
                    "numerator": float(num), "denominator": float(den), "value": value})
    return pd.DataFrame(out)


def target(comparator: str, indicator: str = "digital_rate", **kw) -> dict:
    return {"id": "t", "plan": "ward", "scope": "unit", "indicator": indicator, "comparator": comparator,
            "baseline": "2025-H2", "deadline": "2030-H2", **kw}


UNIT_VALUES = long([
    ("2025-H1", A, "digital_rate", 30, 100),
    ("2025-H2", A, "digital_rate", 40, 100),
    ("2026-H1", A, "digital_rate", 45, 100),
    ("2025-H2", B, "digital_rate", 10, 100),
    ("2026-H1", B, "digital_rate", 90, 100),
])


# --- trajectory ---------------------------------------------------------------------------------

def test_straight_line_from_baseline_to_goal():
    out = trajectory(UNIT_VALUES, target("at_least", value=70), A)
    periods = [f"{y}-H{h}" for y in range(2025, 2031) for h in (1, 2)]
    assert out["period"].tolist() == periods  # the first value's period to the deadline
    assert list(out.columns) == ["period", "value", "expected", "numerator", "denominator", "goal", "goal_high"]
    by = out.set_index("period")
    assert math.isnan(by.loc["2025-H1", "expected"])  # before the baseline
    assert by.loc["2025-H2", "expected"] == pytest.approx(40 / 100 * 100)
    assert by.loc["2026-H1", "expected"] == pytest.approx(40 + (70 - 40) * 1 / 10)
    assert by.loc["2028-H2", "expected"] == pytest.approx(40 + (70 - 40) * 6 / 10)
    assert by.loc["2030-H2", "expected"] == pytest.approx(70)
    assert by.loc["2026-H1", "value"] == pytest.approx(45 / 100 * 100)
    assert (by.loc["2026-H1", "numerator"], by.loc["2026-H1", "denominator"]) == (45, 100)
    assert math.isnan(by.loc["2027-H1", "value"]) and math.isnan(by.loc["2027-H1", "numerator"])
    assert set(out["goal"]) == {70} and out["goal_high"].isna().all()


def test_key_value_picks_the_unit():
    out = trajectory(UNIT_VALUES, target("at_least", value=70), B).set_index("period")
    assert out.loc["2026-H1", "value"] == pytest.approx(90 / 100 * 100)
    assert out.loc["2026-H1", "expected"] == pytest.approx(10 + (70 - 10) * 1 / 10)
    assert out.index[0] == "2025-H2"  # B's first value is at the baseline


def test_city_table_without_unit_code():
    city = long([("2025-H2", "enterprise_digital_rate", 60, 100), ("2026-H1", "enterprise_digital_rate", 64, 100)],
                unit=False)
    t = target("range", "enterprise_digital_rate", low=65, high=70, deadline="2026-H2")
    out = trajectory(city, t).set_index("period")
    assert out.index.tolist() == ["2025-H2", "2026-H1", "2026-H2"]
    assert out.loc["2026-H1", "expected"] == pytest.approx(60 + (65 - 60) * 1 / 2)  # met at the low end
    assert out.loc["2026-H2", "expected"] == 65
    assert set(out["goal"]) == {65} and set(out["goal_high"]) == {70}


def test_values_past_the_deadline_hold_the_goal():
    city = long([("2025-H2", "digital_rate", 60, 100), ("2027-H2", "digital_rate", 70, 100)], unit=False)
    out = trajectory(city, target("at_least", value=65, deadline="2026-H2")).set_index("period")
    assert out.index.tolist() == ["2025-H2", "2026-H1", "2026-H2", "2027-H1", "2027-H2"]
    assert out.loc["2027-H2", "expected"] == 65
    assert out.loc["2027-H2", "value"] == pytest.approx(70 / 100 * 100)


def test_lower_is_better_line_goes_down():
    city = long([("2025-H2", "digital_rate", 13, 100)], unit=False)
    out = trajectory(city, target("less_than", value=10, deadline="2026-H2")).set_index("period")
    assert out.loc["2026-H1", "expected"] == pytest.approx(13 + (10 - 13) * 1 / 2)


def test_baseline_value_of_a_yearly_count():
    city = pd.DataFrame({"period": ["2025-H2", "2026-H1"], "indicator": "trainees_total",
                         "numerator": [4911.0, 2443.0], "denominator": [2.0, 1.0], "value": [4911.0, 2443.0]})
    t = target("range", "trainees_total", low=6000, high=8000, baseline_value=0, deadline="2026-H2")
    out = trajectory(city, t).set_index("period")
    assert out.loc["2025-H2", "expected"] == 0
    assert out.loc["2026-H1", "expected"] == pytest.approx(0 + (6000 - 0) * 1 / 2)
    assert out.loc["2026-H1", "value"] == 2443


def test_no_baseline_value_no_line():
    values = long([("2026-H1", A, "digital_rate", 45, 100)])
    out = trajectory(values, target("at_least", value=70), A)
    assert out["expected"].isna().all()
    assert out["period"].iloc[0] == "2025-H2"  # the grid still starts at the baseline


def test_baseline_already_meets_target_expects_the_goal():
    values = long([("2025-H2", A, "digital_rate", 75, 100), ("2026-H1", A, "digital_rate", 72, 100)])
    out = trajectory(values, target("at_least", value=70), A).set_index("period")
    assert out.loc["2025-H2", "expected"] == 70 and out.loc["2026-H1", "expected"] == 70


def test_rises_every_year_expects_the_same_half_a_year_earlier():
    values = long([("2025-H1", A, "cashless_rate", 40, 100), ("2025-H2", A, "cashless_rate", 42, 100),
                   ("2026-H1", A, "cashless_rate", 41, 100)])
    out = trajectory(values, target("rises_every_year", "cashless_rate"), A).set_index("period")
    assert math.isnan(out.loc["2025-H2", "expected"])  # no 2024-H2
    assert out.loc["2026-H1", "expected"] == pytest.approx(40 / 100 * 100)
    assert out.loc["2026-H2", "expected"] == pytest.approx(42 / 100 * 100)  # the value to beat next
    assert out["goal"].isna().all()


def test_count_per_year_expects_half_by_mid_year():
    values = pd.DataFrame({"period": ["2026-H1"], "unit_code": [A], "indicator": ["trainings_per_year"],
                           "numerator": [0.0], "denominator": [1.0], "value": [0.0]})
    out = trajectory(values, target("count_per_year", "trainings_per_year", value=1), A).set_index("period")
    assert out.loc["2026-H1", "expected"] == 1 * 1 / 2
    assert out.loc["2026-H2", "expected"] == 1 * 2 / 2
    assert set(out["goal"]) == {1}


def test_every_year_flag_expects_100():
    values = pd.DataFrame({"period": ["2026-H1"], "unit_code": [A], "indicator": ["register_updated"],
                           "numerator": [1.0], "denominator": [1.0], "value": [100.0]})
    out = trajectory(values, target("every_year", "register_updated"), A)
    assert set(out["expected"]) == {100} and set(out["goal"]) == {100}


# --- other indicators over time -----------------------------------------------------------------

def test_other_indicators_are_the_per_unit_kinds_no_unit_target_follows():
    # config/indicators.toml kinds ratio, year_sum, flag, growth, less those of a unit-scope target
    # (digital_rate, cashless_rate, outreach_rate, trainings_per_year, register_updated)
    got = other_indicators()
    assert [ind for ind, _ in got] == ["enterprise_digital_rate", "online_seller_rate", "site_notified_growth",
                                       "trainees_total"]
    by = dict(got)
    assert by["online_seller_rate"] is None
    assert (by["enterprise_digital_rate"]["id"], by["site_notified_growth"]["id"], by["trainees_total"]["id"]) == (
        "city_enterprise_digital", "city_site_growth", "city_trainees")


def test_over_time_unit_city_and_city_target():
    unit = long([("2025-H1", A, "enterprise_digital_rate", 141, 262), ("2026-H1", A, "enterprise_digital_rate", 0, 0),
                 ("2026-H1", B, "enterprise_digital_rate", 9, 10)])
    city = long([("2025-H1", "enterprise_digital_rate", 10518, 17496), ("2025-H2", "enterprise_digital_rate", 0, 0),
                 ("2026-H1", "enterprise_digital_rate", 11899, 17442), ("2026-H1", "digital_rate", 1, 2)], unit=False)
    t = target("range", "enterprise_digital_rate", scope="city", low=65, high=70, deadline="2026-H2")
    out = over_time(unit, city, "enterprise_digital_rate", A, ["2025-H1", "2025-H2", "2026-H1"], t)
    assert list(out.columns) == ["period", "value", "numerator", "denominator", "city_value", "city_numerator",
                                 "city_denominator", "goal", "goal_high"]
    assert out["period"].tolist() == ["2025-H1", "2025-H2", "2026-H1"]  # every period, no more
    by = out.set_index("period")
    assert by.loc["2025-H1", "value"] == pytest.approx(141 / 262 * 100)
    assert (by.loc["2025-H1", "numerator"], by.loc["2025-H1", "denominator"]) == (141, 262)
    assert math.isnan(by.loc["2025-H2", "value"]) and math.isnan(by.loc["2025-H2", "numerator"])  # no report
    zero = by.loc["2026-H1"]  # a zero denominator: no data, not 0
    assert math.isnan(zero["value"]) and zero["denominator"] == 0
    assert by.loc["2026-H1", "city_value"] == pytest.approx(11899 / 17442 * 100)
    assert (by.loc["2026-H1", "city_numerator"], by.loc["2026-H1", "city_denominator"]) == (11899, 17442)
    assert math.isnan(by.loc["2025-H2", "city_value"]) and by.loc["2025-H2", "city_denominator"] == 0
    assert set(out["goal"]) == {65} and set(out["goal_high"]) == {70}


def test_over_time_without_a_target_has_no_goal():
    city = long([("2026-H1", "cashless_rate", 1, 2)], unit=False)  # no city value of digital_rate
    out = over_time(UNIT_VALUES, city, "digital_rate", B, ["2025-H2", "2026-H1"])
    assert out["value"].tolist() == pytest.approx([10 / 100 * 100, 90 / 100 * 100])
    assert out["city_value"].isna().all()
    assert out["goal"].isna().all() and out["goal_high"].isna().all()


def test_with_growth_adds_the_units_growth_on_the_reference_year():
    values = long([("2026-H1", A, "digital_rate", 45, 100), ("2026-H1", B, "digital_rate", 90, 100)])
    rows = pd.DataFrame([
        biz(A, "thuc_pham", "doanh_nghiep", period="2025-H1", site_notified=3),
        biz(A, "ocop", "doanh_nghiep", period="2025-H1", site_notified=1),
        biz(A, "thuc_pham", "doanh_nghiep", period="2026-H1", site_notified=4),
        biz(A, "ocop", "doanh_nghiep", period="2026-H1", site_notified=2),
        biz(A, "thuc_pham", "doanh_nghiep", period="2025-H2", site_notified=0),
        biz(A, "thuc_pham", "doanh_nghiep", period="2026-H2", site_notified=5),
        biz(B, "thuc_pham", "doanh_nghiep", period="2026-H1", site_notified=7),
    ])
    out = with_growth(values, rows, A)
    assert list(out.columns) == list(values.columns) and set(out["unit_code"]) == {A}
    g = out[out["indicator"] == "site_notified_growth"].set_index("period")
    assert (g.loc["2026-H1", "numerator"], g.loc["2026-H1", "denominator"]) == (4 + 2, 3 + 1)
    assert g.loc["2026-H1", "value"] == pytest.approx((4 + 2) / (3 + 1) * 100 - 100)
    assert g.loc["2025-H1", "value"] == pytest.approx(0)  # the reference year against itself
    no_base = g.loc["2026-H2"]  # 2025-H2's Σ is 0: no data, never −100% or infinite
    assert no_base["denominator"] == 0 and math.isnan(no_base["value"])
    assert out[out["indicator"] == "digital_rate"]["numerator"].tolist() == [45]
    food = with_growth(values, rows, A, View(sectors=("thuc_pham",)))  # the view applies to both sums
    assert food.set_index(["indicator", "period"]).loc[("site_notified_growth", "2026-H1"), "value"] == pytest.approx(
        4 / 3 * 100 - 100)
    assert with_growth(values.iloc[:0], rows.iloc[:0], A).empty


# --- status rows, unit list ---------------------------------------------------------------------

def test_unit_targets_and_info():
    status = pd.DataFrame({"unit_code": [A, B, A], "target": ["x", "x", "y"], "status": ["met", "on_track", "no_data"]})
    assert unit_targets(status, A)["target"].tolist() == ["x", "y"]
    info = unit_info(A)
    assert (info["full_name"], info["type"]) == ("Phường Thạch Khôi", "phường")


# --- businesses: breakdown and funnel ------------------------------------------------------------

def biz(unit, sector, btype, period="2026-H1", **counts) -> dict:
    base = {c: 0 for c in ["businesses", "digital_any", "cashless", "point_of_sale", "point_of_sale_informed",
                           "online_sellers"]}
    return {"period": period, "unit_code": unit, "sector": sector, "business_type": btype, **base, **counts}


BIZ = pd.DataFrame([
    biz(A, "thuc_pham", "doanh_nghiep", businesses=10, digital_any=8, cashless=9, point_of_sale=4,
        point_of_sale_informed=3, online_sellers=5),
    biz(A, "thuc_pham", "ho_kinh_doanh", businesses=40, digital_any=12, cashless=20, point_of_sale=20,
        point_of_sale_informed=5, online_sellers=6),
    biz(A, "ocop", "ho_kinh_doanh", businesses=2, digital_any=1, cashless=1, online_sellers=1),
    biz(A, "thuc_pham", "doanh_nghiep", period="2025-H2", businesses=99, digital_any=1),
    biz(B, "thuc_pham", "doanh_nghiep", businesses=5, digital_any=2, cashless=3, point_of_sale=1,
        point_of_sale_informed=1, online_sellers=1),
])


def cell(table, sector, btype, indicator):
    rows = table[(table["sector"] == sector) & (table["business_type"] == btype) & (table["indicator"] == indicator)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_breakdown_by_sector_and_business_type():
    out = breakdown(BIZ, A, "2026-H1")
    assert len(out) == SECTORS * TYPES * RATIOS
    c = cell(out, "thuc_pham", "ho_kinh_doanh", "digital_rate")
    assert (c["numerator"], c["denominator"]) == (12, 40)
    assert c["value"] == pytest.approx(12 / 40 * 100)
    assert cell(out, "thuc_pham", "doanh_nghiep", "outreach_rate")["value"] == pytest.approx(3 / 4 * 100)
    ocop = cell(out, "ocop", "ho_kinh_doanh", "outreach_rate")  # no point of sale: no denominator
    assert ocop["denominator"] == 0 and math.isnan(ocop["value"])
    missing = cell(out, "dien_tu", "hop_tac_xa", "digital_rate")  # not reported
    assert math.isnan(missing["numerator"]) and math.isnan(missing["value"])
    assert out["sector"].iloc[0] == "thuc_pham" and out["business_type"].iloc[0] == "doanh_nghiep"


def test_breakdown_follows_the_view_and_the_unit():
    out = breakdown(BIZ, A, "2026-H1", View(sectors=("thuc_pham",)))
    assert set(out["sector"]) == {"thuc_pham"} and len(out) == 1 * TYPES * RATIOS
    b = breakdown(BIZ, B, "2026-H1")
    assert cell(b, "thuc_pham", "doanh_nghiep", "digital_rate")["value"] == pytest.approx(2 / 5 * 100)
    empty = breakdown(BIZ, "11914", "2026-H1")
    assert len(empty) == SECTORS * TYPES * RATIOS and empty["value"].isna().all()


def test_breakdown_indicators_leave_out_restricted_ratios():
    assert breakdown_indicators() == ["digital_rate", "cashless_rate", "outreach_rate", "online_seller_rate"]


def test_funnel_counts_and_shares():
    out = funnel(BIZ, A, "2026-H1").set_index("stage")
    assert out.index.tolist() == FUNNEL
    total = 10 + 40 + 2
    assert out.loc["businesses", "count"] == total
    assert out.loc["digital_any", "count"] == 8 + 12 + 1
    assert out.loc["digital_any", "value"] == pytest.approx((8 + 12 + 1) / total * 100)
    assert out.loc["cashless", "value"] == pytest.approx((9 + 20 + 1) / total * 100)
    assert out.loc["online_sellers", "value"] == pytest.approx((5 + 6 + 1) / total * 100)
    # outreach counts points of sale only: its share is of points of sale
    assert out.loc["point_of_sale_informed", "count"] == 3 + 5
    assert out.loc["point_of_sale_informed", "denominator"] == 4 + 20
    assert out.loc["point_of_sale_informed", "value"] == pytest.approx((3 + 5) / (4 + 20) * 100)


def test_funnel_with_a_view_and_without_a_report():
    out = funnel(BIZ, A, "2026-H1", View(business_types=("doanh_nghiep",))).set_index("stage")
    assert out.loc["businesses", "count"] == 10 and out.loc["digital_any", "value"] == pytest.approx(8 / 10 * 100)
    none = funnel(BIZ, "11914", "2026-H1")
    assert none["count"].isna().all() and none["value"].isna().all()


# --- activities and reporting -------------------------------------------------------------------

def test_activities_history_one_row_per_period():
    act = pd.DataFrame({
        "period": ["2025-H2", "2026-H1", "2026-H1"], "unit_code": [A, A, B], "trainings": [1, 3, 0],
        "trainees": [43, 93, 0], "outreach_items": [8, 15, 1], "marketplace_onboarded": [6, 21, 0],
        "register_updated": [False, True, False], "complaints_forwarded": [0, 1, 0],
        "submitted_at": pd.to_datetime(["2025-12-24 10:00", "2026-06-24 10:00", "2026-06-24 10:00"]).tz_localize(TZ),
    })
    out = activities_history(act, A, ["2025-H1", "2025-H2", "2026-H1"])
    assert out["period"].tolist() == ["2025-H1", "2025-H2", "2026-H1"]
    assert out["reported"].tolist() == [False, True, True]
    assert math.isnan(out["trainings"].iloc[0])
    assert out["trainees"].tolist()[1:] == [43, 93]
    assert out["register_updated"].tolist()[1:] == [False, True]
    assert list(out.columns) == ["period", "reported", "trainings", "trainees", "outreach_items",
                                 "marketplace_onboarded", "register_updated", "complaints_forwarded", "submitted_at"]


def test_reporting_history_is_the_units_rows_in_period_order():
    rt = pd.DataFrame({
        "period": ["2026-H1", "2025-H2", "2025-H1", "2026-H1"], "unit_code": [A, A, A, B],
        "reported": [True, True, False, True],
        "submitted_at": pd.to_datetime(["2026-07-03 09:00", "2025-12-29 08:00", None, "2026-06-01 09:00"]).tz_localize(TZ),
        "deadline": ["2026-06-30", "2025-12-30", "2025-06-30", "2026-06-30"], "on_time": [False, True, False, True],
        "days_late": [3.0, 0.0, None, 0.0], "files": [1, 3, 0, 1], "resubmissions": [0, 2, 0, 0],
        "state": ["late", "on_time", "missing", "on_time"],
    })
    out = reporting_history(rt, A)  # the unit's rows of the reporting table, in period order
    assert out["period"].tolist() == ["2025-H1", "2025-H2", "2026-H1"]
    assert out["state"].tolist() == ["missing", "on_time", "late"]
    assert out["files"].tolist() == [0, 3, 1]
    assert out["resubmissions"].tolist() == [0, 2, 0]
    assert out["days_late"].iloc[2] == 3


# --- the unit against the city ------------------------------------------------------------------

def test_city_comparison_difference_in_points():
    city = long([("2026-H1", "digital_rate", 500, 1000), ("2026-H1", "cashless_rate", 300, 1000),
                 ("2025-H2", "digital_rate", 1, 10)], unit=False)
    out = city_comparison(UNIT_VALUES, city, A, "2026-H1").set_index("indicator")
    assert out.index.tolist() == ["digital_rate", "enterprise_digital_rate", "cashless_rate", "outreach_rate",
                                  "online_seller_rate"]
    d = out.loc["digital_rate"]
    assert (d["unit_numerator"], d["unit_denominator"], d["city_numerator"], d["city_denominator"]) == (45, 100, 500, 1000)
    assert d["difference"] == pytest.approx(45 / 100 * 100 - 500 / 1000 * 100)
    c = out.loc["cashless_rate"]  # no unit value: no difference
    assert math.isnan(c["unit_value"]) and c["city_value"] == pytest.approx(300 / 1000 * 100)
    assert math.isnan(c["difference"])
