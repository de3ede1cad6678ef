"""Text written into a spreadsheet stays text: a cell that starts like a formula ("=HYPERLINK(…)",
"+1", "-2+3", "@SUM") gets a leading apostrophe, so that Excel or LibreOffice shows it as written
instead of running it. Numbers, dates and booleans are left as they are."""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell made safe (numeric columns untouched)."""
    text = [c for c in frame.columns if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_datetime64_any_dtype(frame[c]))]
    return frame.assign(**{c: frame[c].map(safe_cell) for c in text}) if text else frame
