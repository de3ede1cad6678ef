"""Periods YYYY-H1 / YYYY-H2 and their deadlines (from config/settings.toml)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from loaders import periods
from loaders.validate import read_snapshot


def test_parse_index_and_shift():
    assert periods.parse("2026-H2") == (2026, 2)
    assert periods.index("2026-H1") - periods.index("2025-H2") == 1
    assert periods.from_index(periods.index("1880-H2")) == "1880-H2"
    assert periods.shift("2025-H2", 1) == "2026-H1" and periods.shift("2026-H1", -3) == "2024-H2"
    assert periods.same_half_previous_year("2026-H1") == "2025-H1"
    assert (periods.year("2030-H2"), periods.half("2030-H2")) == (2030, "H2")


@pytest.mark.parametrize("text", ["2026-H3", "2026-h1", "26-H1", " 2026-H1", "2026-H1 ", "2026-H1\n", "２０２６-H1", "2026-H12"])
def test_not_a_period(text):
    with pytest.raises(ValueError, match="not a period"):
        periods.parse(text)


@pytest.mark.parametrize("period", ["2026-H1\n", "２０２６-H1"])
def test_a_file_with_a_near_period_is_invalid(write_snapshot, biz_frame, period):
    biz_frame["period"] = period
    problems = read_snapshot(write_snapshot(biz_frame)).problems
    assert [(p.rule, p.row) for p in problems] == [("period_format", 1), ("period_format", 2)]


def test_deadlines_are_the_ward_to_city_dates_of_the_settings():
    assert periods.deadline("2026-H1") == date(2026, 6, 30)
    assert periods.deadline("2026-H2") == date(2026, 12, 30)
    assert periods.deadline("2026-H2", "departments_to_ward") == date(2026, 12, 20)
    end = periods.deadline_end("2026-H1")
    assert end.tz is not None and str(end.tz) == "Asia/Ho_Chi_Minh"
    assert pd.Timestamp("2026-06-30 23:59:59", tz="Asia/Ho_Chi_Minh") <= end < pd.Timestamp("2026-07-01", tz="Asia/Ho_Chi_Minh")


def test_the_period_a_day_falls_in_and_the_periods_between_two():
    from datetime import date

    from loaders.periods import between, containing

    assert [containing(date(2026, 6, 30)), containing(date(2026, 7, 1)), containing(date(2026, 12, 31))] == \
        ["2026-H1", "2026-H2", "2026-H2"]
    assert between("2025-H2", "2026-H2") == ["2025-H2", "2026-H1", "2026-H2"] and between("2026-H1", "2026-H1") == ["2026-H1"]
