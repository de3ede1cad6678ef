"""Figures and tables of the unit profile (and the trajectory chart the slideshow reuses).

Figure in, figure out: every number is computed in metrics/profile.py; here it is only placed
and labelled (through i18n, Vietnamese number format) and coloured from config/style.toml."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from pandas.io.formats.style import Styler

import i18n
from charts.tables import Grid, grid_table, styled_table
from charts.style import FONT, separators, series_colours, style
from loaders import periods
from loaders.reference import indicators


LINE = ("at_least", "greater_than", "at_most", "less_than", "range")  # comparators with a straight trajectory


def period_ticks(x: list[str], lang: str, most: int = 6) -> dict:
    """Ticks of a period axis: every half ("6T đầu<br>2026") up to `most` periods, else the years."""
    if len(x) <= most:
        return {"tickvals": x, "ticktext": [i18n.fmt_period_short(p, lang, sep="<br>") for p in x]}
    firsts = [p for p in x if periods.half(p) == "H1"]
    return {"tickvals": firsts, "ticktext": [str(periods.year(p)) for p in firsts]}


def _layout(fig: go.Figure, lang: str, **kw) -> go.Figure:
    fig.update_layout(**{"font": FONT, "separators": separators(lang), "margin": dict(l=10, r=10, t=50, b=10),
                         "legend": dict(orientation="h", yanchor="top", y=-0.15, x=0), **kw})
    return fig


def trajectory_chart(series: pd.DataFrame, target: dict | None, lang: str = "vi",
                     indicator: str | None = None) -> go.Figure:
    """An indicator over time: actual values, the expected values, the city's and the goal.

    series: metrics.profile.trajectory(values_long, target, key_value) (period, value, expected,
    numerator, denominator, goal, goal_high), or for a unit's indicator that no unit-scope target
    follows, metrics.profile.over_time (no expected; city_value, city_numerator, city_denominator).
    target: an entry of config/targets.toml, or None; indicator: the indicator when target is None.
    Traces, in order: the actual values (line and markers; hover: period, value, numerator,
    denominator); the expected values, when the series has them (a dashed line: the straight
    trajectory from the baseline to the goal; markers for "rises every year", the same half of
    the previous year, and for a yearly count, the share of the year's goal due so far; none for
    a yearly flag, whose goal line says it all); the city's values, when the series has them (a
    dash-dot reference line, hover as the actual values); the goal (dotted), and its high end for
    a range, labelled as the city's target on a chart with the city's values. There, a count's
    city figures (a total of every unit) are in a panel of their own above the unit's."""
    indicator = indicator or target["indicator"]
    unit = indicators()[indicator]["unit"]
    colours = series_colours()
    x = series["period"].tolist()
    fmt = lambda v: i18n.fmt_value(v, unit, lang)  # noqa: E731

    def hover(prefix: str, label: str) -> list[str]:
        return [i18n.t("unit.hover_value", lang, period=i18n.fmt_period(p, lang), label=label, value=fmt(v),
                       num=i18n.fmt_number(n, lang), den=i18n.fmt_number(d, lang))
                for p, v, n, d in zip(x, *(series[prefix + c] for c in ("value", "numerator", "denominator")))]

    fig = go.Figure()
    fig.add_scatter(x=x, y=series["value"], mode="lines+markers", name=i18n.t("unit.actual", lang),
                    line=dict(color=colours["actual"], width=3), marker=dict(size=9),
                    hovertext=hover("", i18n.t("unit.value", lang)), hoverinfo="text")
    if "expected" in series and target["comparator"] != "every_year":
        comp = target["comparator"]
        label = i18n.t({"rises_every_year": "unit.previous_year", "count_per_year": "unit.year_trajectory"}
                       .get(comp, "unit.trajectory"), lang)
        fig.add_scatter(
            x=x, y=series["expected"], name=label, mode="lines" if comp in LINE else "markers",
            line=dict(color=colours["expected"], dash="dash", width=2), marker=dict(size=9, symbol="diamond-open"),
            hovertext=[i18n.t("unit.hover_line", lang, period=i18n.fmt_period(p, lang), label=label, value=fmt(v))
                       for p, v in zip(x, series["expected"])], hoverinfo="text")
    reference = "city_value" in series
    city_axis = "y2" if reference and unit == "" else "y"
    if reference:
        label = i18n.t("unit.city", lang)
        fig.add_scatter(x=x, y=series["city_value"], mode="lines+markers", name=label, yaxis=city_axis,
                        line=dict(color=colours["city"], dash="dashdot", width=2), marker=dict(size=6),
                        hovertext=hover("city_", label), hoverinfo="text")
    keys = ("unit.city_goal", "unit.city_goal_high") if reference else ("unit.goal", "unit.goal_high")
    for col, key in zip(("goal", "goal_high"), keys):
        if series[col].notna().any():
            label = i18n.t(key, lang, goal=i18n.goal_text(target, lang))
            fig.add_scatter(x=x, y=series[col], name=label, mode="lines", line=dict(color=colours["goal"], dash="dot"),
                            yaxis=city_axis, hovertext=[label] * len(x), hoverinfo="text")
    yaxis, panel = dict(ticksuffix="%" if unit == "%" else "", rangemode="tozero"), {}
    if city_axis == "y2":  # the unit's panel below, the city's above: on one axis the unit's line is flat
        yaxis.update(domain=[0, 0.46], title=dict(text=i18n.t("unit.unit_axis", lang)))
        panel = {"yaxis2": dict(domain=[0.54, 1], anchor="x", rangemode="tozero",
                                title=dict(text=i18n.t("unit.city", lang)))}
    # The legend under the two-line period ticks, anchored to the figure's bottom with a row of room
    # per entry (on half a page each entry takes a row of its own); 4-digit counts grouped too (6.000).
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    _layout(fig, lang, height=(440 if panel else 340) + 20 * entries,
            title=dict(text=i18n.indicator_name(indicator, lang), font_size=15),
            xaxis=dict(type="category", tickangle=0, **period_ticks(x, lang)), yaxis=yaxis, **panel,
            margin=dict(l=10, r=10, t=50, b=55 + 20 * entries),
            legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0))
    fig.update_yaxes(separatethousands=True)
    return fig


def funnel_chart(funnel: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Businesses → reached by outreach → digital channel → cashless → online sellers.

    funnel: metrics.profile.funnel. Each bar says its count and its share of what it is counted
    among: businesses, or points of sale for the outreach stage (the stages are not nested)."""
    labels = [i18n.t(f"unit.stage.{s}", lang) for s in funnel["stage"]]
    texts = []
    for stage, count, den, value in funnel[["stage", "count", "denominator", "value"]].itertuples(index=False):
        key = "common.no_data" if pd.isna(count) else "unit.funnel_all" if stage == "businesses" else (
            "unit.funnel_pos" if stage == "point_of_sale_informed" else "unit.funnel_share")
        texts.append(i18n.t(key, lang, count=i18n.fmt_number(count, lang), share=i18n.fmt_pct(value, lang),
                            den=i18n.fmt_number(den, lang)))
    fig = go.Figure(go.Funnel(
        y=labels, x=funnel["count"], text=texts, textinfo="text", hovertext=texts, hoverinfo="y+text",
        marker=dict(color=series_colours()["actual"]), connector=dict(line=dict(color=series_colours()["city"]))))
    return _layout(fig, lang, height=360, margin=dict(l=10, r=10, t=20, b=10))


def breakdown_heatmap(breakdown: pd.DataFrame, indicator: str, lang: str = "vi") -> go.Figure:
    """Sector (rows) × business type (columns) for one indicator of metrics.profile.breakdown:
    colour and text = value; hover adds numerator and denominator. Cells with no data are blank
    and say "không có số liệu"."""
    rows = breakdown[breakdown["indicator"] == indicator]
    sectors = list(dict.fromkeys(rows["sector"]))
    types = list(dict.fromkeys(rows["business_type"]))
    cell = rows.set_index(["sector", "business_type"])
    z, text, hover = [], [], []
    for s in sectors:
        z.append([cell.loc[(s, b), "value"] for b in types])
        text.append([i18n.fmt_pct(cell.loc[(s, b), "value"], lang) for b in types])
        hover.append([i18n.t("unit.hover_cell", lang, sector=i18n.sector_name(s, lang), btype=i18n.business_type_name(b, lang),
                             value=i18n.fmt_pct(cell.loc[(s, b), "value"], lang),
                             num=i18n.fmt_number(cell.loc[(s, b), "numerator"], lang),
                             den=i18n.fmt_number(cell.loc[(s, b), "denominator"], lang)) for b in types])
    fig = go.Figure(go.Heatmap(
        z=z, x=[i18n.business_type_name(b, lang) for b in types], y=[i18n.sector_name(s, lang) for s in sectors],
        text=text, texttemplate="%{text}", hovertext=hover, hoverinfo="text", zmin=0, zmax=100,
        colorscale=style()["scales"]["value"], colorbar=dict(ticksuffix="%")))
    return _layout(fig, lang, height=110 + 42 * len(sectors), margin=dict(l=10, r=10, t=20, b=10),
                   yaxis=dict(autorange="reversed"))


def comparison_chart(comparison: pd.DataFrame, unit_name: str, lang: str = "vi") -> go.Figure:
    """The unit's and the city's value of each rate (metrics.profile.city_comparison), as bars."""
    labels = [i18n.indicator_name(ind, lang) for ind in comparison["indicator"]]
    fig = go.Figure()
    for scope, name, colour in (("unit", unit_name, series_colours()["actual"]),
                                ("city", i18n.t("unit.city", lang), series_colours()["city"])):
        values = comparison[f"{scope}_value"]
        hover = [i18n.t("unit.hover_compare", lang, name=name, value=i18n.fmt_pct(v, lang), num=i18n.fmt_number(n, lang),
                        den=i18n.fmt_number(d, lang))
                 for v, n, d in zip(values, comparison[f"{scope}_numerator"], comparison[f"{scope}_denominator"])]
        fig.add_bar(y=labels, x=values, orientation="h", name=name, marker_color=colour,
                    text=[i18n.fmt_pct(v, lang) for v in values], textposition="outside",
                    hovertext=hover, hoverinfo="text")
    return _layout(fig, lang, barmode="group", height=120 + 70 * len(labels), margin=dict(l=10, r=10, t=20, b=10),
                   xaxis=dict(ticksuffix="%", range=[0, 110]), yaxis=dict(autorange="reversed"))


# --- tables -------------------------------------------------------------------------------------

def _t(lang: str):
    return lambda key, **kw: i18n.t(key, lang, **kw)


def breakdown_table(breakdown: pd.DataFrame, indicator: str, lang: str = "vi") -> Styler:
    t = _t(lang)
    rows = breakdown[breakdown["indicator"] == indicator]
    return styled_table(rows, [("sector", t("unit.col.sector"), "sector"), ("business_type", t("unit.col.business_type"), "business_type"),
                               ("value", i18n.indicator_name(indicator, lang), "pct"),
                               ("numerator", t("common.numerator"), "count"), ("denominator", t("common.denominator"), "count")], lang)


def comparison_table(comparison: pd.DataFrame, unit_name: str, lang: str = "vi") -> Styler:
    t = _t(lang)
    city = t("unit.city")
    return styled_table(comparison, [
        ("indicator", t("common.indicator"), "indicator"),
        ("unit_value", unit_name, "pct"), ("unit_numerator", t("unit.col.of", what=t("common.numerator"), scope=unit_name), "count"),
        ("unit_denominator", t("unit.col.of", what=t("common.denominator"), scope=unit_name), "count"),
        ("city_value", city, "pct"), ("city_numerator", t("unit.col.of", what=t("common.numerator"), scope=city), "count"),
        ("city_denominator", t("unit.col.of", what=t("common.denominator"), scope=city), "count"),
        ("difference", t("unit.difference"), "pp")], lang)


def activities_table(history: pd.DataFrame, lang: str = "vi") -> Styler:
    """metrics.profile.activities_history for people."""
    t = _t(lang)
    spec = [("period", t("common.period"), "period"), ("reported", t("unit.col.reported"), "yesno")]
    spec += [(c, t(f"unit.col.{c}"), "yesno" if c == "register_updated" else "count")
             for c in history.columns if c not in ("period", "reported", "submitted_at")]
    spec.append(("submitted_at", t("unit.col.submitted_at"), "datetime"))
    return styled_table(history, spec, lang)


def reporting_history_table(history: pd.DataFrame, lang: str = "vi") -> Grid:
    """metrics.profile.reporting_history for people: state in words, dates dd/mm/yyyy (a Grid, as
    the reporting page's history)."""
    t = _t(lang)
    words = history.assign(state=[t(f"unit.state.{s}") for s in history["state"]])
    return grid_table(words, [
        ("period", t("common.period"), "period"), ("state", t("unit.col.state"), "text"),
        ("submitted_at", t("unit.col.submitted_at"), "datetime"), ("deadline", t("common.deadline"), "date"),
        ("days_late", t("unit.col.days_late"), "count"), ("files", t("unit.col.files"), "count"),
        ("resubmissions", t("unit.col.resubmissions"), "count")], lang)
