"""The review deck as plain data: for each slide a title, bullet figures, a table and which figure
to draw (its kind and the metrics table it draws), built from metrics only: no plotly, no
Streamlit. The slideshow page, the .pptx and the .pdf lay out the same Deck; charts.slides turns
a FigureSpec into a plotly figure.

Slides, in order: title; the city against every target of each plan (one slide per plan); units
by status on each unit-scope target; the progress map; the leading units and the units needing support (the scorecard's order); one slide
per unit-scope target with its trajectory; reporting completeness with the late and missing units
named. Every slide carries the same footer: filters, period, data as-of date and, for synthetic
data, says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import i18n
from charts.figure_spec import FigureSpec
from loaders import periods
from loaders.reference import indicators, plans, targets, units
from loaders.store import StoreData
from metrics import tables
from metrics.arithmetic import rate
from metrics.coverage import coverage
from metrics.indicators import View
from metrics.map import map_table
from metrics.profile import trajectory
from metrics.scorecard import LAGGARD_ORDER, scorecard_table
from metrics.targets import STATUSES, YEARLY, evaluate

RANKED = 5  # units shown as leading and as needing support
LAGGARDS = 3  # units named as furthest behind on a target's slide
MAX_ROWS = 10  # rows of a slide table; the rest are counted on the slide and named in the notes
MAP_INDICATOR = "digital_rate"  # the headline target of the ward plan


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    subtitle: str = ""
    bullets: tuple[str, ...] = ()
    table: Table | None = None
    figure: FigureSpec | None = None
    notes: str = ""


@dataclass(frozen=True)
class Deck:
    period: str
    lang: str
    title: str
    footer: str  # filters · period · data as of (on every slide)
    synthetic_note: str  # "" for real data; said on every slide otherwise
    slides: tuple[Slide, ...] = field(default_factory=tuple)

    def stamp(self, n: int) -> str:
        """The line at the foot of slide n (1-based): footer, synthetic note, slide number."""
        parts = [self.footer, self.synthetic_note, i18n.t("slides.page_number", self.lang, n=n, total=len(self.slides))]
        return " · ".join(p for p in parts if p)


# --- small facts ------------------------------------------------------------------------------

def as_of(data: StoreData, period: str) -> pd.Timestamp | None:
    """The latest submitted_at among the current snapshots of the period (any kind)."""
    times = [df.loc[df["period"] == period, "submitted_at"].max() for df in data.current.values() if not df.empty]
    times = [x for x in times if pd.notna(x)]
    return max(times) if times else None


def filters_text(view: View, lang: str) -> str:
    every = i18n.t("slides.all", lang)
    sectors_ = ", ".join(i18n.sector_name(s, lang) for s in view.sectors) or every
    types = ", ".join(i18n.business_type_name(b, lang) for b in view.business_types) or every
    return i18n.t("slides.filters", lang, sectors=sectors_, types=types)


def unit_label(code: str, lang: str) -> str:
    """"Phường Thạch Khôi (11002)", "Thạch Khôi Ward (11002)"."""
    row = _units().get(code)
    return f"{i18n.unit_full_name(row['name'], row['type'], lang) if row else code} ({code})"


def _units() -> dict[str, dict]:
    return units().set_index("unit_code")[["name", "type"]].to_dict("index")


def target_of(target_id: str) -> dict:
    return next(t for t in targets() if t["id"] == target_id)


def goal_of(target: dict, lang: str) -> str:
    return "100%" if target["comparator"] in YEARLY else i18n.goal_text(target, lang)


def unit_of(row) -> str:
    return "%" if row["comparator"] in YEARLY else row["unit"]


def target_label(row, lang: str) -> str:
    name = i18n.indicator_name(row["indicator"], lang)
    return i18n.t("slides.city.units_meeting", lang, name=name) if row["comparator"] in YEARLY else name


def status_line(row, lang: str) -> str:
    words = [i18n.status_name(row["status"], lang)]
    if isinstance(row.get("reason"), str):
        words.append(i18n.reason_text(row["reason"], lang))
    if pd.notna(row.get("exceeded")) and bool(row.get("exceeded")):
        words.append(i18n.reason_text("exceeded", lang))
    return " — ".join(words)


# --- metrics the deck needs beyond metrics.tables ---------------------------------------------

def units_meeting_series(unit_values: pd.DataFrame, target: dict, until: str, unit_codes) -> pd.DataFrame:
    """A yearly per-unit target (count_per_year, every_year) for the city, period by period up to
    `until`: the share of units expected whose status is "met" (as metrics.targets.city_status).
    Columns as metrics.profile.trajectory: period, value, expected (100), numerator (units
    meeting), denominator (units expected), goal (100), goal_high (NaN)."""
    codes = list(unit_codes)
    held = sorted(set(unit_values["period"]), key=periods.index)
    rows = []
    for p in [x for x in held if periods.index(x) <= periods.index(until)]:
        got = evaluate(target, unit_values, p, key="unit_code")
        met = float((got["status"] == "met").sum()) if not got.empty else 0.0
        rows.append({"period": p, "numerator": met, "denominator": float(len(codes))})
    out = pd.DataFrame(rows, columns=["period", "numerator", "denominator"])
    out["value"] = rate(out["numerator"], out["denominator"])
    out["expected"] = 100.0
    out["goal"] = 100.0
    out["goal_high"] = np.nan
    return out[["period", "value", "expected", "numerator", "denominator", "goal", "goal_high"]]


def ranking(board: pd.DataFrame, targeted: list[str], n: int = RANKED) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(leading, needing support, units not ranked) from a metrics.scorecard.scorecard_table.

    Needing support: the scorecard's laggards-first order (lowest status first, then most behind
    the trajectory). Leading: the reverse (highest status first, then furthest ahead). Units whose
    every target lacks data are not ranked. Adds `targets_met` and `targets_judged`."""
    statuses = board[[f"{ind}__status" for ind in targeted]]
    board = board.assign(targets_met=(statuses == "met").sum(axis=1),
                         targets_judged=(statuses != "no_data").sum(axis=1))
    judged = board[board["worst_status"] != "no_data"]
    order = judged.assign(_rank=judged["worst_status"].map({s: i for i, s in enumerate(LAGGARD_ORDER)}))
    worst = order.sort_values(["_rank", "gap", "unit_code"], na_position="last", kind="stable").head(n)
    best = order.sort_values(["_rank", "targets_met", "gap", "unit_code"], ascending=[False, False, False, True],
                             na_position="last", kind="stable").head(n)
    return best.drop(columns="_rank"), worst.drop(columns="_rank"), len(board) - len(judged)


def laggards(unit_status: pd.DataFrame, target_id: str, n: int = LAGGARDS) -> pd.DataFrame:
    """The n units furthest behind on one target: furthest below the value expected on the
    trajectory first (value − expected), then lowest status (the list reads in the order of its
    gaps, whatever their statuses)."""
    rows = unit_status[(unit_status["target"] == target_id) & (unit_status["status"] != "no_data")]
    rank = {s: i for i, s in enumerate(LAGGARD_ORDER)}
    rows = rows.assign(_rank=rows["status"].map(rank),
                       _gap=pd.to_numeric(rows["value"], errors="coerce") - pd.to_numeric(rows["expected"], errors="coerce"))
    return rows.sort_values(["_gap", "_rank", "unit_code"], na_position="last", kind="stable").head(n)


def signed(x: float, unit: str, lang: str) -> str:
    """A change or a gap with its sign ("+4,0 điểm %", "-2,1 điểm %", "+34"); "0,0" unsigned."""
    if pd.isna(x):
        return "—"
    decimals = 1 if unit == "%" else 0
    x = round(float(x), decimals) + 0.0  # -0.04 is written 0,0, not -0,0
    text = ("+" if x > 0 else "") + i18n.fmt_number(x, lang, decimals)
    return i18n.t("slides.ranking.gap_pp", lang, d=text) if unit == "%" else text


def status_counts(table: pd.DataFrame, column: str = "status") -> dict[str, int]:
    counts = table[column].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


# --- the slides -------------------------------------------------------------------------------

def build_deck(data: StoreData, period: str, view: View = View(), lang: str = "vi") -> Deck:
    """Every slide of the review deck for `period` and the filters `view`."""
    if period not in data.periods:
        raise ValueError(f"period {period} is not in the store")
    city, unit = tables.scorecard(data, period, view)
    uv, cv = tables.values(data, view)
    summary, per_unit = tables.reporting(data)
    when = as_of(data, period)
    footer = i18n.t("slides.footer", lang, filters=filters_text(view, lang), period=i18n.fmt_period(period, lang),
                    as_of=i18n.fmt_datetime(when, lang))
    reported = coverage(data.current, period)["businesses"]  # every city figure says what it rests on
    footer += " · " + i18n.t("common.coverage_units", lang, n=reported, total=len(units()))
    synthetic = i18n.t("slides.synthetic", lang) if data.synthetic else ""
    rep, per_unit = reporting_of(summary, per_unit, period)
    codes = units()["unit_code"]

    slides = [_title_slide(data, period, view, lang, rep, when)]
    slides += [_city_slide(city, plan, lang) for plan in plans()]
    slides.append(_status_counts_slide(city, lang))
    slides.append(_map_slide(uv, period, lang))
    slides.append(_ranking_slide(uv, unit, period, lang))
    for t in targets():
        if t["scope"] == "unit":
            slides.append(_target_slide(t, city, unit, uv, cv, period, codes, lang))
    slides.append(_reporting_slide(rep, per_unit, period, lang))
    return Deck(period, lang, i18n.t("slides.deck_title", lang), footer, synthetic, tuple(slides))


def reporting_of(summary: pd.DataFrame, per_unit: pd.DataFrame, period: str) -> tuple[pd.Series, pd.DataFrame]:
    """The period's row of metrics.tables.reporting's summary and its per-unit rows. A period with
    no ward report at all (only city indicators so far) is not in those tables: every unit is missing."""
    if period in set(summary["period"]):
        return summary[summary["period"] == period].iloc[0], per_unit[per_unit["period"] == period]
    grid = units()[["unit_code", "name", "full_name", "type"]].assign(
        period=period, submitted_at=pd.NaT, snapshot=None, reported=False, deadline=periods.deadline(period),
        on_time=False, days_late=np.nan, files=0)
    n = len(grid)
    return pd.Series({"units_expected": n, "units_reporting": 0, "units_on_time": 0,
                      "reporting_completeness": float(rate(0, n)), "reporting_timeliness": float(rate(0, n))}), grid


def _title_slide(data: StoreData, period: str, view: View, lang: str, rep, when) -> Slide:
    plan_names = "; ".join(i18n.plan_name(p, lang) for p in plans())
    bullets = (
        filters_text(view, lang),
        f"{i18n.t('common.freshness', lang)}: {i18n.fmt_datetime(when, lang)}",
        i18n.t("slides.title_slide.reporting", lang, n=int(rep["units_reporting"]), total=int(rep["units_expected"])),
        i18n.t("slides.title_slide.plans", lang, plans=plan_names),
    )
    if data.synthetic:
        bullets = (i18n.t("common.synthetic_banner", lang), *bullets)
    return Slide("title", i18n.t("slides.deck_title", lang),
                 subtitle=i18n.t("slides.title_slide.subtitle", lang, period=i18n.fmt_period(period, lang)),
                 bullets=bullets, notes=i18n.t("slides.title_slide.notes", lang, store=str(data.root)))


def _city_slide(city: pd.DataFrame, plan: str, lang: str) -> Slide:
    rows = city[city["plan"] == plan]
    columns = (i18n.t("common.indicator", lang), i18n.t("slides.city.result", lang), i18n.t("common.target", lang),
               i18n.t("common.status", lang))
    body, notes = [], []
    for _, row in rows.iterrows():
        unit = unit_of(row)
        value = i18n.fmt_value(row["value"], unit, lang)
        target = target_of(row["target"])
        body.append((target_label(row, lang), value, goal_of(target, lang), status_line(row, lang)))
        notes.append(i18n.t("slides.city.note_line", lang, name=target_label(row, lang), value=value,
                            num=i18n.fmt_number(row["numerator"], lang), den=i18n.fmt_number(row["denominator"], lang),
                            baseline=i18n.fmt_value(row["baseline"], unit, lang),
                            expected=i18n.fmt_value(row["expected"], unit, lang), status=status_line(row, lang),
                            text=i18n.target_text(row["target"], lang)))
    return Slide(f"city_{plan}", i18n.t("slides.city.title", lang, plan=i18n.plan_name(plan, lang)),
                 table=Table(columns, tuple(body)), notes="\n".join(notes))


def _status_counts_slide(city: pd.DataFrame, lang: str) -> Slide:
    rows = city[city["scope"] == "unit"].reset_index(drop=True)
    notes = "\n".join(f"{i18n.indicator_name(r['indicator'], lang)}: " + "; ".join(
        f"{i18n.status_name(s, lang)} {int(r[f'units_{s}'])}" for s in STATUSES) for _, r in rows.iterrows())
    return Slide("units_by_status", i18n.t("slides.status_counts.title", lang),
                 figure=FigureSpec("status_counts", rows, "units-by-status"), notes=notes)


def _map_slide(uv: pd.DataFrame, period: str, lang: str) -> Slide:
    table = map_table(uv, period, MAP_INDICATOR)
    counts = status_counts(table)
    bullets = tuple(i18n.t("slides.map.count", lang, status=i18n.status_name(s, lang), n=n) for s, n in counts.items() if n)
    target = next(t for t in targets() if t["indicator"] == MAP_INDICATOR and t["scope"] == "unit")
    name = i18n.indicator_name(MAP_INDICATOR, lang)
    return Slide("map", i18n.t("slides.map.title", lang, name=name), bullets=bullets,
                 figure=FigureSpec("map", table, f"map-{MAP_INDICATOR}", target),
                 notes=i18n.t("slides.map.notes", lang, goal=goal_of(target, lang), deadline=i18n.fmt_period(target["deadline"], lang)))


def _ranking_slide(uv: pd.DataFrame, unit: pd.DataFrame, period: str, lang: str) -> Slide:
    board = scorecard_table(uv, unit, period)
    targeted = [t["indicator"] for t in targets() if t["scope"] == "unit"]
    best, worst, unranked = ranking(board, targeted)
    columns = (i18n.t("slides.ranking.group", lang), i18n.t("common.unit", lang),
               i18n.t("slides.ranking.worst_status", lang), i18n.t("slides.ranking.targets_met", lang),
               i18n.t("slides.ranking.gap", lang))
    body = []
    for group, frame in (("best", best), ("worst", worst)):
        for _, row in frame.iterrows():
            gap = i18n.t("slides.ranking.gap_pp", lang, d=i18n.fmt_number(row["gap"], lang, 1)) if pd.notna(row["gap"]) \
                else i18n.t("common.no_data", lang)
            body.append((i18n.t(f"slides.ranking.{group}", lang), unit_label(row["unit_code"], lang),
                         i18n.status_name(row["worst_status"], lang),
                         i18n.t("slides.ranking.met_of", lang, n=int(row["targets_met"]), total=int(row["targets_judged"])),
                         gap))
    return Slide("ranking", i18n.t("slides.ranking.title", lang), table=Table(columns, tuple(body)),
                 notes=i18n.t("slides.ranking.notes", lang, n=unranked))


def _target_slide(target: dict, city: pd.DataFrame, unit: pd.DataFrame, uv: pd.DataFrame, cv: pd.DataFrame,
                  period: str, codes, lang: str) -> Slide:
    row = city[city["target"] == target["id"]].iloc[0]
    value_unit = unit_of(row)
    name = target_label(row, lang)
    value = i18n.fmt_value(row["value"], value_unit, lang)
    if pd.notna(row["denominator"]):
        first = i18n.t("slides.target.city_ratio", lang, value=value, num=i18n.fmt_number(row["numerator"], lang),
                       den=i18n.fmt_number(row["denominator"], lang), status=status_line(row, lang))
    else:
        first = i18n.t("slides.target.city", lang, value=value, status=status_line(row, lang))
    bullets = [first]
    if pd.notna(row["expected"]) and target["comparator"] not in YEARLY:  # yearly: the title says 100%
        bullets.append(i18n.t("slides.target.expected", lang, value=i18n.fmt_value(row["expected"], value_unit, lang)))
    counts = {s: int(row[f"units_{s}"]) for s in STATUSES}
    bullets.append(f"{i18n.t('common.units_by_status', lang)}: " + " · ".join(
        f"{i18n.status_name(s, lang)} {n}" for s, n in counts.items() if n))
    behind = laggards(unit, target["id"])
    ind_unit = row["unit"]
    if not behind.empty:
        bullets.append(i18n.t("slides.target.laggards", lang, names="; ".join(
            f"{unit_label(r['unit_code'], lang)} {i18n.fmt_value(r['value'], ind_unit, lang)}"
            + (f" ({signed(r['_gap'], ind_unit, lang)})" if pd.notna(r["_gap"]) else "") for _, r in behind.iterrows())))
    bullets.append(i18n.t("slides.target.deadline", lang, deadline=i18n.fmt_period(target["deadline"], lang),
                          clause=target["clause"]))
    if target["comparator"] in YEARLY:
        figure = FigureSpec("units_meeting", units_meeting_series(uv, target, period, codes), f"target-{target['id']}", target)
    else:
        figure = FigureSpec("trajectory", trajectory(cv, target), f"target-{target['id']}", target)
    notes = [i18n.plan_name(target["plan"], lang) + f", {target['clause']}: " + i18n.target_text(target["id"], lang),
             i18n.t("common.indicator", lang) + ": " + i18n.indicator_name(target["indicator"], lang) + " = "
             + indicators()[target["indicator"]][f"formula_{lang}"]]
    return Slide(f"target_{target['id']}", i18n.t("slides.target.title", lang, name=name, goal=goal_of(target, lang)),
                 bullets=tuple(bullets), figure=figure, notes="\n".join(notes))


def late_and_missing(per_unit: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period's late reports (most days late first) and the units with none (by code)."""
    late = per_unit[per_unit["reported"] & ~per_unit["on_time"]].sort_values(["days_late", "unit_code"],
                                                                            ascending=[False, True])
    return late, per_unit[~per_unit["reported"]].sort_values("unit_code")


def late_and_missing_rows(late: pd.DataFrame, missing: pd.DataFrame, lang: str) -> list[tuple[str, str, str]]:
    """(unit, "n days late" or "no report", submitted at) for each late, then each missing unit."""
    rows = [(unit_label(r["unit_code"], lang), i18n.t("slides.reporting.state_late", lang, days=int(r["days_late"])),
             i18n.fmt_datetime(r["submitted_at"], lang)) for _, r in late.iterrows()]
    return rows + [(unit_label(c, lang), i18n.t("slides.reporting.state_missing", lang), "—") for c in missing["unit_code"]]


def _reporting_slide(rep, per_unit: pd.DataFrame, period: str, lang: str) -> Slide:
    total = int(rep["units_expected"])
    late, missing = late_and_missing(per_unit)
    bullets = [
        i18n.t("slides.reporting.completeness", lang, n=int(rep["units_reporting"]), total=total,
               pct=i18n.fmt_pct(rep["reporting_completeness"], lang)),
        i18n.t("slides.reporting.timeliness", lang, n=int(rep["units_on_time"]), total=total,
               pct=i18n.fmt_pct(rep["reporting_timeliness"], lang), deadline=i18n.fmt_date(periods.deadline(period), lang)),
        i18n.t("slides.reporting.late", lang, n=len(late)),
        i18n.t("slides.reporting.missing", lang, n=len(missing)),
    ]
    rows = late_and_missing_rows(late, missing, lang)
    if len(rows) > MAX_ROWS:
        bullets.append(i18n.t("slides.more", lang, n=len(rows) - MAX_ROWS))
    columns = (i18n.t("common.unit", lang), i18n.t("slides.reporting.state", lang), i18n.t("slides.reporting.submitted", lang))
    none = i18n.t("slides.none", lang)
    notes = "\n".join([
        i18n.t("slides.reporting.notes_late", lang, names="; ".join(
            f"{unit_label(c, lang)} ({i18n.fmt_number(d, lang)})" for c, d in zip(late["unit_code"], late["days_late"])) or none),
        i18n.t("slides.reporting.notes_missing", lang, names="; ".join(unit_label(c, lang) for c in missing["unit_code"]) or none),
    ])
    return Slide("reporting", i18n.t("slides.reporting.title", lang), bullets=tuple(bullets),
                 table=Table(columns, tuple(rows[:MAX_ROWS])) if rows else None, notes=notes)
