"""Labels and formats, Vietnamese first. No Streamlit here: callers pass the language.

The translation table is i18n/strings/*.toml (one file per area, merged; a key defined twice is
an error) plus the labels of indicators, targets, sectors and business types from config/.
"""

from __future__ import annotations

import math
import tomllib
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale

from loaders.reference import area_names, business_types, indicators, plans, sectors, targets, unit_types

LANGS = ("vi", "en")
LOCALES = {"vi": "vi_VN", "en": "en_GB"}
STRINGS = Path(__file__).parent / "strings"


@cache
def table() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(STRINGS.glob("*.toml")):
        with open(path, "rb") as f:
            for key, entry in _flatten(tomllib.load(f)).items():
                if key in merged:
                    raise ValueError(f"{path.name}: key {key!r} is defined twice")
                merged[key] = entry
    return merged


def _flatten(d: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict) and set(v) <= set(LANGS) and v:
            out[prefix + k] = v
        elif isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
    return out


class _Words(dict):
    """kw, then the scope's names (loaders.reference.area_names); a name neither holds stays as written."""

    def __init__(self, kw: dict, lang: str):
        super().__init__(area_names(lang) | kw)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: str = "vi", **kw) -> str:
    """The label of `key` in `lang` (Vietnamese when missing), formatted with kw and the scope's
    names ({area}, {whole}, {kind}, {n_units}: Hải Phòng, Toàn thành phố, thành phố, 114)."""
    entry = table().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["vi"]
    return text.format_map(_Words(kw, lang)) if "{" in text else text


def indicator_name(ind: str, lang: str = "vi") -> str:
    return indicators()[ind][lang]


def indicator_short(ind: str, lang: str = "vi") -> str:
    """The indicator's short name for a narrow column header (its name where it has none)."""
    return indicators()[ind].get(f"short_{lang}", indicator_name(ind, lang))


def target_text(target_id: str, lang: str = "vi") -> str:
    return next(x[lang] for x in targets() if x["id"] == target_id)


def plan_name(plan: str, lang: str = "vi") -> str:
    return plans()[plan][lang]


def sector_name(code: str, lang: str = "vi") -> str:
    return sectors()[code][lang]


def business_type_name(code: str, lang: str = "vi") -> str:
    return business_types()[code][lang]


def unit_type_name(code: str, lang: str = "vi") -> str:
    return unit_types()[code][lang]


def unit_full_name(name: str, unit_type: str, lang: str = "vi") -> str:
    """"Phường Thạch Khôi" in Vietnamese (the type first), "Thạch Khôi Ward" in English."""
    kind = unit_type_name(unit_type, lang)
    return f"{kind} {name}" if lang == "vi" else f"{name} {kind}"


def status_name(status: str, lang: str = "vi") -> str:
    return t(f"status.{status}", lang)


def status_symbol(status: str) -> str:
    """The symbol a status's name starts with ("✔", "↗", "⚠", "▽", "✖", "?"), the same in every language."""
    return status_name(status, "vi").split(" ", 1)[0]


def reason_text(reason: str | None, lang: str = "vi") -> str:
    return t(f"reason.{reason}", lang) if reason else ""


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x, lang: str = "vi", decimals: int = 0) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English; missing values read "không có số liệu".

    Rounded half to even on the number as written (Decimal(str(x))), grouped by thousands and
    written with the locale's symbols from babel: what babel's format_decimal gives, four times
    faster (a scorecard formats thousands of cells on every rerun)."""
    if _missing(x):
        return t("common.no_data", lang)
    return format(Decimal(str(x)), f",.{decimals}f").translate(_symbols(lang))


@cache
def _symbols(lang: str) -> dict[int, str]:
    """str.translate table from Python's "," "." "-" to the locale's group, decimal and minus signs."""
    locale = Locale.parse(LOCALES[lang])
    if locale.decimal_formats[None].grouping != (3, 3):
        raise ValueError(f"{LOCALES[lang]}: digits are not grouped by thousands")
    symbols = locale.number_symbols["latn"]
    return str.maketrans({",": symbols["group"], ".": symbols["decimal"], "-": symbols["minusSign"]})


def fmt_pct(x, lang: str = "vi", decimals: int = 1) -> str:
    return t("common.no_data", lang) if _missing(x) else f"{fmt_number(x, lang, decimals)}%"


def fmt_value(x, unit: str, lang: str = "vi") -> str:
    """A value in its indicator's unit: "%" as a percentage, "" as a count."""
    return fmt_pct(x, lang) if unit == "%" else fmt_number(x, lang)


def fmt_goal(x, unit: str, lang: str = "vi") -> str:
    """A target value: whole numbers without decimals (70%, 6.000), others with one."""
    decimals = 0 if float(x).is_integer() else 1
    return f"{fmt_number(x, lang, decimals)}%" if unit == "%" else fmt_number(x, lang, decimals)


def fmt_date(d: date | datetime | None, lang: str = "vi") -> str:
    """dd/mm/yyyy in both languages."""
    if d is None or (hasattr(d, "year") is False) or str(d) == "NaT":
        return t("common.no_data", lang)
    return d.strftime("%d/%m/%Y")


def fmt_datetime(d: datetime | None, lang: str = "vi") -> str:
    """dd/mm/yyyy HH:mm in both languages, in the time the value carries (local time of submission)."""
    if d is None or str(d) == "NaT":
        return t("common.no_data", lang)
    return d.strftime("%d/%m/%Y %H:%M")


def fmt_period(period: str, lang: str = "vi", mid_sentence: bool = False) -> str:
    """2026-H1 → "6 tháng đầu năm 2026" / "First half of 2026" ("first half of 2026" mid_sentence)."""
    year, half = period.split("-H")
    text = t(f"period.h{half}", lang, year=year)
    return text[0].lower() + text[1:] if mid_sentence else text


def fmt_period_short(period: str, lang: str = "vi", sep: str = " ") -> str:
    """2026-H1 → "6T đầu 2026" / "H1 2026": a period's tick on an axis; sep="<br>" puts the year
    on a second line."""
    year, half = period.split("-H")
    return t(f"period.h{half}_short", lang, year=year, sep=sep)


def goal_text(target: dict, lang: str = "vi") -> str:
    """A target's goal in words: "≥ 70%", "65–70%", "tăng qua từng năm"…"""
    from loaders.reference import indicators

    unit = indicators()[target["indicator"]]["unit"]
    comp = target["comparator"]
    if comp == "range":
        return t("comparator.range", lang, low=fmt_goal(target["low"], "", lang), high=fmt_goal(target["high"], unit, lang))
    value = target.get("value")
    return t(f"comparator.{comp}", lang, value=fmt_goal(value, unit, lang) if value is not None else "")


def fmt_deadline(period: str, lang: str = "vi") -> str:
    """A target's deadline: 2030-H2 → "cuối năm 2030", 2026-H1 → "30/06/2026"."""
    year, half = period.split("-H")
    return t(f"period.by_h{half}", lang, year=year)
