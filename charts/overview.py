"""Figures of the overview page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import i18n
from charts.style import FONT, separators, status_colours


def status_counts(city_status: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Stacked bars: for each unit-scope target, how many units are in each status."""
    rows = city_status[city_status["scope"] == "unit"]
    labels = [i18n.indicator_name(ind, lang) for ind in rows["indicator"]]
    fig = go.Figure()
    for status, colour in status_colours().items():
        counts = rows[f"units_{status}"].astype(int).tolist()
        fig.add_bar(
            y=labels, x=counts, orientation="h", name=i18n.status_name(status, lang), marker_color=colour,
            text=[str(c) if c else "" for c in counts], textposition="inside",
            hovertemplate="%{y}<br>" + i18n.status_name(status, lang) + ": %{x}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack", font=FONT, separators=separators(lang), height=80 + 60 * len(rows),
        margin=dict(l=10, r=10, t=30, b=10),
        uniformtext=dict(minsize=11, mode="hide"),  # a count too small to read on its sliver is in the hover
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
        xaxis_title=i18n.t("common.units_by_status", lang), yaxis=dict(autorange="reversed"),
    )
    return fig


