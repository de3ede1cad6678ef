"""How many units a city figure rests on: units with a current report of each kind at a period."""

from __future__ import annotations

import pandas as pd

from loaders.reference import settings, unit_codes

KINDS = ("businesses", "activities")


def coverage(current: dict[str, pd.DataFrame], period: str) -> dict[str, int]:
    """Units (of the unit list) with a current report of each kind (businesses, activities) at `period`."""
    return {kind: current[kind].loc[(current[kind]["period"] == period) & current[kind]["unit_code"].isin(unit_codes()),
                                    "unit_code"].nunique() for kind in KINDS}


def is_low(units: int, expected: int) -> bool:
    """Below the share of units ([coverage].low in settings) under which a city figure is flagged."""
    return expected > 0 and units / expected < settings()["coverage"]["low"]
