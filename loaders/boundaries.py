"""Where each unit is drawn: its boundary from a file the user configures, or a hexagon tile.

- `boundaries_path()`: TMDT_BOUNDARIES, else config/settings.toml [map].boundaries (relative to
  the project's root); None when neither is set.
- `load_boundaries(path)`: any vector file geopandas reads, with a `code` or `unit_code` column;
  reprojected to EPSG:4326 and simplified once. A bad file raises BoundaryError, whose message is
  Vietnamese with the English in brackets.
- `to_geojson(gdf)`: the GeoJSON dict the map draws (feature id = unit_code, rounded coordinates,
  `bbox`), and `fit(bbox, width, height)`: the MapLibre centre and zoom that show that box.
- `hex_cells()`: the tile-grid map, one hexagon per unit from config/hexgrid.csv
  (built by scripts/build_hexgrid.py).

No Streamlit here: the page caches what these return.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from loaders.reference import CONFIG, ROOT, in_view, scope_codes, settings, unit_codes, units

CODE_COLUMNS = ("unit_code", "code")
DECIMALS = 4  # about 11 m: invisible at city scale, and it keeps the map payload small
TILE = 512  # MapLibre's world is 512 px wide at zoom 0
MESSAGES = {
    "missing": ("không tìm thấy tệp ranh giới: {path}", "boundary file not found: {path}"),
    "unreadable": ("không đọc được tệp ranh giới {path}: {error}", "cannot read the boundary file {path}: {error}"),
    "no_code": ("tệp ranh giới {path} không có cột mã đơn vị `code` hoặc `unit_code`",
                "the boundary file {path} has no unit code column `code` or `unit_code`"),
    "no_geometry": ("tệp ranh giới {path} không có hình ranh giới nào", "the boundary file {path} holds no geometry"),
    "no_crs": ("tệp ranh giới {path} không ghi hệ tọa độ và tọa độ không phải kinh độ, vĩ độ",
               "the boundary file {path} names no coordinate system and its coordinates are not longitude/latitude"),
    "no_match": ("không mã đơn vị nào trong tệp ranh giới {path} thuộc danh sách đơn vị đang theo dõi",
                 "no unit code in the boundary file {path} is one of the units in scope"),
}


class BoundaryError(Exception):
    """A boundary file that cannot be drawn; str() is "Vietnamese (English)"."""

    def __init__(self, rule: str, **params):
        self.rule, self.params = rule, params
        vi, en = MESSAGES[rule]
        super().__init__(f"{vi.format(**params)} ({en.format(**params)})")


def boundaries_path() -> Path | None:
    raw = os.environ.get("TMDT_BOUNDARIES") or settings()["map"]["boundaries"]
    if not raw:
        return None
    path = Path(raw)
    return path if path.is_absolute() else ROOT / path


def load_boundaries(path: Path | str, tolerance: float | None = None) -> gpd.GeoDataFrame:
    """One row per unit of the 114 found in the file: unit_code (str), geometry in EPSG:4326,
    simplified once (tolerance in degrees, [map].simplify_tolerance by default) keeping topology.
    Rows of a unit are merged; codes not in the unit list are dropped. Raises BoundaryError."""
    path = Path(path)
    if not path.exists():
        raise BoundaryError("missing", path=path)
    try:
        gdf = gpd.read_file(path)
    except Exception as e:  # any format problem of any driver becomes one clear message
        raise BoundaryError("unreadable", path=path, error=str(e).splitlines()[0] if str(e) else type(e).__name__)
    column = next((c for c in CODE_COLUMNS if c in gdf.columns), None)
    if column is None:
        raise BoundaryError("no_code", path=path)
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.active_geometry_name is None:
        raise BoundaryError("no_geometry", path=path)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if gdf.empty:
        raise BoundaryError("no_geometry", path=path)
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if min(minx, maxx) < -180 or max(minx, maxx) > 180 or min(miny, maxy) < -90 or max(miny, maxy) > 90:
            raise BoundaryError("no_crs", path=path)
        gdf = gdf.set_crs(4326)
    try:
        geometry = gdf.geometry.to_crs(4326).make_valid()
    except Exception as e:  # an unknown or broken coordinate system
        raise BoundaryError("unreadable", path=path, error=str(e).splitlines()[0] if str(e) else type(e).__name__)
    gdf = gpd.GeoDataFrame({"unit_code": gdf[column].map(_code)}, geometry=geometry, crs=4326)
    gdf = gdf[gdf["unit_code"].isin(scope_codes())]
    if gdf.empty:
        raise BoundaryError("no_match", path=path)
    tol = settings()["map"]["simplify_tolerance"] if tolerance is None else tolerance
    gdf = gdf.dissolve("unit_code", as_index=False)
    gdf["geometry"] = gdf.geometry.simplify(tol, preserve_topology=True)
    return gdf.sort_values("unit_code").reset_index(drop=True)


def _code(value) -> str:
    """A unit code as a 5-digit string, also when a file stored it as a number."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().zfill(5)


def missing_units(gdf: gpd.GeoDataFrame) -> list[str]:
    """Codes of the 114 units the boundary file has no shape for."""
    return sorted(unit_codes() - set(gdf["unit_code"]))


def to_geojson(gdf: gpd.GeoDataFrame, decimals: int = DECIMALS) -> dict:
    """The FeatureCollection the map draws: feature `id` = unit_code, coordinates rounded to
    `decimals`, a `bbox` [min lon, min lat, max lon, max lat] on the collection and on each
    feature, and one property, `label`: [lon, lat] of a point inside the unit, where its name is written."""
    geoms = shapely.transform(gdf.geometry.to_numpy(), lambda xy: np.round(xy, decimals))
    points = shapely.point_on_surface(geoms)
    features = [
        {"type": "Feature", "id": code, "bbox": [round(float(v), decimals) for v in g.bounds],
         "properties": {"label": [round(float(p.x), decimals), round(float(p.y), decimals)]},
         "geometry": shapely.geometry.mapping(g)}
        for code, g, p in zip(gdf["unit_code"], geoms, points)
    ]
    bbox = [round(float(v), decimals) for v in gdf.total_bounds]
    return {"type": "FeatureCollection", "bbox": bbox, "features": features}


@dataclass(frozen=True)
class Configured:
    """The configured boundary file as the maps draw it: its GeoJSON (None: no file, or an error),
    the units it has no shape for, the error that stopped it, and its version (path, mtime)."""
    geojson: dict | None
    missing: tuple[str, ...] = ()
    error: str | None = None
    version: tuple[str, float] | None = None


def configured() -> Configured:
    """The boundaries of [map] boundaries / TMDT_BOUNDARIES, read and simplified once per version of the file."""
    path = boundaries_path()
    if path is None:
        return Configured(None)
    return _configured(str(path), path.stat().st_mtime if path.exists() else 0.0)


@lru_cache(maxsize=4)
def _configured(path: str, mtime: float) -> Configured:
    try:
        gdf = load_boundaries(path)
    except BoundaryError as e:
        return Configured(None, error=str(e), version=(path, mtime))
    return Configured(to_geojson(gdf), tuple(missing_units(gdf)), None, (path, mtime))


def bounds(geojson: dict, codes) -> list[float] | None:
    """The bbox of the features of `codes` (None when the collection has none of them)."""
    keep = set(codes)
    boxes = np.array([f["bbox"] for f in geojson["features"] if f["id"] in keep])
    if not len(boxes):
        return None
    return [*boxes[:, :2].min(axis=0).tolist(), *boxes[:, 2:].max(axis=0).tolist()]


def subset(geojson: dict, codes) -> dict:
    """The same FeatureCollection with only the features of `codes`, their shapes only (the
    properties stay out of what a map trace sends to the browser)."""
    keep = set(codes)
    return {**geojson, "features": [{**f, "properties": {}} for f in geojson["features"] if f["id"] in keep]}


def fit(bbox, width: int, height: int, pad: float = 0.05) -> tuple[dict, float]:
    """MapLibre centre and zoom showing bbox [min lon, min lat, max lon, max lat] in a frame of
    width × height px, with `pad` of the frame left free on each side (MapLibre has no fit-bounds)."""
    minx, miny, maxx, maxy = bbox
    y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731 (Web Mercator)
    usable = 1 - 2 * pad
    zoom_x = math.log2(width * usable * 360 / (TILE * max(maxx - minx, 1e-9)))
    zoom_y = math.log2(height * usable * 2 * math.pi / (TILE * max(y(maxy) - y(miny), 1e-9)))
    centre_lat = math.degrees(2 * math.atan(math.exp((y(maxy) + y(miny)) / 2)) - math.pi / 2)
    return {"lon": (minx + maxx) / 2, "lat": centre_lat}, min(zoom_x, zoom_y)


def hex_cells() -> pd.DataFrame:
    """One pointy-top hexagon per unit in view (unit of length: the distance between two cell
    centres): unit_code, name, type, label (short_labels of the names), x, y (centre, north up) and
    xs, ys (the six corners, closed)."""
    return _hex_cells(in_view())


@cache
def _hex_cells(codes: tuple[str, ...]) -> pd.DataFrame:
    grid = pd.read_csv(CONFIG / "hexgrid.csv", dtype={"unit_code": str})
    cells = units()[["unit_code", "name", "type"]].merge(grid, on="unit_code", how="left")
    radius = 1 / math.sqrt(3)
    cells["x"] = cells["col"] + 0.5 * (cells["row"] % 2)
    cells["y"] = -cells["row"] * 1.5 * radius
    angles = np.radians([90, 150, 210, 270, 330, 30, 90])
    cells["xs"] = [list(np.round(x + radius * np.cos(angles), 4)) for x in cells["x"]]
    cells["ys"] = [list(np.round(y + radius * np.sin(angles), 4)) for y in cells["y"]]
    cells["label"] = short_labels(cells["name"].tolist())
    return cells


def short_labels(names: list[str]) -> list[str]:
    """A label per name short enough for a hexagon, and told apart from every other: the
    initials ("Lê Thanh Nghị" → "LTN"); where names share them, the initials of all but the last
    word and that word ("Tân Minh" → "T.Minh"); where that is shared too, the whole name on two
    lines ("Tứ<br>Minh")."""
    steps = [lambda w: "".join(x[0].upper() for x in w),
             lambda w: "".join(x[0].upper() for x in w[:-1]) + "." + w[-1],
             lambda w: " ".join(w[:-1]) + "<br>" + w[-1]]
    words = [n.split() for n in names]
    labels = [steps[0](w) for w in words]
    for step in steps[1:]:
        counts = pd.Series(labels).value_counts()
        labels = [step(w) if counts[lab] > 1 and len(w) > 1 else lab for w, lab in zip(words, labels)]
    return labels
