"""Rebuild config/units.csv (the 114 units: code, names, type, rounded centroid) from a boundary file.

Usage: python scripts/build_units_reference.py ../shared/geo/haiphong_units.geojson

Only the unit list and a centroid rounded to 0.001° (about 100 m) are written: the boundaries
themselves are never copied into the project.
"""

import sys
from pathlib import Path

import geopandas as gpd

OUT = Path(__file__).resolve().parent.parent / "config" / "units.csv"


def main(path: str) -> None:
    g = gpd.read_file(path)
    # A point inside each polygon (a centroid can fall outside a concave unit or at sea).
    points = g.to_crs(3405).representative_point().to_crs(4326)
    out = g[["code", "name", "full_name", "type", "name_en"]].rename(columns={"code": "unit_code"})
    out["lat"] = points.y.round(3)
    out["lon"] = points.x.round(3)
    out = out.sort_values("unit_code")
    out.to_csv(OUT, index=False)
    print(f"{len(out)} units -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
