"""Status of each target against a linear trajectory from baseline to target (Open SDG bands).

expected = baseline + (target − baseline) × elapsed / total, R = (actual − baseline) / (expected − baseline):
  met                  at or past the target (the low end of a range)
  on_track             R ≥ 0.95
  needs_acceleration   0.6 ≤ R < 0.95
  limited_progress     0 ≤ R < 0.6
  deteriorating        R < 0
  no_data              not enough data; `reason` names which edge case
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders import periods
from loaders.reference import bands, indicators, targets

STATUSES = ["met", "on_track", "needs_acceleration", "limited_progress", "deteriorating", "no_data"]
# Edge cases, each a value the UI shows in words (i18n "reason.<id>").
REASONS = [
    "no_value",          # no report for the period
    "no_denominator",    # a rate whose denominator is 0
    "no_baseline",       # no value at the baseline period
    "baseline_period",   # the period is the baseline: one point, no progress to judge yet
    "before_baseline",   # the period is before the baseline
    "no_previous_year",  # "rises every year" with no value a year earlier
    "already_met",       # met at the baseline and still met
    "not_reviewed",      # a yearly flag that does not hold this year
    "unchanged",         # "rises every year" with the same value as a year earlier
]
ON_TRACK, ACCELERATE = (bands()[k] for k in ("on_track", "accelerate"))


@dataclass(frozen=True)
class Assessment:
    status: str
    reason: str | None = None
    expected: float | None = None
    ratio: float | None = None  # R
    exceeded: bool = False  # past the high end of a range


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def on_line(baseline: float, goal: float, elapsed: int, total: int) -> float:
    """expected = baseline + (goal − baseline) × elapsed / total, held at the goal past the deadline."""
    return baseline + (goal - baseline) * min(elapsed / total, 1.0)


def band(ratio: float) -> str:
    if ratio >= ON_TRACK:
        return "on_track"
    if ratio >= ACCELERATE:
        return "needs_acceleration"
    if ratio >= 0:
        return "limited_progress"
    return "deteriorating"


# --- the comparators: each kind of target, its rule, its expected value and its assessment ----

@dataclass(frozen=True)
class Comparator:
    """A target met when `reached(actual, goal)`, judged against the straight line from its
    baseline to its goal. `yearly`: judged per unit each year (the city's figure is the share of
    units that meet it); `lower_is_better`: a fall is progress; `has_goal`: a value to reach."""
    reached: Callable[[float, float], bool] = operator.ge
    yearly: bool = False
    lower_is_better: bool = False
    has_goal: bool = True

    def goal(self, target: dict) -> float:
        return float(target.get("value", 100))

    def meets(self, actual: float, target: dict) -> bool:
        return self.reached(actual, self.goal(target))

    def span(self, target: dict, series: dict[str, float], period: str) -> tuple[float, int, int]:
        """(baseline value, halves elapsed since the baseline, halves from the baseline to the deadline)."""
        baseline = float(target["baseline_value"]) if "baseline_value" in target else series.get(target["baseline"], np.nan)
        start = periods.index(target["baseline"])
        return baseline, periods.index(period) - start, periods.index(target["deadline"]) - start

    def expected(self, target: dict, series: dict[str, float], period: str) -> float:
        """The value expected at `period` on the line (the goal itself when the baseline already
        meets it; NaN before the baseline or without a baseline value)."""
        baseline, elapsed, total = self.span(target, series, period)
        if _missing(baseline) or elapsed < 0:
            return np.nan
        if self.meets(baseline, target):
            return self.goal(target)
        return on_line(baseline, self.goal(target), elapsed, total)

    def exceeded(self, actual: float, target: dict) -> bool:
        return False

    def assess(self, target: dict, series: dict[str, float], period: str) -> Assessment:
        baseline, elapsed, total = self.span(target, series, period)
        return self.trajectory(series.get(period, np.nan), baseline, target, elapsed, total)

    def trajectory(self, actual, baseline, target: dict, elapsed: int, total: int) -> Assessment:
        """Status of a value against the straight line from baseline (elapsed 0) to goal (elapsed total)."""
        if _missing(actual):
            return Assessment("no_data", "no_value")
        if self.meets(actual, target):
            already = not _missing(baseline) and elapsed > 0 and self.meets(baseline, target)
            return Assessment("met", "already_met" if already else None, exceeded=self.exceeded(actual, target))
        if elapsed < 0:
            return Assessment("no_data", "before_baseline")
        if _missing(baseline):
            return Assessment("no_data", "no_baseline")
        if elapsed == 0:
            return Assessment("no_data", "baseline_period")
        goal = self.goal(target)
        if self.meets(baseline, target):  # met at the baseline, not any more
            return Assessment("deteriorating", expected=goal, ratio=-1.0)
        expected = on_line(baseline, goal, elapsed, total)
        if expected == baseline:  # a strict target (< or >) whose baseline sits on its value: any step
            # towards the target meets it, so the value stood still (R = 0) or went the wrong way
            ratio = 0.0 if actual == baseline else -1.0
        else:
            ratio = (actual - baseline) / (expected - baseline)
        return Assessment(band(ratio), expected=expected, ratio=ratio)


@dataclass(frozen=True)
class Range(Comparator):
    """Met at the low end of low–high, exceeded at the high end."""

    def goal(self, target: dict) -> float:
        return float(target["low"])

    def exceeded(self, actual: float, target: dict) -> bool:
        return actual >= float(target["high"])


@dataclass(frozen=True)
class CountPerYear(Comparator):
    """A year-to-date count against `value`, a new target each year: the line runs from 0 at the
    year's start to the value at its end (H1 half way)."""
    yearly: bool = True

    def span(self, target: dict, series: dict[str, float], period: str) -> tuple[float, int, int]:
        return 0.0, periods.parse(period)[1], 2


@dataclass(frozen=True)
class RisesEveryYear(Comparator):
    """Higher than the same half of the previous year."""
    has_goal: bool = False

    def expected(self, target: dict, series: dict[str, float], period: str) -> float:
        return series.get(periods.same_half_previous_year(period), np.nan)

    def assess(self, target: dict, series: dict[str, float], period: str) -> Assessment:
        actual, previous = series.get(period, np.nan), self.expected(target, series, period)
        if _missing(actual):
            return Assessment("no_data", "no_value")
        if _missing(previous):
            return Assessment("no_data", "no_previous_year")
        if actual > previous:
            return Assessment("met", expected=previous)
        if actual == previous:
            return Assessment("limited_progress", "unchanged", expected=previous)
        return Assessment("deteriorating", expected=previous)


@dataclass(frozen=True)
class EveryYear(Comparator):
    """A flag that must hold each year (100%)."""
    yearly: bool = True
    has_goal: bool = False

    def expected(self, target: dict, series: dict[str, float], period: str) -> float:
        return 100.0

    def assess(self, target: dict, series: dict[str, float], period: str) -> Assessment:
        actual = series.get(period, np.nan)
        if _missing(actual):
            return Assessment("no_data", "no_value")
        return Assessment("met") if actual >= 100 else Assessment("limited_progress", "not_reviewed")


COMPARATORS: dict[str, Comparator] = {
    "at_least": Comparator(operator.ge),
    "greater_than": Comparator(operator.gt),
    "at_most": Comparator(operator.le, lower_is_better=True),
    "less_than": Comparator(operator.lt, lower_is_better=True),
    "range": Range(operator.ge),
    "count_per_year": CountPerYear(operator.ge),
    "rises_every_year": RisesEveryYear(operator.gt),
    "every_year": EveryYear(operator.ge),
}
# Yearly per-unit targets: for the city, the share (%) of units expected that meet them.
YEARLY = tuple(name for name, c in COMPARATORS.items() if c.yearly)


def comparator(target: dict) -> Comparator:
    return COMPARATORS[target["comparator"]]


def meets(actual: float, target: dict) -> bool:
    return comparator(target).meets(actual, target)


def goal_value(target: dict) -> float:
    """The value that meets the target: the low end of a range."""
    return comparator(target).goal(target)


def expected_value(target: dict, series: dict[str, float], period: str) -> float:
    """The value expected at `period` on the target's trajectory (`series`: period → value), as
    assess() judges it."""
    return comparator(target).expected(target, series, period)


def trajectory(actual, baseline, target: dict, elapsed: int, total: int) -> Assessment:
    """Status of a value against the straight line from baseline to the target's goal."""
    return comparator(target).trajectory(actual, baseline, target, elapsed, total)


def assess(target: dict, series: dict[str, float], period: str) -> Assessment:
    """One target for one scope (a unit or the city): `series` maps period → indicator value."""
    return comparator(target).assess(target, series, period)


def _reason_for_rate(a: Assessment, denominator) -> Assessment:
    if a.reason == "no_value" and not _missing(denominator) and denominator == 0:
        return Assessment("no_data", "no_denominator")
    return a


def compared_period(indicator: str, period: str) -> str:
    """The period a change is measured from: the previous one, or for a year-to-date count
    (kind year_sum) the same half of the previous year."""
    if indicators()[indicator]["kind"] == "year_sum":
        return periods.same_half_previous_year(period)
    return periods.shift(period, -1)


def evaluate(target: dict, values: pd.DataFrame, period: str, key: str | None = None) -> pd.DataFrame:
    """Assess a target at `period` for each `key` value (unit_code) or, with key None, once.

    `values` is a long indicator table (period, [key], indicator, numerator, denominator, value).
    Returns one row per scope: value, numerator, denominator, baseline, expected, status, reason…"""
    ind = target["indicator"]
    rows = values[(values["indicator"] == ind).to_numpy()]
    scopes = sorted(rows[key].unique()) if key else [None]
    # only the periods an assessment reads: the period, the one before, a year before, the baseline
    previous = compared_period(ind, period)
    needed = [period, previous, periods.same_half_previous_year(period), target["baseline"]]
    rows = rows[rows["period"].isin(needed).to_numpy()]
    # one pass over the rows: period → value per scope, and the numerator and denominator at `period`
    keys = rows[key].tolist() if key else [None] * len(rows)
    series: dict = {k: {} for k in scopes}
    now: dict = {}
    for k, p, v, num, den in zip(keys, rows["period"].tolist(), rows["value"].tolist(),
                                 rows["numerator"].tolist(), rows["denominator"].tolist()):
        series[k][p] = v
        if p == period and k not in now:
            now[k] = (float(num), float(den))
    out = []
    for k in scopes:
        s = series[k]
        num, den = now.get(k, (np.nan, np.nan))
        a = _reason_for_rate(assess(target, s, period), den)
        base = target.get("baseline_value", s.get(target["baseline"], np.nan))
        value = s.get(period, np.nan)
        out.append({
            **({key: k} if key else {}), "target": target["id"], "indicator": ind, "period": period,
            "value": value, "numerator": num, "denominator": den,
            "baseline": float(base) if not _missing(base) else np.nan,
            "previous_period": previous, "previous": s.get(previous, np.nan), "change": value - s.get(previous, np.nan),
            **vars(a),  # its fields, as dataclasses.asdict() gives them at 45 µs each: 0.75 s for 3,321 units × 5 targets
        })
    return pd.DataFrame(out)


def unit_status(unit_values: pd.DataFrame, period: str, unit_codes) -> pd.DataFrame:
    """Every unit-scope target for every unit expected (units without data: no_data/no_value)."""
    frames = []
    for t in targets():
        if t["scope"] != "unit":
            continue
        got = evaluate(t, unit_values, period, key="unit_code")
        grid = pd.DataFrame({"unit_code": list(unit_codes)})
        got = grid.merge(got, on="unit_code", how="left") if not got.empty else grid
        got["target"] = t["id"]
        got["indicator"] = t["indicator"]
        got["period"] = period
        got["status"] = got.get("status", pd.Series(index=got.index, dtype=object)).fillna("no_data")
        got["reason"] = got["reason"].where(got["status"] != "no_data", got["reason"].fillna("no_value")) if "reason" in got else "no_value"
        frames.append(got)
    return pd.concat(frames, ignore_index=True)


def _units_meeting(per_unit: pd.DataFrame, target: dict, n_units: int) -> dict:
    """City view of a yearly per-unit target: the share of units expected that meet it."""
    met = int((per_unit["status"] == "met").sum())
    t = {**target, "comparator": "at_least", "value": 100}
    share = met / n_units * 100 if n_units else np.nan
    a = trajectory(share, 0.0, t, 1, 1)
    return {"value": share, "numerator": float(met), "denominator": float(n_units), "baseline": np.nan,
            "previous": np.nan, "change": np.nan, **vars(a)}


def city_status(city_values: pd.DataFrame, unit_values: pd.DataFrame, period: str, unit_codes,
                per_unit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every target of both plans for the city at `period`, with how many units are in each status.

    `per_unit`: unit_status(unit_values, period, unit_codes) when the caller has it already."""
    unit_codes = list(unit_codes)
    if per_unit is None:
        per_unit = unit_status(unit_values, period, unit_codes)
    rows = []
    for t in targets():
        mine = per_unit[per_unit["target"] == t["id"]]
        if comparator(t).yearly:
            row = {"target": t["id"], "indicator": t["indicator"], "period": period,
                   **_units_meeting(mine, t, len(unit_codes))}
        else:
            got = evaluate(t, city_values, period)
            row = got.iloc[0].to_dict() if not got.empty else {
                "target": t["id"], "indicator": t["indicator"], "period": period, "value": np.nan,
                **vars(Assessment("no_data", "no_value"))}
        counts = mine["status"].value_counts() if len(mine) else pd.Series(dtype=int)
        row.update({f"units_{s}": int(counts.get(s, 0)) for s in STATUSES} if t["scope"] == "unit" else {})
        row.update(target_fields(t))
        rows.append(row)
    return pd.DataFrame(rows)


def target_fields(t: dict) -> dict:
    """A target's fields in the city's status table; a yearly per-unit target is a share of units (%)."""
    ind = indicators()[t["indicator"]]
    share = comparator(t).yearly
    return {
        "plan": t["plan"], "clause": t["clause"], "scope": t["scope"], "comparator": t["comparator"],
        "goal": goal_value(t) if comparator(t).has_goal else np.nan,
        "goal_high": float(t["high"]) if "high" in t else np.nan, "deadline": t["deadline"],
        "baseline_period": t["baseline"], "unit": "%" if share else ind["unit"], "share_of_units": share,
    }
