"""metrics.map: one row per unit of the 114 with value, numerator, denominator, goal, expected,
gap and status, on small hand-built long tables (the shape of metrics.indicators.unit_values)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from loaders.reference import targets, units
from metrics.map import MAP_STATUSES, NO_TARGET, colour_range, map_indicators, map_table, reference_target, selected_unit
from metrics.targets import evaluate, expected_value

NOW = "2026-H1"
BASE = "2025-H2"
CODES = units()["unit_code"].tolist()
A, B, C, D, E = CODES[:5]  # five units that report; the other 109 do not


def long(rows: list[tuple]) -> pd.DataFrame:
    """(period, unit_code, indicator, numerator, denominator) → the long table with value = num/den × 100."""
    frame = pd.DataFrame(rows, columns=["period", "unit_code", "indicator", "numerator", "denominator"])
    frame[["numerator", "denominator"]] = frame[["numerator", "denominator"]].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["value"] = np.where(frame["denominator"] > 0, frame["numerator"] / frame["denominator"] * 100, np.nan)
    return frame


@pytest.fixture
def digital():
    """digital_rate, ward target ≥ 70% by 2030-H2 from the 2025-H2 baseline (10 halves)."""
    return long([
        (BASE, A, "digital_rate", 400, 1000), (NOW, A, "digital_rate", 1250, 2500),   # 40% → 50%
        (BASE, B, "digital_rate", 30, 100), (NOW, B, "digital_rate", 31, 100),        # 30% → 31%
        (BASE, C, "digital_rate", 75, 100), (NOW, C, "digital_rate", 72, 100),        # met at baseline, still met
        (BASE, D, "digital_rate", 50, 100), (NOW, D, "digital_rate", 0, 0),           # no denominator now
        (BASE, E, "digital_rate", 60, 100), (NOW, E, "digital_rate", 59, 100),        # going down
        (NOW, A, "cashless_rate", 1, 2),                                              # another indicator: ignored
    ])


def row(table: pd.DataFrame, code: str) -> pd.Series:
    return table.set_index("unit_code").loc[code]


def test_one_row_per_unit_of_the_114_in_unit_list_order(digital):
    table = map_table(digital, NOW, "digital_rate")
    assert table["unit_code"].tolist() == CODES
    assert len(table) == 114
    assert row(table, A)["name"] == units().set_index("unit_code").loc[A, "name"]
    assert set(table["period"]) == {NOW} and set(table["indicator"]) == {"digital_rate"}


def test_unit_target_values_expected_and_gap(digital):
    table = map_table(digital, NOW, "digital_rate")
    a = row(table, A)
    assert (a["numerator"], a["denominator"]) == (1250, 2500)
    assert a["value"] == pytest.approx(1250 / 2500 * 100)
    assert (a["target"], a["basis"], a["goal"]) == ("ward_digital_rate", "unit", 70)
    # one half of ten elapsed: 40 + (70 − 40) × 1/10
    assert a["expected"] == pytest.approx(40 + (70 - 40) * 1 / 10)
    assert a["gap"] == pytest.approx(50 - (40 + (70 - 40) * 1 / 10))
    assert a["status"] == "on_track"  # R = (50 − 40) / (43 − 40) ≥ 0.95
    b = row(table, B)
    assert b["expected"] == pytest.approx(30 + (70 - 30) / 10)
    assert b["gap"] == pytest.approx(31 - (30 + (70 - 30) / 10))
    assert b["status"] == "limited_progress"  # R = (31 − 30) / (34 − 30) = 0.25


def test_met_at_baseline_expects_the_goal_itself(digital):
    c = row(map_table(digital, NOW, "digital_rate"), C)
    assert (c["status"], c["reason"]) == ("met", "already_met")
    assert c["expected"] == 70
    assert c["gap"] == pytest.approx(72 / 100 * 100 - 70)


def test_deteriorating_and_the_named_edge_cases(digital):
    table = map_table(digital, NOW, "digital_rate")
    e = row(table, E)
    assert e["status"] == "deteriorating"  # R = (59 − 60) / (61 − 60) = −1
    assert e["gap"] == pytest.approx(59 - (60 + (70 - 60) / 10))
    d = row(table, D)
    assert (d["status"], d["reason"]) == ("no_data", "no_denominator")
    assert math.isnan(d["value"]) and d["denominator"] == 0 and math.isnan(d["gap"])
    silent = table[~table["unit_code"].isin([A, B, C, D, E])]
    assert len(silent) == 114 - 5
    assert set(silent["status"]) == {"no_data"} and set(silent["reason"]) == {"no_value"}
    assert silent["value"].isna().all() and silent["numerator"].isna().all()


def test_baseline_period_has_no_progress_to_judge(digital):
    a = row(map_table(digital, BASE, "digital_rate"), A)
    assert (a["status"], a["reason"]) == ("no_data", "baseline_period")
    assert a["expected"] == 40 and a["gap"] == 0


def test_expected_agrees_with_metrics_targets_where_it_gives_one(digital):
    target = next(t for t in targets() if t["id"] == "ward_digital_rate")
    judged = evaluate(target, digital, NOW, key="unit_code").set_index("unit_code")
    table = map_table(digital, NOW, "digital_rate").set_index("unit_code")
    for code in (A, B, E):
        assert table.loc[code, "expected"] == pytest.approx(judged.loc[code, "expected"])
        assert table.loc[code, "status"] == judged.loc[code, "status"]


def test_city_target_as_reference_for_a_ratio_without_a_unit_target():
    values = long([(BASE, A, "enterprise_digital_rate", 45, 100), (NOW, A, "enterprise_digital_rate", 56, 100),
                   (BASE, B, "enterprise_digital_rate", 60, 100), (NOW, B, "enterprise_digital_rate", 71, 100)])
    table = map_table(values, NOW, "enterprise_digital_rate")
    a = row(table, A)
    assert (a["target"], a["basis"], a["goal"]) == ("city_enterprise_digital", "city", 65)
    # city plan: 65–70% by 2026-H2 from 2025-H2, one half of two elapsed
    assert a["expected"] == pytest.approx(45 + (65 - 45) * 1 / 2)
    assert a["gap"] == pytest.approx(56 - (45 + (65 - 45) / 2))
    assert a["status"] == "on_track"  # R = (56 − 45) / (55 − 45) = 1.1
    b = row(table, B)
    assert b["status"] == "met" and bool(b["exceeded"])  # 71 ≥ 70, the high end


def test_no_target_for_a_ratio_without_any_target_and_for_a_city_total():
    values = long([(NOW, A, "online_seller_rate", 3, 12), (NOW, B, "online_seller_rate", 0, 0)])
    table = map_table(values, NOW, "online_seller_rate")
    a = row(table, A)
    assert a["value"] == pytest.approx(3 / 12 * 100)
    assert (a["status"], a["reason"], a["target"], a["basis"]) == (NO_TARGET, None, None, None)
    assert math.isnan(a["goal"]) and math.isnan(a["expected"]) and math.isnan(a["gap"])
    assert (row(table, B)["status"], row(table, B)["reason"]) == ("no_data", "no_denominator")
    assert (row(table, C)["status"], row(table, C)["reason"]) == ("no_data", "no_value")
    assert reference_target("online_seller_rate") == (None, None)
    assert reference_target("trainees_total") == (None, None)  # the city target is a city total, not a rate


def test_yearly_count_rises_and_flag():
    trainings = pd.DataFrame({"period": [NOW, NOW], "unit_code": [A, B], "indicator": "trainings_per_year",
                              "numerator": [0.0, 2.0], "denominator": [1.0, 1.0], "value": [0.0, 2.0]})
    table = map_table(trainings, NOW, "trainings_per_year")
    # ≥ 1 a year, counted from 0 at the start of the year: half the year gone expects 1 × 1/2
    assert row(table, A)["expected"] == pytest.approx(1 * 1 / 2)
    assert (row(table, A)["status"], row(table, A)["gap"]) == ("limited_progress", pytest.approx(0 - 1 / 2))
    assert (row(table, B)["status"], row(table, B)["gap"]) == ("met", pytest.approx(2 - 1 / 2))

    cashless = long([("2025-H1", A, "cashless_rate", 30, 100), (NOW, A, "cashless_rate", 35, 100)])
    a = row(map_table(cashless, NOW, "cashless_rate"), A)
    assert (a["status"], a["expected"], a["gap"]) == ("met", 30, pytest.approx(35 - 30))
    assert math.isnan(a["goal"])

    flag = pd.DataFrame({"period": [NOW], "unit_code": [A], "indicator": "register_updated",
                         "numerator": [0.0], "denominator": [1.0], "value": [0.0]})
    a = row(map_table(flag, NOW, "register_updated"), A)
    assert (a["status"], a["reason"], a["expected"], a["gap"]) == ("limited_progress", "not_reviewed", 100, -100)


def test_statuses_are_the_known_ones(digital):
    assert set(map_table(digital, NOW, "digital_rate")["status"]) <= set(MAP_STATUSES)


def test_expected_value_before_baseline_and_without_baseline():
    target = next(t for t in targets() if t["id"] == "ward_digital_rate")
    assert math.isnan(expected_value(target, {"2025-H1": 40.0, BASE: 40.0}, "2025-H1"))
    assert math.isnan(expected_value(target, {NOW: 40.0}, NOW))
    assert expected_value(target, {BASE: 40.0}, "2030-H2") == pytest.approx(70)
    assert expected_value(target, {BASE: 40.0}, "2031-H2") == pytest.approx(70)  # past the deadline


def test_map_indicators_have_a_value_per_unit():
    assert map_indicators() == ["digital_rate", "enterprise_digital_rate", "cashless_rate", "outreach_rate",
                                "online_seller_rate", "trainees_total", "trainings_per_year", "register_updated"]


def test_colour_range_shared_by_two_tables(digital):
    now = map_table(digital, NOW, "digital_rate")
    base = map_table(digital, BASE, "digital_rate")
    assert colour_range([now, base], "value") == (pytest.approx(30 / 100 * 100), pytest.approx(75 / 100 * 100))
    # gaps now: A 50 − 43, B 31 − 34, C 72 − 70, E 59 − 61; at the baseline: 0, except C 75 − 70
    biggest = max(abs(50 - 43), abs(31 - 34), abs(72 - 70), abs(59 - 61), abs(75 - 70))
    assert colour_range([now, base], "gap") == (pytest.approx(-biggest), pytest.approx(biggest))
    empty = map_table(digital.iloc[0:0], NOW, "digital_rate")
    assert colour_range([empty], "value") == (0, 1) and colour_range([empty], "gap") == (-1, 1)


def test_selected_unit_from_a_plotly_selection():
    assert selected_unit({"points": [{"curve_number": 0, "point_index": 3, "customdata": "11002"}]}) == "11002"
    assert selected_unit({"points": [{"customdata": ["10507"]}]}) == "10507"
    assert selected_unit({"points": [], "box": [], "lasso": []}) is None
    assert selected_unit(None) is None
