"""Figures and tables of the reporting page (Báo cáo).

Tables are pandas Stylers (charts.tables.styled_table), and the history that grows with every
period a Grid (charts.tables.grid_table): labelled columns, codes in words, dates and numbers
kept as values (so they sort) and shown dd/mm/yyyy and 1.234; `.data` is the labelled table to
download. No arithmetic here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from pandas.io.formats.style import Styler

import i18n
from charts.tables import Grid, grid_table, labelled, styled_table
from charts.style import FONT, separators, status_colours
from metrics.submissions import CATEGORIES

# The status colour each reporting category borrows (Okabe–Ito, config/style.toml): reporting like
# "on track", on time like "met", late like "limited progress", missing like "deteriorating".
# Every bar also carries its words and symbol.
COLOUR_OF = {"reporting": "on_track", "on_time": "met", "late": "limited_progress", "missing": "deteriorating"}


def _t(key: str, lang: str, **kw) -> str:
    return i18n.t(f"reporting_page.{key}", lang, **kw)


def category_name(category: str, lang: str = "vi") -> str:
    return _t(f"category_{category}", lang)


def periods_chart(counts: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Bars side by side per period: units reporting, on time, late and missing (on time + late =
    reporting; reporting + missing = expected)."""
    colours = status_colours()
    fig = go.Figure()
    for category in CATEGORIES:
        rows = counts[counts["category"] == category]
        name = category_name(category, lang)
        hover = [f"{i18n.fmt_period(p, lang)}<br>{name}: " + _t("of_units", lang, n=i18n.fmt_number(n, lang),
                                                                total=i18n.fmt_number(e, lang), share=i18n.fmt_pct(s, lang))
                 for p, n, e, s in zip(rows["period"], rows["units"], rows["units_expected"], rows["share"])]
        fig.add_bar(x=[i18n.fmt_period(p, lang) for p in rows["period"]], y=rows["units"].tolist(), name=name,
                    marker_color=colours[COLOUR_OF[category]], text=[i18n.fmt_number(n, lang) for n in rows["units"]],
                    textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text")
    fig.update_layout(barmode="group", font=FONT, separators=separators(lang), height=380, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
                      yaxis_title=_t("units_axis", lang), plot_bgcolor="#ffffff")
    return fig


def counts_download(counts: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """metrics.submissions.period_counts for people (the download of the chart): period and
    category in words, units, units expected and the share (%), numbers kept as numbers."""
    words = counts.assign(category=[category_name(c, lang) for c in counts["category"]])
    return labelled(words, [("period", i18n.t("common.period", lang), "period"),
                            ("category", _t("col_category", lang), "text"), ("units", _t("units_axis", lang), "count"),
                            ("units_expected", _t("expected", lang), "count"), ("share", _t("col_share", lang), "pct")],
                    lang)


def _named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with each unit's full name in `lang` ("Phường Thạch Khôi", "Thạch Khôi Ward")."""
    return frame.assign(full_name=[i18n.unit_full_name(n, ty, lang) for n, ty in zip(frame["name"], frame["type"])])


def _unit_spec(lang: str) -> list[tuple[str, str, str]]:
    return [("full_name", i18n.t("common.unit", lang), "text"), ("unit_code", _t("code", lang), "text"),
            ("type", _t("unit_type", lang), "unit_type")]


def late_table(late: pd.DataFrame, lang: str = "vi") -> Styler:
    """The late units: name, code, type, date submitted, deadline, days late (dates and numbers
    stay sortable; shown dd/mm/yyyy and 1.234)."""
    return styled_table(_named(late, lang), [*_unit_spec(lang), ("submitted_at", _t("submitted_on", lang), "date"),
                               ("deadline", i18n.t("common.deadline", lang), "date"),
                               ("days_late", _t("days_late", lang), "count")], lang)


def missing_table(missing: pd.DataFrame, lang: str = "vi") -> Styler:
    """The units with no report: name, code, type, deadline."""
    return styled_table(_named(missing, lang), [*_unit_spec(lang), ("deadline", i18n.t("common.deadline", lang), "date")], lang)


def history_table(history: pd.DataFrame, lang: str = "vi") -> Grid:
    """Every period of each unit: reported?, on time?, submitted at, deadline, days late, files,
    resubmissions. A period with no report has no on-time answer, time or days late: "no data"
    (the grid's placeholder for a missing value, ui.grid)."""
    return grid_table(_named(history, lang), [
        ("period", i18n.t("common.period", lang), "period"), *_unit_spec(lang),
        ("reported", _t("reported", lang), "yesno"), ("on_time", _t("on_time", lang), "yesno"),
        ("submitted_at", _t("submitted_at", lang), "datetime"), ("deadline", i18n.t("common.deadline", lang), "date"),
        ("days_late", _t("days_late", lang), "count"), ("files", _t("files", lang), "count"),
        ("resubmissions", _t("resubmissions", lang), "count"),
    ], lang)


def versions_table(frame: pd.DataFrame, lang: str = "vi") -> Grid:
    """Each report a unit sent (metrics.submissions.versions): period, time, on time, days late,
    current, the comment it carried, the snapshot file."""
    return grid_table(frame, [
        ("period", i18n.t("common.period", lang), "period"), ("submitted_at", _t("submitted_at", lang), "datetime"),
        ("on_time", _t("on_time", lang), "yesno"), ("days_late", _t("days_late", lang), "count"),
        ("current", _t("current", lang), "yesno"), ("comment", _t("comment", lang), "text"),
        ("snapshot", _t("snapshot", lang), "text"),
    ], lang)


def review_table(rows: pd.DataFrame, lang: str = "vi") -> Grid:
    """A period's current reports and their review (metrics.review.period_reviews): unit, code, type,
    status in words, the Department's comment, who and when, the snapshot file."""
    return grid_table(_named(rows, lang), [
        *_unit_spec(lang), ("status", i18n.t("review.status", lang), "review"),
        ("comment", i18n.t("review.comment", lang), "text"), ("reviewer", i18n.t("review.reviewer", lang), "text"),
        ("reviewed_at", i18n.t("review.reviewed_at", lang), "datetime"), ("snapshot", _t("snapshot", lang), "text"),
    ], lang)
