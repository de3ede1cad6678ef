"""Page performance of the dashboard (issue 3): figures for docs/benchmarks.md, not timed tests.

    python -m benchmarks.bench_pages [--runs 5] [--no-write]

(a) filter change → map redrawn: in Chromium, on /progress_map, a period picked in the sidebar,
    from the press on the option until the page holds the new map (its SVG paths drawn), on the
    page's own clock; split into the press until the rerun request, the server, the drawing. ≤ 0.5 s,
    and the boundary map ≤ 1.3 × the tile map. Beside it, plotly.js alone (plotly_alone): the same
    two figures drawn as a new map and updated in place on a bare HTML page, the browser's share of
    any redraw, and the boundary map as MapLibre drew it before (white-bg), for comparison.
(b) cold page → map drawn: a new browser context (empty cache) opens /progress_map on a warm
    server, until the map is drawn; beside benchmarks/bare_map.py, a bare Streamlit page showing
    the same figure (saved from the dashboard), the same bare page with the map page's widgets
    (BENCH_CONTROLS), and the page served by `streamlit run dashboard.py` (without app.py's page
    shell), served and measured in the same run, alternately.
    Target ≤ 1.2 × the bare page.
(c) warm rerun of every registered page: AppTest run time after two warm-up runs (caches filled),
    in this process. Target ≤ 150 ms.
(d) map payload: bytes of the map's figure JSON as the server sends it (uncompressed; gzipped
    beside it), and everything the websocket brought for the cold page. Target ≤ 300 KB.
Each with no boundary file (the hexagon tile map) and, when ../shared/geo is there, with the 114
units' boundaries (TMDT_BOUNDARIES). Chromium is Debian's /usr/bin/chromium (tests/browser).

The figures go into docs/benchmarks.md between `<!-- bench:pages -->` and `<!-- /bench:pages -->`.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import logging
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from benchmarks.doc import write_section  # noqa: E402
from charts.maps import TOPOJSON_FILE  # noqa: E402
from loaders.reference import settings  # noqa: E402
from browser_harness import (ARTIFACTS, BOUNDARIES, MAP_PATH, UNITS, VIEWPORT, Server, app_env, is_local,  # noqa: E402
                             launch, open_page, registered_pages, sidebar_widget, wait_idle, wait_map)

START, END = "<!-- bench:pages -->", "<!-- /bench:pages -->"
TARGETS = {"filter": 0.5, "cold_ratio": 1.2, "rerun": 0.150, "payload": 300_000}
MAPLIBRE = "boundary map, MapLibre (the renderer before)"
CONTROLS = "controls"  # the bare page with the map page's widgets (BENCH_CONTROLS)
PLAIN = "plain"  # the same page served by `streamlit run dashboard.py`: no page shell (app.py), for comparison
PERIODS = ("2025-H2", "2026-H1")  # picked in turn; the page opens on the latest, 2026-H1


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def configs() -> dict[str, dict[str, str]]:
    """Label → environment of the app: without boundaries, and with them when they are there."""
    out = {"tile map (no boundaries)": {}}
    if BOUNDARIES.exists():
        out["boundary map (TMDT_BOUNDARIES)"] = {"TMDT_BOUNDARIES": str(BOUNDARIES)}
    return out


# --- server side: AppTest ---------------------------------------------------------------------

def _set_env(env: dict[str, str]) -> None:
    os.environ.pop("TMDT_BOUNDARIES", None)
    os.environ.pop("TMDT_DATA", None)
    os.environ.update(env)


def _by_package(profile: cProfile.Profile) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """Own time by package (project, plotly, streamlit, pandas…), and the project's functions
    with the most cumulative time (the page scripts and dashboard.py left out)."""
    packages: dict[str, float] = defaultdict(float)
    own = []
    for (file, line, name), (_, _, tottime, cumtime, _) in pstats.Stats(profile).stats.items():
        path = Path(file)
        if str(path).startswith(str(ROOT)):
            rel = path.relative_to(ROOT).as_posix()
            packages["project code"] += tottime
            if not rel.startswith(("pages/", "dashboard.py", "benchmarks/")):
                own.append((f"{rel}:{name}", cumtime))
        elif "site-packages" in path.parts:
            packages[path.parts[path.parts.index("site-packages") + 1].split(".")[0]] += tottime
        else:
            packages["python (stdlib, builtins)"] += tottime
    return dict(packages), sorted(own, key=lambda x: -x[1])[:6]


def profiled_run(at) -> cProfile.Profile:
    """One AppTest run under cProfile. The script runs in a thread that AppTest starts for the
    run, so the profiler is switched on from inside that thread, by its first profile event."""
    profile = cProfile.Profile()
    started = threading.Event()

    def hook(*_):
        sys.setprofile(None)
        if not started.is_set():
            started.set()
            profile.enable()

    threading.setprofile(hook)
    try:
        at.run()
    finally:
        threading.setprofile(None)
    return profile


def server_side(runs: int, workdir: Path) -> dict:
    """Warm reruns of every page (the map page per config) with a profile of one more rerun, and
    the map's figure JSON (saved for the bare page)."""
    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    out: dict = {"rerun": {}, "payload": {}, "profile": {}, "errors": {}}
    for label, env in configs().items():
        _set_env(env)
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
        at.run()
        for page in registered_pages():
            if page.name != "progress_map" and label != next(iter(configs())):
                continue  # boundaries change only the map page
            at.switch_page(page.script).run()
            at.run()
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - t)
            if at.exception:
                out["errors"][f"{page.name}, {label}"] = at.exception[0].message
            key = (page.name, label if page.name == "progress_map" else "")
            out["rerun"][key] = stats(times)
            out["profile"][key] = _by_package(profiled_run(at))
            if page.name == "progress_map":
                charts = at.get("plotly_chart")
                if charts:
                    spec = charts[0].proto.spec
                    path = workdir / f"figure-{len(out['payload'])}.json"
                    path.write_text(spec, encoding="utf-8")
                    data = json.loads(spec)["data"]
                    out["payload"][label] = {"bytes": len(spec.encode()), "gzip": len(gzip.compress(spec.encode())),
                                             "traces": len(data), "types": sorted({t.get("type", "scatter") for t in data}),
                                             "file": path, "other": _other_period_figure(at, workdir / f"{path.stem}-b.json")}
                    if "TMDT_BOUNDARIES" in env:  # the renderer before: MapLibre, for plotly.js alone
                        out["maplibre"] = _maplibre_figures(at, workdir)
        print(f"server side, {label}: done", flush=True)
    _set_env({})
    return out


def _maplibre_figures(at, workdir: Path) -> dict[str, Path]:
    """The same map drawn as before the SVG renderer: MapLibre choropleths (the page draws them
    under an online base map), here on the offline "white-bg" style, for both periods."""
    at.selectbox(key="m_style").select(settings()["map"]["online_styles"][0]).run()
    out = {}
    for key, period in (("file", PERIODS[1]), ("other", PERIODS[0])):
        at.sidebar.selectbox(key="period").select(period).run()
        fig = json.loads(at.get("plotly_chart")[0].proto.spec)
        fig["layout"]["map"]["style"] = "white-bg"
        out[key] = workdir / f"maplibre-{key}.json"
        out[key].write_text(json.dumps(fig), encoding="utf-8")
    at.selectbox(key="m_style").select("white-bg").run()
    return out


def _other_period_figure(at, path: Path) -> Path:
    """The map page's figure for the other period of PERIODS, saved to `path` (what a filter change sends)."""
    at.sidebar.selectbox(key="period").select(PERIODS[0]).run()
    path.write_text(at.get("plotly_chart")[0].proto.spec, encoding="utf-8")
    at.sidebar.selectbox(key="period").select(PERIODS[1]).run()
    return path


# --- browser side -----------------------------------------------------------------------------

# When the plotly chunk had arrived (s from navigation), and the JavaScript files loaded (count, bytes).
_RESOURCES_JS = """() => { const js = performance.getEntriesByType('resource').filter(r => r.name.endsWith('.js'));
    const plotly = js.find(r => r.name.includes('PlotlyChart'));
    return {bundle: plotly ? plotly.responseEnd / 1000 : null, js: js.length,
            js_bytes: js.reduce((n, r) => n + r.encodedBodySize, 0)}; }"""


def cold_load(browser, url: str) -> dict:
    """A new context (empty cache) opens `url`: seconds until the map is drawn, websocket bytes
    received by then, when the plotly chunk had arrived and the JavaScript files loaded."""
    context = browser.new_context(viewport=VIEWPORT)
    seen: list[str] = []
    received: list[int] = []
    context.on("request", lambda r: seen.append(r.url))
    page = context.new_page()
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    t = time.perf_counter()
    page.goto(url, wait_until="commit")
    info = wait_map(page, timeout=120_000)
    seconds = time.perf_counter() - t
    resources = page.evaluate(_RESOURCES_JS)
    context.close()
    assert info["locations"] + info["shapes"] == UNITS, info  # boundaries (and the inset) or hexagons
    assert all(is_local(u) for u in seen), [u for u in seen if not is_local(u)]
    return {"seconds": seconds, "ws_bytes": sum(received), **resources}


# In the page, on its own clock (performance.now(), ms): when the pointer last went down (the
# user's click on an option) and when the page next sent a websocket message (the rerun request).
_PRESS_JS = """(() => {
    window.__press = {at: null, sent: null};
    addEventListener('pointerdown', () => { window.__press = {at: performance.now(), sent: null}; }, true);
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (...args) {
        if (window.__press.at !== null && window.__press.sent === null) window.__press.sent = performance.now();
        return send.apply(this, args);
    };
})()"""


def filter_changes(browser, url: str, runs: int) -> dict[str, list[float]]:
    """Per filter change, in seconds: from the press on another period until the map holds the new
    values ("redrawn"), and until the page sent its rerun request ("request"), both on the page's
    clock (_PRESS_JS, wait_map's drawn_at: the test tool's own steps before and after the click
    left out); from that request until the last websocket message of the rerun arrived ("server":
    its script run and the messages' way back); what is left, the browser drawing ("drawing")."""
    import i18n

    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(script=_PRESS_JS)
    page = context.new_page()
    frames: list[tuple[str, float]] = []
    page.on("websocket", lambda ws: (ws.on("framesent", lambda _: frames.append(("sent", time.perf_counter()))),
                                     ws.on("framereceived", lambda _: frames.append(("received", time.perf_counter())))))
    open_page(page, url)
    info = wait_map(page, timeout=120_000)
    label = i18n.t("filters.period", "vi")
    out = defaultdict(list)
    for i in range(runs):
        sidebar_widget(page, label).click()
        option = page.get_by_role("option", name=i18n.fmt_period(PERIODS[i % 2], "vi"), exact=True)
        option.wait_for()
        frames.clear()
        option.click()
        info = wait_map(page, old_values=info["values"])
        press = page.evaluate("window.__press")
        wait_idle(page)
        page.wait_for_timeout(200)
        sent = next(t for kind, t in frames if kind == "sent")
        out["redrawn"].append((info["drawn_at"] - press["at"]) / 1000)
        out["request"].append((press["sent"] - press["at"]) / 1000)
        out["server"].append(max(t for kind, t in frames if kind == "received") - sent)
        out["drawing"].append(out["redrawn"][-1] - out["request"][-1] - out["server"][-1])
    context.close()
    return out


# Draws the saved figures with plotly.js alone; every time is from the call until the map is drawn
# (MapLibre: loaded; SVG: its paths there). "new": Plotly.newPlot on a new div, what Streamlit does when a
# chart's figure changes (it mounts the chart again); "react": Plotly.react on the drawn map, the
# other period's figure (an update in place, the least any redraw costs).
_ALONE_JS = """async ([a, b, runs]) => {
    const figs = await Promise.all([a, b].map(u => fetch(u).then(r => r.json())));
    const config = {topojsonURL: './'};  // the app's empty topology, copied beside the page
    const drawn = gd => new Promise(done => {
        const ready = () => gd._fullLayout.map ? gd._fullLayout.map._subplot.map.loaded()
            : !gd._fullData.some(t => t.type === 'choropleth') || gd.querySelectorAll('path.choroplethlocation').length > 0;
        const check = () => ready() ? requestAnimationFrame(() => done()) : setTimeout(check, 2);
        check();
    });
    const timed = async f => { const t = performance.now(); await f(); return (performance.now() - t) / 1000; };
    const out = {new: [], react: []};
    let gd;
    for (let i = 0; i < runs; i++) {
        if (gd) { Plotly.purge(gd); gd.remove(); }
        gd = document.body.appendChild(document.createElement('div'));
        const f = figs[i % 2];
        out.new.push(await timed(async () => { await Plotly.newPlot(gd, f.data, f.layout, config); await drawn(gd); }));
    }
    for (let i = 0; i < runs; i++) {
        const f = figs[(runs + i) % 2];  // the other period than the one drawn
        out.react.push(await timed(async () => { await Plotly.react(gd, f.data, f.layout, config); await drawn(gd); }));
    }
    return out;
}"""


def plotly_alone(browser, figures: dict[str, dict], runs: int) -> dict[str, dict]:
    """The map figures of both periods drawn by the installed plotly package's own plotly.min.js on
    a bare HTML page (no Streamlit), served from 127.0.0.1, at the dashboard's width: what the
    browser needs for a new map and for an update in place (_ALONE_JS)."""
    import functools
    import shutil
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    import plotly

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", root)
        shutil.copy(ROOT / "static" / "topojson" / TOPOJSON_FILE, root)
        (root / "index.html").write_text('<html><body style="margin:0;width:1180px">'
                                         '<script src="plotly.min.js"></script></body></html>', encoding="utf-8")
        quiet = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *_: None})
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
            page.wait_for_function("() => window.Plotly")
            for label, fig in figures.items():
                names = []
                for i, file in enumerate((fig["file"], fig["other"])):
                    names.append(f"{len(out)}-{i}.json")
                    shutil.copy(file, root / names[-1])
                times = page.evaluate(_ALONE_JS, [*names, runs])
                out[label] = {k: stats(v) for k, v in times.items()}
            context.close()
        finally:
            server.shutdown()
    return out


def bare_script(workdir: Path) -> str:
    """benchmarks/bare_map.py in a folder of its own beside a copy of the app's static/ folder
    (Streamlit serves static/ from beside the script it runs), so the bare page's geo map gets its
    topology from its own server, as the dashboard's does."""
    import shutil

    folder = workdir / "bare"
    shutil.copytree(ROOT / "static", folder / "static", dirs_exist_ok=True)
    shutil.copy(ROOT / "benchmarks" / "bare_map.py", folder)
    return str(folder / "bare_map.py")


def browser_side(runs: int, figures: dict[str, dict], workdir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {"cold": {}, "filter": {}, "first": {}}
    with ExitStack() as stack:
        servers = {}
        for i, (label, env) in enumerate(configs().items()):
            log = ARTIFACTS / f"bench-pages-{i}.log"
            servers[label] = stack.enter_context(Server(env=app_env(**env), log=log))
            servers[f"{PLAIN} {label}"] = stack.enter_context(Server(
                script="dashboard.py", env=app_env(**env), log=log.with_name(f"bench-pages-{i}-plain.log")))
            if label in figures:
                bare_env = app_env(**env, BENCH_FIGURE=str(figures[label]["file"]))
                servers[f"bare {label}"] = stack.enter_context(Server(
                    script=bare_script(workdir), env=bare_env, log=log.with_name(f"bench-pages-{i}-bare.log")))
                servers[f"{CONTROLS} {label}"] = stack.enter_context(Server(
                    script=bare_script(workdir), env={**bare_env, "BENCH_CONTROLS": "1"},
                    log=log.with_name(f"bench-pages-{i}-controls.log")))
        p = stack.enter_context(sync_playwright())
        browser = launch(p)
        stack.callback(browser.close)
        for label in configs():
            # Warm the servers: "/" first (a first request to a page path would run it without
            # dashboard.py while a pages/ folder sits beside it), then the map page.
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            open_page(page, servers[label].url + "/", timeout=180_000)
            t = time.perf_counter()
            open_page(page, servers[label].url + MAP_PATH, timeout=180_000)
            wait_map(page, timeout=120_000)
            out["first"][label] = time.perf_counter() - t
            context.close()
            targets = [(label, servers[label].url + MAP_PATH), (f"{PLAIN} {label}", servers[f"{PLAIN} {label}"].url + MAP_PATH)]
            cold_load(browser, targets[-1][1])  # warm-up (the other server's was the visit above)
            for bare in (f"bare {label}", f"{CONTROLS} {label}"):
                if bare in servers:
                    targets.append((bare, servers[bare].url + "/"))
                    cold_load(browser, targets[-1][1])  # warm-up
            runs_of = defaultdict(list)
            for _ in range(runs):
                for name, url in targets:
                    runs_of[name].append(cold_load(browser, url))
            for name, rs in runs_of.items():
                out["cold"][name] = {"seconds": stats([r["seconds"] for r in rs]),
                                     **{k: statistics.median(r[k] for r in rs) for k in ("ws_bytes", "bundle", "js", "js_bytes")}}
            changes = filter_changes(browser, servers[label].url + MAP_PATH, 2 * runs)
            out["filter"][label] = {**stats(changes.pop("redrawn")), **{k: statistics.median(v) for k, v in changes.items()}}
            print(f"browser, {label}: done", flush=True)
        out["alone"] = plotly_alone(browser, figures, 2 * runs)
    return out


# --- report -----------------------------------------------------------------------------------

def machine() -> str:
    load = os.getloadavg()[0]
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    chromium = " ".join(chromium.split()[:2])
    import plotly
    import streamlit

    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, streamlit {streamlit.__version__}, "
            f"plotly {plotly.__version__}, {chromium}; load average {load:.1f} when the run started")


def ok(value: float, target: float) -> str:
    return "✔" if value <= target else "✘"


def section(server: dict, browser: dict, runs: int, started: str) -> str:
    s = lambda x: f"{x:.3f}"  # noqa: E731
    lines = [START, "", f"Run `python -m benchmarks.bench_pages` ({time.strftime('%Y-%m-%d')}); machine: {started}. "
             "Seconds unless said; median (min–max) of the runs.", ""]
    lines += ["**(a) Filter change → map redrawn** (a period picked in the sidebar of /progress_map, from the press "
              "on the option until the new map is drawn, on the page's clock; target ≤ 0.5 s). Beside it, medians of "
              "its three parts: until the page sends the rerun request; the server, from that request until the "
              "rerun's last message is back; the browser drawing, what is left (less than nothing when the map was drawn "
              "before the rerun's last messages, those of the widgets under it, came back).", "",
              "| map | median | min–max | runs | | press → request | server | drawing |",
              "|---|---:|---:|---:|---|---:|---:|---:|"]
    for label, st_ in browser["filter"].items():
        lines.append(f"| {label} | {s(st_['median'])} | {s(st_['min'])}–{s(st_['max'])} | {st_['n']} | "
                     f"{ok(st_['median'], TARGETS['filter'])} | {s(st_['request'])} | {s(st_['server'])} | "
                     f"{s(st_['drawing'])} |")
    tile, geo = ([browser["filter"].get(k) for k in configs()] + [None])[:2]
    if tile and geo:
        ratio = geo["median"] / tile["median"]
        lines += ["", f"Boundary map ÷ tile map, measured in the same run: {ratio:.2f} ({ok(ratio, 1.3)} target ≤ 1.3)."]
    lines += ["", "The same figures drawn by plotly.js alone (its own plotly.min.js on a bare HTML page, no "
              "Streamlit; until drawn as above): a new map, as Streamlit draws a changed figure, and an update "
              "in place (Plotly.react), the least a redraw can cost with this chart.", "",
              "| map | new map: median | min–max | update in place: median | min–max |", "|---|---:|---:|---:|---:|"]
    for label, a in browser["alone"].items():
        lines.append(f"| {label} | {s(a['new']['median'])} | {s(a['new']['min'])}–{s(a['new']['max'])} | "
                     f"{s(a['react']['median'])} | {s(a['react']['min'])}–{s(a['react']['max'])} |")
    lines += ["", "**(b) Cold page → map drawn** (new browser context, warm server; target ≤ 1.2 × the bare page "
              "showing the same figure)", "",
              "| page | median | min–max | plotly chunk in | JS files | websocket | ratio | |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
    for label in configs():
        page, bare = browser["cold"].get(label), browser["cold"].get(f"bare {label}")
        if page is None:
            continue
        plain = browser["cold"].get(f"{PLAIN} {label}")
        for name, c in ((f"/progress_map, {label}", page), (f"… served by dashboard.py alone, {label}", plain),
                        (f"bare page with the same widgets, {label}", browser["cold"].get(f"{CONTROLS} {label}")),
                        (f"bare page, {label}", bare)):
            if c is None:
                continue
            ratio = c["seconds"]["median"] / bare["seconds"]["median"] if bare else float("nan")
            mark = ok(ratio, TARGETS["cold_ratio"]) if c is page and bare else ""
            lines.append(f"| {name} | {s(c['seconds']['median'])} | {s(c['seconds']['min'])}–{s(c['seconds']['max'])} | "
                         f"{s(c['bundle'])} | {c['js']:.0f} ({c['js_bytes'] / 1e6:.1f} MB) | {c['ws_bytes'] / 1000:,.0f} kB | "
                         f"{ratio:.2f} | {mark} |")
    for label in configs():
        page, bare = browser["cold"].get(label), browser["cold"].get(f"bare {label}")
        if page and bare:
            lines.append(f"\n{label}: the plotly chunk is in at {s(page['bundle'])} s, on the bare page at {s(bare['bundle'])} s "
                         "(there it is fetched when the chart's message comes; app.py's page preloads it), and the page "
                         f"loads {page['js'] - bare['js']:.0f} more JavaScript files "
                         f"({(page['js_bytes'] - bare['js_bytes']) / 1e6:.1f} MB: its widgets).")
    first = ", ".join(f"{label} {s(v)}" for label, v in browser["first"].items())
    lines += ["", f"First map page after the server started (after one visit of /, caches empty): {first}.", ""]
    lines += ["**(c) Warm rerun of each page** (AppTest, caches filled; target ≤ 0.150 s). Where the time goes: "
              "one more rerun under cProfile (which slows it), own time by package, and the project's functions "
              "with the most cumulative time (page scripts left out).", "",
              "| page | median | min–max | | own time by package | project functions (cumulative) |",
              "|---|---:|---:|---|---|---|"]
    for key, st_ in server["rerun"].items():
        name, label = key
        packages, own = server["profile"][key]
        top = ", ".join(f"{k} {v:.2f}" for k, v in sorted(packages.items(), key=lambda x: -x[1])[:4])
        funcs = ", ".join(f"`{f}` {sec:.2f}" for f, sec in own[:3])
        lines.append(f"| {name}{f', {label}' if label else ''} | {s(st_['median'])} | {s(st_['min'])}–{s(st_['max'])} | "
                     f"{ok(st_['median'], TARGETS['rerun'])} | {top} | {funcs} |")
    for where, message in server["errors"].items():
        lines.append(f"\nException in {where}: {message.splitlines()[0] if message else ''}")
    lines += ["", "**(d) Map payload** (the figure JSON of the map as sent; target ≤ 300 KB)", "",
              "| map | traces | JSON | gzipped | |", "|---|---:|---:|---:|---|"]
    for label, p in server["payload"].items():
        lines.append(f"| {label} ({', '.join(p['types'])}) | {p['traces']} | {p['bytes'] / 1000:,.1f} kB | "
                     f"{p['gzip'] / 1000:,.1f} kB | {ok(p['bytes'], TARGETS['payload'])} |")
    lines += ["", f"Load average when the run ended: {os.getloadavg()[0]:.1f} (the machine is shared: figures taken "
              "under load are slower and vary more).", "", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_pages", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page; twice as many filter changes and reruns")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    started = machine()
    with tempfile.TemporaryDirectory() as tmp:
        server = server_side(2 * args.runs, Path(tmp))
        figures = {**server["payload"], **({MAPLIBRE: server["maplibre"]} if "maplibre" in server else {})}
        browser = browser_side(args.runs, figures, Path(tmp))
    text = section(server, browser, args.runs, started)
    print(text)
    if not args.no_write:
        write_section(text, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
