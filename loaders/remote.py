"""A store on S3-compatible object storage (`s3://bucket/prefix`), beside the local folder.

The objects are the store: the same layout as a local store (`ingest-…/` batches of snapshot files,
the kept workbooks), and the audit log as one object per entry (`audit/…json`). Each server and
command line works on a local mirror of them (`TMDT_CACHE`, default `~/.cache/tmdt/BUCKET/PREFIX`):
the store's code reads the mirror as it reads any folder, `sync()` brings in the objects it lacks
(they never change: names carry their content's hash, entries their time and a random part), and
every write puts a new object with a conditional write (`If-None-Match: *`), so servers and command
lines writing at once never overwrite each other: a batch another one stored first is "already
there", once. Endpoint and credentials come from the standard variables (AWS_ENDPOINT_URL,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from loaders.clock import dated_back

SCHEME = "s3://"
AUDIT = "audit"  # the folder of the audit log's entries, one object each
KEPT = (".parquet", ".json")  # what a mirror holds: snapshots and audit entries (workbooks stay remote, as evidence)
SYNC_SECONDS = 2.0  # a server lists the objects at most this often: another server's submission shows within it
FETCHERS = 8  # objects fetched at once by a sync
COMPLETE_AFTER = 300.0  # seconds after which a batch still missing files was left by a writer that died


@dataclass
class Remote:
    bucket: str
    prefix: str  # "" or ending in "/"
    synced: float = 0.0  # time.monotonic() of the last listing
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def url(self) -> str:
        return f"{SCHEME}{self.bucket}/{self.prefix}"


_MIRRORS: dict[Path, Remote] = {}


def is_remote(location: str | os.PathLike) -> bool:
    return str(location).startswith(SCHEME)


def location(given: str | os.PathLike) -> Path:
    """The folder the store's code works on: a local store's own, or a remote store's mirror
    (registered and brought up to date the first time; then by load_store, every few seconds)."""
    if not is_remote(given):
        return Path(given)
    bucket, _, prefix = str(given).removeprefix(SCHEME).partition("/")
    if not bucket:
        raise ValueError(f"{given}: thiếu tên bucket (no bucket name): s3://BUCKET/PREFIX")
    prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
    cache_root = Path(os.environ.get("TMDT_CACHE") or Path.home() / ".cache" / "tmdt")
    mirror = (cache_root / bucket / prefix).resolve()
    if mirror not in _MIRRORS:
        _MIRRORS[mirror] = Remote(bucket, prefix)
        mirror.mkdir(parents=True, exist_ok=True)
        sync(mirror, force=True)
    return mirror


def remote_of(path: Path) -> Remote | None:
    """The remote store a folder mirrors, or None for a local store."""
    return _MIRRORS.get(Path(path).resolve()) if _MIRRORS else None


def describe(path: Path) -> str:
    """How messages name the store: its URL when remote, else its folder."""
    remote = remote_of(path)
    return remote.url if remote else str(path)


@cache
def client():
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
                        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
                        config=Config(retries={"max_attempts": 3, "mode": "standard"}))


def sync(path: Path, force: bool = False) -> int:
    """Bring the objects the mirror lacks into it (at most every SYNC_SECONDS unless `force`);
    returns how many came. A local store: nothing to do."""
    remote = remote_of(path)
    if remote is None:
        return 0
    with remote.lock:
        if not force and time.monotonic() - remote.synced < SYNC_SECONDS:
            return 0
        mirror = Path(path).resolve()
        wanted = []
        for page in client().get_paginator("list_objects_v2").paginate(Bucket=remote.bucket, Prefix=remote.prefix):
            for obj in page.get("Contents", []):
                rel = obj["Key"][len(remote.prefix):]
                target = mirror / rel
                if rel.endswith(KEPT) and not _hidden(rel) and not (target.exists() and target.stat().st_size == obj["Size"]):
                    wanted.append((obj["Key"], target))

        def fetch(item: tuple[str, Path]) -> None:
            _write(item[1], client().get_object(Bucket=remote.bucket, Key=item[0])["Body"].read())

        with ThreadPoolExecutor(FETCHERS) as pool:  # a new mirror fetches thousands: several at once
            list(pool.map(fetch, wanted))
        remote.synced = time.monotonic()
        return len(wanted)


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def _write(target: Path, body: bytes) -> None:
    """A file written whole under its name or not at all (a reader never sees half of one), dated
    back past the index's racy window: an object never changes, so an index of the mirror may trust
    its stamp at once (as ingest dates the files it stores)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}")
    part.write_bytes(body)
    past = dated_back()
    os.utime(part, ns=(past, past))
    os.replace(part, target)


def put_new(path: Path, rel: str, body: bytes) -> bool:
    """Put an object that must not exist yet (conditional write); False when one was there already."""
    from botocore.exceptions import ClientError

    remote = remote_of(path)
    try:
        client().put_object(Bucket=remote.bucket, Key=remote.prefix + rel, Body=body, IfNoneMatch="*")
        return True
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("PreconditionFailed", "ConditionalRequestConflict") or \
                exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (409, 412):
            return False
        raise


def publish(path: Path, folder: Path, rel_folder: str, order: list[str]) -> bool:
    """Upload the files of a staged batch (`folder`, to become `rel_folder` of the store), `order`
    (the batch's sources) first: the first object claims the batch (a conditional write). False when
    another writer claimed it first: then nothing of this one is stored, unless that writer's batch
    still lacks files COMPLETE_AFTER seconds after its claim (it died midway), which this one adds."""
    first, *rest = order + sorted(p.name for p in folder.iterdir() if p.name not in order)
    if put_new(path, f"{rel_folder}/{first}", (folder / first).read_bytes()):
        for name in rest:
            put_new(path, f"{rel_folder}/{name}", (folder / name).read_bytes())
        return True
    remote = remote_of(path)
    claim = client().head_object(Bucket=remote.bucket, Key=f"{remote.prefix}{rel_folder}/{first}")
    if time.time() - claim["LastModified"].timestamp() > COMPLETE_AFTER:
        for name in rest:  # those there already are kept as they are
            put_new(path, f"{rel_folder}/{name}", (folder / name).read_bytes())
    return False


def append_entry(path: Path, name: str, body: bytes) -> None:
    """One audit entry as an object of its own (never rewritten), and in the mirror at once."""
    rel = f"{AUDIT}/{name}"
    if not put_new(path, rel, body):
        raise RuntimeError(f"audit entry {rel} exists already")
    _write(Path(path) / rel, body)
