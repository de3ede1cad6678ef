"""Build config/hexgrid.csv: one equal hexagon cell per unit for the tile-grid map, a grid per province.

Usage: python scripts/build_hexgrid.py

Reads the rounded centroids in config/units.csv and gives every unit a unique cell of its
province's pointy-top hexagon grid near its centroid. Cells are "odd-r" offset coordinates: `row` 0 is the
northernmost row and grows southwards, `col` grows eastwards, and odd rows are shifted half a
cell east. The file holds cells only, no boundaries.

Method (deterministic: no randomness, ties broken by unit code):
1. Centroids go to a local plane (longitude × cos(mean latitude), latitude).
2. The cell spacing is SPACING × the median distance from a unit to its nearest neighbour
   (1.45 packs the tiles: about 5 of 6 sides touch another unit, and a unit's three nearest
   neighbours lie about 1.2 cells away on the grid).
3. A unit far out at sea (nearest neighbour more than OUTLIER_CELLS cells away, e.g. Bạch Long
   Vĩ) is pulled along the line to that neighbour until it is PULLED_TO_CELLS cells away, so the
   grid stays compact while keeping its direction.
4. Greedy: every (unit, cell) pair within reach, nearest first, takes the cell if both are free.
5. Then moves and swaps that lower the total squared displacement, until none does; this keeps
   neighbours next to each other.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.reference import all_units  # noqa: E402

OUT = ROOT / "config" / "hexgrid.csv"
OUTLIER_CELLS = 3.0
PULLED_TO_CELLS = 2.0
REACH_CELLS = 4.0
SPACING = 1.45


def plane(frame: pd.DataFrame) -> np.ndarray:
    """Centroids on a local plane where one unit of x and of y are the same distance."""
    lat0 = math.radians(frame["lat"].mean())
    return np.column_stack([frame["lon"].to_numpy() * math.cos(lat0), frame["lat"].to_numpy()])


def _nearest(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)
    np.fill_diagonal(d, np.inf)
    return d.min(axis=1), d.argmin(axis=1)


def pull_outliers(points: np.ndarray, spacing: float) -> np.ndarray:
    out = points.copy()
    dist, idx = _nearest(points)
    for i in np.flatnonzero(dist > OUTLIER_CELLS * spacing):
        direction = (points[i] - points[idx[i]]) / dist[i]
        out[i] = points[idx[i]] + direction * PULLED_TO_CELLS * spacing
    return out


def cell_centres(points: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Every cell of a grid covering the points (plus a margin): (cells as (col, row), centres)."""
    dy = spacing * math.sqrt(3) / 2  # row height of pointy-top hexagons
    margin = REACH_CELLS * spacing
    x0, y_top = points[:, 0].min() - margin, points[:, 1].max() + margin
    cols = int((points[:, 0].max() + margin - x0) / spacing) + 1
    rows = int((y_top - (points[:, 1].min() - margin)) / dy) + 1
    cr = np.array([(c, r) for r in range(rows) for c in range(cols)])
    centres = np.column_stack([x0 + spacing * (cr[:, 0] + 0.5 * (cr[:, 1] % 2)), y_top - dy * cr[:, 1]])
    return cr, centres


def assign(points: np.ndarray, centres: np.ndarray, spacing: float) -> np.ndarray:
    """The index of the cell of each point: greedy nearest first, then improving moves and swaps."""
    d2 = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    reach = (REACH_CELLS * spacing) ** 2
    unit_idx, cell_idx = np.nonzero(d2 <= reach)
    order = np.lexsort((cell_idx, unit_idx, d2[unit_idx, cell_idx]))
    cell_of = np.full(len(points), -1)
    taken: dict[int, int] = {}
    for u, c in zip(unit_idx[order], cell_idx[order]):
        if cell_of[u] < 0 and c not in taken:
            cell_of[u], taken[c] = c, u
    for u in np.flatnonzero(cell_of < 0):  # crowded: the nearest free cell anywhere
        c = next(c for c in np.argsort(d2[u], kind="stable") if c not in taken)
        cell_of[u], taken[c] = c, u
    improved = True
    while improved:
        improved = False
        for u in range(len(points)):
            here = cell_of[u]
            for c in np.flatnonzero(d2[u] <= reach):
                if c == here:
                    continue
                other = taken.get(c)
                before = d2[u, here] + (d2[other, c] if other is not None else 0)
                after = d2[u, c] + (d2[other, here] if other is not None else 0)
                if after < before - 1e-12:
                    cell_of[u] = c
                    taken[c] = u
                    if other is None:
                        del taken[here]
                    else:
                        cell_of[other], taken[here] = here, other
                    here = c
                    improved = True
    return cell_of


def build(frame: pd.DataFrame) -> pd.DataFrame:
    """unit_code, col, row for every unit of `frame` (unit_code, lat, lon), sorted by unit_code."""
    frame = frame.sort_values("unit_code").reset_index(drop=True)
    points = plane(frame)
    spacing = SPACING * float(np.median(_nearest(points)[0]))
    points = pull_outliers(points, spacing)
    cr, centres = cell_centres(points, spacing)
    cells = cr[assign(points, centres, spacing)]
    cols, rows = cells[:, 0], cells[:, 1]
    row_shift = rows.min() - rows.min() % 2  # an even shift keeps the odd-row offsets
    return pd.DataFrame({"unit_code": frame["unit_code"], "col": cols - cols.min(), "row": rows - row_shift})


def main() -> None:
    grid = pd.concat([build(frame) for _, frame in all_units().groupby("province_code")]).sort_values("unit_code")
    grid.to_csv(OUT, index=False)
    print(f"{len(grid)} units -> {OUT}")


if __name__ == "__main__":
    main()
