"""The dashboard's server: `streamlit run app.py` serves dashboard.py (the script every page runs)
as an st.App, which adds to what `streamlit run dashboard.py` serves:

- **the page shell**: each page's address answers with Streamlit's own index.html, which names
  the server's address for the client (`window.__streamlit.BACKEND_BASE_URL`: opened at /unit, the
  client would otherwise first look for a server at /unit/, be refused and wait 100 ms), preloads
  the chart library's chunk (4.7 MB, otherwise requested only once a chart's message has been read:
  across a network it comes with the page instead) and says the page is in Vietnamese until the
  language switch says otherwise (docs/benchmarks.md, "Cold page");
- **a warm-up** at the server's start: in a thread, the default page's modules are imported, the
  store is read and the figures of the pages' first view computed (ui.data.warm), so that the
  first page waits for none of them (or for what is left of them).

Any other address (a mistyped one, Streamlit's own) is Streamlit's as before."""

from __future__ import annotations

import ast
import importlib
import json
import logging
import threading
import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.responses import HTMLResponse
from starlette.routing import Route

ROOT = Path(__file__).resolve().parent
_STATIC = Path(st.__file__).parent / "static"


def shell(base_path: str) -> str:
    """Streamlit's index.html with the three additions above, for a server at `base_path` ("" or "/x")."""
    index = (_STATIC / "index.html").read_text(encoding="utf-8")
    head = f"<script>window.__streamlit = {{BACKEND_BASE_URL: location.origin + {json.dumps(base_path + '/')}}};</script>"
    for chart in (_STATIC / "static" / "js").glob("PlotlyChart.*.js"):  # one (none: a Streamlit that names it otherwise)
        head += f'<link rel="modulepreload" crossorigin href="{base_path}/static/js/{chart.name}">'
    return index.replace('<html lang="en">', '<html lang="vi">', 1).replace("<head>", "<head>" + head, 1)


def _registry() -> list[dict]:
    """The page registry (config/pages.toml) as written: loaders.reference.pages() would import
    pandas before the server listens."""
    return tomllib.loads((ROOT / "config" / "pages.toml").read_text(encoding="utf-8"))["page"]


def routes(base: str) -> list[Route]:
    """The shell at "/" and at every registered page's address, for a server at `base` ("" or "/x")."""
    page = shell(base)

    async def answer(_request) -> HTMLResponse:  # never kept by a browser, as Streamlit's own index.html
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    # The home page at "/" or "/x/" (Streamlit sends "/x" there: the page's files are named from its folder)
    return [Route(f"{base}/{p}", answer) for p in sorted({"", *(entry["url"] for entry in _registry())})]


def _imports(script: str) -> None:
    """Import the modules a page script imports (its top-level import statements)."""
    for node in ast.parse((ROOT / script).read_text(encoding="utf-8")).body:
        for name in ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module else []):
            importlib.import_module(name)


def warm() -> None:
    """What the first page waits for, in its order: the default page's modules, the store, the
    figures. A failure is only logged here: the page that meets it says what it is."""
    try:
        _imports(next(entry for entry in _registry() if entry.get("default"))["file"])
        from ui.data import warm as figures

        figures()
    except Exception:  # noqa: BLE001 - reported by the pages, which read the same
        logging.getLogger(__name__).warning("warm-up stopped", exc_info=True)


@asynccontextmanager
async def _lifespan(_app) -> AsyncIterator[None]:
    threading.Thread(target=warm, name="tmdt-warm-up", daemon=True).start()
    yield


_base = st.get_option("server.baseUrlPath").strip("/")
app = st.App("dashboard.py", routes=routes(f"/{_base}" if _base else ""), lifespan=_lifespan)
