"""Figures of the sectors page: heatmaps of ratio indicators by sector, business type and unit, and their downloads.

Each takes a long table from metrics.sectors (numerator, denominator, value per cell); a cell with
no denominator is left blank and reads "không có số liệu" (never 0). Colours: the colour-blind-safe
value scale of config/style.toml, fixed to 0–100%.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import plotly.graph_objects as go

import i18n
from charts.tables import labelled
from charts.style import FONT, separators, style
from metrics.sectors import ALL

def group_label(group: str, code: str, lang: str = "vi") -> str:
    """The name of a sector or business type; ALL reads "Tất cả"."""
    if code == ALL:
        return i18n.t("sectors.total", lang)
    return i18n.sector_name(code, lang) if group == "sector" else i18n.business_type_name(code, lang)


def values_download(values: pd.DataFrame, period: str, lang: str = "vi", indicator: str | None = None) -> pd.DataFrame:
    """A long table of metrics.sectors for people (the download of its heatmap), one row per cell:
    the unit's code and name when there is one, the sector and business type in words ("Tất cả"
    for a total), the indicator, Σ numerator, Σ denominator, value (%) and period; numbers kept
    as numbers. `indicator`: the one indicator of a table without an indicator column (unit_sector)."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    words = values.assign(period=period, **({"indicator": indicator} if indicator else {}))
    spec = []
    if "unit_code" in words:
        words["unit_name"] = [i18n.unit_full_name(n, ty, lang) for n, ty in zip(words["unit_name"], words["unit_type"])]
        spec += [("unit_code", t("sectors.code"), "text"), ("unit_name", t("common.unit"), "text")]
    for group in ("sector", "business_type"):
        if group in words:
            words[group] = [group_label(group, c, lang) for c in words[group]]
            spec.append((group, t(f"filters.{group}"), "text"))
    return labelled(words, [*spec, ("indicator", t("common.indicator"), "indicator"),
                            ("numerator", t("common.numerator"), "count"), ("denominator", t("common.denominator"), "count"),
                            ("value", t("sectors.value_pct"), "pct"), ("period", t("common.period"), "period")], lang)


def _heatmap(long: pd.DataFrame, row_key: str, col_key: str, rows: list, cols: list, row_names: list[str],
             col_names: list[str], period: str, lang: str, text: bool) -> go.Figure:
    """rows × cols of `long` (one row per cell), in the given order. Each cell's hover names its row
    and column and gives numerator, denominator, value and period (one string per cell)."""
    cells = {(r[row_key], r[col_key]): r for r in long.to_dict("records")}
    number = cache(lambda x: i18n.fmt_number(x, lang))  # counts repeat across cells
    labels = [i18n.t(f"common.{k}", lang) for k in ("numerator", "denominator", "value", "period")]
    when = i18n.fmt_period(period, lang)

    def hover(row_name: str, col_name: str, cell: dict) -> str:
        parts = [number(cell.get("numerator")), number(cell.get("denominator")), i18n.fmt_pct(cell.get("value"), lang), when]
        return "<br>".join([f"<b>{row_name}</b>", col_name, *(f"{k}: {v}" for k, v in zip(labels, parts))])

    z = [[cells.get((r, c), {}).get("value") for c in cols] for r in rows]
    fig = go.Figure(go.Heatmap(
        z=z, x=col_names, y=row_names, hoverongaps=True, hoverinfo="text",
        hovertext=[[hover(rn, cn, cells.get((r, c), {})) for c, cn in zip(cols, col_names)]
                   for r, rn in zip(rows, row_names)],
        colorscale=style()["scales"]["value"], zmin=0, zmax=100, xgap=1, ygap=1,
        colorbar=dict(title=dict(text="%"), ticksuffix="%"),
        text=[[i18n.fmt_pct(v, lang) for v in row] for row in z] if text else None,
        texttemplate="%{text}" if text else None,
    ))
    fig.update_layout(font=FONT, separators=separators(lang), margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="#ffffff",
                      yaxis=dict(autorange="reversed", type="category"), xaxis=dict(side="top", type="category"))
    return fig


def indicators_by_group(values: pd.DataFrame, group: str, period: str, lang: str = "vi") -> go.Figure:
    """Rows: each sector (or business type) and the total; columns: every ratio indicator."""
    rows = list(dict.fromkeys(values[group]))
    inds = list(dict.fromkeys(values["indicator"]))
    fig = _heatmap(values, group, "indicator", rows, inds, [group_label(group, r, lang) for r in rows],
                   [i18n.indicator_name(i, lang) for i in inds], period, lang, text=True)
    fig.update_layout(height=120 + 42 * len(rows), xaxis=dict(tickangle=0, tickfont=dict(size=11)))
    fig.update_xaxes(ticktext=[_wrap(i18n.indicator_name(i, lang)) for i in inds],
                     tickvals=[i18n.indicator_name(i, lang) for i in inds])
    return fig


def sector_by_business_type(values: pd.DataFrame, indicator: str, period: str, lang: str = "vi") -> go.Figure:
    """Rows: sectors and the total; columns: business types and the total; one indicator."""
    one = values[values["indicator"] == indicator]
    rows = list(dict.fromkeys(one["sector"]))
    cols = list(dict.fromkeys(one["business_type"]))
    fig = _heatmap(one, "sector", "business_type", rows, cols, [group_label("sector", r, lang) for r in rows],
                   [group_label("business_type", c, lang) for c in cols], period, lang, text=True)
    fig.update_layout(height=150 + 42 * len(rows), margin=dict(t=80),
                      title=dict(text=i18n.indicator_name(indicator, lang), x=0, y=1, yanchor="top", yref="container"))
    return fig


def units_by_sector(values: pd.DataFrame, indicator: str, period: str, lang: str = "vi") -> go.Figure:
    """Rows: every unit in the order of `values.row` (unit type, then total value); columns: the
    units' total over the sectors in view, then each sector. Hover names the unit and its code."""
    ordered = values.sort_values("row", kind="stable")
    units = ordered.drop_duplicates("unit_code")  # one row per unit, in order
    rows = units["unit_code"].tolist()
    names = [i18n.unit_full_name(n, ty, lang) for n, ty in zip(units["unit_name"], units["unit_type"])]
    hover_names = [f"{n} ({c})" for n, c in zip(names, rows)]
    cols = list(dict.fromkeys(ordered["sector"]))
    fig = _heatmap(ordered, "unit_code", "sector", rows, cols, hover_names,
                   [group_label("sector", c, lang) for c in cols], period, lang, text=False)
    fig.update_yaxes(tickvals=hover_names, ticktext=names, tickfont=dict(size=10))
    fig.update_xaxes(ticktext=[_wrap(group_label("sector", c, lang), 10) for c in cols],
                     tickvals=[group_label("sector", c, lang) for c in cols], tickangle=0, tickfont=dict(size=10))
    fig.update_layout(height=170 + 16 * len(rows), margin=dict(t=110),
                      title=dict(text=i18n.indicator_name(indicator, lang), x=0, y=1, yanchor="top", yref="container"))
    return fig


def _wrap(text: str, width: int = 16) -> str:
    """Break a long axis label into lines of about `width` characters."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])
