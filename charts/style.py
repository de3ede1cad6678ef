"""Colours and fonts of every figure, from config/style.toml."""

from __future__ import annotations

import tomllib
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol

import i18n
from loaders.reference import CONFIG
from metrics.targets import STATUSES


@cache
def style() -> dict:
    with open(CONFIG / "style.toml", "rb") as f:
        return tomllib.load(f)


def status_colours() -> dict[str, str]:
    """The colour of each status of metrics.targets.STATUSES, in their order."""
    colours = style()["status_colours"]
    return {s: colours[s] for s in STATUSES}


def status_colour(status: str) -> str:
    """Any status's colour, including the map's no_target."""
    return style()["status_colours"][status]


def text_colour(status: str) -> str:
    """Text colour readable on the status's colour."""
    return "#fff" if status in style()["status_text"]["white_on"] else "#111"


def series_colours() -> dict[str, str]:
    """Colours of the lines of trajectory charts: actual, expected, goal, city."""
    return dict(style()["series_colours"])


FONT = dict(family="Inter, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif")


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for the language (",." in Vietnamese): every
    figure's layout.separators, so that its axes, colour bars and labels write numbers as the page does."""
    locale = i18n.LOCALES[lang]
    return get_decimal_symbol(locale) + get_group_symbol(locale)
