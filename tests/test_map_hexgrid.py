"""The hexagon tile map: config/hexgrid.csv gives each of the country's 3,321 units its own cell of
its province's grid near its centroid, and scripts/build_hexgrid.py rebuilds exactly that file."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from loaders.boundaries import hex_cells, short_labels
from loaders.reference import CONFIG, all_units, units
from scripts.build_hexgrid import build

GRID = pd.read_csv(CONFIG / "hexgrid.csv", dtype={"unit_code": str})


def test_every_unit_has_one_cell_and_cells_are_unique_in_its_province():
    assert sorted(GRID["unit_code"]) == sorted(all_units()["unit_code"])
    assert len(GRID) == 3321 and len(units()) == 114
    grid = GRID.merge(all_units()[["unit_code", "province_code"]], on="unit_code")
    assert not grid.duplicated(["province_code", "col", "row"]).any()
    assert list(GRID.columns) == ["unit_code", "col", "row"]
    corner = grid.groupby("province_code").agg(col=("col", "min"), row=("row", "min"))
    assert (corner["col"] == 0).all() and corner["row"].isin([0, 1]).all()


def test_the_script_is_deterministic_and_rebuilds_the_committed_file():
    first, second = build(units()), build(units().sample(frac=1, random_state=7))
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(first.reset_index(drop=True), GRID[GRID["unit_code"].isin(units()["unit_code"])]
                                  .reset_index(drop=True))
    hanoi = all_units()[all_units()["province_code"] == "01"]
    pd.testing.assert_frame_equal(build(hanoi).reset_index(drop=True),
                                  GRID[GRID["unit_code"].isin(hanoi["unit_code"])].reset_index(drop=True))


def test_neighbours_stay_near_each_other():
    cells = hex_cells().set_index("unit_code")
    u = units().set_index("unit_code")
    lat0 = math.radians(u["lat"].mean())
    xy = np.column_stack([u["lon"] * math.cos(lat0), u["lat"]])
    real = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(real, np.inf)
    grid_xy = cells.loc[u.index, ["x", "y"]].to_numpy()
    on_grid = np.linalg.norm(grid_xy[:, None] - grid_xy[None], axis=2)  # 1 = next cell
    nearest = real.argmin(axis=1)
    steps = on_grid[np.arange(len(u)), nearest]
    assert np.median(steps) == 1  # most units sit next to their nearest real neighbour
    assert (steps <= 2).mean() >= 0.9
    # north stays north and east stays east: grid and real positions rank alike
    for axis in (0, 1):
        # Spearman's correlation is Pearson's on the ranks (pandas' method="spearman" needs scipy)
        rank = pd.Series(grid_xy[:, axis]).rank().corr(pd.Series(xy[:, axis]).rank())
        assert rank > 0.95, axis


def test_hexagons_are_equal_and_do_not_overlap():
    cells = hex_cells()
    first = cells.iloc[0]
    assert len(first["xs"]) == 7 and first["xs"][0] == first["xs"][-1]  # six corners, closed
    radius = 1 / math.sqrt(3)
    for row in cells.itertuples():
        dist = np.hypot(np.array(row.xs) - row.x, np.array(row.ys) - row.y)
        assert np.allclose(dist, radius, atol=1e-3)
    centres = cells[["x", "y"]].to_numpy()
    d = np.linalg.norm(centres[:, None] - centres[None], axis=2)
    np.fill_diagonal(d, np.inf)
    assert d.min() == pytest.approx(1.0)  # touching neighbours, never closer


def test_labels_are_initials_told_apart_where_shared():
    assert short_labels(["Lê Thanh Nghị", "Bạch Long Vĩ"]) == ["LTN", "BLV"]
    # "TM" four times: the last word spelled out; "T.Minh" three times: the whole name
    assert short_labels(["Tứ Minh", "Thanh Miện", "Tân Minh", "Tiên Minh", "Tân Kỳ", "Tứ Kỳ", "An"]) == [
        "Tứ<br>Minh", "T.Miện", "Tân<br>Minh", "Tiên<br>Minh", "Tân<br>Kỳ", "Tứ<br>Kỳ", "A"]
    labels = hex_cells().set_index("unit_code")["label"]
    assert labels.is_unique
    assert (labels["11002"], labels["11948"]) == ("T.Khôi", "BLV")  # Thạch Khôi shares TK with Tứ Kỳ, Tân Kỳ
