"""Benchmark of the data core: ingest, load_store, and every indicator and status.

    python -m benchmarks.bench_core [--runs 5] [--periods 291] [--no-big] [--keep DIR]

Times (median of --runs, in seconds):
  (a) `ingest` of the sample's snapshot files into an empty store;
  (b) `load_store` of the bundled sample store (and, once, of the big store);
  (c) metrics.tables.values, scorecard (latest period), by_unit, by_city and reporting, on the
      sample and on a synthetic store of about 1,000,000 businesses rows.

The big store (291 periods × 114 units × 10 sectors × 3 business types = 995,220 rows) is made
with sample_data.generate.build, which models growth from 2025 and so only draws sensible
figures for periods near it: it builds the 16 periods 2018-H2…2026-H1, and every other period
(1881-H1…2018-H1) is a copy of the window's period of the same half, relabelled, with
submitted_at moved by whole years. Each period's files are merged into one on-time roll-up and
one roll-up of the late reports per kind (a roll-up may cover many units in the contract), so the
store stays valid under the contract with ~1,200 files instead of ~5,800; the correction of
2025-H2 stays a file of its own, so history differs from current.

The figures go into docs/benchmarks.md between `<!-- bench:core -->` and `<!-- /bench:core -->`.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loaders.periods import deadline_end, from_index, index, year
from loaders.reference import default_store, settings
from loaders.store import find_files, ingest, load_store
from metrics import tables
from sample_data.generate import PERIODS, build
from benchmarks.doc import write_section

START, END = "<!-- bench:core -->", "<!-- /bench:core -->"
LAST = "2026-H1"
WINDOW = [from_index(i) for i in range(index("2018-H2"), index(LAST) + 1)]  # 16 periods, even


def timed(fn, runs: int) -> tuple[tuple[float, float], object]:
    """(median wall time, median CPU time of this process) of `runs` calls, and the last result.

    CPU time is what the call costs on an idle machine; wall time also counts waiting for a core
    while other processes run."""
    wall, cpu, result = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return (statistics.median(wall), statistics.median(cpu)), result


def metric_calls(data) -> dict:
    period = data.periods[-1]
    return {
        "values (every indicator, unit + city)": lambda: tables.values(data),
        f"scorecard ({period}: values + every status)": lambda: tables.scorecard(data, period),
        "by_unit (every period)": lambda: tables.by_unit(data),
        "by_city (every period)": lambda: tables.by_city(data),
        "reporting": lambda: tables.reporting(data),
    }


def bench_metrics(data, runs: int) -> dict[str, float]:
    out = {name: timed(fn, runs)[0] for name, fn in metric_calls(data).items()}
    out["all of the above"] = tuple(sum(v[i] for v in out.values()) for i in (0, 1))
    return out


# --- the big store ----------------------------------------------------------------------------

def _relabel(table: pa.Table, period: str, years: int) -> pa.Table:
    table = table.set_column(table.schema.get_field_index("period"), "period",
                             pa.array([period] * len(table), pa.string()))
    at = table["submitted_at"].to_pandas() + pd.DateOffset(years=years)
    i = table.schema.get_field_index("submitted_at")
    return table.set_column(i, "submitted_at", pa.array(at, table.schema.field(i).type))


def make_big_store(folder: Path, n_periods: int) -> int:
    """Write the ~1 M-row synthetic store (see the module's docstring) into folder; return its rows."""
    src = folder.parent / f"{folder.name}-window"
    src.mkdir(parents=True)
    build(src, WINDOW)
    # source files per (period, kind, group): group is on_time, late, or the file name for a correction
    groups: dict[tuple, list[pa.Table]] = defaultdict(list)
    meta = None
    for path in sorted(src.glob("*.parquet")):
        table = pq.read_table(path)
        meta = table.schema.metadata
        period = table["period"][0].as_py()
        kind = path.stem.split("_")[1] if "city" not in path.stem else "city_indicators"
        late = pc.max(table["submitted_at"]).as_py() > deadline_end(period).to_pydatetime()
        group = path.name if "corrected" in path.name or kind == "city_indicators" else ("late" if late else "on_time")
        groups[(period, kind, group)].append(table)
    rows = 0
    folder.mkdir(parents=True)
    targets = [from_index(i) for i in range(index(LAST) - n_periods + 1, index(LAST) + 1)]
    for target in targets:
        source = WINDOW[(index(target) - index(WINDOW[0])) % len(WINDOW)]
        years = year(target) - year(source)
        for (period, kind, group), parts in groups.items():
            if period != source:
                continue
            # one file per group: the latest submitted_at of its parts, so late stays late
            last = max(pc.max(t["submitted_at"]).as_py() for t in parts)
            table = pa.concat_tables([t.set_column(t.schema.get_field_index("submitted_at"), "submitted_at",
                                                   pa.array([last] * len(t), t.schema.field("submitted_at").type))
                                      for t in parts])
            table = _relabel(table, target, years).replace_schema_metadata(meta)
            name = re.sub(r"^\d{4}-H[12]", target, group) if group.endswith(".parquet") else f"{target}_{kind}_{group}.parquet"
            pq.write_table(table, folder / name)
            rows += len(table) if kind == "businesses" else 0
    return rows


# --- report -----------------------------------------------------------------------------------

def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, pandas {pd.__version__}, "
            f"pyarrow {pa.__version__}; load average {load:.1f} when the run started")


def section(results: dict, runs: int) -> str:
    lines = [START, "", f"Run `python -m benchmarks.bench_core` ({time.strftime('%Y-%m-%d')}); "
             f"machine: {results['machine']}. Seconds, median of {runs} runs: wall time, and the CPU "
             "time of the benchmark's process (what the step costs on an idle machine; the two differ "
             "when other processes share the cores).", ""]
    for title, figures in results["tables"]:
        lines += [f"**{title}**", "", "| step | wall s | CPU s |", "|---|---:|---:|"]
        lines += [f"| {name} | {wall:.3f} | {cpu:.3f} |" for name, (wall, cpu) in figures.items()]
        lines.append("")
    for note in results["notes"]:
        lines += [note, ""]
    lines.append(END)
    return "\n".join(lines)




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_core", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--periods", type=int, default=291, help="periods of the big store (3,420 rows each)")
    parser.add_argument("--no-big", action="store_true", help="the sample only")
    parser.add_argument("--keep", type=Path, default=None, help="keep the big store in this folder (reused if there)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    results = {"machine": machine(), "tables": [], "notes": []}

    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp) / "sample-files"
        files.mkdir()
        build(files, PERIODS)
        n_files = len(find_files(files))
        stores = iter(Path(tmp) / f"store{i}" for i in range(args.runs))
        ingest_s, _ = timed(lambda: ingest([files], next(stores)), args.runs)
        load_s, sample = timed(lambda: load_store(default_store()), args.runs)
        rows = len(sample.current["businesses"])
        print(f"sample: ingest {ingest_s}, load_store {load_s} (wall, CPU)", flush=True)
        results["tables"].append((f"Sample store ({n_files} files, {rows:,} businesses rows)", {
            f"(a) ingest of the sample's {n_files} files into an empty store": ingest_s,
            "(b) load_store of the sample store": load_s,
            **{f"(c) {k}": v for k, v in bench_metrics(sample, args.runs).items()},
        }))
        print(results["tables"][-1], flush=True)

        if not args.no_big:
            big = args.keep or Path(tmp) / "big"
            # The big store reaches back to 1881 to hold a million rows: far beyond the periods real
            # reports may be for (settings [periods]), which this run widens for itself alone.
            first = from_index(index(LAST) - args.periods + 1)
            settings()["periods"].update(earliest=min(first, settings()["periods"]["earliest"]))
            if not big.exists():
                t = time.perf_counter()
                make_big_store(big, args.periods)
                print(f"big store made in {time.perf_counter() - t:.1f}s", flush=True)
            load_big, data = timed(lambda: load_store(big), 1)
            rows = len(data.current["businesses"])
            print(f"big: load_store {load_big} (wall, CPU), {rows:,} rows", flush=True)
            figures = bench_metrics(data, args.runs)
            results["tables"].append((f"Synthetic store: {rows:,} businesses rows, {len(data.periods)} periods, "
                                      f"{len(data.files):,} files", {
                                          "(b) load_store (one run)": load_big,
                                          **{f"(c) {k}": v for k, v in figures.items()}}))
            print(results["tables"][-1], flush=True)
            results["notes"].append(
                "The big store is 16 periods (2018-H2…2026-H1) built by sample_data.generate.build and relabelled "
                "to the earlier periods, with each period's reports merged into an on-time and a late roll-up "
                "(see the docstring of benchmarks/bench_core.py: build's growth term leaves [0, 1] for periods far "
                "from 2025, so it cannot draw 1880-H1 itself).")
            (wall, cpu), name = max((v, k) for k, v in figures.items() if k != "all of the above")
            every = figures["values (every indicator, unit + city)"]
            results["notes"].append(
                f"Goal (issue \"Data core\"): 1 M rows → every indicator in ≤ 1 s on 2 cores. Every indicator "
                f"(values): {every[0]:.3f} s wall, {every[1]:.3f} s CPU; slowest single call: {name}, "
                f"{wall:.3f} s wall, {cpu:.3f} s CPU.")
    text = section(results, args.runs)
    print(text)
    if not args.no_write:
        write_section(text, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
