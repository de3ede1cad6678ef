"""Figures and display tables of the reporting page (Báo cáo).

Display tables are DataFrames of words and numbers already formatted by i18n (dates dd/mm/yyyy),
built from metrics.submissions outputs; no arithmetic here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import i18n
from charts.style import FONT, status_colours
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
        hover = [f"{i18n.fmt_period(p, lang)}<br>{name}: "
                 + _t("of_units", lang, n=i18n.fmt_number(n, lang), total=i18n.fmt_number(e, lang), share=i18n.fmt_pct(s, lang))
                 for p, n, e, s in zip(rows["period"], rows["units"], rows["units_expected"], rows["share"])]
        fig.add_bar(x=[i18n.fmt_period(p, lang) for p in rows["period"]], y=rows["units"].tolist(), name=name,
                    marker_color=colours[COLOUR_OF[category]], text=[i18n.fmt_number(n, lang) for n in rows["units"]],
                    textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text")
    fig.update_layout(barmode="group", font=FONT, height=380, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
                      yaxis_title=_t("units_axis", lang), plot_bgcolor="#ffffff")
    return fig


def _unit_columns(frame: pd.DataFrame, lang: str) -> dict:
    return {
        i18n.t("common.unit", lang): frame["full_name"].tolist(),
        _t("code", lang): frame["unit_code"].tolist(),
        _t("unit_type", lang): [i18n.unit_type_name(ty, lang) for ty in frame["type"]],
    }


def late_table(late: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The late units: name, code, type, date submitted, deadline, days late."""
    return pd.DataFrame({
        **_unit_columns(late, lang),
        _t("submitted_on", lang): [i18n.fmt_date(d, lang) for d in late["submitted_at"]],
        i18n.t("common.deadline", lang): [i18n.fmt_date(d, lang) for d in late["deadline"]],
        _t("days_late", lang): [i18n.fmt_number(n, lang) for n in late["days_late"]],
    })


def missing_table(missing: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The units with no report: name, code, type, deadline."""
    return pd.DataFrame({
        **_unit_columns(missing, lang),
        i18n.t("common.deadline", lang): [i18n.fmt_date(d, lang) for d in missing["deadline"]],
    })


def _timeliness(reported: bool, on_time: bool, days_late, lang: str) -> str:
    if not reported:
        return _t("not_applicable", lang)
    return _t("on_time_yes", lang) if on_time else _t("late_by", lang, n=i18n.fmt_number(days_late, lang))


def history_table(history: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Every period of each unit: reported?, on time?, submitted at, deadline, files, resubmissions."""
    return pd.DataFrame({
        i18n.t("common.period", lang): [i18n.fmt_period(p, lang) for p in history["period"]],
        **_unit_columns(history, lang),
        _t("reported", lang): [_t("yes" if r else "no", lang) for r in history["reported"]],
        _t("on_time", lang): [_timeliness(r, o, d, lang) for r, o, d in
                              zip(history["reported"], history["on_time"], history["days_late"])],
        _t("submitted_at", lang): [i18n.fmt_datetime(d, lang) if r else _t("not_applicable", lang)
                                   for d, r in zip(history["submitted_at"], history["reported"])],
        i18n.t("common.deadline", lang): [i18n.fmt_date(d, lang) for d in history["deadline"]],
        _t("files", lang): [i18n.fmt_number(n, lang) for n in history["files"]],
        _t("resubmissions", lang): [i18n.fmt_number(n, lang) for n in history["resubmissions"]],
    })
