"""Tiny, valid snapshot frames, a writer that puts them (or raw bytes) into tmp_path, and a
fingerprint of a folder tree."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ON_TIME = pd.Timestamp("2026-06-25 10:00", tz="Asia/Ho_Chi_Minh")


@pytest.fixture
def biz_frame() -> pd.DataFrame:
    """Two valid businesses rows of Thạch Khôi (11002) for 2026-H1. Row 2's channels add up to
    more than digital_any, so raising one column past its bound breaks that bound only."""
    return pd.DataFrame({
        "period": ["2026-H1", "2026-H1"], "unit_code": ["11002", "11002"],
        "sector": ["thuc_pham", "ocop"], "business_type": ["doanh_nghiep", "ho_kinh_doanh"],
        "businesses": [10, 8], "digital_any": [6, 4],
        "digital_social": [5, 4], "digital_marketplace": [2, 2], "digital_web_app": [1, 3],
        "cashless": [7, 5], "point_of_sale": [4, 2], "point_of_sale_informed": [3, 1],
        "online_sellers": [5, 3], "site_notified": [1, 0],
        "needs_training": [2, 1], "needs_marketplace": [1, 1], "needs_payment": [1, 0], "needs_logistics": [0, 0],
        "submitted_at": [ON_TIME, ON_TIME],
    })


@pytest.fixture
def act_frame() -> pd.DataFrame:
    """Two valid activities rows (Thạch Khôi 11002 and Hợp Tiến 10615) for 2026-H1."""
    return pd.DataFrame({
        "period": ["2026-H1", "2026-H1"], "unit_code": ["11002", "10615"],
        "trainings": [2, 0], "trainees": [60, 0], "outreach_items": [5, 1], "marketplace_onboarded": [3, 0],
        "register_updated": [True, False], "complaints_forwarded": [0, 1],
        "submitted_at": [ON_TIME, ON_TIME],
    })


@pytest.fixture
def city_frame() -> pd.DataFrame:
    """Two valid city indicators for 2026-H1: a share (bounded 0–100) and a growth (unbounded)."""
    return pd.DataFrame({
        "period": ["2026-H1", "2026-H1"], "indicator": ["adults_online_shopping", "ecommerce_retail_growth"],
        "value": [62.9, 121.4], "source": ["Thống kê thành phố Hải Phòng", "Sở Công Thương Hải Phòng"],
        "submitted_at": [ON_TIME, ON_TIME],
    })


@pytest.fixture
def write_snapshot(tmp_path):
    """write_snapshot(frame_or_table_or_bytes, name="snap.parquet", folder=tmp_path) -> Path."""

    def write(data, name: str = "snap.parquet", folder: Path | None = None) -> Path:
        path = Path(folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
            pq.write_table(table, path)
        return path

    return write


def _state(folder: Path) -> dict[str, str]:
    folder = Path(folder)
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="session", autouse=True)
def sample_store_unchanged():
    """No test changes the bundled sample store, not even by a file or a folder."""
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "store"
    before = _state(sample)
    yield
    assert _state(sample) == before, "a test changed sample_data/store"


@pytest.fixture
def tree_state():
    """tree_state(folder) -> {relative path: sha256 of the bytes, or "dir"} of everything under
    the folder, hidden entries included: equal before and after means nothing changed."""
    return _state


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """An S3 API on 127.0.0.1 (moto in server mode, which honours conditional writes), started for
    the tests; yields the environment that points the store's code at it (endpoint, credentials)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    env = {"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield env
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def s3_store(s3_server, tmp_path, request):
    """A new bucket on the S3 test server: (its s3:// URL, a function listing its keys)."""
    import boto3

    bucket = "t-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:20]
    client = boto3.client("s3", endpoint_url=s3_server["AWS_ENDPOINT_URL"], region_name="us-east-1")
    client.create_bucket(Bucket=bucket)

    def keys() -> list[str]:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(o["Key"] for p in pages for o in p.get("Contents", []))

    return f"s3://{bucket}/store", keys
