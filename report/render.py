"""Plotly figures to PNG with kaleido and the system's Chromium, offline.

One browser serves the whole process: kaleido's sync server is started once (start()) and every
figure after that costs a fraction of a second. Nothing the browser does may leave the machine:
- the page kaleido renders loads plotly.js from the plotly package (file://) and no MathJax (its
  default is a CDN);
- Debian's Chromium still phones home on its own (search-engine preconnect, component updater,
  Google accounts, network time, DNS), so every request goes through a proxy at a loopback port
  that is bound but never listens: each attempt is refused on 127.0.0.1 and nothing is resolved
  or sent outside;
- the flags below cut most of that background traffic to begin with.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
from pathlib import Path

import kaleido
from choreographer.browsers.chromium import Chromium

QUIET_FLAGS = (
    "--disable-background-networking", "--disable-default-apps", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--no-pings", "--disable-extensions", "--no-service-autorun",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,PreconnectToSearch,MediaRouter,Translate,"
    "AutofillServerCommunication",
)
BROWSERS = ("chromium", "chromium-browser", "google-chrome")

# choreographer (kaleido's browser driver) logs, with a traceback, a pipe message it could not
# decode and then ignores (seen when Chromium shuts down); a failed chart raises in kaleido anyway.
logging.getLogger("choreographer").setLevel(logging.CRITICAL)

_lock = threading.Lock()  # kaleido's sync server answers one caller at a time
_refuser: socket.socket | None = None  # held open for the life of the process


class RenderError(RuntimeError):
    """No browser to draw the charts with (message in Vietnamese, English in brackets)."""


class OfflineChromium(Chromium):
    """Chromium with its background network traffic switched off (see the module docstring)."""

    def get_cli(self):
        return [*super().get_cli(), *QUIET_FLAGS]


def browser_path() -> str:
    """BROWSER_PATH, else the first Chromium on PATH."""
    found = os.environ.get("BROWSER_PATH") or next((p for b in BROWSERS if (p := shutil.which(b))), None)
    if not found or not os.path.isfile(found):
        raise RenderError("Không tìm thấy trình duyệt Chromium để vẽ biểu đồ; cài gói chromium hoặc đặt BROWSER_PATH "
                          "(no Chromium to draw the charts with: install chromium or set BROWSER_PATH)")
    return found


def refusing_proxy() -> str:
    """host:port of a loopback socket that is bound but never listens: every connection is refused."""
    global _refuser
    if _refuser is None:
        _refuser = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        _refuser.bind(("127.0.0.1", 0))
    host, port = _refuser.getsockname()
    return f"{host}:{port}"


def start(proxy: str | None = None) -> None:
    """Start the process's one kaleido browser (does nothing when it runs already).

    `proxy` (host:port) replaces the refusing proxy; tests pass a recording one."""
    with _lock:
        kaleido.start_sync_server(path=browser_path(), browser_cls=OfflineChromium, mathjax=False,
                                  proxy_server=proxy or refusing_proxy(), silence_warnings=True)


def stop() -> None:
    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)


# A geo map's (empty) topology, from the project's own static folder (charts.maps.TOPOJSON_URL).
TOPOJSON = (Path(__file__).resolve().parent.parent / "static" / "topojson").as_uri() + "/"


def png(fig, width: int, height: int, scale: float = 2.0) -> bytes:
    """The figure as a PNG of width × height CSS pixels (× scale)."""
    start()
    spec = fig.to_dict() if hasattr(fig, "to_dict") else fig
    with _lock:
        return kaleido.calc_fig_sync(spec, opts=dict(format="png", width=width, height=height, scale=scale),
                                     topojson=TOPOJSON)
