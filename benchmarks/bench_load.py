"""Under load: 25 signed-in sessions opening pages and 5 officers submitting at once, against one
dashboard server, for a bounded time, on localhost.

    python -m benchmarks.bench_load [--readers 25] [--officers 5] [--seconds 60] [--no-write]

One server signs in with an OpenID Connect provider started on 127.0.0.1 (oidc-provider-mock);
one Debian Chromium holds every session, each in a browser context of its own (its own cookies),
driven at once through Playwright's async API. Each reader signs in (leadership or Department),
then opens the pages its role has in turn, each as a page load (a link followed: a new Streamlit
session), reading each for --think seconds, until the time is up.
Once the readers are under way, the officers (of five units) sign in, open /submit, upload their
unit's workbook (prefilled with the unit's latest report) and press Submit, all within a second.

Checked: no page shows an error (Streamlit's exception box), every submission is stored exactly
once (one businesses and one activities snapshot per unit, one `submit ok` line per officer in the
audit log), no request leaves localhost (but the test provider's own login page's). Reported: page
opens under load (median, 95th percentile), Submit → "stored" times, the server's memory (resident
set size: at start, peak, end). The browser runs on the same 2 cores as the server: the figures
are those of a server sharing its machine with 30 clients.

The figures go into docs/benchmarks.md between `<!-- bench:load -->` and `<!-- /bench:load -->`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from benchmarks.doc import write_section  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from browser_harness import (APP_IDLE, CHROMIUM, CHROMIUM_ARGS, MAIN_ELEMENT, VIEWPORT, app_env, is_local,  # noqa: E402
                             oidc_provider, registered_pages, signin_server)
from loaders import periods  # noqa: E402
from loaders.store import ingest, load_store  # noqa: E402
from report.template import make_template  # noqa: E402
from sample_data.generate import build  # noqa: E402

START, END = "<!-- bench:load -->", "<!-- /bench:load -->"
OFFICER_UNITS = ["11002", "10633", "10615", "10525", "11311"]
ERROR_BOX = '[data-testid="stException"]'
TIMEOUT = 120_000
RECLICK_MS = 15_000  # a navigation click that started no run by then is clicked again (counted)  # ms, for any one step of a session: a failure, not a slow page, when it runs out


def make_store(folder: Path) -> Path:
    """A store of real-looking reports (the sample's periods, not marked synthetic: the sample
    store itself takes no write)."""
    files = folder / "files"
    files.mkdir()
    build(files)
    for f in files.rglob("*.parquet"):
        pq.write_table(pq.read_table(f).replace_schema_metadata(None), f)
    store = folder / "store"
    assert ingest([files], store).ok
    return store


def workbooks(store: Path, folder: Path, period: str) -> dict[str, Path]:
    """Each officer's workbook for `period`, prefilled with the unit's latest report (so no
    plausibility warning asks for a confirmation)."""
    data, out = load_store(store), {}
    for unit in OFFICER_UNITS:
        latest = [p for p in data.periods if not data.report(unit, p)[0].empty][-1]
        biz, act = data.report(unit, latest)
        out[unit] = folder / f"bc-{unit}.xlsx"
        out[unit].write_bytes(make_template(unit, period, "vi", {"businesses": biz, "activities": act}))
    return out


class Memory(threading.Thread):
    """The server's resident set size, sampled every 0.2 s (from /proc, in MB)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.done = pid, [], threading.Event()

    def rss(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu(self) -> float:
        """CPU seconds the server has used (user + system, every thread)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def machine() -> tuple[float, float]:
        """(busy, total) CPU seconds of the whole machine since boot (/proc/stat)."""
        ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = ticks[3] + ticks[4]  # idle, iowait
        hz = os.sysconf("SC_CLK_TCK")
        return (sum(ticks) - idle) / hz, sum(ticks) / hz

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.samples.append(self.rss())


async def idle(tab) -> None:
    await tab.wait_for_selector(APP_IDLE, state="attached")
    await tab.wait_for_selector(MAIN_ELEMENT, state="attached")


async def sign_in(tab, app: str, provider: str, sub: str) -> None:
    await tab.goto(app, wait_until="domcontentloaded")
    await idle(tab)
    await tab.get_by_role("button", name="Đăng nhập").click()
    await tab.wait_for_url(f"{provider}/**")
    await tab.locator(f'button[name="sub"][value="{sub}"]').click()
    await tab.wait_for_url(f"{app}/**")
    await idle(tab)
    await tab.get_by_text(f"Đăng nhập: {sub}").wait_for()


class Run:
    def __init__(self, browser, app: str, provider: str):
        self.browser, self.app, self.provider = browser, app, provider
        self.opens: list[tuple[str, float]] = []
        self.errors: list[str] = []
        self.submits: list[float] = []
        self.external: set[str] = set()

    async def session(self):
        ctx = await self.browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        ctx.set_default_timeout(TIMEOUT)
        tab = await ctx.new_page()
        tab.on("request", lambda r: None if is_local(r.url) or (r.frame.url if r.frame else "").startswith(self.provider)
               else self.external.add(r.url))
        return ctx, tab

    async def reader(self, sub: str, role: str, offset: int, seconds: float, think: float) -> None:
        ctx, tab = await self.session()
        try:
            await sign_in(tab, self.app, self.provider, sub)
            until = time.monotonic() + seconds
            pages = [p.url_path for p in registered_pages(role)]
            i = offset
            while time.monotonic() < until:
                path = pages[(i + 1) % len(pages)]  # not the one the sign-in opened
                t = time.perf_counter()
                try:
                    await tab.goto(self.app + path, wait_until="domcontentloaded")
                    await idle(tab)
                except PlaywrightTimeout:
                    self.errors.append(f"{sub} {path}: not drawn in {TIMEOUT / 1000:.0f} s")
                    continue
                self.opens.append((path, time.perf_counter() - t))
                if await tab.locator(ERROR_BOX).count():
                    self.errors.append(f"{sub} {path}: {(await tab.locator(ERROR_BOX).first.inner_text())[:300]}")
                i += 1
                await asyncio.sleep(think)  # reading the page
        finally:
            await ctx.close()

    async def officer(self, sub: str, unit: str, period: str, book: Path, go: asyncio.Event, ready: list) -> None:
        ctx, tab = await self.session()
        try:
            await sign_in(tab, self.app, self.provider, sub)
            await tab.goto(f"{self.app}/submit?unit={unit}&period={period}", wait_until="domcontentloaded")
            await idle(tab)
            await tab.get_by_role("tab", name="2. Tải tệp đã điền lên").click()
            await tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(book))
            await tab.get_by_text("Không có lỗi").wait_for()
            ready.append(sub)
            await go.wait()  # every officer has its workbook checked: Submit, all at once
            t = time.perf_counter()
            await tab.get_by_role("button", name="Nộp báo cáo").click()
            await tab.get_by_text("Đã lưu báo cáo").wait_for()
            self.submits.append(time.perf_counter() - t)
            if await tab.locator(ERROR_BOX).count():
                self.errors.append(f"{sub} /submit: {(await tab.locator(ERROR_BOX).first.inner_text())[:300]}")
        finally:
            await ctx.close()


async def drive(app: str, provider: str, readers: list[tuple[str, str]], officers: list[tuple[str, str]],
                period: str, books: dict[str, Path], seconds: float, think: float) -> Run:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        # 30 windows in one browser: none may be backgrounded as hidden or occluded (its timers and
        # frames slowed), as a user's window in front of them is not.
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            *CHROMIUM_ARGS, "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"])
        run = Run(browser, app, provider)
        go, ready = asyncio.Event(), []
        tasks = [asyncio.create_task(run.reader(sub, role, i, seconds, think)) for i, (sub, role) in enumerate(readers)]
        tasks += [asyncio.create_task(run.officer(sub, unit, period, books[unit], go, ready)) for sub, unit in officers]

        async def start_when_ready():
            while len(ready) < len(officers) and not any(t.done() and t.exception() for t in tasks):
                await asyncio.sleep(0.1)
            go.set()

        outcomes = await asyncio.gather(start_when_ready(), *tasks, return_exceptions=True)
        run.errors += [f"{type(e).__name__}: {str(e).splitlines()[0]}" for e in outcomes if isinstance(e, Exception)]
        await browser.close()
        return run


def check_store(store: Path, period: str, officers: list[tuple[str, str]]) -> list[str]:
    """What is wrong with the store after the run: each officer's report stored once, logged once."""
    data, wrong = load_store(store), []
    for kind in ("businesses", "activities"):
        history = data.history[kind]
        for sub, unit in officers:
            files = history.loc[(history["unit_code"] == unit) & (history["period"] == period), "snapshot"].nunique()
            if files != 1:
                wrong.append(f"{unit} {kind}: {files} snapshots for {period}")
    lines = [json.loads(line) for line in (store / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    for sub, unit in officers:
        n = sum(e["user"] == sub and e["action"] == "submit" and e["result"] == "ok" for e in lines)
        if n != 1:
            wrong.append(f"{sub}: {n} submissions logged")
    return wrong


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load", description=__doc__.split("\n")[0])
    parser.add_argument("--readers", type=int, default=25)
    parser.add_argument("--officers", type=int, default=5, choices=range(1, len(OFFICER_UNITS) + 1))
    parser.add_argument("--seconds", type=float, default=60, help="how long the readers open pages")
    parser.add_argument("--think", type=float, default=5, help="seconds a reader spends on a page before the next")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    period = periods.containing(datetime.now(periods.timezone()).date())  # the open period, as /submit has it
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = make_store(folder)
        books = workbooks(store, folder, period)
        readers = [(f"xem{i:02}@haiphong.vn", "leadership" if i % 5 else "department") for i in range(args.readers)]
        officers = [(f"can.bo.{u}@haiphong.vn", u) for u in OFFICER_UNITS[:args.officers]]
        users = [{"sub": s, "email": s, "tmdt_role": r} for s, r in readers]
        users += [{"sub": s, "email": s, "tmdt_role": "officer", "tmdt_units": [u]} for s, u in officers]
        with oidc_provider(users) as provider, \
                signin_server(folder, provider, app_env(TMDT_DATA=str(store)), log=folder / "server.log") as server:
            memory = Memory(server.proc.pid)
            start_mb, start_cpu, start_machine = memory.rss(), memory.cpu(), memory.machine()
            memory.start()
            t = time.perf_counter()
            run = asyncio.run(drive(server.url, provider, readers, officers, period, books, args.seconds, args.think))
            wall = time.perf_counter() - t
            memory.done.set()
            memory.join()
            end_mb, cpu = memory.rss(), memory.cpu() - start_cpu
            busy, total = (b - a for a, b in zip(start_machine, memory.machine()))
            server_errors = [line for line in server.log_tail(200_000).splitlines() if "Traceback" in line]
        wrong = check_store(store, period, officers)
    opens = [s for _, s in run.opens]
    ok = not (run.errors or wrong or run.external or server_errors) and len(run.submits) == len(officers)
    rows = [
        ("Sessions", f"{args.readers} readers (leadership, Department) + {len(officers)} officers, each signed in"),
        ("Run", f"{wall:.0f} s (readers open pages for {args.seconds:.0f} s after signing in)"),
        ("Page opens", f"{len(opens)}: median {statistics.median(opens):.2f} s, 95th percentile {pct(opens, 0.95):.2f} s, "
                       f"slowest {max(opens):.2f} s" if opens else "none"),
        ("Submissions", f"{len(run.submits)}/{len(officers)} stored, Submit → stored: median "
                        f"{statistics.median(run.submits):.2f} s, slowest {max(run.submits):.2f} s" if run.submits else "none"),
        ("Each stored once", "yes" if not wrong else "; ".join(wrong)),
        ("Errors", f"{len(run.errors)} on pages, {len(server_errors)} tracebacks in the server's log"),
        ("Requests leaving localhost", str(len(run.external))),
        ("Server CPU", f"{cpu:.0f} s over the {wall:.0f} s run (on average {cpu / wall:.2f} of a core); the machine's {os.cpu_count()} cores "
                       f"were {busy / total:.0%} busy (the server, the provider and Chromium)"),
        ("Server memory (RSS)", f"{start_mb:.0f} MB at start, {max(memory.samples or [end_mb]):.0f} MB peak, {end_mb:.0f} MB at the end"),
    ]
    for label, value in rows:
        print(f"{label}: {value}")
    for e in run.errors[:5]:
        print("error:", e)
    text = "\n".join([
        START, "## Under load (`benchmarks/bench_load.py`)", "",
        f"One server, one store, {platform.machine()}, {len(os.sched_getaffinity(0))} cores; "
        f"one Chromium on the same machine holds every session. Result: **{'no error' if ok else 'FAILED'}**.", "",
        "| | |", "|---|---|", *[f"| {label} | {value} |" for label, value in rows], "",
        f"Every session signs in through the OpenID Connect provider (oidc-provider-mock on 127.0.0.1), then a reader "
        f"opens its role's pages in turn, each as a page load (a new Streamlit session, the costlier way), {args.think:g} s "
        "on each (a page open: from the request until the page's script has finished and drawn). The officers press "
        "Submit within the same second; ingest takes the store's lock, so their reports are stored one after another, "
        "each once. The page opens are as slow as the machine is busy: the 30 browser windows draw every page "
        "(plotly charts, the data grid) on the same 2 cores, while the server itself used the share of a core "
        "given above; on an intranet each user's browser draws on the user's own PC.", END])
    if not args.no_write:
        write_section(text, START, END)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
