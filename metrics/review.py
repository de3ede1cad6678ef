"""The Department's review of the units' reports, in the manner of DHIS2's data approval: each
current report (a unit's businesses and activities for a period, named by its businesses snapshot)
is waiting, accepted or returned, by the latest decision recorded for that very report in the
audit log. A resubmission is another report, so it waits again: a returned report stays flagged
until the unit resubmits. Pure functions on DataFrames."""

from __future__ import annotations

import dataclasses

import pandas as pd

from loaders.reference import units
from loaders.store import StoreData

STATUSES = ("waiting", "accepted", "returned")
DECISIONS = {"accept": "accepted", "return": "returned"}
KEY = ["unit_code", "period"]
COLUMNS = [*KEY, "snapshot", "status", "comment", "reviewer", "reviewed_at"]


def current_reports(current: pd.DataFrame) -> pd.DataFrame:
    """The current report of each unit and period: unit_code, period, snapshot (of its businesses rows)."""
    return current.groupby(KEY, sort=True, observed=True)["snapshot"].first().reset_index()


def review_status(current: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    """Each current report (from the current businesses rows) with its status, and the comment,
    reviewer and time (UTC) of the decision behind it (empty while waiting)."""
    reports = current_reports(current)
    done = log[log["action"].isin(list(DECISIONS)) & (log["result"] == "ok")]
    latest = done.drop_duplicates([*KEY, "snapshot"], keep="last")  # the log is in the order written
    latest = latest.assign(status=latest["action"].map(DECISIONS), reviewer=latest["user"], reviewed_at=latest["at"])
    out = reports.merge(latest[[*KEY, "snapshot", "status", "comment", "reviewer", "reviewed_at"]],
                        on=[*KEY, "snapshot"], how="left")
    out["status"] = out["status"].fillna("waiting")
    out[["comment", "reviewer"]] = out[["comment", "reviewer"]].fillna("")
    return out[COLUMNS]


def period_reviews(status: pd.DataFrame, period: str) -> pd.DataFrame:
    """The current reports of one period with the unit's name and type: returned first, then waiting,
    then accepted, each by unit code."""
    rows = status[status["period"] == period].merge(units()[["unit_code", "name", "type"]], on="unit_code")
    rank = rows["status"].map({s: i for i, s in enumerate(("returned", "waiting", "accepted"))})
    return rows.assign(_rank=rank).sort_values(["_rank", "unit_code"], ignore_index=True).drop(columns="_rank")


def with_review(table: pd.DataFrame, status: pd.DataFrame, period: str) -> pd.DataFrame:
    """A table with one row per unit (a map's, the scorecard's) and the column `review`: the status
    of the unit's current report of `period` (None where it has none)."""
    of = status.loc[status["period"] == period].set_index("unit_code")["status"]
    review = table["unit_code"].map(of)
    return table.assign(review=review.astype(object).where(review.notna(), None))


def accepted_only(store: StoreData, status: pd.DataFrame) -> StoreData:
    """The store as if it held only the accepted reports: the current rows of units and periods
    whose report is accepted (the city's own tables as they are)."""
    accepted = status.loc[status["status"] == "accepted", KEY]
    keep = pd.MultiIndex.from_frame(accepted)
    current = {kind: frame[pd.MultiIndex.from_frame(frame[KEY]).isin(keep)].reset_index(drop=True)
               if kind in ("businesses", "activities") else frame
               for kind, frame in store.current.items()}
    return dataclasses.replace(store, current=current)
