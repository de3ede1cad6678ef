"""metrics.activities.activity_totals on a hand-made activities table."""

from __future__ import annotations

import math

import pandas as pd

from metrics.activities import activity_totals

ROWS = [  # period, unit, trainings, trainees, outreach, marketplace, complaints, register reviewed
    ("2025-H2", "11002", 4, 100, 9, 9, 9, True),  # the year before: in no 2026 sum
    ("2026-H1", "11002", 1, 30, 5, 2, 0, True),
    ("2026-H1", "10507", 2, 45, 0, 1, 1, False),
    ("2026-H2", "11002", 3, 60, 4, 0, 2, False),
]
TABLE = pd.DataFrame(ROWS, columns=["period", "unit_code", "trainings", "trainees", "outreach_items",
                                    "marketplace_onboarded", "complaints_forwarded", "register_updated"])


def test_the_period_and_its_year_so_far():
    a = activity_totals(TABLE, "2026-H2")
    assert (a["trainings"], a["trainees"], a["outreach_items"]) == (3, 60, 4)
    assert (a["trainings_year"], a["trainees_year"], a["outreach_items_year"]) == (1 + 2 + 3, 30 + 45 + 60, 5 + 0 + 4)
    assert (a["units_reporting"], a["register_updated"]) == (1, 0)
    h1 = activity_totals(TABLE, "2026-H1")
    assert (h1["trainings"], h1["trainings_year"], h1["units_reporting"], h1["register_updated"]) == (3, 3, 2, 1)


def test_one_unit():
    a = activity_totals(TABLE, "2026-H2", "11002")
    assert (a["trainees"], a["trainees_year"], a["marketplace_onboarded_year"]) == (60, 90, 2)


def test_nothing_reported_is_no_data_not_zero():
    a = activity_totals(TABLE, "2027-H1")
    assert math.isnan(a["trainings"]) and math.isnan(a["trainees_year"]) and a["units_reporting"] == 0
