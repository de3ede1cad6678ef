"""metrics.coverage on hand-made current tables."""

from __future__ import annotations

import pandas as pd

from metrics.coverage import coverage, is_low


def test_units_with_a_report_of_each_kind_at_a_period():
    current = {
        "businesses": pd.DataFrame({"period": ["2026-H1"] * 3 + ["2025-H2"], "unit_code": ["11002", "11002", "10615", "10570"]}),
        "activities": pd.DataFrame({"period": ["2026-H1", "2026-H1"], "unit_code": ["11002", "99999"]}),  # 99999: no unit
    }
    assert coverage(current, "2026-H1") == {"businesses": 2, "activities": 1}
    assert coverage(current, "2024-H1") == {"businesses": 0, "activities": 0}


def test_low_coverage_is_below_the_configured_share():
    assert is_low(6, 114) and is_low(91, 114) and not is_low(92, 114)  # 80% of 114 is 91,2
    assert not is_low(0, 0)
