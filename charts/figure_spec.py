"""What a figure of the review deck shows, as data: report.content says which, charts.slides draws it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class FigureSpec:
    """Which figure a slide shows: `kind` names a builder of charts.slides, `data` is the metrics
    table it draws, `target` the target it is about (if any), `name` the PNG's file name."""

    kind: str  # "status_counts" | "map" | "trajectory" | "units_meeting"
    data: pd.DataFrame
    name: str
    target: dict | None = None
