"""The half-year report as plain data: the "báo cáo sơ kết 06 tháng / tổng kết năm" that the
plans ask for after every review (Phụ lục row 6 of the ward plan), for the city's roll-up or for
one unit against the city. Built from metrics only (no python-docx here); report/docx.py lays it
out in the administrative format (Nghị định 30/2020/NĐ-CP), with its administrative parts from
config/document.toml.

Sections: I. results against each target of both plans (value, Σ numerator / Σ denominator,
target, status in words, change since the previous period; for a unit, the city beside it);
II. the units that lag and the units that reported late or not at all (for a unit: its standing
and its report); III. activities; IV. shortcomings and V. tasks, drafted from the figures for the
signer to finish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

import i18n
from charts.figure_spec import FigureSpec
from loaders import periods
from loaders.reference import document as settings_of, indicators, plans, targets, units
from loaders.store import StoreData
from metrics import tables
from metrics.activities import activity_totals
from metrics.coverage import coverage
from metrics.indicators import View
from metrics.map import map_table
from metrics.profile import trajectory
from metrics.scorecard import scorecard_table
from metrics.targets import YEARLY
from report.content import (MAP_INDICATOR, Table, as_of, filters_text, goal_of, laggards, late_and_missing,
                            late_and_missing_rows, ranking, reporting_of, signed, status_line, target_label,
                            target_of, unit_label, unit_of)

BEHIND = ("deteriorating", "limited_progress")  # a unit "lags" with a target in one of these
SHORT = ("needs_acceleration", "limited_progress", "deteriorating")  # a target said to fall short
NAMED = 5  # units named in a drafted sentence


@dataclass(frozen=True)
class Block:
    """One piece of the body: a heading, a paragraph, a note (the word that a part is drafted),
    bullets, a table, a figure (drawn by charts.slides.slide_figure) with its caption."""
    kind: str  # "heading" | "subheading" | "text" | "note" | "bullets" | "table" | "figure"
    text: str = ""
    items: tuple[str, ...] = ()
    table: Table | None = None
    figure: FigureSpec | None = None


@dataclass(frozen=True)
class Report:
    lang: str
    parent: str  # the body above the issuer ("" for none)
    issuer: str
    number: str
    place_date: str
    subject: str
    synthetic_note: str  # "" for real data
    blocks: tuple[Block, ...]
    recipients: tuple[str, ...]
    signer: tuple[str, ...]


def _mid_sentence(unit_name: str, lang: str) -> str:
    """"Phường Thạch Khôi" → "phường Thạch Khôi" inside a Vietnamese sentence."""
    return unit_name[:1].lower() + unit_name[1:] if lang == "vi" else unit_name


def _ratio(num, den, lang: str) -> str:
    return "—" if pd.isna(den) else f"{i18n.fmt_number(num, lang)} / {i18n.fmt_number(den, lang)}"


def _value(x, unit: str, lang: str) -> str:
    return "—" if pd.isna(x) else i18n.fmt_value(x, unit, lang)


def _names(codes, lang: str) -> str:
    codes = list(codes)
    more = len(codes) - NAMED
    names = "; ".join(unit_label(c, lang) for c in codes[:NAMED])
    return names + (f"; {i18n.t('document.more', lang, n=more)}" if more > 0 else "")


def build_report(data: StoreData, period: str, view: View = View(), lang: str = "vi", unit_code: str | None = None,
                 today: date | None = None) -> Report:
    """The report for `period` and the filters `view`: the city's, or `unit_code`'s against the city."""
    if period not in data.periods:
        raise ValueError(f"period {period} is not in the store")
    if unit_code is not None and unit_code not in set(units()["unit_code"]):
        raise ValueError(f"unit {unit_code} is not in the unit list")
    today = today or date.today()
    city, unit = tables.scorecard(data, period, view)
    uv, _ = tables.values(data, view)
    summary, per_unit = tables.reporting(data)
    rep, per_unit = reporting_of(summary, per_unit, period)
    board = scorecard_table(uv, unit, period)
    targeted = [t["indicator"] for t in targets() if t["scope"] == "unit"]
    _, ordered, _ = ranking(board, targeted, n=len(board))
    reported = coverage(data.current, period)["businesses"]

    cfg = settings_of()
    who = cfg["unit" if unit_code else "city"]
    row = units().set_index("unit_code").loc[unit_code] if unit_code else None
    full = i18n.unit_full_name(row["name"], row["type"], "vi") if unit_code else ""
    subject = i18n.t(f"document.subject_{periods.half(period).lower()}", lang, year=periods.year(period))
    if unit_code:
        subject = i18n.t("document.subject_unit", lang, subject=subject,
                         unit=_mid_sentence(i18n.unit_full_name(row["name"], row["type"], lang), lang))
    reporter = who["reporter"].format(name=_mid_sentence(full, "vi"))

    blocks: list[Block] = [
        Block("text", i18n.t("document.intro", lang, plans="; ".join(i18n.plan_name(p, lang) for p in plans()),
                             reporter=reporter, period=i18n.fmt_period(period, lang, mid_sentence=True))),
        Block("text", i18n.t("document.sources", lang, n=reported, total=len(units()),
                             as_of=i18n.fmt_datetime(as_of(data, period), lang),
                             filters=_mid_sentence(filters_text(view, lang), lang))),
        Block("heading", i18n.t("document.results", lang)),
    ]
    previous = city["previous_period"].dropna()
    change_col = (i18n.t("document.col_change", lang, period=i18n.fmt_period(previous.iloc[0], lang, mid_sentence=True))
                  if not previous.empty else i18n.t("document.col_change_none", lang))
    target = next(t for t in targets() if t["indicator"] == MAP_INDICATOR and t["scope"] == "unit")
    if unit_code is None:
        for n, plan in enumerate(plans(), 1):
            blocks.append(Block("subheading", i18n.t("document.plan_heading", lang, n=n, plan=i18n.plan_name(plan, lang))))
            blocks.append(Block("table", table=_city_table(city[city["plan"] == plan], change_col, lang)))
        rows = city[city["scope"] == "unit"].reset_index(drop=True)
        blocks.append(Block("figure", i18n.t("document.figure_status", lang, n=1, period=i18n.fmt_period(period, lang, True)),
                            figure=FigureSpec("status_counts", rows, "units-by-status")))
        blocks.append(Block("figure", i18n.t("document.figure_map", lang, n=2,
                                             name=i18n.indicator_name(MAP_INDICATOR, lang), period=i18n.fmt_period(period, lang, True)),
                            figure=FigureSpec("map", map_table(uv, period, MAP_INDICATOR), f"map-{MAP_INDICATOR}", target)))
        blocks += _lagging(ordered, rep, per_unit, period, lang)
    else:
        mine = unit[unit["unit_code"] == unit_code]
        blocks.append(Block("table", table=_unit_table(mine, city, change_col, lang)))
        blocks.append(Block("figure", i18n.t("document.figure_unit", lang, n=1, name=i18n.indicator_name(MAP_INDICATOR, lang),
                                             unit=_mid_sentence(unit_label(unit_code, lang), lang)),
                            figure=FigureSpec("trajectory", trajectory(uv, target, unit_code), f"unit-{unit_code}", target)))
        blocks += _standing(ordered, unit_code, per_unit, period, lang)

    blocks.append(Block("heading", i18n.t("document.activities", lang)))
    blocks.append(_activities(data.current.get("activities"), period, unit_code, lang))
    short_rows = (city[city["status"].isin(SHORT)] if unit_code is None
                  else unit[(unit["unit_code"] == unit_code) & unit["status"].isin(SHORT)])
    blocks += _drafts(short_rows, unit, per_unit, period, unit_code, lang)

    return Report(lang, who["parent"], who["issuer"].format(unit=full.upper()), who["number"],
                  i18n.t("document.place_date", lang, place=cfg["page"]["place"], year=today.year), subject,
                  i18n.t("document.synthetic", lang) if data.synthetic else "", tuple(blocks),
                  tuple(who["recipients"]), tuple(who["signer"]))


def _city_table(rows: pd.DataFrame, change_col: str, lang: str) -> Table:
    t = lambda k: i18n.t(f"document.{k}", lang)  # noqa: E731
    columns = (t("col_no"), t("col_indicator"), t("col_result"), t("col_ratio"), t("col_target"), t("col_status"), change_col)
    body = []
    for n, (_, r) in enumerate(rows.iterrows(), 1):
        unit = unit_of(r)
        target = target_of(r["target"])
        body.append((str(n), target_label(r, lang), _value(r["value"], unit, lang), _ratio(r["numerator"], r["denominator"], lang),
                     goal_of(target, lang), status_line(r, lang), signed(r["change"], unit, lang)))
    return Table(columns, tuple(body))


def _unit_table(mine: pd.DataFrame, city: pd.DataFrame, change_col: str, lang: str) -> Table:
    t = lambda k: i18n.t(f"document.{k}", lang)  # noqa: E731
    columns = (t("col_no"), t("col_indicator"), t("col_unit_result"), t("col_ratio"), t("col_target"), t("col_status"),
               change_col, t("col_city"))
    body = []
    for n, (_, r) in enumerate(mine.iterrows(), 1):
        target = target_of(r["target"])
        unit = indicators()[r["indicator"]]["unit"]
        c = city[city["target"] == r["target"]].iloc[0]
        goal = i18n.goal_text(target, lang)
        body.append((str(n), i18n.indicator_name(r["indicator"], lang), _value(r["value"], unit, lang),
                     _ratio(r["numerator"], r["denominator"], lang), goal, status_line(r, lang),
                     signed(r["change"], unit, lang),
                     i18n.t("document.city_units_meeting", lang, value=_value(c["value"], unit_of(c), lang))
                     if c["comparator"] in YEARLY else _value(c["value"], unit_of(c), lang)))
    return Table(columns, tuple(body))


def _gap(x, lang: str) -> str:
    return signed(x, "%", lang) if pd.notna(x) else "—"


def _lagging(ordered: pd.DataFrame, rep, per_unit: pd.DataFrame, period: str, lang: str) -> list[Block]:
    t = lambda k, **kw: i18n.t(f"document.{k}", lang, **kw)  # noqa: E731
    behind = ordered[ordered["worst_status"].isin(BEHIND)]
    total = len(units())
    out = [Block("heading", t("lagging")), Block("subheading", t("behind_heading"))]
    if behind.empty:
        out.append(Block("text", t("behind_none")))
    else:
        out.append(Block("text", t("behind_text", n=len(behind), total=total)))
        rows = tuple((str(n), unit_label(r["unit_code"], lang), i18n.status_name(r["worst_status"], lang),
                      i18n.t("slides.ranking.met_of", lang, n=int(r["targets_met"]), total=int(r["targets_judged"])),
                      _gap(r["gap"], lang)) for n, (_, r) in enumerate(behind.iterrows(), 1))
        out.append(Block("table", table=Table((t("col_no"), t("col_unit"), t("col_worst"), t("col_met"), t("col_gap")), rows)))
    out.append(Block("subheading", t("reporting_heading")))
    late, missing = late_and_missing(per_unit)
    n = int(rep["units_expected"])
    out.append(Block("text", t("reporting_text", n=int(rep["units_reporting"]), total=n,
                               pct=i18n.fmt_pct(rep["reporting_completeness"], lang),
                               deadline=i18n.fmt_date(periods.deadline(period), lang), on_time=int(rep["units_on_time"]),
                               pct_on_time=i18n.fmt_pct(rep["reporting_timeliness"], lang), late=len(late), missing=len(missing))))
    rows = late_and_missing_rows(late, missing, lang)
    if rows:
        out.append(Block("table", table=Table((t("col_no"), t("col_unit"), t("col_state"), t("col_submitted")),
                                              tuple((str(i), *r) for i, r in enumerate(rows, 1)))))
    else:
        out.append(Block("text", t("reporting_all")))
    return out


def _standing(ordered: pd.DataFrame, code: str, per_unit: pd.DataFrame, period: str, lang: str) -> list[Block]:
    t = lambda k, **kw: i18n.t(f"document.{k}", lang, **kw)  # noqa: E731
    out = [Block("heading", t("lagging_unit"))]
    codes = ordered["unit_code"].tolist()
    if code in codes:
        r = ordered.iloc[codes.index(code)]
        out.append(Block("text", t("unit_standing", status=i18n.status_name(r["worst_status"], lang), met=int(r["targets_met"]),
                                   judged=int(r["targets_judged"]), rank=codes.index(code) + 1, ranked=len(codes))))
    else:
        out.append(Block("text", t("unit_unranked")))
    deadline = i18n.fmt_date(periods.deadline(period), lang)
    mine = per_unit[per_unit["unit_code"] == code]
    if mine.empty or not bool(mine["reported"].iloc[0]):
        out.append(Block("text", t("unit_missing", deadline=deadline)))
    else:
        r = mine.iloc[0]
        state = t("unit_on_time", deadline=deadline) if r["on_time"] else t("unit_late", days=int(r["days_late"]), deadline=deadline)
        out.append(Block("text", t("unit_reported", at=i18n.fmt_datetime(r["submitted_at"], lang), state=state)))
    return out


def _activities(activities: pd.DataFrame | None, period: str, code: str | None, lang: str) -> Block:
    t = lambda k, **kw: i18n.t(f"document.{k}", lang, **kw)  # noqa: E731
    if activities is None or activities.empty:
        return Block("text", t("act_none"))
    a = activity_totals(activities, period, code)
    if not a["units_reporting"]:
        return Block("text", t("act_none"))
    n = lambda k: i18n.fmt_number(a[k], lang)  # noqa: E731
    items = [t("act_trainings", n=n("trainings"), trainees=n("trainees"), year=periods.year(period),
               n_year=n("trainings_year"), trainees_year=n("trainees_year")),
             t("act_outreach", n=n("outreach_items"), n_year=n("outreach_items_year")),
             t("act_marketplace", n=n("marketplace_onboarded"), n_year=n("marketplace_onboarded_year")),
             t("act_complaints", n=n("complaints_forwarded"), n_year=n("complaints_forwarded_year"))]
    if code is None:
        items.append(t("act_register", n=n("register_updated"), reporting=n("units_reporting")))
    else:
        items.append(t("act_register_unit_yes" if a["register_updated"] else "act_register_unit_no"))
    return Block("bullets", items=tuple(items))


def _drafts(short: pd.DataFrame, unit: pd.DataFrame, per_unit: pd.DataFrame, period: str, code: str | None,
            lang: str) -> list[Block]:
    """IV and V, drafted from the figures: every target falling short, with the units furthest
    behind on it (the city's report), the units that did not report or reported late; the tasks
    that follow."""
    t = lambda k, **kw: i18n.t(f"document.{k}", lang, **kw)  # noqa: E731
    shortcomings, tasks = [], []
    for _, r in short.iterrows():
        target = target_of(r["target"])
        unit_ = unit_of(r) if code is None else indicators()[r["indicator"]]["unit"]
        name = target_label(r, lang) if code is None else i18n.indicator_name(r["indicator"], lang)
        value, deadline = _value(r["value"], unit_, lang), i18n.fmt_period(target["deadline"], lang, True)
        goal = goal_of(target, lang) if code is None else i18n.goal_text(target, lang)
        has_expected = pd.notna(r["expected"]) and target["comparator"] not in YEARLY
        expected = _value(r["expected"], unit_, lang)
        shortcomings.append(t("short_target" if has_expected else "short_target_plain", name=name, value=value,
                              status=status_line(r, lang).lower(), expected=expected, goal=goal, deadline=deadline))
        behind = laggards(unit, r["target"]) if code is None and target["scope"] == "unit" else pd.DataFrame()
        where = t("task_where", names=_names(behind["unit_code"], lang)) if not behind.empty else ""
        name = _mid_sentence(name, lang)
        tasks.append(t("task_target", name=name, value=value, expected=expected, where=where) if has_expected
                     else t("task_target_plain", name=name, goal=goal, deadline=deadline, where=where))
    nxt = periods.shift(period, 1)
    due = i18n.fmt_date(periods.deadline(nxt), lang)
    if code is None:
        late, missing = late_and_missing(per_unit)
        if len(missing):
            shortcomings.append(t("short_missing", n=len(missing), names=_names(missing["unit_code"], lang)))
        if len(late):
            shortcomings.append(t("short_late", n=len(late), names=_names(late["unit_code"], lang)))
        tasks.append(t("task_reporting", period=i18n.fmt_period(nxt, lang, True), deadline=due))
    else:
        tasks.append(t("task_reporting_unit", period=i18n.fmt_period(nxt, lang, True), deadline=due))
    return [Block("heading", t("shortcomings")), Block("note", t("draft_note")),
            Block("bullets", items=tuple(shortcomings) or (t("short_none"),)),
            Block("heading", t("tasks")), Block("note", t("draft_note")), Block("bullets", items=tuple(tasks))]
