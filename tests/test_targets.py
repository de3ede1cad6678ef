"""Status of targets (Open SDG bands) and every named edge case, on hand-built series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from loaders.reference import targets, units
from metrics.targets import assess, city_status, evaluate, trajectory, unit_status

# A ward-plan style target: baseline 2025-H2, deadline 2030-H2, so 10 halves in all.
AT_LEAST = {"id": "t", "indicator": "digital_rate", "comparator": "at_least", "value": 70,
            "baseline": "2025-H2", "deadline": "2030-H2"}
HALFWAY = "2028-H1"  # 5 of the 10 halves: expected = baseline + (70 − baseline) × 5 / 10


def status(target: dict, series: dict, period: str) -> tuple[str, str | None]:
    a = assess(target, series, period)
    return a.status, a.reason


def with_(**changes) -> dict:
    return {**AT_LEAST, **changes}


# --- the bands -------------------------------------------------------------------------------

@pytest.mark.parametrize("actual, band", [
    (60.0, "on_track"),            # R = (60 − 50) / (60 − 50) = 1
    (59.5, "on_track"),            # R = 9.5 / 10 = 0.95 exactly
    (59.4, "needs_acceleration"),  # R = 9.4 / 10 = 0.94
    (56.0, "needs_acceleration"),  # R = 6 / 10 = 0.6 exactly
    (55.9, "limited_progress"),    # R = 5.9 / 10 = 0.59
    (50.0, "limited_progress"),    # R = 0
    (49.0, "deteriorating"),       # R = −1 / 10
    (70.0, "met"),
    (84.0, "met"),
])
def test_bands_and_their_boundaries(actual, band):
    a = assess(AT_LEAST, {"2025-H2": 50.0, HALFWAY: actual}, HALFWAY)
    assert a.status == band
    if band != "met":
        assert a.expected == 50 + (70 - 50) * 5 / 10
        assert a.ratio == pytest.approx((actual - 50) / (60 - 50))


def test_trajectory_is_linear_in_elapsed_halves():
    a = assess(AT_LEAST, {"2025-H2": 40.0, "2026-H2": 45.0}, "2026-H2")  # 2 of 10 halves
    assert a.expected == pytest.approx(40 + (70 - 40) * 2 / 10)
    assert a.ratio == pytest.approx((45 - 40) / (46 - 40))
    assert a.status == "needs_acceleration"


# --- edge cases, each a named reason ---------------------------------------------------------

def test_no_value():
    assert status(AT_LEAST, {"2025-H2": 50.0}, HALFWAY) == ("no_data", "no_value")
    assert status(AT_LEAST, {"2025-H2": 50.0, HALFWAY: np.nan}, HALFWAY) == ("no_data", "no_value")


def test_no_denominator():
    values = pd.DataFrame({
        "period": ["2025-H2", HALFWAY], "indicator": "digital_rate",
        "numerator": [5.0, 0.0], "denominator": [10.0, 0.0], "value": [50.0, np.nan],
    })
    got = evaluate(AT_LEAST, values, HALFWAY).iloc[0]
    assert (got["status"], got["reason"]) == ("no_data", "no_denominator")
    assert got["denominator"] == 0 and math.isnan(got["value"])
    assert got["baseline"] == 50.0


def test_no_baseline():
    assert status(AT_LEAST, {HALFWAY: 55.0}, HALFWAY) == ("no_data", "no_baseline")


def test_baseline_period_has_one_point_only():
    assert status(AT_LEAST, {"2025-H2": 50.0}, "2025-H2") == ("no_data", "baseline_period")


def test_before_baseline():
    assert status(AT_LEAST, {"2025-H1": 45.0, "2025-H2": 50.0}, "2025-H1") == ("no_data", "before_baseline")


def test_target_already_met_at_baseline():
    assert status(AT_LEAST, {"2025-H2": 75.0, "2026-H1": 72.0}, "2026-H1") == ("met", "already_met")
    # met at the baseline period itself: met, nothing "already" about it
    assert status(AT_LEAST, {"2025-H2": 75.0}, "2025-H2") == ("met", None)


def test_met_at_baseline_then_lost_is_deteriorating():
    a = assess(AT_LEAST, {"2025-H2": 75.0, "2026-H1": 69.0}, "2026-H1")
    assert (a.status, a.ratio) == ("deteriorating", -1.0)


def test_past_the_deadline_the_expected_value_is_the_target():
    a = assess(AT_LEAST, {"2025-H2": 50.0, "2032-H1": 60.0}, "2032-H1")  # 13 halves after the baseline
    assert a.expected == 70
    assert a.ratio == pytest.approx((60 - 50) / (70 - 50))
    assert a.status == "limited_progress"
    assert status(AT_LEAST, {"2025-H2": 50.0, "2032-H1": 71.0}, "2032-H1") == ("met", None)


# --- comparators -----------------------------------------------------------------------------

RANGE = with_(comparator="range", low=65, high=70, deadline="2026-H2")
del RANGE["value"]


@pytest.mark.parametrize("actual, met, exceeded", [
    (64.9, False, False), (65.0, True, False), (67.5, True, False), (69.9, True, False),
    (70.0, True, True), (75.0, True, True),
])
def test_range_is_met_at_its_low_end_and_exceeded_at_its_high_end(actual, met, exceeded):
    a = assess(RANGE, {"2025-H2": 60.0, "2026-H2": actual}, "2026-H2")
    assert (a.status == "met", a.exceeded) == (met, exceeded)


def test_range_trajectory_aims_at_the_low_end():
    a = assess(RANGE, {"2025-H2": 60.0, "2026-H1": 62.0}, "2026-H1")  # 1 of 2 halves
    assert a.expected == 60 + (65 - 60) * 1 / 2
    assert a.ratio == pytest.approx((62 - 60) / (62.5 - 60))
    assert a.status == "needs_acceleration"


@pytest.mark.parametrize("comparator, actual, met", [
    ("at_most", 10.0, True), ("at_most", 10.1, False),
    ("less_than", 10.0, False), ("less_than", 9.9, True),
    ("greater_than", 10.0, False), ("greater_than", 10.1, True),
    ("at_least", 10.0, True), ("at_least", 9.9, False),
])
def test_comparators_at_their_threshold(comparator, actual, met):
    target = with_(comparator=comparator, value=10)
    baseline = 12.0 if comparator in ("at_most", "less_than") else 8.0
    assert (assess(target, {"2025-H2": baseline, HALFWAY: actual}, HALFWAY).status == "met") == met


def test_at_most_trajectory_goes_down():
    target = with_(comparator="at_most", value=10)
    series = {"2025-H2": 20.0, HALFWAY: 17.0}  # expected 20 + (10 − 20) × 5 / 10 = 15
    a = assess(target, series, HALFWAY)
    assert a.expected == 15
    assert a.ratio == pytest.approx((17 - 20) / (15 - 20))
    assert a.status == "needs_acceleration"
    assert status(target, {"2025-H2": 20.0, HALFWAY: 21.0}, HALFWAY)[0] == "deteriorating"


@pytest.mark.parametrize("comparator", ["less_than", "greater_than"])
def test_strict_target_with_baseline_on_the_threshold(comparator):
    """Baseline exactly at the value of a strict target: not met, and no trajectory to draw."""
    target = with_(comparator=comparator, value=10)
    worse = 11.0 if comparator == "less_than" else 9.0
    assert status(target, {"2025-H2": 10.0, HALFWAY: 10.0}, HALFWAY)[0] == "limited_progress"
    assert status(target, {"2025-H2": 10.0, HALFWAY: worse}, HALFWAY)[0] == "deteriorating"


RISES = with_(comparator="rises_every_year")


@pytest.mark.parametrize("previous, actual, expected", [
    (40.0, 41.0, ("met", None)),
    (40.0, 40.0, ("limited_progress", "unchanged")),
    (40.0, 39.0, ("deteriorating", None)),
    (np.nan, 39.0, ("no_data", "no_previous_year")),
    (40.0, np.nan, ("no_data", "no_value")),
])
def test_rises_every_year_against_the_same_half_a_year_earlier(previous, actual, expected):
    series = {"2025-H2": previous, "2026-H1": 99.0, "2026-H2": actual}  # 2026-H1 is not the comparison
    assert status(RISES, series, "2026-H2") == expected


COUNT = with_(indicator="trainings_per_year", comparator="count_per_year", value=1)


@pytest.mark.parametrize("period, actual, expected", [
    ("2026-H1", 1.0, "met"),
    ("2026-H1", 0.0, "limited_progress"),  # expected 0.5 by mid-year, R = 0
    ("2026-H2", 0.0, "limited_progress"),
    ("2026-H2", 3.0, "met"),
])
def test_count_per_year_starts_from_zero_each_year(period, actual, expected):
    a = assess(COUNT, {period: actual}, period)
    assert a.status == expected
    if expected != "met":
        assert a.expected == (0.5 if period.endswith("H1") else 1.0)


def test_count_per_year_without_report():
    assert status(COUNT, {}, "2026-H2") == ("no_data", "no_value")


EVERY_YEAR = with_(indicator="register_updated", comparator="every_year")


def test_every_year_flag():
    assert status(EVERY_YEAR, {"2026-H1": 100.0}, "2026-H1") == ("met", None)
    assert status(EVERY_YEAR, {"2026-H2": 0.0}, "2026-H2") == ("limited_progress", "not_reviewed")
    assert status(EVERY_YEAR, {}, "2026-H2") == ("no_data", "no_value")


def test_trajectory_directly():
    assert trajectory(np.nan, 50.0, AT_LEAST, 5, 10).reason == "no_value"
    assert trajectory(60.0, 50.0, AT_LEAST, -1, 10).reason == "before_baseline"
    assert trajectory(59.5, 50.0, AT_LEAST, 5, 10).status == "on_track"


# --- per unit and for the city ---------------------------------------------------------------

CODES = units()["unit_code"].tolist()
A, B, C, D = "11002", "10507", "10525", "10532"


def long(rows: list[tuple]) -> pd.DataFrame:
    """(indicator, unit_code, period, value) → a long unit-values table."""
    frame = pd.DataFrame(rows, columns=["indicator", "unit_code", "period", "value"])
    return frame.assign(numerator=frame["value"], denominator=1.0)


def test_unit_status_lists_every_unit_expected():
    uv = long([("digital_rate", A, "2025-H2", 50.0), ("digital_rate", A, HALFWAY, 59.5),
               ("digital_rate", B, "2025-H2", 50.0), ("digital_rate", B, HALFWAY, 51.0)])
    got = unit_status(uv, HALFWAY, CODES)
    digital = got[got["target"] == "ward_digital_rate"].set_index("unit_code")
    assert len(digital) == 114
    assert digital.loc[A, "status"] == "on_track"
    assert digital.loc[B, "status"] == "limited_progress"
    assert (digital.loc[C, "status"], digital.loc[C, "reason"]) == ("no_data", "no_value")
    unit_targets = [t["id"] for t in targets() if t["scope"] == "unit"]
    assert sorted(got["target"].unique()) == sorted(unit_targets)
    assert len(got) == 114 * len(unit_targets)


def test_city_status_of_a_yearly_unit_target_is_the_share_of_units_meeting_it():
    uv = long([("trainings_per_year", A, "2026-H2", 2.0), ("trainings_per_year", B, "2026-H2", 1.0),
               ("trainings_per_year", C, "2026-H2", 0.0)])
    cv = pd.DataFrame(columns=["period", "indicator", "numerator", "denominator", "value"])
    city = city_status(cv, uv, "2026-H2", CODES).set_index("target")
    row = city.loc["ward_trainings"]
    assert (row["numerator"], row["denominator"]) == (2, 114)
    assert row["value"] == pytest.approx(2 / 114 * 100)
    assert row["expected"] == 100
    assert row["status"] == "limited_progress"  # R = (2 / 114 × 100) / 100 < 0.6
    assert (row["units_met"], row["units_limited_progress"], row["units_no_data"]) == (2, 1, 114 - 3)


def test_city_status_of_a_yearly_unit_target_met_by_every_unit():
    uv = long([("register_updated", code, "2026-H1", 100.0) for code in CODES])
    cv = pd.DataFrame(columns=["period", "indicator", "numerator", "denominator", "value"])
    row = city_status(cv, uv, "2026-H1", CODES).set_index("target").loc["ward_register_review"]
    assert (row["status"], row["value"], row["units_met"]) == ("met", 100.0, 114)


def test_city_status_counts_units_per_status_and_judges_the_city_value():
    uv = long([("digital_rate", A, "2025-H2", 50.0), ("digital_rate", A, "2026-H1", 75.0),
               ("digital_rate", B, "2025-H2", 50.0), ("digital_rate", B, "2026-H1", 49.0),
               ("digital_rate", C, "2025-H2", 50.0), ("digital_rate", C, "2026-H1", 50.0),
               ("digital_rate", D, "2025-H2", 80.0), ("digital_rate", D, "2026-H1", 60.0)])
    cv = pd.DataFrame({"period": ["2025-H2", "2026-H1"], "indicator": "digital_rate",
                       "numerator": [40.0, 43.0], "denominator": 100.0, "value": [40.0, 43.0]})
    city = city_status(cv, uv, "2026-H1", CODES).set_index("target")
    row = city.loc["ward_digital_rate"]
    assert row["value"] == 43.0 and row["baseline"] == 40.0
    assert row["expected"] == pytest.approx(40 + (70 - 40) * 1 / 10)
    assert row["status"] == "on_track"  # R = (43 − 40) / (43 − 40) = 1
    counts = {s: row[f"units_{s}"] for s in ("met", "deteriorating", "limited_progress", "no_data")}
    assert counts == {"met": 1, "deteriorating": 2, "limited_progress": 1, "no_data": 110}
    # a city-scope target has no unit counts, and every target of both plans has a row
    assert pd.isna(city.loc["city_enterprise_digital", "units_met"])
    assert sorted(city.index) == sorted(t["id"] for t in targets())


def test_city_status_reads_city_indicators_and_baseline_values():
    cv = pd.DataFrame({"period": ["2025-H2", "2026-H2", "2026-H1"],
                       "indicator": ["websites_violating_share", "websites_violating_share", "trainees_total"],
                       "numerator": [np.nan, np.nan, 3100.0], "denominator": [np.nan, np.nan, 1.0],
                       "value": [11.8, 9.5, 3100.0]})
    uv = long([])
    city = city_status(cv, uv, "2026-H2", CODES).set_index("target")
    assert city.loc["city_websites_violating", "status"] == "met"
    assert (city.loc["city_einvoice", "status"], city.loc["city_einvoice", "reason"]) == ("no_data", "no_value")
    at_h1 = city_status(cv, uv, "2026-H1", CODES).set_index("target").loc["city_trainees"]
    # baseline_value 0 at 2025-H2, low end 6000 at 2026-H2: expected 3000 at 2026-H1
    assert (at_h1["baseline"], at_h1["expected"]) == (0.0, 0 + (6000 - 0) * 1 / 2)
    assert at_h1["ratio"] == pytest.approx(3100 / 3000)
    assert at_h1["status"] == "on_track"


def test_change_of_a_year_to_date_count_is_against_the_same_half_a_year_earlier():
    from metrics.targets import compared_period

    trainees = next(t for t in targets() if t["indicator"] == "trainees_total")
    long = pd.DataFrame({
        "period": ["2025-H1", "2025-H2", "2026-H1"], "indicator": "trainees_total",
        "numerator": [2409.0, 4911.0, 2443.0], "denominator": np.nan, "value": [2409.0, 4911.0, 2443.0],
    })
    got = evaluate(trainees, long, "2026-H1").iloc[0]
    assert got["previous_period"] == "2025-H1"  # not 2025-H2, whose count covers a whole year
    assert got["change"] == 2443 - 2409
    assert compared_period("digital_rate", "2026-H1") == "2025-H2"  # a rate: the previous period


def test_every_comparator_of_the_targets_file_is_one_entry_of_the_registry():
    from loaders.reference import bands
    from metrics.targets import ACCELERATE, COMPARATORS, ON_TRACK, YEARLY

    assert {t["comparator"] for t in targets()} <= set(COMPARATORS)
    assert (ON_TRACK, ACCELERATE) == (bands()["on_track"], bands()["accelerate"]) == (0.95, 0.6)
    assert set(YEARLY) == {"count_per_year", "every_year"}
    assert [n for n, c in COMPARATORS.items() if c.lower_is_better] == ["at_most", "less_than"]


@pytest.mark.parametrize("name, value, series, expected, status", [
    # baseline 2025-H2 = 40, goal 70 by 2030-H2 (10 halves): 2026-H1 expects 43; 44 is R = 4/3
    ("at_least", 70, {"2025-H2": 40.0, "2026-H1": 44.0}, 43.0, "on_track"),
    ("greater_than", 70, {"2025-H2": 40.0, "2026-H1": 41.0}, 43.0, "limited_progress"),
    # at most 10 from 40: expects 37; 39 is R = 1/3
    ("at_most", 10, {"2025-H2": 40.0, "2026-H1": 39.0}, 37.0, "limited_progress"),
    ("less_than", 10, {"2025-H2": 40.0, "2026-H1": 41.0}, 37.0, "deteriorating"),
])
def test_each_trajectory_comparator_expects_the_line_and_judges_by_it(name, value, series, expected, status):
    from metrics.targets import COMPARATORS

    target = {"comparator": name, "value": value, "baseline": "2025-H2", "deadline": "2030-H2"}
    c = COMPARATORS[name]
    assert c.expected(target, series, "2026-H1") == pytest.approx(expected)
    a = c.assess(target, series, "2026-H1")
    assert (a.status, a.expected) == (status, pytest.approx(expected))
