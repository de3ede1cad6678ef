"""Reference data and configuration, read once from config/ (units, sectors, indicators, targets)."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"


def _toml(name: str) -> dict:
    with open(CONFIG / name, "rb") as f:
        return tomllib.load(f)


@cache
def settings() -> dict:
    return _toml("settings.toml")


@cache
def document() -> dict:
    """The Word report's administrative parts (config/document.toml)."""
    return _toml("document.toml")


@cache
def _reference() -> dict:
    return _toml("reference.toml")


@cache
def units() -> pd.DataFrame:
    """The 114 units: unit_code (str, 5 digits), name, full_name, type, name_en, lat, lon."""
    return pd.read_csv(CONFIG / "units.csv", dtype={"unit_code": str})


@cache
def unit_codes() -> frozenset[str]:
    return frozenset(units()["unit_code"])


def sectors() -> dict[str, dict[str, str]]:
    return _reference()["sectors"]


def business_types() -> dict[str, dict[str, str]]:
    return _reference()["business_types"]


def unit_types() -> dict[str, dict[str, str]]:
    return _reference()["unit_types"]


@cache
def indicators() -> dict[str, dict]:
    return _toml("indicators.toml")


def city_indicator_ids() -> list[str]:
    return [k for k, v in indicators().items() if v["kind"] == "city"]


@cache
def _targets_file() -> dict:
    return _toml("targets.toml")


def plans() -> dict[str, dict[str, str]]:
    return _targets_file()["plans"]


def targets() -> list[dict]:
    return _targets_file()["targets"]


def bands() -> dict[str, float]:
    """The status bands' lower edges of R: on_track, accelerate (config/targets.toml [bands])."""
    return _targets_file()["bands"]


def home_unit() -> str:
    """The ward whose plan every unit follows (settings [units].home)."""
    return settings()["units"]["home"]


@cache
def pages() -> tuple[dict, ...]:
    """The dashboard's pages in the navigation's order (config/pages.toml), each with its
    defaults filled in: intro and note optional, default False, periods "stored", units "all"."""
    return tuple({"intro": None, "note": "filters.applies_note", "default": False, "periods": "stored", "units": "all",
                  **page}
                 for page in _toml("pages.toml")["page"])


def default_store() -> Path:
    """The data folder used when none is given: TMDT_DATA, else the bundled sample."""
    env = os.environ.get("TMDT_DATA")
    return Path(env) if env else ROOT / settings()["data"]["default_store"]
