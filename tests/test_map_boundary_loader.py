"""loaders.boundaries: a boundary file the user configures, read with geopandas, reprojected,
simplified once, turned into a small GeoJSON; a bad file is one clear message, never a traceback."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import plotly.io as pio
import pytest
import shapely
from shapely.geometry import box

from charts.maps import unit_map
from loaders.boundaries import BoundaryError, boundaries_path, fit, load_boundaries, missing_units, subset, to_geojson
from loaders.reference import ROOT, default_store, units
from loaders.store import load_store
from metrics.map import MODES, map_table
from metrics.tables import values

GEO = ROOT.parent / "shared" / "geo"
FULL = GEO / "haiphong_units.geojson"
needs_geo = pytest.mark.skipif(not FULL.exists(), reason="../shared/geo is absent")
MAX_PAYLOAD = 300 * 1024


@pytest.fixture(scope="module")
def shared():
    return load_boundaries(FULL) if FULL.exists() else None


def squares(codes, crs=4326, column="code") -> gpd.GeoDataFrame:
    """One 0.01° square per code, along a row from 106.3 E, 20.8 N (or the same in `crs`)."""
    frame = gpd.GeoDataFrame({column: list(codes)},
                             geometry=[box(106.3 + i * 0.01, 20.8, 106.31 + i * 0.01, 20.81) for i in range(len(codes))],
                             crs=4326)
    return frame.to_crs(crs)


@needs_geo
def test_the_shared_file_gives_the_114_units_in_wgs84(shared):
    assert shared["unit_code"].tolist() == sorted(units()["unit_code"])
    assert shared.crs.to_epsg() == 4326
    assert missing_units(shared) == []
    assert shared.geometry.is_valid.all()
    minx, miny, maxx, maxy = shared.total_bounds
    assert 106.1 < minx < maxx < 107.8 and 20.1 < miny < maxy < 21.3  # Hải Phòng, Bạch Long Vĩ included


@needs_geo
def test_simplified_once_with_the_settings_tolerance(shared):
    raw = gpd.read_file(FULL)
    vertices = lambda g: int(g.geometry.count_coordinates().sum())  # noqa: E731
    assert vertices(shared) < vertices(raw) / 3
    coarser = load_boundaries(FULL, tolerance=0.002)
    assert vertices(coarser) < vertices(shared)


@needs_geo
def test_geojson_is_small_rounded_and_keyed_by_unit_code(shared):
    gj = to_geojson(shared)
    assert [f["id"] for f in gj["features"]] == shared["unit_code"].tolist()
    assert all(list(f["properties"]) == ["label"] for f in gj["features"])  # where the name is written: inside
    assert all(shapely.geometry.shape(f["geometry"]).buffer(1e-9).contains(shapely.geometry.Point(f["properties"]["label"]))
               for f in gj["features"])
    first = gj["features"][0]["geometry"]["coordinates"]
    while isinstance(first[0], (list, tuple)):
        first = first[0]
    assert all(round(v, 4) == v for v in first)
    assert gj["bbox"] == [round(v, 4) for v in shared.total_bounds]
    assert len(json.dumps(gj)) < 250 * 1024


@pytest.fixture(scope="module")
def sample_table():
    """The sample data's latest period; enterprise_digital_rate has the longest hover texts."""
    store = load_store(default_store())
    return map_table(values(store)[0], store.periods[-1], "enterprise_digital_rate")


@needs_geo
@pytest.mark.parametrize("colour_by", MODES)
def test_map_payload_stays_under_300_kb(shared, sample_table, colour_by):
    """What Streamlit sends for a map (plotly.io.to_json) with the full-resolution shared file."""
    geojson = to_geojson(shared)
    for lang in ("vi", "en"):
        size = len(pio.to_json(unit_map(sample_table, geojson, colour_by, lang), validate=False))
        assert size <= MAX_PAYLOAD, (colour_by, lang, size)
    hexes = len(pio.to_json(unit_map(sample_table, None, colour_by, "vi"), validate=False))
    assert hexes <= MAX_PAYLOAD


def test_wrong_path_is_a_clear_message(tmp_path):
    with pytest.raises(BoundaryError) as e:
        load_boundaries(tmp_path / "nowhere.geojson")
    assert e.value.rule == "missing"
    assert str(e.value) == (f"không tìm thấy tệp ranh giới: {tmp_path / 'nowhere.geojson'} "
                            f"(boundary file not found: {tmp_path / 'nowhere.geojson'})")


@pytest.mark.parametrize("content", [b'{"type": "FeatureCollection", "features": [', b"\x00\xff\x13garbage" * 50, b""])
def test_a_corrupt_file_is_a_clear_message(tmp_path, content):
    path = tmp_path / "units.geojson"
    path.write_bytes(content)
    with pytest.raises(BoundaryError) as e:
        load_boundaries(path)
    assert e.value.rule in ("unreadable", "no_geometry")
    text = str(e.value)
    assert str(path) in text and " (" in text and text.endswith(")")
    assert text.startswith("không đọc được tệp ranh giới") or text.startswith("tệp ranh giới")


def test_a_file_without_a_code_column(tmp_path):
    path = tmp_path / "units.geojson"
    squares(["11002"], column="ma_xa").to_file(path)
    with pytest.raises(BoundaryError) as e:
        load_boundaries(path)
    assert e.value.rule == "no_code"
    assert "`code` hoặc `unit_code`" in str(e.value) and "(the boundary file" in str(e.value)


def test_a_file_with_no_known_unit(tmp_path):
    path = tmp_path / "units.geojson"
    squares(["99999"]).to_file(path)
    with pytest.raises(BoundaryError) as e:
        load_boundaries(path)
    assert e.value.rule == "no_match"


def test_projected_gpkg_numeric_codes_and_split_units(tmp_path):
    """A GeoPackage in VN-2000 / UTM 48N (EPSG:3405) with integer codes (leading zeros lost) and
    one unit in two rows: read back as 5-digit strings, one row per unit, in EPSG:4326."""
    codes = ["10507", "10525", "11002"]
    frame = squares(codes + ["11002"], crs=3405, column="unit_code")
    frame["unit_code"] = [int(c) for c in codes] + [11002]
    path = tmp_path / "units.gpkg"
    frame.to_file(path, driver="GPKG")
    got = load_boundaries(path, tolerance=0)
    assert got["unit_code"].tolist() == codes
    assert got.crs.to_epsg() == 4326
    assert got.loc[0].geometry.bounds == pytest.approx((106.3, 20.8, 106.31, 20.81), abs=1e-6)
    assert got.loc[2].geometry.area == pytest.approx(2 * 0.01 * 0.01, rel=1e-3)  # the two squares merged
    assert len(missing_units(got)) == 114 - 3


def test_leading_zeros_restored_for_short_codes():
    from loaders.boundaries import _code

    assert _code(1234.0) == "01234" and _code("11002") == "11002" and _code(11002) == "11002"


def test_path_from_settings_or_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("TMDT_BOUNDARIES", raising=False)
    assert boundaries_path() is None  # settings.toml ships with boundaries = ""
    monkeypatch.setenv("TMDT_BOUNDARIES", str(tmp_path / "x.gpkg"))
    assert boundaries_path() == tmp_path / "x.gpkg"
    monkeypatch.setenv("TMDT_BOUNDARIES", "geo/x.geojson")
    assert boundaries_path() == ROOT / "geo" / "x.geojson"


def test_fit_centres_and_zooms_on_the_box():
    centre, zoom = fit([106.0, 20.0, 107.0, 21.0], 900, 620, pad=0)
    assert centre["lon"] == 106.5
    mercator = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    assert centre["lat"] == pytest.approx(math.degrees(2 * math.atan(math.exp((mercator(21) + mercator(20)) / 2)) - math.pi / 2))
    # 1° of longitude across 900 px: the world is 512 × 2^zoom px wide
    zoom_x = math.log2(900 * 360 / (512 * 1.0))
    zoom_y = math.log2(620 * 2 * math.pi / (512 * (mercator(21) - mercator(20))))
    assert zoom == pytest.approx(min(zoom_x, zoom_y))
    _, padded = fit([106.0, 20.0, 107.0, 21.0], 900, 620)
    assert padded < zoom


def test_subset_keeps_only_the_codes_and_their_shapes():
    gj = to_geojson(gpd.GeoDataFrame({"unit_code": ["10507", "10525"]},
                                     geometry=[box(106, 20, 106.1, 20.1), box(106.1, 20, 106.2, 20.1)], crs=4326))
    assert [f["id"] for f in subset(gj, ["10525"])["features"]] == ["10525"]
    assert subset(gj, ["10525"])["bbox"] == gj["bbox"] == [106.0, 20.0, 106.2, 20.1]
    assert subset(gj, ["10525"])["features"][0]["properties"] == {} and gj["features"][1]["properties"]["label"]
