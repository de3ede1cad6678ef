"""Benchmark of a national store: the 3,321 units of the 34 provinces × 10 periods, one file per
report (businesses and activities: 66,420 files, about 1,000,000 businesses rows), synthetic,
built by one ingest per period; the dashboard's scope `all` (TMDT_PROVINCE=all).

    python -m benchmarks.bench_national [--runs 3] [--keep DIR] [--s3]

Medians of --runs, paired in one run on this machine:
  - a server's start to its first page drawn in Chromium (the overview of the whole country), and
    the server's memory (resident set) then;
  - a warm rerun of the national overview and of one province's (AppTest: the script run);
  - every indicator of every unit for one period: pandas (metrics.indicators.unit_values) beside
    the query engine (DuckDB on the same rows in memory);
  - a submission to its figures on the next rerun (submit, the incremental load, the indicators);
  - with --s3: the store on moto's S3 server on 127.0.0.1 — uploading it, a new server's mirror
    brought up to date, and its first load.
Figures go to docs/benchmarks.md (section bench:national)."""

from __future__ import annotations

import os

os.environ["TMDT_PROVINCE"] = "all"  # before the unit list is read

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks.doc import write_section  # noqa: E402
from loaders.access import User  # noqa: E402
from loaders.periods import deadline, from_index, index  # noqa: E402
from loaders.reference import ROOT, units  # noqa: E402
from loaders import remote  # noqa: E402
from loaders.store import LiveStore, find_files, ingest, load_store  # noqa: E402
from loaders.submit import check, submit  # noqa: E402
from metrics.indicators import ratio_sums, unit_values  # noqa: E402
from report.template import make_template  # noqa: E402
from sample_data.generate import _unit_profile, activities_table, businesses_table, write  # noqa: E402

START, END = "<!-- bench:national -->", "<!-- /bench:national -->"
PERIODS = [from_index(i) for i in range(index("2021-H1"), index("2025-H2") + 1)]  # 10 periods
UNIT, NEXT = "11002", "2026-H1"
OFFICER = User("officer@thachkhoi.vn", "officer", frozenset({UNIT}))
sys.path.insert(0, str(ROOT / "tests" / "browser"))


def make_reports(out: Path) -> None:
    """One file per unit, period and kind, not marked synthetic (so that a workbook may join them)."""
    rng = np.random.default_rng(11)
    profile = _unit_profile(rng)
    for period in PERIODS:
        sent = pd.Timestamp(deadline(period)).tz_localize("Asia/Ho_Chi_Minh") - pd.Timedelta(days=2)
        biz = businesses_table(period, profile, rng, 0.035 * (index(period) - index(PERIODS[0])))
        act = activities_table(period, profile, rng)
        (out / period).mkdir(parents=True, exist_ok=True)
        for kind, frame in (("businesses", biz), ("activities", act)):
            for code, rows in frame.groupby("unit_code", sort=False):
                write(rows, out / period / f"{code}_{kind}.parquet", sent, synthetic=False)


def median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def duck_sums(businesses: pd.DataFrame, period: str) -> pd.DataFrame:
    """Σ numerator and denominator of the ratio indicators per unit, by the query engine."""
    con = duckdb.connect()
    con.register("b", businesses)
    return con.execute("""SELECT unit_code, sum(businesses) AS businesses, sum(digital_any) AS digital_any,
        sum(cashless) AS cashless, sum(point_of_sale) AS point_of_sale,
        sum(point_of_sale_informed) AS point_of_sale_informed, sum(online_sellers) AS online_sellers,
        sum(CASE WHEN business_type = 'doanh_nghiep' THEN businesses END) AS enterprises,
        sum(CASE WHEN business_type = 'doanh_nghiep' THEN digital_any END) AS enterprises_digital
        FROM b WHERE period = ? GROUP BY unit_code""", [period]).df()


def server_start(store: Path, province: str, script: str = "app.py", **env: str) -> tuple[float, float]:
    """(seconds from `streamlit run <script>` to the overview drawn in Chromium, its charts too, the
    server's resident MB then)."""
    from browser_harness import Server, app_env, launch, open_page, wait_charts
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        start = time.perf_counter()
        with Server(script=script, env=app_env(TMDT_DATA=str(store), TMDT_PROVINCE=province, **env),
                    log=Path(tempfile.gettempdir()) / "bench-national.log") as server:
            page = browser.new_page()
            open_page(page, server.url, timeout=300_000)
            wait_charts(page, timeout=300_000)
            drawn = time.perf_counter() - start
            rss = sum(_rss(pid) for pid in [server.proc.pid, *_children(server.proc.pid)])
        browser.close()
    return drawn, rss


def server_starts(store: Path, runs: int) -> tuple[float, float, float, float, float]:
    """Medians of (the national store's first page, the server's MB then, the same served by
    dashboard.py alone: no warm-up, no page shell; the bundled sample's first page on a server of
    Hải Phòng alone: what a server start costs with no store to speak of; a bare Streamlit page
    showing one small chart, benchmarks/bare_map.py: what any Streamlit page costs), started in turn."""
    national, plain, sample, bare = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        figure = Path(tmp) / "figure.json"
        figure.write_text(json.dumps({"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}]}), encoding="utf-8")
        for _ in range(runs):
            national.append(server_start(store, "all"))
            plain.append(server_start(store, "all", "dashboard.py")[0])
            sample.append(server_start(ROOT / "sample_data" / "store", "31")[0])
            bare.append(server_start(store, "all", "benchmarks/bare_map.py", BENCH_FIGURE=str(figure))[0])
    return (statistics.median(t for t, _ in national), statistics.median(m for _, m in national),
            statistics.median(plain), statistics.median(sample), statistics.median(bare))


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def _rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def warm_reruns(store: Path, runs: int) -> tuple[float, float]:
    """(warm rerun of the national overview, of Hải Phòng's) in AppTest, seconds."""
    from streamlit.testing.v1 import AppTest

    os.environ["TMDT_DATA"] = str(store)
    out = []
    for province in (None, "31"):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
        if province:
            at.sidebar.selectbox(key="province").select(province).run()
        assert not at.exception, at.exception
        out.append(median(lambda: at.run(), runs)[0])
    del os.environ["TMDT_DATA"]
    return out[0], out[1]


def s3_figures(store: Path) -> dict[str, float]:
    """The store uploaded to moto's S3 server (started here), a new mirror synced, its first load."""
    import boto3

    port = 5099
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        os.environ.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_ACCESS_KEY_ID="test",
                          AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1")
        time.sleep(2)
        client = boto3.client("s3")
        client.create_bucket(Bucket="national")
        files = find_files(store)
        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda f: client.put_object(Bucket="national", Key=f"store/{f.relative_to(store).as_posix()}",
                                                      Body=f.read_bytes(), IfNoneMatch="*"), files))
        upload = time.perf_counter() - start
        os.environ["TMDT_CACHE"] = tempfile.mkdtemp(prefix="bench-mirror-")
        start = time.perf_counter()
        mirror = remote.location("s3://national/store")
        synced = time.perf_counter() - start
        start = time.perf_counter()
        remote.sync(mirror, force=True)  # a server lists the bucket at most every few seconds: timed on its own
        listing = time.perf_counter() - start
        loads = []
        for load in (lambda: LiveStore(mirror).get(),  # a server's first load: every file read, an index kept in the mirror
                     lambda: load_store(mirror)):  # the same server started again: the mirror's index
            remote.remote_of(mirror).synced = time.monotonic()  # just listed: the load reads the mirror alone
            start = time.perf_counter()
            load()
            loads.append(time.perf_counter() - start)
        shutil.rmtree(os.environ.pop("TMDT_CACHE"), ignore_errors=True)
        return {"upload": upload, "sync": synced, "listing": listing, "first": loads[0], "again": loads[1],
                "objects": len(files)}
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="build the store here and keep it")
    parser.add_argument("--s3", action="store_true", help="also on moto's S3 server on 127.0.0.1")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-national-"))
    reports, store = work / "reports", work / "store"
    built = None
    if not store.exists():
        start = time.perf_counter()
        make_reports(reports)
        for period in PERIODS:  # one ingest per period, as the Department would back-fill
            assert ingest([reports / period], store).ok
        built = time.perf_counter() - start
    files = len(find_files(store))

    first, data = median(lambda: load_store(store), args.runs)
    rows = len(data.current["businesses"])
    period = PERIODS[-1]
    biz, act = (data.current[k][data.current[k]["period"] == period] for k in ("businesses", "activities"))
    pandas_one, long = median(lambda: unit_values(biz, act), args.runs)
    pandas_sums, _ = median(lambda: ratio_sums(biz, ["period", "unit_code"]), args.runs)
    duck_one, duck = median(lambda: duck_sums(data.current["businesses"], period), args.runs)
    assert len(duck) == len(units()) == long["unit_code"].nunique()

    previous = data.report(UNIT, period)
    live = LiveStore(store)  # as a server holds the store: the next rerun looks at its folders, not its files
    live.get()
    submits = []  # the first in this process, then as a server's after its first (at least 7: they vary)
    for i in range(max(args.runs, 7) + 1):
        book = make_template(UNIT, NEXT, previous={"businesses": previous[0].assign(businesses=previous[0]["businesses"] + i + 1),
                                                   "activities": previous[1]})
        checked = check(book, f"{UNIT}-{NEXT}.xlsx", UNIT, NEXT)
        start = time.perf_counter()
        assert submit(store, checked, OFFICER).added
        data = live.get()
        b, a = (data.current[k][data.current[k]["period"] == NEXT] for k in ("businesses", "activities"))
        unit_values(b, a)
        submits.append(time.perf_counter() - start)
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    drawn, rss, plain, sample, bare = server_starts(store, args.runs)
    national, province = warm_reruns(store, args.runs)
    s3 = s3_figures(store) if args.s3 else None

    ms = lambda s: f"{s * 1000:,.0f} ms"  # noqa: E731
    lines = [
        START,
        "## National store (`benchmarks/bench_national.py`)",
        "",
        f"The 3,321 units of the 34 provinces × {len(PERIODS)} periods, one file per report ({files:,} files, "
        f"{rows:,} businesses rows), scope `all`; medians of {args.runs} runs (of {len(submits) - 1} for a submission), paired in one run on this 2-core machine"
        + (f"; building it (writing the files, one ingest per period) took {built:,.0f} s." if built else "."),
        "",
        "| what | goal | time |",
        "|---|---|---|",
        f"| a server's start (`streamlit run app.py`) → the national overview drawn in Chromium | ≤ 3 s | {drawn:,.1f} s |",
        f"| … the same served by `streamlit run dashboard.py` (no warm-up, no page shell), in turn with it | | {plain:,.1f} s |",
        f"| … the same for the bundled sample (64 files, Hải Phòng), in turn with it | | {sample:,.1f} s |",
        f"| … a bare Streamlit page showing one small chart (`benchmarks/bare_map.py`), in turn with it | | {bare:,.1f} s |",
        f"| the server's memory then (resident, with its children) | ≤ 2 GB | {rss:,.0f} MB |",
        f"| first load of the store (`load_store`, with its index) | | {ms(first)} |",
        f"| every indicator of every unit, one period: pandas (`unit_values`) | ≤ 0.5 s | {ms(pandas_one)} |",
        f"| … the ratio sums alone: pandas (`ratio_sums`) | | {ms(pandas_sums)} |",
        f"| … the ratio sums alone: DuckDB on the same rows in memory | | {ms(duck_one)} |",
        f"| a submission → its figures on the next rerun (submit, load, indicators) | ≤ 1 s | {ms(statistics.median(submits[1:]))} |",
        f"| … the first in a new process (its ingest compares every file with the index once) | | {ms(submits[0])} |",
        f"| warm rerun, national overview (AppTest script run) | ≤ 150 ms | {ms(national)} |",
        f"| warm rerun, one province's overview (Hải Phòng) | ≤ 150 ms | {ms(province)} |",
        f"| this benchmark's own peak memory (store loaded, indicators) | | {memory:,.0f} MB |",
    ]
    if s3:
        lines += [
            f"| S3 test server: uploading the {s3['objects']:,} objects (8 at once) | | {s3['upload']:,.1f} s |",
            f"| S3: a new server's mirror brought up to date (every object fetched, {remote.FETCHERS} at once) | | {s3['sync']:,.1f} s |",
            f"| S3: listing the bucket's objects (every few seconds on each server; nothing new to fetch) | | {s3['listing']:,.1f} s |",
            f"| S3: that server's first load (no index in the mirror: every file read, then an index kept there) | | {s3['first']:,.1f} s |",
            f"| S3: that server started again (the mirror's index) | | {s3['again']:,.1f} s |",
        ]
    lines += [
        "",
        "How (2026-12-07): the key columns (period, unit, sector, business type) are held as categories of the",
        "reference lists, so grouping a million rows works on integer codes (every indicator of every period",
        "7.2 s → 0.7 s; the current rows 5.3 s → 0.1 s); the index is written as one record batch per kind",
        "and memory-mapped; a rerun stats the store's folders, not its files (a rerun with nothing new: 0.99 s",
        "of stat calls → 0.1 ms), and every file at least every `[data] full_look_seconds`; a submission",
        "chooses the current rows again only for the keys it holds; an index segment's manifest is parsed",
        "once per process (segments are written once); the source note lists the newest 100 files, not all",
        "6,642 of a period (it took 1.3 s of every national rerun). Since the afternoon of 2026-12-07: a",
        "look that finds no folder changed builds nothing (62 ms of every national rerun before), one that",
        "lists a folder again merges each folder's files sorted once instead of sorting 66,000 paths",
        "(0.18 s → 0.05 s); an ingest merges the index's manifests once per list of segments (0.17 s); a",
        "submission's workbook, checked on the page, is not read and checked again by the ingest (about",
        "0.25 s), and the files the ingest reads back for the index are handed to the server's next load",
        "instead of being read a third time (about 0.15 s); a load extends the files' categories without",
        "iterating them (0.11 s). Since the evening of 2026-12-07 (a submission 1.3–1.6 s before):",
        "an ingest compares with the index only the files of the folders its look listed again, of the",
        "index segments added since its process's last ingest and those unsure then (0.2 s for 66,000 files",
        "otherwise: the first ingest of a process still does), and finds bytes the store holds through the",
        "index's hash → path map, not a set of 66,000 hashes and names; a server's next load compares only",
        "the files of the folders listed again; frames are joined a column at a time, categorical ones by",
        "their codes (pandas' concat hashed the 66,000 paths of `snapshot` each time, about 0.2 s a load), and",
        "the current rows a submission replaces are left out in the same copy (masking the million rows first",
        "copied them twice: 0.1–0.5 s, as much as the machine's page faults on new memory); a submission's few rows",
        "find their codes from their own distinct values (a lookup of 66,000 paths cost 18 ms a table); and",
        "the history of a submission is joined when a page first reads it, not before the current figures;",
        "and the snapshots an ingest has just written from a workbook's frames, checked as they came in, are",
        "read back for the index without checking their values again (0.1–0.18 s of pandera's checks), while",
        "a copied Parquet file (its source may have changed since) and a file placed by hand are checked.",
        "Since the night of 2026-12-07 (a submission 0.8–1.0 s before): the current rows a submission keeps",
        "are copied a run at a time (np.compress into the new arrays took 4–13 ms a column of a million rows,",
        "a run's copy well under 1 ms), the files' categories are extended without pandas hashing the",
        "66,000 paths again (40 ms a load), and the merge of the index's segments, once every 32",
        "submissions, takes the newest segments only, not the first one with the 66,000 files and their",
        "million rows (that submission 3.5–4 s → 0.3 s).",
        "",
        "The query engine is measured beside pandas on the same rows in memory rather than on the 66,000",
        "files (reading those is the index's work): on rows already in pandas, DuckDB's registration and",
        "conversion cost more than pandas' group-by on integer codes. On object storage a new server's",
        "mirror has no index yet: the index segments are local to each machine, so a replica's first",
        "start reads every file once; it then keeps an index of them in its mirror, so that its restarts",
        "read that instead (since 2026-12-07).",
        "",
        "The first page's goal is below what any Streamlit page costs here: a bare page showing one small",
        "chart is drawn 3.4–4.1 s after its server starts (the server answers after about 1.8 s: Python,",
        "Streamlit and its server; then the browser loads and runs Streamlit's JavaScript). The rest is",
        "the dashboard's: the bundled sample's page draws later by its imports, its page's elements and",
        "its figures, and the national store's by reading its index and computing 3,321 units' figures.",
        "",
        "What the first page costs: `streamlit run app.py` answers at once and, in a thread, imports the",
        "default page's modules (about 2 s here), reads the store (the first load above) and computes the",
        "overview's figures for the whole scope (about 1.2 s: 3,321 units × 5 targets; 2.0 s before its",
        "rows were built with `vars()` instead of `dataclasses.asdict()`), while the browser loads the page,",
        "which then finds them done or waits for the rest (served by dashboard.py alone, its script does the",
        "same work after the page has loaded: the second row). That work holds one Python interpreter and",
        "cannot run beside itself, so the first page waits for its sum: the imports, 2.4 s of reading",
        "66,000 files' entries (their manifests are JSON: 0.26 s to parse with orjson, 0.45 s with json; 0.7 s to make their",
        "descriptions) and a million rows, and the figures. A submission's time (the workbook checked on",
        "the page before, as an officer does): writing its files and reading them back for the index",
        "(about 0.2 s, the same in any store), the next load (0.13–0.22 s, a third of it one copy of the",
        "million current rows into the new version of the store) and the indicators (about 0.1 s).",
        END,
    ]
    write_section("\n".join(lines), START, END)
    print("\n".join(lines))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
