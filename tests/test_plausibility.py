"""metrics.plausibility on hand-computed reports: the indicators side by side and each warning."""

from __future__ import annotations

import math

import pytest

from metrics.plausibility import side_by_side, warnings

BOUNDS = {"count_change": 0.5, "count_floor": 10, "rate_jump_pp": 20, "businesses_drop": 0.3}


def report(biz_frame, act_frame, **changes):
    """The two businesses rows of Thạch Khôi (conftest) with columns scaled or set, and its activities row."""
    biz = biz_frame.copy()
    for col, values in changes.items():
        biz[col] = values
    return biz, act_frame[act_frame["unit_code"] == "11002"]


def test_side_by_side_is_sums_over_the_rows_and_rates_of_sums(biz_frame, act_frame):
    old = report(biz_frame, act_frame)
    new = report(biz_frame, act_frame, businesses=[20, 8], digital_any=[6, 8])
    got = side_by_side(*new, *old).set_index(["kind", "item"])
    # digital_rate: previous (6 + 4) / (10 + 8) = 55,55…%; now (6 + 8) / (20 + 8) = 50%
    assert got.loc[("rate", "digital_rate"), "previous"] == pytest.approx(1000 / 18)
    assert got.loc[("rate", "digital_rate"), "value"] == pytest.approx(50.0)
    assert got.loc[("count", "businesses"), ["previous", "value", "change"]].tolist() == [18, 28, 10]
    assert got.loc[("activity", "trainees"), ["previous", "value", "change"]].tolist() == [60, 60, 0]


def test_no_previous_report_compares_nothing(biz_frame, act_frame):
    new = report(biz_frame, act_frame)
    got = side_by_side(*new, biz_frame.iloc[0:0], act_frame.iloc[0:0])
    assert got["previous"].isna().all() and got["change"].isna().all()
    assert warnings(got, BOUNDS).empty


def test_a_zero_denominator_is_no_value_not_zero(biz_frame, act_frame):
    new = report(biz_frame, act_frame, point_of_sale=[0, 0], point_of_sale_informed=[0, 0])
    got = side_by_side(*new, *report(biz_frame, act_frame)).set_index("item")
    assert math.isnan(got.loc["outreach_rate", "value"])


def test_each_warning_and_its_bound(biz_frame, act_frame):
    old = report(biz_frame, act_frame)
    # businesses 18 → 12: down by a third (> 30%) but by 6 only (no count_change: floor 10)
    # digital_any 10 over 18 → 12 businesses: 55,6% → 83,3%, up 27,8 points (> 20); the enterprises'
    # 6/10 → 6/6 (+40); cashless 12/18 → 11/12 (+25); online sellers 8/18 → 8/12 (+22,2);
    # outreach 4/6 → 4/6 (no move)
    new = report(biz_frame, act_frame, businesses=[6, 6], digital_any=[6, 4], cashless=[6, 5],
                 point_of_sale=[4, 2], online_sellers=[5, 3])
    found = warnings(side_by_side(*new, *old), BOUNDS)
    assert dict(zip(found["item"], found["rule"])) == {
        "digital_rate": "rate_jump", "enterprise_digital_rate": "rate_jump", "cashless_rate": "rate_jump",
        "online_seller_rate": "rate_jump", "businesses": "businesses_drop"}
    # trainees 60 → 100: up by two thirds (> half) and by 40 (> 10)
    act = old[1].assign(trainees=100)
    found = warnings(side_by_side(old[0], act, *old), BOUNDS)
    assert found[["item", "rule", "previous", "value"]].values.tolist() == [["trainees", "count_change", 60, 100]]


def test_moves_within_the_bounds_warn_nothing(biz_frame, act_frame):
    old = report(biz_frame, act_frame)
    new = report(biz_frame, act_frame, businesses=[13, 8])  # 18 → 21: +17%; rates move < 20 points
    assert warnings(side_by_side(*new, *old), BOUNDS).empty
