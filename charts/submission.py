"""Tables of the submit page, in words: the problems of a workbook and a report beside another."""

from __future__ import annotations

import pandas as pd

import i18n
from charts.tables import Grid, labelled
from loaders.reference import indicators


def problems_table(problems, lang: str = "vi") -> pd.DataFrame:
    """One row per problem: sheet, cell (A1), column, rule (Vietnamese with the English in brackets
    in Vietnamese; English alone in English), value — each as plain text."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    rows = []
    for p in problems:
        vi, en = p.texts()
        rows.append({t("submit.col_sheet"): getattr(p, "sheet", None) or p.file,
                     t("submit.col_cell"): getattr(p, "cell", None) or ("" if p.row is None else str(p.row)),
                     t("submit.col_column"): p.column or "", t("submit.col_rule"): f"{vi} ({en})" if lang == "vi" else en,
                     t("submit.col_value"): "" if p.value is None else str(p.value)})
    return pd.DataFrame(rows, columns=[t(f"submit.col_{c}") for c in ("sheet", "cell", "column", "rule", "value")])


def item_name(item: str, kind: str, lang: str = "vi") -> str:
    """An indicator's name, or a count column's label (contract column names: businesses, trainees…)."""
    if kind == "rate" and item in indicators():
        return i18n.indicator_name(item, lang)
    label = i18n.t(f"columns.{item}", lang)
    return item if label == f"columns.{item}" else label


def compared_table(compared: pd.DataFrame, before: str, lang: str = "vi") -> Grid:
    """metrics.plausibility.side_by_side (or its warnings) in words: item, kind, the value `before`
    (a column label: the previous period, or the current report), this report's, the change and,
    for warnings, the rule broken. Rates in % (the change in points), counts whole, the Vietnamese way."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    unit = ["%" if k == "rate" else "" for k in compared["kind"]]

    def change(v, u):
        if v != v:
            return t("common.no_data")
        text = i18n.fmt_number(v, lang, 1) + " " + t("submit.points") if u else i18n.fmt_number(v, lang)
        return ("+" if v > 0 else "") + text

    def shown(col):
        return [change(v, u) if col == "change" else i18n.fmt_value(v, u, lang) for v, u in zip(compared[col], unit)]

    frame = pd.DataFrame({"name": [item_name(i, k, lang) for i, k in zip(compared["item"], compared["kind"])],
                          "kind": [t(f"submit.kind.{k}") for k in compared["kind"]],
                          "previous": shown("previous"), "value": shown("value"), "change": shown("change")})
    spec = [("name", t("submit.col_item"), "text"), ("kind", t("submit.col_kind"), "text"), ("previous", before, "text"),
            ("value", t("submit.col_new"), "text"), ("change", t("submit.col_change"), "text")]
    if "rule" in compared:
        frame["rule"] = [t(f"submit.rule.{r}") for r in compared["rule"]]
        spec.append(("rule", t("submit.col_warning"), "text"))
    return Grid(labelled(frame, spec, lang), {})
