"""The arithmetic every metric shares: a rate as Σ numerator / Σ denominator, and a value per period."""

from __future__ import annotations

import numpy as np
import pandas as pd


def rate(numerator, denominator):
    """numerator / denominator × 100, NaN where the denominator is 0 or missing."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1) * 100, np.nan)


def per_period(period: pd.Series, fn) -> pd.Series:
    """fn(period) for each row, computed once per distinct period."""
    codes, distinct = pd.factorize(period)
    return pd.Series([fn(p) for p in distinct]).iloc[codes].set_axis(period.index)
