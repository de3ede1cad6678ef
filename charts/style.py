"""Colours and fonts of every figure, from config/style.toml."""

from __future__ import annotations

import tomllib
from functools import cache

from loaders.reference import CONFIG
from metrics.targets import STATUSES


@cache
def style() -> dict:
    with open(CONFIG / "style.toml", "rb") as f:
        return tomllib.load(f)


def status_colours() -> dict[str, str]:
    colours = style()["status_colours"]
    return {s: colours[s] for s in STATUSES}


FONT = dict(family="Inter, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif")
