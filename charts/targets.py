"""Figures and display tables of the targets page (Mục tiêu).

Display tables are DataFrames of words and numbers already formatted by i18n (1.234,5; dd/mm/yyyy),
built from metrics outputs and config; no arithmetic here. The download (targets_download) keeps
numbers as numbers, with codes in words.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb

import i18n
from charts.tables import labelled
from charts.style import FONT, separators, status_colours
from loaders.reference import indicators
from metrics.targets import ACCELERATE, ON_TRACK, REASONS, STATUSES, goal_value
from metrics.worked_example import Example

SYMBOLS = {"met": "square", "on_track": "circle", "needs_acceleration": "diamond", "limited_progress": "triangle-down",
           "deteriorating": "x", "no_data": "circle-open"}


def _t(key: str, lang: str, **kw) -> str:
    return i18n.t(f"targets_page.{key}", lang, **kw)


# --- every target ------------------------------------------------------------------------------

def _status_text(row: dict, lang: str) -> str:
    parts = [i18n.status_name(row["status"], lang)]
    if isinstance(row.get("reason"), str):
        parts.append(i18n.reason_text(row["reason"], lang))
    if row.get("exceeded") is True:
        parts.append(i18n.reason_text("exceeded", lang))
    return " — ".join(parts)


def _unit_counts(row: dict, lang: str) -> str:
    if row["scope"] != "unit":
        return _t("not_applicable", lang)
    counts = [(s, int(row[f"units_{s}"])) for s in STATUSES]
    return " · ".join(f"{i18n.status_name(s, lang)}: {n}" for s, n in counts if n)


def targets_table(city: pd.DataFrame, targets: list[dict], lang: str = "vi", plan: str | None = None,
                  detail: bool = True) -> pd.DataFrame:
    """One row per target of `plan` (or of both plans), in metrics.targets.city_status order: the
    indicator, goal, current city value (with its Σ numerator and Σ denominator when it has them),
    status, units per status, expected value, baseline, deadline, scope, clause and the target's
    own words (and the plan when both are shown).
    Without `detail`: indicator, goal, current value, status, units per status, deadline, scope and clause."""
    by_id = {t["id"]: t for t in targets}
    rows = []
    for row in city.to_dict("records"):
        if plan is not None and row["plan"] != plan:
            continue
        target = by_id[row["target"]]
        yearly = row["share_of_units"]
        unit = row["unit"]
        value = i18n.fmt_value(row["value"], unit, lang)
        if yearly:
            value = _t("share_meeting", lang, value=value, n=i18n.fmt_number(row["numerator"], lang),
                       total=i18n.fmt_number(row["denominator"], lang))
        elif row["denominator"] == row["denominator"]:  # traced to its Σ numerator and Σ denominator
            growth = indicators()[row["indicator"]]["kind"] == "growth"
            value = _t("growth_of" if growth else "ratio_of", lang, value=value,
                       num=i18n.fmt_number(row["numerator"], lang), den=i18n.fmt_number(row["denominator"], lang))
        baseline = _t("not_applicable", lang) if yearly else _t(
            "at_period", lang, value=i18n.fmt_value(row["baseline"], unit, lang),
            period=i18n.fmt_period(row["baseline_period"], lang))
        rows.append({
            i18n.t("common.indicator", lang): i18n.indicator_name(row["indicator"], lang),
            _t("goal", lang): i18n.goal_text(target, lang),
            _t("current", lang, period=i18n.fmt_period(row["period"], lang)): value,
            i18n.t("common.status", lang): _status_text(row, lang),
            _t("units_per_status", lang): _unit_counts(row, lang),
            i18n.t("common.expected", lang): i18n.fmt_value(row.get("expected"), unit, lang),
            i18n.t("common.baseline", lang): baseline,
            i18n.t("common.deadline", lang): i18n.fmt_deadline(row["deadline"], lang),
            _t("scope", lang): i18n.t(f"scope.{row['scope']}", lang),
            i18n.t("common.clause", lang): row["clause"],
            i18n.t("common.target", lang): i18n.target_text(row["target"], lang),
            **({} if plan else {i18n.t("common.plan", lang): i18n.plan_name(row["plan"], lang)}),
        })
    table = pd.DataFrame(rows)
    if detail:
        return table
    details = {i18n.t("common.expected", lang), i18n.t("common.baseline", lang), i18n.t("common.target", lang),
               i18n.t("common.plan", lang)}
    return table[[c for c in table.columns if c not in details]]


def indicator_dictionary(lang: str = "vi") -> pd.DataFrame:
    """Every indicator of config/indicators.toml: id, name, formula, source table, unit."""
    rows = []
    for ind_id, ind in indicators().items():
        rows.append({
            _t("dict_id", lang): ind_id,
            _t("dict_name", lang): ind[lang],
            _t("dict_formula", lang): ind.get(f"formula_{lang}") or _t("dict_reported", lang),
            _t("dict_source", lang): ind["source"],
            _t("dict_unit", lang): _t("unit_pct" if ind["unit"] == "%" else "unit_count", lang),
        })
    return pd.DataFrame(rows)


# --- the status method -------------------------------------------------------------------------

def bands_table(lang: str = "vi") -> pd.DataFrame:
    """Each status and when it applies, with the thresholds of metrics.targets."""
    on, acc = i18n.fmt_number(ON_TRACK, lang, 2), i18n.fmt_number(ACCELERATE, lang, 1)
    return pd.DataFrame({
        i18n.t("common.status", lang): [i18n.status_name(s, lang) for s in STATUSES],
        _t("when", lang): [_t(f"band_{s}", lang, on_track=on, accelerate=acc) for s in STATUSES],
    })


def reasons_table(lang: str = "vi") -> pd.DataFrame:
    """Each named edge case (metrics.targets.REASONS, and the exceeded flag): its words and meaning."""
    cases = [*REASONS, "exceeded"]
    return pd.DataFrame({
        _t("reason_id", lang): cases,
        _t("reason_shown", lang): [i18n.reason_text(r, lang) for r in cases],
        _t("reason_meaning", lang): [_t(f"reason_help.{r}", lang) for r in cases],
    })


def example_table(ex: Example, lang: str = "vi") -> pd.DataFrame:
    """The worked example's points: actual, expected at the period, R and the status trajectory() gave."""
    points, unit = ex.points, indicators()[ex.target["indicator"]]["unit"]
    return pd.DataFrame({
        _t("actual", lang): [i18n.fmt_value(v, unit, lang) for v in points["actual"]],
        i18n.t("common.expected", lang): i18n.fmt_value(ex.expected, unit, lang),
        "R": [_ratio(r, lang) for r in points["ratio"]],
        i18n.t("common.status", lang): [i18n.status_name(s, lang) for s in points["status"]],
    })


def _ratio(r, lang: str) -> str:
    return i18n.fmt_number(r, lang, 2) if pd.notna(r) else _t("no_ratio", lang)


def _fill(colour: str, alpha: float = 0.28) -> str:
    return "rgba({}, {}, {}, {})".format(*hex_to_rgb(colour), alpha)


def example_text(ex: Example, lang: str = "vi") -> str:
    """The worked example in words, with its arithmetic (the numbers come from metrics.worked_example)."""
    unit = indicators()[ex.target["indicator"]]["unit"]
    return _t("example_text", lang, target=i18n.target_text(ex.target["id"], lang),
              baseline=i18n.fmt_value(ex.baseline, unit, lang),
              baseline_period=i18n.fmt_period(ex.target["baseline"], lang),
              goal=i18n.fmt_value(goal_value(ex.target), unit, lang),
              deadline=i18n.fmt_period(ex.target["deadline"], lang, mid_sentence=True),
              period=i18n.fmt_period(ex.period, lang, mid_sentence=True), elapsed=ex.elapsed, total=ex.total,
              expected=i18n.fmt_value(ex.expected, unit, lang))


def method_chart(ex: Example, lang: str = "vi") -> go.Figure:
    """The trajectory from the baseline to the target at its deadline, the status bands around it
    (filled between the edges metrics.worked_example.lines gives) and the example points, each
    with its status in words and its own marker symbol. Periods read as on the other charts
    ("6T cuối 2028", the year under each tick); no label sits on the trajectory: the line rises,
    so the labels of points above it go up to their left and the others to their right, the
    baseline's below it and the target's above it."""
    target, lines, points = ex.target, ex.lines, ex.points
    colours = status_colours()
    unit = indicators()[target["indicator"]]["unit"]
    x = [i18n.fmt_period_short(p, lang) for p in lines["period"]]
    at = i18n.fmt_period_short(ex.period, lang)  # the period of the example points
    top, bottom = [100.0] * len(x), [0.0] * len(x)  # the example is a percentage
    fig = go.Figure()
    # bands from the bottom up: each trace fills down to the previous one
    edges = [("deteriorating", lines["edge_zero"]), ("limited_progress", lines["edge_accelerate"]),
             ("needs_acceleration", lines["edge_on_track"]), ("on_track", lines["goal"]), ("met", top)]
    fig.add_scatter(x=x, y=bottom, mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip")
    for status, edge in edges:
        fig.add_scatter(x=x, y=list(edge), mode="lines", line=dict(width=0.5, color=colours[status]),
                        fill="tonexty", fillcolor=_fill(colours[status]), name=i18n.status_name(status, lang),
                        legendgroup="bands", hoverinfo="skip")
    fig.add_scatter(
        x=x, y=lines["expected"], mode="lines", name=_t("trajectory", lang),
        line=dict(color="#111", dash="dash", width=2),
        customdata=[i18n.fmt_value(v, unit, lang) for v in lines["expected"]],
        hovertemplate="%{x}<br>" + i18n.t("common.expected", lang) + ": %{customdata}<extra></extra>")
    first, last = lines.iloc[0], lines.iloc[-1]
    fig.add_scatter(x=x[:1], y=[first["baseline"]], mode="markers+text", marker=dict(size=12, color="#111"),
                    text=[_t("baseline_point", lang, value=i18n.fmt_value(first["baseline"], unit, lang))],
                    textposition="bottom right", name=i18n.t("common.baseline", lang), hoverinfo="text")
    fig.add_scatter(x=x[-1:], y=[last["goal"]], mode="markers+text",
                    marker=dict(size=14, color="#111", symbol="star"),
                    text=[_t("target_point", lang, value=i18n.goal_text(target, lang))], textposition="top left",
                    name=i18n.t("common.target", lang), hoverinfo="text")
    hover = [
        "<br>".join([i18n.status_name(p["status"], lang),
                     f"{_t('actual', lang)}: {i18n.fmt_value(p['actual'], unit, lang)}",
                     f"{i18n.t('common.expected', lang)}: {i18n.fmt_value(ex.expected, unit, lang)}",
                     f"R: {_ratio(p['ratio'], lang)}"])
        for p in points.to_dict("records")]
    fig.add_scatter(
        x=[at] * len(points), y=points["actual"], mode="markers+text", name=_t("examples", lang), showlegend=False,
        marker=dict(size=13, color=[colours[s] for s in points["status"]],
                    symbol=[SYMBOLS[s] for s in points["status"]], line=dict(color="#111", width=1)),
        text=[f"{i18n.status_name(s, lang)}: {i18n.fmt_value(v, unit, lang)}"
              for s, v in zip(points["status"], points["actual"])],
        textposition=["top left" if v >= ex.expected else "middle right" for v in points["actual"]],
        hovertext=hover, hoverinfo="text")
    fig.add_vline(x=at, line=dict(color="#555", dash="dot", width=1))
    fig.update_layout(
        font=FONT, separators=separators(lang), height=520, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="#ffffff",
        xaxis=dict(title=i18n.t("common.period", lang), type="category", showgrid=False, tickangle=0,
                   tickvals=x, ticktext=[i18n.fmt_period_short(p, lang, sep="<br>") for p in lines["period"]]),
        yaxis=dict(title=i18n.indicator_name(target["indicator"], lang), ticksuffix=unit, range=[0, top[0]],
                   showgrid=False),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    )
    return fig


# --- the download ------------------------------------------------------------------------------

def targets_download(city: pd.DataFrame, targets: list[dict], lang: str = "vi") -> pd.DataFrame:
    """metrics.targets.city_status for people (the download of the targets tables), one row per
    target: its id, words, plan, clause, scope, indicator, goal and deadline; the city's value at
    the period with its unit, Σ numerator and Σ denominator; the status, its note, the expected
    value, R and the baseline; the change since the compared period; the units in each status.
    Codes in words, numbers kept as numbers."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    by_id = {x["id"]: x for x in targets}
    words = city.assign(
        target_text=[i18n.target_text(x, lang) for x in city["target"]],
        goal_text=[i18n.goal_text(by_id[x], lang) for x in city["target"]],
        plan=[i18n.plan_name(x, lang) for x in city["plan"]],
        scope=[t(f"scope.{x}") for x in city["scope"]],
        deadline=[i18n.fmt_deadline(x, lang) for x in city["deadline"]],
        unit=[_t("unit_share" if share else "unit_pct" if unit == "%" else "unit_count", lang)
              for unit, share in zip(city["unit"], city["share_of_units"])])
    return labelled(words, [
        ("target", _t("col_target_id", lang), "text"), ("target_text", t("common.target"), "text"),
        ("plan", t("common.plan"), "text"), ("clause", t("common.clause"), "text"), ("scope", _t("scope", lang), "text"),
        ("indicator", t("common.indicator"), "indicator"), ("goal_text", _t("goal", lang), "text"),
        ("deadline", t("common.deadline"), "text"), ("period", t("common.period"), "period"),
        ("value", t("common.value"), "number"), ("unit", _t("dict_unit", lang), "text"),
        ("numerator", t("common.numerator"), "count"), ("denominator", t("common.denominator"), "count"),
        ("status", t("common.status"), "status"), ("reason", _t("col_reason", lang), "reason"),
        ("exceeded", _t("col_exceeded", lang), "yesno"), ("expected", t("common.expected"), "number"),
        ("ratio", _t("col_ratio", lang), "number"), ("baseline_period", _t("col_baseline_period", lang), "period"),
        ("baseline", _t("col_baseline", lang), "number"),
        ("previous_period", _t("col_previous_period", lang), "period"),
        ("previous", _t("col_previous", lang), "number"), ("change", _t("col_change", lang), "number"),
        *[(f"units_{s}", _t("col_units", lang, status=i18n.status_name(s, lang)), "count") for s in STATUSES],
    ], lang)
