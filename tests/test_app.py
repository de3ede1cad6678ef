"""The server (app.py): the page shell it answers each page's address with, and its warm-up.
app.py builds an st.App when imported, which sets Streamlit's process-wide script path, so it is
imported in a process of its own here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import streamlit as st

from loaders.reference import ROOT, pages


def run(code: str, **env: str) -> dict:
    """`code` run after `import app` in a new Python process at the repo root; what it prints, as JSON."""
    out = subprocess.run([sys.executable, "-c", f"import json, sys, app\n{code}"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env={**os.environ, **env}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_shell_names_the_server_preloads_the_charts_and_speaks_vietnamese():
    got = run("print(json.dumps({b: app.shell(b) for b in ('', '/tmdt')}))")
    index = (Path(st.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    chunk = next((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js")).name
    for base, html in got.items():  # Streamlit's own page, with the language and two lines more at the top of its head
        added = (f'<script>window.__streamlit = {{BACKEND_BASE_URL: location.origin + "{base}/"}};</script>'
                 f'<link rel="modulepreload" crossorigin href="{base}/static/js/{chunk}">')
        assert html == index.replace('<html lang="en">', '<html lang="vi">', 1).replace("<head>", "<head>" + added, 1)


def test_every_registered_page_and_only_those_answer_with_the_shell():
    got = run("print(json.dumps({b: sorted(r.path for r in app.routes(b)) for b in ('', '/tmdt')}))")
    assert got[""] == sorted({"/", *(f"/{p['url']}" for p in pages())})
    assert got["/tmdt"] == sorted({"/tmdt/", *(f"/tmdt/{p['url']}" for p in pages())})


def test_the_warm_up_reads_the_store_and_imports_the_default_pages_modules():
    got = run("""from ui.data import _live
from loaders.reference import default_store
before = {m: m in sys.modules for m in ('charts.overview', 'charts.slides', 'report.build')}
app.warm()
data = _live(str(default_store()))._data
print(json.dumps({"before": before, "after": {m: m in sys.modules for m in before},
                  "files": None if data is None else len(data.files)}))""")
    assert got["before"] == {"charts.overview": False, "charts.slides": False, "report.build": False}
    assert got["after"] == {"charts.overview": True, "charts.slides": False, "report.build": False}
    assert got["files"] == len(list((ROOT / "sample_data" / "store").rglob("*.parquet")))


def test_the_first_page_finds_its_figures_computed_by_the_warm_up():
    """The overview after the warm-up computes no status table; without it, it computes one."""
    code = """from metrics import tables
from streamlit.testing.v1 import AppTest
made, scorecard = [], tables.scorecard
tables.scorecard = lambda *a, **k: made.append(1) or scorecard(*a, **k)
{warm}
made.clear()
at = AppTest.from_file('dashboard.py', default_timeout=120).run()
print(json.dumps([len(made), [e.value for e in at.exception]]))"""
    for scope in ("31", "all"):  # one province, and a scope of several (the frame's province view)
        assert run(code.format(warm="app.warm()"), TMDT_PROVINCE=scope) == [0, []]
        assert run(code.format(warm="pass"), TMDT_PROVINCE=scope) == [1, []]


def test_a_failing_warm_up_is_logged_and_stops_there():
    """The server keeps serving: the page that meets the same failure says what it is."""
    got = run("""import logging
seen = []
handler = logging.Handler()
handler.emit = lambda record: seen.append(record.getMessage())
logging.getLogger("app").addHandler(handler)
import ui.data
def fails():
    raise OSError("the store cannot be read")
ui.data.warm = fails
app.warm()
print(json.dumps(seen))""")
    assert got == ["warm-up stopped"]
