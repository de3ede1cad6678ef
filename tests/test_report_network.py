"""Rendering the charts makes no request off the machine: Python opens no socket but loopback, the
page kaleido draws on loads nothing from the web, and (traced with strace) Chromium connects to
nothing but 127.0.0.1 — its own background traffic hits the refusing loopback proxy."""

from __future__ import annotations

import ipaddress
import re
import shutil
import socket
import subprocess
import sys

import plotly.graph_objects as go
import pytest
from kaleido import PageGenerator

from loaders.reference import ROOT
from report import render

FIGURE = go.Figure(go.Bar(x=["Thạch Khôi", "Hợp Tiến"], y=[46.7, 40.0]), layout_title_text="Tỷ lệ cơ sở sử dụng kênh số")


def loopback(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = address[0]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def test_python_opens_no_socket_off_the_machine(monkeypatch):
    attempts = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(real):
        def connect(self, address):
            if not loopback(address):
                attempts.append(address)
                raise OSError(f"network disabled in this test: {address}")
            return real(self, address)
        return connect

    monkeypatch.setattr(socket.socket, "connect", guard(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(real_connect_ex))
    render.stop()  # start the browser under the guard
    png = render.png(FIGURE, 500, 300)
    assert png.startswith(b"\x89PNG") and attempts == []


def test_the_page_loads_plotly_from_the_package_and_no_mathjax():
    page = PageGenerator(mathjax=False).generate_index()
    assert "http://" not in page and "https://" not in page
    assert re.search(r'src="file://[^"]*plotly/package_data/plotly\.min\.js"', page)


def test_default_kaleido_page_would_fetch_mathjax_from_a_cdn():
    """Why render.start() passes mathjax=False: kaleido's default page loads MathJax from a CDN."""
    assert "https://cdnjs.cloudflare.com" in PageGenerator().generate_index()


SCRIPT = """
import time
import plotly.graph_objects as go
from report import render
png = render.png(go.Figure(go.Bar(y=[1, 2])), 400, 300)
assert png.startswith(b"\\x89PNG")
time.sleep(6)  # Chromium's background traffic starts within seconds of launch
render.stop()
"""
ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')
PEER = re.compile(r"->\[?([0-9A-Fa-f:.]+?)\]?:\d+\]>")
SENDS = ("sendto(", "sendmsg(", "sendmmsg(", "write(", "writev(")


def off_machine(trace: str) -> list[str]:
    """strace lines (-yy: sockets decorated with their addresses) that open a TCP connection to, or
    send bytes to, an address that is not loopback. A UDP connect() alone sends nothing (Chromium
    uses one to learn whether IPv6 is routed), so it is not counted; a datagram sent after it is."""
    bad = []
    for line in trace.splitlines():
        call = line.split(" ", 1)[-1]
        targets = [a or b for a, b in ADDRESS.findall(call)]
        if call.startswith("connect(") and "<TCP" in call:
            bad += [line for a in targets if not ipaddress.ip_address(a).is_loopback]
        if call.startswith(SENDS) and ("<TCP" in call or "<UDP" in call):
            peers = targets + PEER.findall(call)
            bad += [line for a in peers if not ipaddress.ip_address(a).is_loopback]
    return bad


def test_off_machine_reads_strace_lines():
    assert off_machine('9 connect(3<TCP:[1]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.0.1")}, 16)')
    assert not off_machine('9 connect(3<TCP:[1]>, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16)')
    assert not off_machine('9 connect(3<UDPv6:[1]>, {sa_family=AF_INET6, sin6_port=htons(443), '
                           'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0')
    assert off_machine("9 write(5<UDP:[10.0.0.2:40000->10.255.255.53:53]>, \"abc\", 3) = 3")
    assert off_machine('9 sendto(5<UDP:[7]>, "abc", 3, 0, {sa_family=AF_INET, sin_port=htons(53), '
                       'sin_addr=inet_addr("10.255.255.53")}, 16) = 3')
    assert not off_machine("9 write(5<TCP:[127.0.0.1:40000->127.0.0.1:5000]>, \"abc\", 3) = 3")


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_chromium_sends_nothing_off_the_machine(tmp_path):
    log = tmp_path / "net.log"
    done = subprocess.run(["strace", "-f", "-qq", "-yy", "-e", "trace=connect,sendto,sendmsg,sendmmsg,write,writev",
                           "-o", str(log), sys.executable, "-c", SCRIPT],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 and "ptrace" in done.stderr:
        pytest.skip(f"strace cannot trace here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert off_machine(log.read_text()) == []
