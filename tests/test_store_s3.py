"""The store on S3-compatible object storage (loaders.remote), against moto's S3 server on
127.0.0.1: ingest writes each object once with a conditional write, so that servers and command
lines submitting at once neither lose nor double a report; another machine reads what was stored;
the audit log is one object per entry, never rewritten."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from loaders import audit, remote, store as store_module
from loaders.access import User
from loaders.reference import ROOT
from loaders.remote import location
from loaders.store import ingest, load_store
from loaders.submit import check, submit
from report.template import make_template
from test_workbook import PERIOD, filled

UNITS = ["11002", "10615", "10507"]


def workbook(tmp_path, unit: str = "11002"):
    path = tmp_path / f"bc-{unit}.xlsx"
    path.write_bytes(filled(book_bytes=make_template(unit, PERIOD)))
    return path


def run(*args, cache, **env) -> subprocess.Popen:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TMDT_")}
    return subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=clean | env | {"TMDT_CACHE": str(cache)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_report_ingested_on_one_machine_is_read_on_another(s3_store, tmp_path):
    url, keys = s3_store
    done = run("loaders", "ingest", str(workbook(tmp_path)), "--data", url, cache=tmp_path / "a")
    assert done.wait(120) == 0, done.stdout.read()
    stored = keys()
    assert [k.split("_", 1)[1] for k in stored] == ["bc-11002.xlsx", "bc-11002_activities.parquet",
                                                     "bc-11002_businesses.parquet"]
    out = tmp_path / "city.csv"
    done = run("metrics", "export", "--data", url, "--period", PERIOD, "--by", "city", "--out", str(out),
               cache=tmp_path / "b")
    assert done.wait(120) == 0, done.stdout.read()
    city = pd.read_csv(out).iloc[0]
    # 30 rows of 10 businesses, 6 with a digital channel: 180 / 300
    assert (city["digital_rate__num"], city["digital_rate__den"], city["units_reporting"]) == (180, 300, 1)
    assert not (tmp_path / "b" / url.removeprefix("s3://") / "ingest-").exists()  # the workbook stays remote
    assert keys() == stored  # reading wrote nothing


def test_a_batch_stored_by_another_writer_in_the_meantime_is_not_stored_again(s3_store, tmp_path, monkeypatch):
    url, keys = s3_store
    monkeypatch.setenv("TMDT_CACHE", str(tmp_path / "a"))
    first, book = location(url), workbook(tmp_path)
    assert ingest([book], first).ok and len(keys()) == 3
    # the second server has not seen the first one's objects yet: the conditional write tells it
    monkeypatch.setenv("TMDT_CACHE", str(tmp_path / "b"))
    for module in (remote, store_module):
        monkeypatch.setattr(module, "sync", lambda *a, **k: 0)
    second = location(url)
    result = ingest([book], second)
    assert result.ok and result.added == [] and len(result.already_there) == 1
    assert len(keys()) == 3 and not list(second.rglob("*.parquet"))  # nothing half-stored in its mirror either


def test_submissions_at_once_through_several_writers_are_each_stored_once(s3_store, tmp_path):
    url, keys = s3_store
    books = [workbook(tmp_path, unit) for unit in UNITS]
    procs = [run("loaders", "ingest", str(book), "--data", url, cache=tmp_path / f"c{i}-{n}")
             for i, book in enumerate(books) for n in range(2)]  # every workbook twice, all six at once
    assert [p.wait(180) for p in procs] == [0] * 6, [p.stdout.read() for p in procs]
    stored = keys()
    assert len(stored) == 9 and sum(k.endswith(".xlsx") for k in stored) == 3
    os.environ["TMDT_CACHE"] = str(tmp_path / "reader")
    try:
        data = load_store(location(url))
    finally:
        del os.environ["TMDT_CACHE"]
    current = data.current["businesses"]
    assert sorted(current["unit_code"].unique()) == sorted(UNITS) and len(current) == 90  # 30 rows each, once


def test_the_audit_log_is_one_object_per_entry_read_in_order_elsewhere(s3_store, tmp_path, monkeypatch):
    url, keys = s3_store
    monkeypatch.setenv("TMDT_CACHE", str(tmp_path / "a"))
    store = location(url)
    officer = User("a@x.vn", "officer", frozenset({"11002"}))
    submit(store, check(workbook(tmp_path).read_bytes(), "bc.xlsx", "11002", PERIOD), officer)
    other = check(workbook(tmp_path, "10615").read_bytes(), "bc.xlsx", "10615", PERIOD)
    with pytest.raises(Exception):
        submit(store, other, officer)  # not the officer's unit: refused, and recorded
    entries = [k for k in keys() if "/audit/" in k]
    assert len(entries) == 2
    monkeypatch.setenv("TMDT_CACHE", str(tmp_path / "b"))
    log = audit.read(location(url))
    assert log[["unit_code", "result", "reason"]].values.tolist() == [
        ["11002", "ok", ""], ["10615", "refused", "submit.not_yours"]]
    assert log["at"].is_monotonic_increasing


def test_a_batch_left_half_stored_by_a_writer_that_died_is_completed_by_the_next(s3_store, tmp_path, monkeypatch):
    import hashlib

    import boto3

    url, keys = s3_store
    book = workbook(tmp_path)
    digest = hashlib.sha256(book.read_bytes()).hexdigest()
    batch = f"ingest-{hashlib.sha256(digest.encode()).hexdigest()[:12]}"
    bucket, prefix = url.removeprefix("s3://").split("/", 1)
    claim = f"{prefix}/{batch}/{digest[:16]}_{book.name}"
    boto3.client("s3").put_object(Bucket=bucket, Key=claim, Body=book.read_bytes())  # the workbook, then it died
    monkeypatch.setenv("TMDT_CACHE", str(tmp_path / "a"))
    result = ingest([book], location(url))  # just after: the other writer may still be at work
    assert result.already_there and keys() == [claim]
    monkeypatch.setattr(remote, "COMPLETE_AFTER", -1.0)  # long after
    monkeypatch.setenv("TMDT_CACHE", str(tmp_path / "b"))
    for module in (remote, store_module):
        monkeypatch.setattr(module, "sync", lambda *a, **k: 0)
    assert ingest([book], location(url)).already_there
    assert [k.removeprefix(f"{prefix}/{batch}/{digest[:16]}_") for k in keys()] == [
        "bc-11002.xlsx", "bc-11002_activities.parquet", "bc-11002_businesses.parquet"]


def test_a_server_on_a_new_mirror_reads_every_file_once_then_its_restart_reads_the_mirror_index(
        s3_store, tmp_path, monkeypatch):
    url, keys = s3_store
    for unit in UNITS:
        done = run("loaders", "ingest", str(workbook(tmp_path, unit)), "--data", url, cache=tmp_path / f"w{unit}")
        assert done.wait(120) == 0, done.stdout.read()
    stored = keys()
    monkeypatch.setenv("TMDT_CACHE", str(tmp_path / "replica"))
    mirror = location(url)
    read = []
    real = store_module._read_stored
    monkeypatch.setattr(store_module, "_read_stored", lambda root, paths, handed=None: read.extend(paths) or real(root, paths, handed))
    first = store_module.LiveStore(mirror).get()
    assert len(read) == 2 * len(UNITS)  # a new mirror has no index: every snapshot read from its bytes
    read.clear()
    again = store_module.LiveStore(mirror).get()  # the replica started again
    assert read == [] and len(again.current["businesses"]) == len(first.current["businesses"]) == 30 * len(UNITS)
    assert keys() == stored  # the index stays in this machine's mirror: nothing written to the bucket
