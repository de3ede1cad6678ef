"""`python -m loaders validate|ingest` as a user runs it: exit codes, one line per problem, never a
traceback, all-or-nothing ingest that never overwrites."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = "tệp hợp lệ ("


def cli(*args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TMDT_DATA"}
    done = subprocess.run([sys.executable, "-m", "loaders", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def problem_lines(done: subprocess.CompletedProcess) -> list[str]:
    return [line for line in done.stdout.splitlines() if line and SUMMARY not in line and "(nothing ingested" not in line]


def test_validate_valid_files_exits_0(write_snapshot, biz_frame, act_frame, city_frame, tmp_path):
    for name, frame in (("b.parquet", biz_frame), ("a.parquet", act_frame), ("c.parquet", city_frame)):
        write_snapshot(frame, name, tmp_path / "in")
    done = cli("validate", tmp_path / "in")
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["3/3 tệp hợp lệ (3 of 3 files valid)"]


def test_validate_reports_one_line_per_problem_and_exits_1(write_snapshot, biz_frame, city_frame, tmp_path):
    folder = tmp_path / "in"
    good = write_snapshot(biz_frame, "good.parquet", folder)
    biz_frame.loc[1, "cashless"] = 9
    bound = write_snapshot(biz_frame, "sub/bound.parquet", folder)
    missing = write_snapshot(city_frame.drop(columns="source"), "missing.parquet", folder)
    junk = write_snapshot(b"not parquet at all", "junk.parquet", folder)
    done = cli("validate", folder)
    assert done.returncode == 1
    lines = problem_lines(done)
    assert lines == [  # files in path order
        f"{junk}: Không đọc được tệp Parquet (tệp hỏng, bị cắt hoặc không phải Parquet) "
        f"(cannot read the file as Parquet: {lines[0].split('Parquet: ', 1)[-1]}",
        f"{missing}: cột (column) source: Thiếu cột bắt buộc của bảng city_indicators "
        f"(required column of a city_indicators table is missing)",
        f"{bound}: cột (column) cashless, dòng (row) 2: Phải ≤ businesses (must be ≤ businesses) — giá trị (value): 9",
    ]
    assert lines[0].endswith(")") and len(lines[0]) > len(f"{junk}: Không đọc được tệp Parquet") + 80
    assert str(good) not in done.stdout
    assert done.stdout.splitlines()[-1] == "1/4 tệp hợp lệ (1 of 4 files valid)"


def test_validate_never_prints_a_traceback_whatever_the_bytes(write_snapshot, biz_frame, tmp_path):
    good = write_snapshot(biz_frame, "good.parquet", tmp_path / "src").read_bytes()
    rng = random.Random(2026)
    folder = tmp_path / "in"
    write_snapshot(rng.randbytes(3000), "random.parquet", folder)
    write_snapshot(good[: len(good) // 2], "truncated.parquet", folder)
    write_snapshot(good[:4] + good[-8:], "footer_only.parquet", folder)
    write_snapshot(biz_frame.to_csv().encode(), "renamed_csv.parquet", folder)
    write_snapshot("ký tự\x00".encode() * 50, "text.parquet", folder)
    for i in range(40):  # a few bytes changed anywhere, the footer's metadata included
        data = bytearray(good)
        for _ in range(3):
            data[rng.randrange(len(data))] = rng.randrange(256)
        write_snapshot(bytes(data), f"flipped{i:02}.parquet", folder)
    done = cli("validate", folder)
    assert done.returncode == 1
    assert done.stderr == ""
    assert "Lỗi không mong đợi (unexpected error)" not in done.stdout
    for line in problem_lines(done):
        assert line.startswith(str(folder) + "/") and ".parquet: " in line


@pytest.mark.parametrize("args", [
    [], ["check", "x"], ["validate"], ["ingest"], ["validate", "--bogus", "."],
    ["validate", "no/such/file.parquet"], ["validate", "EMPTY"], ["ingest", "no/such/folder", "--data", "STORE"],
])
def test_usage_errors_exit_2(tmp_path, args):
    (tmp_path / "empty").mkdir()
    args = [str(tmp_path / "empty") if a == "EMPTY" else str(tmp_path / "store") if a == "STORE" else a for a in args]
    done = cli(*args)
    assert done.returncode == 2
    assert not (tmp_path / "store").exists()


def test_a_store_that_is_a_file_is_a_usage_error(write_snapshot, act_frame, tmp_path):
    src = write_snapshot(act_frame, "a.parquet", tmp_path / "in")
    (tmp_path / "store").write_bytes(b"not a folder")
    done = cli("ingest", src, "--data", tmp_path / "store")
    assert done.returncode == 2
    assert done.stdout.splitlines() == [f"{tmp_path / 'store'}: kho dữ liệu phải là một thư mục (the store must be a folder)"]
    assert (tmp_path / "store").read_bytes() == b"not a folder"


def test_ingest_with_one_bad_file_writes_nothing(write_snapshot, biz_frame, act_frame, tmp_path, tree_state):
    store = tmp_path / "store"
    write_snapshot(act_frame, "old/act.parquet", store)
    before = tree_state(store)
    write_snapshot(biz_frame, "b.parquet", tmp_path / "in")
    act_frame.loc[0, "trainees"] = -5
    bad = write_snapshot(act_frame, "a.parquet", tmp_path / "in")
    done = cli("ingest", tmp_path / "in", "--data", store)
    assert done.returncode == 1
    assert problem_lines(done)[0] == f"{bad}: cột (column) trainees, dòng (row) 1: Phải ≥ 0 (must be ≥ 0) — giá trị (value): -5"
    assert "Không nạp tệp nào vì có tệp không hợp lệ (nothing ingested: some files are invalid)" in done.stdout
    assert tree_state(store) == before


def test_ingest_adds_then_the_same_files_again_add_nothing(write_snapshot, biz_frame, act_frame, tmp_path, tree_state):
    store = tmp_path / "store"
    write_snapshot(biz_frame, "b.parquet", tmp_path / "in")
    write_snapshot(act_frame, "a.parquet", tmp_path / "in")
    first = cli("ingest", tmp_path / "in", "--data", store)
    assert first.returncode == 0, first.stdout
    assert first.stdout.splitlines()[-1] == "Đã nạp 2 tệp, 0 tệp đã có sẵn (ingested 2 files; 0 were already in the store)"
    stored = [p for p in tree_state(store) if p.endswith(".parquet")]
    # besides the batch only the store's lock and index (a cache of what it holds); no staging left
    assert len(stored) == 2 and {p.split("/")[0] for p in tree_state(store) if p.startswith(".")} == {".index", ".lock"}
    after_first = tree_state(store)
    again = cli("ingest", tmp_path / "in" / "a.parquet", tmp_path / "in", "--data", store)
    assert again.returncode == 0
    # a.parquet named alone and inside its folder is one file
    assert again.stdout.splitlines() == ["Đã nạp 0 tệp, 2 tệp đã có sẵn (ingested 0 files; 2 were already in the store)"]
    assert tree_state(store) == after_first
    assert cli("validate", store).stdout.splitlines() == ["2/2 tệp hợp lệ (2 of 2 files valid)"]


def test_ingest_never_overwrites_a_file_with_the_same_name(write_snapshot, biz_frame, tmp_path, tree_state):
    store = tmp_path / "store"
    write_snapshot(biz_frame, "b.parquet", tmp_path / "v1")
    assert cli("ingest", tmp_path / "v1", "--data", store).returncode == 0
    first = tree_state(store)
    biz_frame["submitted_at"] = pd.Timestamp("2026-06-29 09:00", tz="Asia/Ho_Chi_Minh")
    biz_frame.loc[0, "businesses"] = 11
    write_snapshot(biz_frame, "b.parquet", tmp_path / "v2")  # same name, other bytes
    done = cli("ingest", tmp_path / "v2", "--data", store)
    assert done.returncode == 0
    second = tree_state(store)
    reports = lambda state: {k: v for k, v in state.items() if not k.startswith((".index", ".lock"))}  # noqa: E731
    assert {k: v for k, v in reports(second).items() if k in first} == reports(first)  # every earlier byte kept
    new = [k for k in second if k not in first and k.endswith(".parquet")]
    assert len(new) == 1 and new[0].endswith("_b.parquet")
    assert f"+ {store / new[0]}" in done.stdout.splitlines()


def test_ingest_defaults_to_the_store_named_by_tmdt_data(write_snapshot, act_frame, tmp_path):
    src = write_snapshot(act_frame, "a.parquet", tmp_path / "in")
    env = {**os.environ, "TMDT_DATA": str(tmp_path / "store")}
    done = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(src)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list((tmp_path / "store").rglob("*.parquet"))) == 1
