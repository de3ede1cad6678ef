"""Figures of the overview page."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

import i18n
from charts.style import FONT, separators, status_colours
from loaders.reference import indicators, unit_codes
from metrics.targets import COMPARATORS


@dataclass(frozen=True)
class Tile:
    """What a target's tile says, in words: its label, value, goal and deadline; the help that
    traces the value (numerator, denominator, baseline, expected, previous); its change as
    st.metric's delta, arrow and colour; the notes under it."""
    label: str
    value: str
    goal: str
    deadline: str
    help: str
    delta: str | None
    arrow: str
    colour: str
    caption: str


def tile(row, target: dict, period: str, filtered: bool, reported: dict[str, int], lang: str = "vi") -> Tile:
    """The tile of one row of the city status table (metrics.tables.scorecard) at `period`;
    `filtered`: a sector or business-type filter is on (the city's own figures and the activities
    have neither, and their tiles say so); `reported`: units with a report of each kind
    (metrics.coverage), which a figure from the units' reports says it rests on."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    unit, yearly = row.unit, row.share_of_units
    label = i18n.indicator_name(row.indicator, lang)
    if yearly:
        label = t("overview.units_meeting_label", name=label)
    previous = i18n.fmt_value(row.previous, unit, lang)
    if isinstance(row.previous_period, str):
        previous += f" ({i18n.fmt_period(row.previous_period, lang)})"
    help_text = t("overview.tile_help", text=i18n.target_text(row.target, lang), num=i18n.fmt_number(row.numerator, lang),
                  den=i18n.fmt_number(row.denominator, lang), period=i18n.fmt_period(period, lang),
                  baseline=i18n.fmt_value(row.baseline, unit, lang), expected=i18n.fmt_value(row.expected, unit, lang),
                  previous=previous)
    notes = [i18n.reason_text(row.reason, lang)] if isinstance(row.reason, str) else []
    if filtered and indicators()[row.indicator]["source"] != "businesses":
        notes.append(t("overview.not_filtered"))
    if row.exceeded:
        notes.append(i18n.reason_text("exceeded", lang))
    if yearly:
        notes.append(t("common.units_meeting", n=int(row.numerator), total=int(row.denominator)))
    source = indicators()[row.indicator]["source"]
    if source in reported:
        notes.append(t("common.coverage_units", n=reported[source], total=len(unit_codes())))
    delta, arrow, colour = change_shown(row.change, row.comparator, unit, row.previous_period, lang)
    return Tile(label, i18n.fmt_value(row.value, unit, lang), "100%" if yearly else i18n.goal_text(target, lang),
                i18n.fmt_deadline(row.deadline, lang), help_text, delta, arrow, colour, " · ".join(notes))


def change_shown(change: float, comparator: str, unit: str, previous_period: str,
                 lang: str = "vi") -> tuple[str | None, str, str]:
    """How a tile shows its change since the previous period: (text, arrow, colour) for
    st.metric's delta, delta_arrow and delta_color. The arrow gives the direction and the text
    only the size ("4,0 điểm % so với …": no second sign); green when the change goes the
    target's way (down for an "at most" target), red against it; no change: (None, "auto", "off")."""
    if change != change:
        return None, "auto", "off"
    text = i18n.t("overview.delta_pp" if unit == "%" else "overview.delta", lang,
                  d=i18n.fmt_number(abs(change), lang, 1 if unit == "%" else 0),
                  period=i18n.fmt_period(previous_period, lang, mid_sentence=True))
    if change == 0:
        return text, "off", "gray"
    better = (change > 0) != COMPARATORS[comparator].lower_is_better
    return text, "up" if change > 0 else "down", "green" if better else "red"


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


