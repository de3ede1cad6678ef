"""loaders.access (who may do what) and loaders.audit (the append-only log)."""

from __future__ import annotations

import multiprocessing

import pandas as pd
import pytest

from loaders import audit
from loaders.access import User, allowed, local_user
from loaders.spreadsheet import safe_cells


@pytest.mark.parametrize("user, action, unit, expected", [
    (User("a@x.vn", "officer", frozenset({"11002"})), "submit", "11002", True),
    (User("a@x.vn", "officer", frozenset({"11002"})), "submit", "10615", False),  # not its unit
    (User("a@x.vn", "officer", frozenset({"11002"})), "review", None, False),
    (User("d@x.vn", "department", frozenset()), "review", None, True),
    (User("d@x.vn", "department", frozenset()), "submit", "11002", False),
    (User("l@x.vn", "leadership", frozenset()), "submit", "11002", False),
    (User("m@x.vn", "admin", frozenset()), "submit", "10615", True),
    (User("n@x.vn", None, frozenset()), "read", None, False),  # no role: no access yet
    (User("n@x.vn", "nonsense", frozenset({"11002"})), "submit", "11002", False),
])
def test_who_may_do_what(user, action, unit, expected):
    assert allowed(user, action, unit) is expected


def test_without_an_identity_provider_writes_are_refused_unless_open(monkeypatch):
    monkeypatch.delenv("TMDT_OPEN_SUBMIT", raising=False)
    assert not allowed(local_user(), "submit", "11002") and allowed(local_user(), "read")
    monkeypatch.setenv("TMDT_OPEN_SUBMIT", "0")
    assert not allowed(local_user(), "submit", "11002")
    monkeypatch.setenv("TMDT_OPEN_SUBMIT", "1")
    assert allowed(local_user(), "submit", "11002") and allowed(local_user(), "review")


def test_the_log_keeps_every_entry_in_order_and_never_rewrites(tmp_path):
    at = pd.Timestamp("2026-06-25 03:00", tz="UTC")
    audit.record(tmp_path, user="a@x.vn", role="officer", action="submit", result="ok", unit_code="11002",
                 period="2026-H1", file_sha256="ab" * 32, comment="Số liệu mới, đã kiểm tra", at=at)
    before = (tmp_path / audit.FILE).read_bytes()
    audit.record(tmp_path, user="b@x.vn", role="officer", action="submit", result="refused", unit_code="10615",
                 period="2026-H1")
    assert (tmp_path / audit.FILE).read_bytes().startswith(before)  # appended, the first line untouched
    log = audit.read(tmp_path)
    assert log.columns.tolist() == audit.COLUMNS
    assert log[["user", "result", "unit_code"]].values.tolist() == [["a@x.vn", "ok", "11002"], ["b@x.vn", "refused", "10615"]]
    assert log["at"].iloc[0] == at and log["comment"].iloc[0] == "Số liệu mới, đã kiểm tra"
    with pytest.raises(ValueError):
        audit.record(tmp_path, user="x", role="officer", action="delete", result="ok")


def test_an_empty_log_reads_as_no_entries(tmp_path):
    assert audit.read(tmp_path).empty and audit.read(tmp_path).columns.tolist() == audit.COLUMNS


def _append(args):
    store, i = args
    audit.record(store, user=f"u{i}@x.vn", role="officer", action="submit", result="ok", comment="x" * 5000)


def test_entries_written_at_once_stay_whole(tmp_path):
    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.map(_append, [(tmp_path, i) for i in range(40)])
    log = audit.read(tmp_path)
    assert sorted(log["user"]) == sorted(f"u{i}@x.vn" for i in range(40)) and (log["comment"].str.len() == 5000).all()


def test_a_text_that_would_run_as_a_formula_is_written_as_text(tmp_path):
    audit.record(tmp_path, user="=HYPERLINK(\"http://x\")", role="officer", action="submit", result="ok",
                 comment="-2+3", unit_code="11002")
    cells = safe_cells(audit.read(tmp_path))
    assert cells[["user", "comment", "unit_code"]].values.tolist() == [["'=HYPERLINK(\"http://x\")", "'-2+3", "11002"]]
