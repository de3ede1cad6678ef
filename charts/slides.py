"""Figures of the review deck (charts.figure_spec.FigureSpec in, plotly Figure out).

The deck reuses the dashboard's builders (units by status, the progress map — on the configured
boundaries, or as the hexagon tile map —, a target's trajectory) and adds one of its own: for a yearly per-unit target
(trainings every year, the register reviewed every year) the city's figure is the share of units
meeting it, drawn period by period against 100%. for_projector() sizes a figure for its box on
the slide and enlarges its type."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import i18n
from charts.maps import unit_map
from charts.overview import status_counts
from charts.style import FONT, separators, series_colours
from charts.unit import trajectory_chart
from charts.figure_spec import FigureSpec


def slide_figure(spec: FigureSpec, lang: str = "vi", width: int = 900, height: int = 600,
                 geojson: dict | None = None) -> go.Figure:
    """The figure a slide names, drawn for a frame of width × height pixels; the map on the
    boundaries of `geojson` when given, else as the tile map."""
    if spec.kind == "status_counts":
        return status_counts(spec.data, lang)
    if spec.kind == "map":
        return unit_map(spec.data, geojson, "status", lang, width=width, height=height)
    if spec.kind == "trajectory":
        return trajectory_chart(spec.data, spec.target, lang)
    if spec.kind == "units_meeting":
        return units_meeting_chart(spec.data, spec.target, lang)
    raise ValueError(f"unknown figure kind {spec.kind!r}")


def units_meeting_chart(series: pd.DataFrame, target: dict, lang: str = "vi") -> go.Figure:
    """Bars: the share of units meeting a yearly target in each period (hover: units meeting,
    units expected, period), and the goal of 100% as a dotted line."""
    colours = series_colours()
    x = series["period"].tolist()
    name = i18n.t("slides.target.units_meeting_series", lang)
    hover = [f"{i18n.fmt_period(p, lang)}<br>{name}: {i18n.fmt_pct(v, lang)}<br>"
             f"{i18n.t('common.units_meeting', lang, n=i18n.fmt_number(n, lang), total=i18n.fmt_number(d, lang))}"
             for p, v, n, d in zip(x, series["value"], series["numerator"], series["denominator"])]
    fig = go.Figure()
    fig.add_bar(x=x, y=series["value"], name=name, marker_color=colours["actual"], hovertext=hover, hoverinfo="text",
                text=[i18n.fmt_pct(v, lang) for v in series["value"]], textposition="outside")
    goal = i18n.t("unit.goal", lang, goal="100%")
    fig.add_scatter(x=x, y=series["goal"], name=goal, mode="lines", line=dict(color=colours["goal"], dash="dot"),
                    hovertext=[goal] * len(x), hoverinfo="text")
    fig.update_layout(
        font=FONT, separators=separators(lang), margin=dict(l=10, r=10, t=50, b=10), height=340,
        title=dict(text=f"{i18n.indicator_name(target['indicator'], lang)}: {name}", font_size=15),
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
        xaxis=dict(type="category", tickvals=x, ticktext=[i18n.fmt_period_short(p, lang, sep="<br>") for p in x]),
        yaxis=dict(ticksuffix="%", range=[0, 110]),
    )
    return fig


def for_projector(fig: go.Figure, width: int | None, height: int | None, font_px: int) -> go.Figure:
    """The figure (changed in place) at width × height pixels (None: as wide, as tall as its
    frame) with type of font_px (titles a little larger)."""
    out = fig
    out.update_layout(width=width, height=height, font=dict(size=font_px), title_font_size=font_px + 4,
                      legend_font_size=font_px - 1, hoverlabel_font_size=font_px)
    out.update_xaxes(tickfont_size=font_px - 3, automargin=True)
    out.update_yaxes(tickfont_size=font_px - 3, automargin=True)
    return out


def for_print(fig: go.Figure) -> go.Figure:
    """The figure (changed in place) on a white page: white backgrounds (plotly's default plot
    area is grey) and light grid lines."""
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#bdbdbd")
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#bdbdbd")
    return fig
