"""i18n number and date formats: Vietnamese 1.234,5 and dd/mm/yyyy, English 1,234.5."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from babel.numbers import format_decimal

import i18n


@pytest.mark.parametrize("x, decimals, vi, en", [
    (1234.5, 1, "1.234,5", "1,234.5"),
    (6000, 0, "6.000", "6,000"),
    (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
    (-2468, 0, "-2.468", "-2,468"),
    (0.05, 1, "0,0", "0.0"),  # half to even
    (0.15, 1, "0,2", "0.2"),
    (12.35, 1, "12,4", "12.4"),  # on the number as written, not its binary neighbour 12.3499…
    (np.float64(70.0), 1, "70,0", "70.0"),
    (np.int64(114), 0, "114", "114"),
])
def test_numbers(x, decimals, vi, en):
    assert i18n.fmt_number(x, "vi", decimals) == vi
    assert i18n.fmt_number(x, "en", decimals) == en


def test_numbers_are_what_babel_writes():
    rng = np.random.default_rng(7)
    values = [*rng.uniform(-1e7, 1e7, 300), *np.round(rng.uniform(0, 100, 300), 2), 0.25, 2.675, -0.04, 1e15]
    for lang, locale in i18n.LOCALES.items():
        for decimals in (0, 1, 2):
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            for x in values:
                assert i18n.fmt_number(x, lang, decimals) == format_decimal(x, pattern, locale=locale), (x, lang)


def test_missing_values_read_no_data():
    assert i18n.fmt_number(float("nan"), "vi") == "không có số liệu"
    assert i18n.fmt_number(None, "en") == i18n.t("common.no_data", "en")
    assert i18n.fmt_pct(float("nan"), "vi") == "không có số liệu"


def test_percent_and_dates():
    assert i18n.fmt_pct(68.25, "vi") == "68,2%"
    assert i18n.fmt_date(date(2026, 6, 30), "vi") == "30/06/2026"
    assert i18n.fmt_date(date(2026, 6, 30), "en") == "30/06/2026"
    submitted = pd.Timestamp("2026-07-03 09:05", tz="Asia/Ho_Chi_Minh")
    assert i18n.fmt_datetime(submitted, "vi") == i18n.fmt_datetime(submitted, "en") == "03/07/2026 09:05"  # local time
    assert i18n.fmt_date(pd.NaT, "vi") == i18n.fmt_datetime(pd.NaT, "vi") == "không có số liệu"
