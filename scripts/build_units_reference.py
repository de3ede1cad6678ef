"""Rebuild the national unit list in config/ from the public dataset of PyPI `vietnamadminunits`
(1.0.4, MIT licence, © 2025 Tran Ngoc Minh Hieu; see config/UNITS-SOURCE.md).

Usage: python scripts/build_units_reference.py [BOUNDARY_FILE…]

The package (requirements-dev.txt) is not imported: its data folder (dataset.db,
converter_2025.json) is read. A boundary file (any vector format geopandas reads, with a `code` column) gives the units it covers a point
inside their polygon as centroid instead of the dataset's; Hải Phòng's is
../shared/geo/haiphong_units.geojson. Writes:

- config/provinces.csv: the 34 provinces since 1 July 2025 (code, names, rounded centre);
- config/units.csv: the 3,321 communes, wards and special zones (code, names, type, province,
  the date they exist from, centroid rounded to 0.001°, about 100 m);
- config/units_legacy.csv: the units before 1 July 2025 with a code (10,035), each with the current
  unit that took it in; `estimated` where the old unit was split between several (the one the
  dataset names as taking most of it).

Only lists and rounded centroids are written: no boundary is copied into the project.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

import pandas as pd

CONFIG = Path(__file__).resolve().parent.parent / "config"
EFFECTIVE_FROM = "2025-07-01"  # Nghị quyết 202/2025/QH15: the units below exist from this date
TYPES = ("phường", "xã", "đặc khu")  # told by the full name's first words (the dataset's wardType is wrong for two)


def ascii_name(name: str) -> str:
    """The name without its diacritics ("Thủy Nguyên" → "Thuy Nguyen"), as English texts write it."""
    text = name.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def source() -> Path:
    """The package's data folder, found without importing the package."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None:
        raise SystemExit("vietnamadminunits is not installed: pip install -r requirements-dev.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    with sqlite3.connect(folder / "dataset.db") as db:
        new = pd.read_sql("select * from admin_units", db)
        old = pd.read_sql("select * from admin_units_legacy", db)
    converter = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    return new, old, converter


def provinces(new: pd.DataFrame) -> pd.DataFrame:
    p = new.drop_duplicates("provinceCode").rename(columns={
        "provinceCode": "province_code", "provinceShort": "name", "province": "full_name"})
    p["name_en"] = p["name"].map(ascii_name)
    p["lat"], p["lon"] = p["provinceLat"].round(3), p["provinceLon"].round(3)
    return p[["province_code", "name", "full_name", "name_en", "lat", "lon"]].sort_values("province_code")


def units(new: pd.DataFrame, boundaries: list[str]) -> pd.DataFrame:
    u = new.rename(columns={"wardCode": "unit_code", "wardShort": "name", "ward": "full_name",
                            "provinceCode": "province_code"})
    u["type"] = u["full_name"].map(lambda n: next(t for t in TYPES if n.lower().startswith(t + " ")))
    u["name_en"] = u["name"].map(ascii_name)
    u["lat"], u["lon"] = u["wardLat"].round(3), u["wardLon"].round(3)
    u["effective_from"] = EFFECTIVE_FROM
    u = u[["unit_code", "name", "full_name", "type", "name_en", "lat", "lon", "province_code", "effective_from"]]
    u = u.set_index("unit_code")
    for path in boundaries:
        import geopandas as gpd

        g = gpd.read_file(path)
        # A point inside each polygon (a centroid can fall outside a concave unit or at sea).
        points = g.to_crs(3405).representative_point().to_crs(4326)
        inside = pd.DataFrame({"lat": points.y.round(3).to_numpy(), "lon": points.x.round(3).to_numpy()},
                              index=g["code"].astype(str))
        u.update(inside)
    return u.reset_index().sort_values("unit_code")


def legacy(new: pd.DataFrame, old: pd.DataFrame, converter: dict) -> pd.DataFrame:
    """Each old unit with a code → the current unit that took it in (estimated when it was split)."""
    code_of_new = {(r.provinceKey, r.wardKey): r.wardCode for r in new.itertuples()}
    old = old[old["wardCode"].notna() & (old["wardCode"] != "")]
    old_key = old["provinceKey"] + "_" + old["districtKey"] + "_" + old["wardKey"]
    code_of_old = dict(zip(old_key, old["wardCode"]))
    pairs: dict[str, tuple[str, bool]] = {}
    for province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            for key in olds:
                if key in code_of_old:
                    pairs[code_of_old[key]] = (code_of_new[(province, ward)], False)
    for province, split in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, parts in split.items():
            default = next(p for p in parts if p["isDefaultNewWard"])
            if key in code_of_old:
                pairs[code_of_old[key]] = (code_of_new[(province, default["newWardKey"])], True)
    out = old.assign(old_code=old["wardCode"], old_name=old["ward"], old_district=old["district"])
    out["unit_code"] = out["old_code"].map(lambda c: pairs.get(c, (None, False))[0])
    out["estimated"] = out["old_code"].map(lambda c: pairs.get(c, (None, False))[1])
    missing = out["unit_code"].isna().sum()
    if missing:
        raise SystemExit(f"{missing} old units have no current unit in the converter")
    return out[["old_code", "old_name", "old_district", "unit_code", "estimated"]].sort_values("old_code")


def build(boundaries: list[str]) -> dict[str, pd.DataFrame]:
    """The three files' tables by file name."""
    new, old, converter = read(source())
    return {"provinces.csv": provinces(new), "units.csv": units(new, boundaries),
            "units_legacy.csv": legacy(new, old, converter)}


def main(*boundaries: str) -> None:
    tables = build(list(boundaries))
    for name, frame in tables.items():
        frame.to_csv(CONFIG / name, index=False)
    print(", ".join(f"{len(f)} rows -> {CONFIG / n}" for n, f in tables.items()))


if __name__ == "__main__":
    main(*sys.argv[1:])
