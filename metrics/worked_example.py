"""The worked example of the status method shown on the targets page.

A real target of config/targets.toml (by default the ward plan's digital_rate ≥ 70% by 2030-H2), an
illustrative baseline value and a few illustrative actual values at one period. Every status,
expected value and R comes from metrics.targets.trajectory(), so the example cannot drift from
the method. The numbers below are an illustration, not data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders import periods
from loaders.reference import targets
from metrics.targets import ACCELERATE, ON_TRACK, goal_value, trajectory

TARGET = "ward_digital_rate"
BASELINE = 40.0
PERIOD = "2028-H2"
ACTUALS = (72.0, 60.0, 54.0, 45.0, 35.0)


def target(target_id: str = TARGET) -> dict:
    return next(t for t in targets() if t["id"] == target_id)


def _span(t: dict, period: str) -> tuple[int, int]:
    """(elapsed, total) half-years from the target's baseline period."""
    start = periods.index(t["baseline"])
    return periods.index(period) - start, periods.index(t["deadline"]) - start


def lines(t: dict, baseline: float) -> pd.DataFrame:
    """Per period from the baseline to the deadline: the expected value on the straight line
    (R = 1), the band edges where R = ON_TRACK, R = ACCELERATE and R = 0, and the goal."""
    _, total = _span(t, t["deadline"])
    rows = []
    for elapsed in range(total + 1):
        period = periods.shift(t["baseline"], elapsed)
        # at the baseline the line starts at the baseline value; later, `expected` is what trajectory() returns
        expected = baseline if elapsed == 0 else trajectory(baseline, baseline, t, elapsed, total).expected
        edges = {"edge_on_track": ON_TRACK, "edge_accelerate": ACCELERATE, "edge_zero": 0.0}
        rows.append({"period": period, "elapsed": elapsed, "expected": expected,
                     **{name: baseline + r * (expected - baseline) for name, r in edges.items()}})
    return pd.DataFrame(rows).assign(goal=goal_value(t), baseline=baseline)


def points(t: dict, baseline: float, period: str, actuals) -> pd.DataFrame:
    """Each actual value at `period`, assessed by trajectory(): expected, R, status and reason
    (a met target has no R: met is checked before the bands)."""
    elapsed, total = _span(t, period)
    rows = []
    for actual in actuals:
        a = trajectory(actual, baseline, t, elapsed, total)
        rows.append({"period": period, "elapsed": elapsed, "actual": float(actual), "expected": a.expected,
                     "ratio": a.ratio, "status": a.status, "reason": a.reason})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Example:
    target: dict
    baseline: float
    period: str
    elapsed: int
    total: int
    expected: float  # on the trajectory at `period`
    lines: pd.DataFrame
    points: pd.DataFrame


def worked_example() -> Example:
    """The example shown on the targets page."""
    t = target()
    elapsed, total = _span(t, PERIOD)
    path = lines(t, BASELINE)
    return Example(t, BASELINE, PERIOD, elapsed, total, float(path.loc[path["period"] == PERIOD, "expected"].iloc[0]),
                   path, points(t, BASELINE, PERIOD, ACTUALS))
