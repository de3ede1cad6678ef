"""Reporting periods `YYYY-H1` / `YYYY-H2` and their deadlines."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd

from loaders.reference import settings

# ASCII digits only, and the whole string (fullmatch): "2026-H1\n" or full-width digits are not periods.
PERIOD_RE = re.compile(r"([0-9]{4})-H([12])")


def parse(period: str) -> tuple[int, int]:
    m = PERIOD_RE.fullmatch(period)
    if not m:
        raise ValueError(f"not a period: {period!r}")
    return int(m.group(1)), int(m.group(2))


def index(period: str) -> int:
    """Half-years since year 0: consecutive periods differ by 1."""
    year, half = parse(period)
    return year * 2 + half - 1


def from_index(i: int) -> str:
    return f"{i // 2}-H{i % 2 + 1}"


def shift(period: str, halves: int) -> str:
    return from_index(index(period) + halves)


def containing(day: date) -> str:
    """The period a day falls in: the open period on that day (its report is due by its deadline)."""
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def between(first: str, last: str) -> list[str]:
    """The periods from `first` to `last`, both included."""
    return [from_index(i) for i in range(index(first), index(last) + 1)]


def same_half_previous_year(period: str) -> str:
    return shift(period, -2)


def year(period: str) -> int:
    return parse(period)[0]


def half(period: str) -> str:
    return f"H{parse(period)[1]}"


def timezone() -> ZoneInfo:
    return ZoneInfo(settings()["deadlines"]["timezone"])


def deadline(period: str, which: str = "ward_to_city") -> date:
    """The deadline of a period (local date), e.g. 30/6 for H1 and 30/12 for H2."""
    y, h = parse(period)
    month, day = (int(x) for x in settings()["deadlines"][which][f"H{h}"].split("-"))
    return date(y, month, day)


def deadline_end(period: str) -> pd.Timestamp:
    """The last instant that is still on time: the end of the deadline's local day."""
    return pd.Timestamp(datetime.combine(deadline(period), time.max, tzinfo=timezone()))
