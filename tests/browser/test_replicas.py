"""Two dashboard servers on one store on object storage (moto's S3 server on 127.0.0.1), behind
nginx started from the deployment example (deploy/nginx.conf, only its ports changed): an officer
submits through the load balancer (the websocket and the upload stay on one replica: sticky
sessions), and both replicas show the report within a few seconds. No request leaves localhost."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import boto3
import pytest
from browser_harness import ROOT, Server, app_env, assert_no_error, free_port, open_page, wait_idle

sys.path.insert(0, str(ROOT / "tests"))
from test_submit import submit_checked, upload  # noqa: E402
from test_workbook import PERIOD, UNIT, filled  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REPORTED = "dựa trên 1/114 đơn vị đã báo cáo cơ sở kinh doanh"


@pytest.fixture(scope="module")
def replicas(s3_server, tmp_path_factory):
    """(nginx's URL, replica A, replica B) on one bucket, each replica with its own mirror."""
    folder = tmp_path_factory.mktemp("replicas")
    boto3.client("s3").create_bucket(Bucket="replicas")
    env = dict(TMDT_DATA="s3://replicas/store", TMDT_OPEN_SUBMIT="1")
    with Server(env=app_env(**env, TMDT_CACHE=str(folder / "a")), log=folder / "a.log") as a, \
            Server(env=app_env(**env, TMDT_CACHE=str(folder / "b")), log=folder / "b.log") as b:
        port = free_port()
        conf = (ROOT / "deploy" / "nginx.conf").read_text().replace("127.0.0.1:8501", f"127.0.0.1:{a.port}").replace(
            "127.0.0.1:8502", f"127.0.0.1:{b.port}").replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        prefix = folder / "nginx"
        for sub in ("logs", "temp"):
            (prefix / sub).mkdir(parents=True)
        (prefix / "nginx.conf").write_text(conf)
        # as root, nginx's workers would run as another user, who may not write the test's temp folder
        extra = " user root;" if os.geteuid() == 0 else ""
        proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;" + extra])
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}", a, b
        finally:
            proc.terminate()
            proc.wait(10)


def test_a_report_submitted_through_the_load_balancer_shows_on_both_replicas(replicas, page, context, tmp_path):
    lb, a, b = replicas
    open_page(page, f"{lb}/submit?unit={UNIT}&period={PERIOD}")
    assert [c["name"] for c in context.cookies() if c["name"] == "tmdt_route"] == ["tmdt_route"]
    page.get_by_role("tab", name="2. Tải tệp đã điền lên").click()
    book = tmp_path / "bc.xlsx"
    book.write_bytes(filled())
    upload(page, book)
    submit_checked(page)
    assert_no_error(page)
    stored = time.monotonic()
    for server in (a, b):  # whichever replica took it, the other sees it after its next listing (every 2 s)
        open_page(page, f"{server.url}/reporting?period={PERIOD}")
        while REPORTED not in page.locator("body").inner_text():
            assert time.monotonic() - stored < 10, f"{server.url} does not show the report"
            time.sleep(0.5)
            page.reload()
            wait_idle(page)
    assert len([k for k in boto3.client("s3").list_objects_v2(Bucket="replicas")["Contents"]
                if k["Key"].endswith(".parquet")]) == 2  # the report, stored once
