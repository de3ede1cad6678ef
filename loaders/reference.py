"""Reference data and configuration, read once from config/ (units, sectors, indicators, targets)."""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
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
def all_units() -> pd.DataFrame:
    """Every commune-level unit of the country since 1 July 2025 (config/units.csv, built by
    scripts/build_units_reference.py): unit_code (str, 5 digits), name, full_name, type, name_en,
    lat, lon, province_code (str, 2 digits), effective_from."""
    return pd.read_csv(CONFIG / "units.csv", dtype={"unit_code": str, "province_code": str})


def provinces() -> pd.DataFrame:
    """The provinces in view: province_code, name, full_name, name_en, lat, lon (config/provinces.csv)."""
    return _provinces(in_view())


@cache
def _provinces(codes: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.read_csv(CONFIG / "provinces.csv", dtype={"province_code": str})
    return frame[frame["province_code"].isin(codes)].reset_index(drop=True)


# The provinces of the scope a page's run speaks of (the sidebar's province filter, a drill-down);
# None: the whole scope. A context variable: each session's run sets its own, in its own thread.
_VIEW: ContextVar[tuple[str, ...] | None] = ContextVar("tmdt_provinces_in_view", default=None)


def narrow(codes) -> None:
    """From here on in this run (thread), speak of these provinces of the scope only; None or
    empty: the whole scope. The units, plans, targets and names below follow."""
    chosen = tuple(sorted(set(codes) & set(scope()))) if codes else ()
    _VIEW.set(chosen or None)


def in_view() -> tuple[str, ...]:
    """The provinces the current run speaks of: the scope, or the part of it chosen (narrow)."""
    return _VIEW.get() or scope()


@cache
def scope() -> tuple[str, ...]:
    """The province codes the dashboard serves: settings [units].province ("31", a list, or "all"),
    or TMDT_PROVINCE (codes separated by commas, or "all")."""
    given = os.environ.get("TMDT_PROVINCE") or settings()["units"]["province"]
    codes = given.split(",") if isinstance(given, str) else given
    known = sorted(set(all_units()["province_code"]))
    if [c.strip() for c in codes] == ["all"]:
        return tuple(known)
    chosen = tuple(sorted({c.strip().zfill(2) for c in codes}))
    unknown = [c for c in chosen if c not in known]
    if unknown or not chosen:
        raise ValueError(f"[units] province: không có tỉnh, thành mã {', '.join(unknown) or '(trống)'} "
                         f"(no province with code {', '.join(unknown) or '(empty)'}): {', '.join(known)} or all")
    return chosen


def units() -> pd.DataFrame:
    """The units in view (all_units() of the provinces in view), in code order."""
    return _units(in_view())


@cache
def _units(codes: tuple[str, ...]) -> pd.DataFrame:
    frame = all_units()
    return frame[frame["province_code"].isin(codes)].reset_index(drop=True)


def unit_rows() -> dict[str, dict]:
    """The units in view by code, each its row of units() as a dict (a page asks for one unit's
    row several times a rerun: 4 ms each from the frame)."""
    return _unit_rows(in_view())


@cache
def _unit_rows(codes: tuple[str, ...]) -> dict[str, dict]:
    return {row["unit_code"]: row for row in _units(codes).to_dict("records")}


@cache
def scope_codes() -> frozenset[str]:
    """The codes of every unit in scope, whatever a page's run has in view: the units a report may
    be for, and an officer's units."""
    return frozenset(_units(scope())["unit_code"])


@cache
def legacy_units() -> pd.DataFrame:
    """The units before 1 July 2025 that the scope's units took in: old_code, old_name, old_district,
    unit_code (the current unit), estimated (the old unit was split; its reports go whole to the
    current unit that took most of it) (config/units_legacy.csv)."""
    frame = pd.read_csv(CONFIG / "units_legacy.csv", dtype={"old_code": str, "unit_code": str})
    return frame[frame["unit_code"].isin(scope_codes())].reset_index(drop=True)


def unit_codes() -> frozenset[str]:
    """The codes of the units in view."""
    return _unit_codes(in_view())


@cache
def _unit_codes(codes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_units(codes)["unit_code"])


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
    """The plans in force in view: those whose `provinces` ("all" or a list) hold every province
    in view (a plan's whole-area targets speak of its own province's figure)."""
    return _plans(in_view())


@cache
def _plans(codes: tuple[str, ...]) -> dict[str, dict[str, str]]:
    def covers(plan: dict) -> bool:
        given = plan.get("provinces", "all")
        return given == "all" or set(codes) <= set(given)
    return {k: v for k, v in _targets_file()["plans"].items() if covers(v)}


def targets() -> list[dict]:
    """The targets of the plans in force in view."""
    return _targets(in_view())


@cache
def _targets(codes: tuple[str, ...]) -> list[dict]:
    return [t for t in _targets_file()["targets"] if t["plan"] in _plans(codes)]


def area_names(lang: str, codes: tuple[str, ...] | None = None) -> dict[str, str]:
    """How texts name the provinces in view (or `codes`), in the language `lang`: `area` (Hải
    Phòng; cả nước), `area_full` (thành phố Hải Phòng; tỉnh Hà Tĩnh), `whole` (Toàn thành phố;
    Toàn tỉnh; Cả nước), `whole_mid` (the same inside a sentence), `kind` (thành phố; tỉnh; cả
    nước), `kind_title` (Thành phố) and `n_units` (114)."""
    return _area_names(lang, codes or in_view())


@cache
def _area_names(lang: str, codes: tuple[str, ...]) -> dict[str, str]:
    chosen = _provinces(codes)
    if len(chosen) == 1:
        row = chosen.iloc[0]
        city = row["full_name"].startswith("Thành phố")
        kind = ("thành phố" if city else "tỉnh") if lang == "vi" else ("city" if city else "province")
        area = row["name"]
    elif len(chosen) == all_units()["province_code"].nunique():
        kind, area = ("cả nước", "cả nước") if lang == "vi" else ("country", "Vietnam")
    else:
        kind = "các tỉnh, thành phố đã chọn" if lang == "vi" else "chosen provinces"
        area = ", ".join(chosen["name"])
    whole = ("Cả nước" if kind == "cả nước" else f"Toàn {kind}") if lang == "vi" else f"Whole {kind}"
    area_full = f"{kind} {area}" if lang == "vi" and len(chosen) == 1 else area
    return {"area": area, "area_full": area_full, "whole": whole, "whole_mid": whole[0].lower() + whole[1:], "kind": kind,
            "kind_title": kind[0].upper() + kind[1:],
            "n_units": f"{len(_units(codes)):,}".replace(",", "." if lang == "vi" else ",")}


def bands() -> dict[str, float]:
    """The status bands' lower edges of R: on_track, accelerate (config/targets.toml [bands])."""
    return _targets_file()["bands"]


def home_unit() -> str:
    """The ward whose plan every unit follows (settings [units].home); when the scope does not hold
    it, the scope's first unit."""
    home = settings()["units"]["home"]
    return home if home in unit_codes() else units()["unit_code"].iloc[0]


@cache
def pages() -> tuple[dict, ...]:
    """The dashboard's pages in the navigation's order (config/pages.toml), each with its
    defaults filled in: intro and note optional, default False, periods "stored", units "all"."""
    return tuple({"intro": None, "note": "filters.applies_note", "default": False, "periods": "stored", "units": "all",
                  **page}
                 for page in _toml("pages.toml")["page"])


def default_store() -> Path:
    """The data folder used when none is given: TMDT_DATA (a folder, or s3://bucket/prefix: its
    local mirror, loaders.remote), else the bundled sample."""
    from loaders.remote import location

    env = os.environ.get("TMDT_DATA")
    return location(env) if env else ROOT / settings()["data"]["default_store"]
