"""Drive the dashboard in a real Chromium: start `streamlit run` on a free port, open a page, wait
until its script has finished, and read the plotly figures the browser holds.

Shared by tests/browser (conftest.py) and benchmarks/bench_pages.py. Debian's /usr/bin/chromium is
driven by the Python playwright package; `playwright install` is never needed (nor possible offline).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("TMDT_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium calls Google's hosts at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BOUNDARIES = ROOT.parent / "shared" / "geo" / "haiphong_units.geojson"
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
# Schemes that never touch the network.
LOCAL_SCHEMES = {"data", "blob", "about"}
VIEWPORT = {"width": 1440, "height": 1000}
MAP_PATH = "/progress_map"  # the page with the progress map
UNITS = 114  # config/units.csv: 67 xã + 45 phường + 2 đặc khu
# Environment variables of the app that a test run must not inherit from the developer's shell.
APP_ENV = ("TMDT_BOUNDARIES", "TMDT_DATA")


# --- what the page registry holds (config/pages.toml, read by dashboard.py) ------------------

@dataclass(frozen=True)
class Page:
    script: str  # "pages/progress_map.py"
    url: str  # "progress_map"
    title_key: str  # i18n key of its title in the navigation
    default: bool

    @property
    def name(self) -> str:
        return self.url

    @property
    def url_path(self) -> str:
        """Streamlit serves the default page only at "/"."""
        return "/" if self.default else f"/{self.url}"


def registered_pages(role: str = "reader") -> list[Page]:
    """The pages the navigation offers `role` (the default: a dashboard without sign-in, read-only)."""
    from loaders.reference import pages

    return [Page(p["file"], p["url"], p["title"], p["default"]) for p in pages() if role in p["roles"]]


# --- a streamlit server -----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(**extra: str) -> dict[str, str]:
    """The environment of a server: this one, less the app's own variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in APP_ENV}
    env.update(extra)
    return env


@dataclass
class Server:
    """`streamlit run <script>` from the repo root on a free port; use as a context manager."""

    script: str = "app.py"  # the server as users start it (app.py serves dashboard.py)
    env: dict[str, str] = field(default_factory=app_env)
    log: Path | None = None
    port: int = 0  # 0: a free one
    args: tuple[str, ...] = ()  # more options of `streamlit run`, e.g. ("--secrets.files", PATH)
    base: str = ""  # the server's base path ("/tmdt" with ("--server.baseUrlPath", "tmdt") in args)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}{self.base}"

    def __enter__(self) -> "Server":
        self.port = self.port or free_port()
        log = self.log or ARTIFACTS / f"streamlit-{Path(self.script).stem}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
                 "--server.headless", "true", *self.args],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"streamlit did not answer in {timeout} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-n:] if self.log else ""

    def stop(self) -> None:
        """End the server and whatever it started (its own process group)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def __exit__(self, *exc) -> None:
        self.stop()


# --- sign-in: an OpenID Connect provider on loopback ------------------------------------------

@contextmanager
def oidc_provider(users: list[dict]) -> Iterator[str]:
    """oidc-provider-mock on a free port of 127.0.0.1 with these users (claims, each with "sub");
    yields its URL. Its login page lists each user as a button `button[name="sub"][value=SUB]`."""
    exe = shutil.which("oidc-provider-mock", path=str(Path(sys.executable).parent)) or shutil.which("oidc-provider-mock")
    port = free_port()
    args = [exe or "oidc-provider-mock", "-H", "127.0.0.1", "-p", str(port)]
    for user in users:
        args += ["--user-claims", json.dumps(user)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > end or proc.poll() is not None:
                    raise RuntimeError("oidc-provider-mock did not start")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def signin_server(folder: Path, provider: str, env: dict[str, str], log: Path | None = None) -> Server:
    """A dashboard server that signs in with `provider`: its secrets file written into `folder`
    (never the repository's .streamlit/), for the port the server will listen on."""
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(f"""[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "a-cookie-secret-for-this-test-run-only-0123456789"
client_id = "tmdt-test"
client_secret = "tmdt-test-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""", encoding="utf-8")
    return Server(env=env, port=port, log=log, args=("--secrets.files", str(secrets)))


# --- the browser ------------------------------------------------------------------------------

def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS


APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Every page writes at least the synthetic-data banner in the main area.
MAIN_ELEMENT = '[data-testid="stMain"] [data-testid="stElementContainer"]'


def wait_idle(page, timeout: float = 60_000) -> None:
    """Until the script run has finished and the main area holds something."""
    page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout)
    page.wait_for_selector(MAIN_ELEMENT, state="attached", timeout=timeout)


def open_page(page, url: str, timeout: float = 60_000) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_idle(page, timeout)


def screenshot(page, path: Path, max_height: int = 8000) -> None:
    """The whole page, once every element has been drawn (no loading placeholder left): Streamlit
    scrolls inside its main area, so the window is made as tall as the content for the shot (up
    to `max_height` px), then set back."""
    page.wait_for_function("""() => !document.querySelector('[data-testid^="stSkeleton"]')""", timeout=30_000)
    height = page.evaluate("""() => Math.max(...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']
        .map(s => document.querySelector(s)).filter(e => e && e.getBoundingClientRect().right > 0)
        .map(e => e.scrollHeight))""")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(size["height"], height), max_height)})
    try:
        page.wait_for_timeout(300)  # charts follow the new window size
        page.screenshot(path=path)
    finally:
        page.set_viewport_size(size)


def assert_no_error(page) -> None:
    """No exception box of Streamlit's and no traceback anywhere on the page."""
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, boxes.first.inner_text()[:3000]
    assert "Traceback" not in page.locator("body").inner_text()


# Every plotly chart of the page has been drawn (a MapLibre map: its canvas has loaded).
_CHARTS_DRAWN_JS = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).every(c => {
    const gd = c.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout) return false;
    const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
    return !sub || (!!sub.map && sub.map.loaded());
})"""


def wait_charts(page, timeout: float = 30_000) -> None:
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout)


# The first map on the page, as the browser holds it (gd.data), or null when there is none:
#   locations — units of choropleth traces (a boundary map: their `locations`);
#   shapes    — closed shapes: layout path shapes, and filled scatter traces (one per run of
#               points between null gaps),
#   hexagons  — those of them with six distinct corners (the tile map's cells);
#   markers   — points drawn with a hexagon marker symbol;
#   values    — what colours it: z of choropleth traces, else marker colours and fill colours
#               (of traces and shapes);
#   types     — the trace types; maplibre — a MapLibre map whose canvas has finished loading;
#   svg       — SVG paths of geo choropleths drawn (path.choroplethlocation); canvases — canvas elements.
_MAP_INFO_JS = """(() => {
    const plain = v => (ArrayBuffer.isView(v) ? Array.from(v) : (v ?? []));
    const runs = t => {
        const xs = plain(t.x ?? t.lon), ys = plain(t.y ?? t.lat), out = [];
        xs.forEach((x, i) => {
            if (x === null) return;
            if (i === 0 || xs[i - 1] === null) out.push([]);
            out[out.length - 1].push(x + ',' + ys[i]);
        });
        return out;
    };
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        const data = gd.data || [];
        let locations = 0, shapes = 0, hexagons = 0, markers = 0;
        const values = [];
        for (const t of data) {
            const type = t.type || 'scatter';
            if (type.startsWith('choropleth')) locations += plain(t.locations).length;
            if (t.fill === 'toself') for (const r of runs(t)) { shapes += 1; if (new Set(r).size === 6) hexagons += 1; }
            if (JSON.stringify((t.marker || {}).symbol ?? '').includes('hexagon')) markers += plain(t.x ?? t.lon).length;
            if ('z' in t) values.push(...plain(t.z));
            else {
                const c = (t.marker || {}).color;
                if (Array.isArray(c) || ArrayBuffer.isView(c)) values.push(...plain(c));
                else values.push(c ?? null, t.fillcolor ?? null);
            }
        }
        for (const s of ((gd.layout || {}).shapes || [])) {
            if (s.type !== 'path' || !(s.path || '').endsWith('Z')) continue;
            shapes += 1;
            if (new Set(s.path.slice(1, -1).split('L')).size === 6) hexagons += 1;
            values.push(s.fillcolor ?? null);
        }
        if (!(locations || shapes || markers)) continue;
        const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
        const maplibre = !!(sub && sub.map && gd.querySelector('canvas.maplibregl-canvas') && sub.map.loaded());
        const svg = gd.querySelectorAll('path.choroplethlocation').length;
        const canvases = gd.querySelectorAll('canvas').length;
        return {locations, shapes, hexagons, markers, maplibre, svg, canvases, types: data.map(t => t.type || 'scatter'),
                values: values.map(v => (typeof v === 'number' && !isFinite(v)) ? null : v)};
    }
    return null;
})()"""


def map_info(page) -> dict | None:
    """The first map on the page (see _MAP_INFO_JS for its keys), or None."""
    return page.evaluate(f"() => {_MAP_INFO_JS}")


def wait_map(page, old_values: list | None = None, maplibre: bool = False, timeout: float = 30_000) -> dict:
    """Until a map is drawn (with `maplibre`, until its MapLibre canvas has loaded; a geo map, until
    each of its locations is an SVG path); with `old_values`, until its values differ from them.
    Returns map_info, and in `drawn_at` the page's clock (performance.now(), ms) in the first
    animation frame that found it drawn."""
    drawn = page.wait_for_function(
        f"""(a) => {{ const m = {_MAP_INFO_JS};
            return !!m && (!a.maplibre || m.maplibre) && (!m.types.includes('choropleth') || m.svg >= m.locations)
                && (a.old === null || JSON.stringify(m.values) !== JSON.stringify(a.old)) && performance.now(); }}""",
        arg={"old": old_values, "maplibre": maplibre}, timeout=timeout)
    return {**map_info(page), "drawn_at": drawn.json_value()}


SIDEBAR_WIDGETS = ('[data-testid="stSidebar"] [data-testid="stSelectbox"], '
                   '[data-testid="stSidebar"] [data-testid="stMultiSelect"]')


def sidebar_widget(page, label: str):
    """The sidebar selectbox or multiselect whose label is `label`."""
    return page.locator(SIDEBAR_WIDGETS).filter(
        has=page.locator('[data-testid="stWidgetLabel"]').get_by_text(label, exact=True))


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the sidebar selectbox or multiselect labelled `label` (react-aria
    comboboxes in Streamlit 1.67: open the box, click the option by its accessible name)."""
    sidebar_widget(page, label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")  # a multiselect stays open after a pick
