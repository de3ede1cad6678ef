"""Benchmark of the review deck: the whole city deck of the sample's latest period.

    python -m benchmarks.bench_deck [--runs 3] [--no-write]

Times, in seconds:
  (a) cold, end to end: `python -m metrics report --out deck.pptx` (and .pdf, .xlsx) in a fresh
      process: imports, load_store, the slides' metrics, one Chromium started, every chart
      rendered, the file written. The budget is 15 s for the .pptx on 2 cores.
  (b) in one process, the steps (median of --runs after a first run): the first chart of the
      process (Chromium starts: once per process), build_deck (metrics), the charts as PNG (one
      browser, many images), writing the .pptx, the .pdf and the .xlsx.
The figures go into docs/benchmarks.md between `<!-- bench:deck -->` and `<!-- /bench:deck -->`.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import plotly.graph_objects as go

from loaders.reference import ROOT, default_store
from loaders.store import load_store
from metrics.indicators import View
from report import build, render
from report.content import build_deck
from report.pdf import write_pdf
from report.pptx import write_pptx
from report.xlsx import write_xlsx
from benchmarks.doc import write_section

START, END = "<!-- bench:deck -->", "<!-- /bench:deck -->"
BUDGET = 15.0


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def median(fn, runs: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(runs))


def cold(suffix: str) -> tuple[float, float]:
    """(wall time, CPU time of the process and its children, Chromium included) of the command
    line in a fresh process, on the default sample store."""
    env = {k: v for k, v in os.environ.items() if k != "TMDT_DATA"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"deck{suffix}"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "metrics", "report", "--out", str(out)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, load average {load}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_deck", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    args = parser.parse_args(argv)

    cold_times = {suffix: cold(suffix) for suffix in (".pptx", ".pdf", ".xlsx")}
    data = load_store(default_store())
    period = data.periods[-1]
    steps = {}
    tiny = go.Figure(go.Bar(y=[1, 2]))
    steps["first chart of a process (Chromium starts)"], _ = timed(lambda: render.png(tiny, 200, 100))
    deck = build_deck(data, period)
    images = build.images(deck)
    steps["build_deck (the slides' metrics)"] = median(lambda: build_deck(data, period), args.runs)
    steps[f"charts as PNG ({len(images)} figures, one browser)"] = median(lambda: build.images(deck), args.runs)
    steps["write .pptx"] = median(lambda: write_pptx(deck, images, io.BytesIO()), args.runs)
    steps["write .pdf"] = median(lambda: write_pdf(deck, images, io.BytesIO()), args.runs)
    steps["write .xlsx (its own metrics included)"] = median(
        lambda: write_xlsx(data, period, View(), "vi", io.BytesIO()), args.runs)

    lines = [START, "## Review deck (`benchmarks/bench_deck.py`)", "",
             f"Sample store, period {period}, {len(deck.slides)} slides. {machine()} (other work was running on "
             f"the machine: the load average says how busy it was).", "",
             "| cold, fresh process (`python -m metrics report --out …`) | wall, s | CPU (user + sys), s |",
             "|---|---:|---:|"]
    lines += [f"| {suffix} | {wall:.1f} | {cpu:.1f} |" for suffix, (wall, cpu) in cold_times.items()]
    wall, cpu = cold_times[".pptx"]
    lines += ["", f"Budget for the whole city deck (.pptx, cold, 2 cores): {BUDGET:.0f} s — "
                  f"{'met' if wall <= BUDGET else 'NOT met'} ({wall:.1f} s wall, {cpu:.1f} s of CPU in all, Chromium "
                  f"included: the CPU time is what the deck costs whatever else the machine is doing).", "",
              f"| step, warm process (median of {args.runs}) | seconds |", "|---|---:|"]
    lines += [f"| {name} | {t:.2f} |" for name, t in steps.items()]
    lines += ["", "One Chromium serves every chart (kaleido.start_sync_server once); each further chart costs a "
                  "fraction of a second.", END]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(text, START, END)
    render.stop()
    return 0




if __name__ == "__main__":
    sys.exit(main())
