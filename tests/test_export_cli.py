"""`python -m metrics export` on a store built with `python -m loaders ingest`, checked against
figures computed by hand."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from loaders.reference import ROOT, default_store
from loaders.schema import COUNT_COLUMNS
from loaders.store import load_store
from metrics.export import export_table

A, B = "11002", "10507"  # Thạch Khôi, Thành Đông
TZ = "Asia/Ho_Chi_Minh"
RATES = ["digital_rate", "enterprise_digital_rate", "cashless_rate", "outreach_rate", "online_seller_rate"]
CONTRACT = {
    "unit": ["period", "unit_code", "businesses", *RATES],
    "sector": ["period", "sector", "businesses", *RATES],
    "city": ["period", "businesses", *RATES, "units_expected", "units_reporting", "units_on_time",
             "reporting_completeness", "reporting_timeliness", "units_with_online_sellers", "trainees"],
}


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TMDT_DATA"}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def biz(period: str, unit: str, sector: str, btype: str, *, businesses: int, digital: int = 0, cashless: int = 0,
        pos: int = 0, informed: int = 0, online: int = 0) -> dict:
    counts = dict.fromkeys(COUNT_COLUMNS, 0)
    counts.update(businesses=businesses, digital_any=digital, digital_social=digital, cashless=cashless,
                  point_of_sale=pos, point_of_sale_informed=informed, online_sellers=online)
    return {"period": period, "unit_code": unit, "sector": sector, "business_type": btype, **counts}


def write(folder: Path, name: str, rows: list[dict], submitted: str) -> None:
    frame = pd.DataFrame(rows).assign(submitted_at=pd.Timestamp(submitted, tz=TZ))
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / name)


def activities(period: str, trainees: dict[str, int]) -> list[dict]:
    return [{"period": period, "unit_code": u, "trainings": 1, "trainees": n, "outreach_items": 0,
             "marketplace_onboarded": 0, "register_updated": True, "complaints_forwarded": 0}
            for u, n in trainees.items()]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """Thạch Khôi (A) reports 2025-H2 and 2026-H1 (the latter twice: the later file is current);
    Thành Đông (B) reports 2026-H1 late, with no business at all."""
    src = tmp_path_factory.mktemp("reports")
    write(src, "a_2025h2.parquet", [
        biz("2025-H2", A, "thuc_pham", "doanh_nghiep", businesses=8, digital=4, cashless=6, pos=2, informed=1, online=3),
    ], "2025-12-20 09:00")
    write(src, "a_2026h1_first.parquet", [
        biz("2026-H1", A, "thuc_pham", "doanh_nghiep", businesses=99, digital=99, cashless=99, pos=99, informed=99, online=99),
    ], "2026-06-10 09:00")
    write(src, "a_2026h1_corrected.parquet", [
        biz("2026-H1", A, "thuc_pham", "doanh_nghiep", businesses=10, digital=8, cashless=9, pos=4, informed=3, online=5),
        biz("2026-H1", A, "ocop", "ho_kinh_doanh", businesses=20, digital=6, cashless=5, pos=0, informed=0, online=0),
        biz("2026-H1", A, "thuc_pham", "ho_kinh_doanh", businesses=3, digital=1, cashless=0, pos=3, informed=1, online=1),
    ], "2026-06-28 16:00")
    write(src, "b_2026h1.parquet", [biz("2026-H1", B, "dien_tu", "ho_kinh_doanh", businesses=0)], "2026-07-02 08:00")
    write(src, "act_2026h1.parquet", activities("2026-H1", {A: 25, B: 15}), "2026-06-28 16:00")
    dest = tmp_path_factory.mktemp("store") / "store"
    done = run("loaders", "ingest", str(src), "--data", str(dest))
    assert done.returncode == 0, done.stdout + done.stderr
    return dest


def export(store: Path, out: Path, by: str, *extra: str) -> subprocess.CompletedProcess:
    done = run("metrics", "export", "--data", str(store), "--by", by, "--out", str(out), *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"unit_code": str, "period": str})


@pytest.fixture(scope="module")
def by_unit(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "unit.csv"
    export(store, out, "unit")
    return out


@pytest.fixture(scope="module")
def by_city(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "city.csv"
    export(store, out, "city")
    return out


def test_by_unit_gives_the_hand_computed_figures(by_unit):
    table = read(by_unit).set_index(["period", "unit_code"])
    assert list(table.index) == [("2025-H2", A), ("2026-H1", B), ("2026-H1", A)]  # sorted by unit_code
    a = table.loc[("2026-H1", A)]  # the corrected report, not the first one
    assert a["businesses"] == 10 + 20 + 3
    assert a["digital_rate"] == (8 + 6 + 1) / (10 + 20 + 3) * 100
    assert a["enterprise_digital_rate"] == 8 / 10 * 100
    assert a["cashless_rate"] == (9 + 5 + 0) / (10 + 20 + 3) * 100
    assert a["outreach_rate"] == (3 + 0 + 1) / (4 + 0 + 3) * 100
    assert a["online_seller_rate"] == (5 + 0 + 1) / (10 + 20 + 3) * 100
    old = table.loc[("2025-H2", A)]
    assert (old["businesses"], old["digital_rate"], old["outreach_rate"]) == (8, 4 / 8 * 100, 1 / 2 * 100)


def test_by_city_gives_the_hand_computed_figures(by_city):
    table = read(by_city).set_index("period")
    assert list(table.index) == ["2025-H2", "2026-H1"]
    h1 = table.loc["2026-H1"]
    assert h1["businesses"] == 10 + 20 + 3 + 0
    assert h1["digital_rate"] == (8 + 6 + 1 + 0) / (10 + 20 + 3 + 0) * 100
    assert h1["enterprise_digital_rate"] == 8 / 10 * 100
    assert h1["cashless_rate"] == (9 + 5 + 0 + 0) / (10 + 20 + 3 + 0) * 100
    assert h1["outreach_rate"] == (3 + 0 + 1 + 0) / (4 + 0 + 3 + 0) * 100
    assert h1["online_seller_rate"] == (5 + 0 + 1 + 0) / (10 + 20 + 3 + 0) * 100
    assert (h1["units_expected"], h1["units_reporting"], h1["units_on_time"]) == (114, 2, 1)
    assert h1["reporting_completeness"] == 2 / 114 * 100
    assert h1["reporting_timeliness"] == 1 / 114 * 100
    assert h1["units_with_online_sellers"] == 1 / 114 * 100
    assert h1["trainees"] == 25 + 15
    h2 = table.loc["2025-H2"]
    assert (h2["units_reporting"], h2["units_on_time"], h2["digital_rate"]) == (1, 1, 4 / 8 * 100)
    assert math.isnan(h2["trainees"])  # no activities report for 2025-H2


def test_contract_columns_come_first_and_in_order(by_unit, by_city, store, tmp_path):
    assert list(read(by_unit).columns[:len(CONTRACT["unit"])]) == CONTRACT["unit"]
    assert list(read(by_city).columns[:len(CONTRACT["city"])]) == CONTRACT["city"]
    out = tmp_path / "sector.csv"
    export(store, out, "sector")
    table = read(out)
    assert list(table.columns[:len(CONTRACT["sector"])]) == CONTRACT["sector"]
    food = table.set_index(["period", "sector"]).loc[("2026-H1", "thuc_pham")]
    assert food["digital_rate"] == (8 + 1) / (10 + 3) * 100


def test_zero_denominator_is_an_empty_cell(by_unit):
    line = next(x for x in by_unit.read_text().splitlines() if x.startswith(f"2026-H1,{B},"))
    cells = line.split(",")
    header = by_unit.read_text().splitlines()[0].split(",")
    for rate in RATES:
        assert cells[header.index(rate)] == "", rate
    assert cells[header.index("businesses")] == "0"


def test_rates_are_written_at_full_precision(by_unit):
    text = by_unit.read_text()
    assert repr((8 + 6 + 1) / (10 + 20 + 3) * 100) in text  # 45.45454545454545
    assert repr((3 + 0 + 1) / (4 + 0 + 3) * 100) in text  # 57.14285714285714


def test_period_filter(store, tmp_path):
    out = tmp_path / "unit.csv"
    export(store, out, "unit", "--period", "2025-H2")
    table = read(out)
    assert list(zip(table["period"], table["unit_code"])) == [("2025-H2", A)]
    out = tmp_path / "city.csv"
    export(store, out, "city", "--period", "2026-H1")
    assert list(read(out)["period"]) == ["2026-H1"]


def test_missing_period_exits_1_with_a_clear_message(store, tmp_path):
    out = tmp_path / "x.csv"
    done = run("metrics", "export", "--data", str(store), "--by", "unit", "--period", "2024-H1", "--out", str(out))
    assert done.returncode == 1
    assert "2024-H1" in done.stdout and "2025-H2, 2026-H1" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert not out.exists()


def test_xlsx_keeps_numbers_as_numbers(store, tmp_path):
    out = tmp_path / "unit.xlsx"
    export(store, out, "unit")
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert list(header[:len(CONTRACT["unit"])]) == CONTRACT["unit"]
    body = {(r[0], r[1]): dict(zip(header, r)) for r in rows[1:]}
    a = body[("2026-H1", A)]
    assert isinstance(a["businesses"], int) and a["businesses"] == 33
    assert isinstance(a["digital_rate"], float) and a["digital_rate"] == (8 + 6 + 1) / (10 + 20 + 3) * 100
    assert body[("2026-H1", B)]["digital_rate"] is None  # an empty cell
    assert isinstance(body[("2026-H1", B)]["unit_code"], str)


def test_data_defaults_to_the_sample_store(tmp_path):
    out = tmp_path / "city.csv"
    done = run("metrics", "export", "--by", "city", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    got = read(out)
    want = export_table(load_store(default_store()), "city", None)
    assert list(got["period"]) == list(want["period"]) == ["2025-H1", "2025-H2", "2026-H1"]
    assert list(got["digital_rate"]) == list(want["digital_rate"])
    assert got["synthetic"].all()


def test_city_columns_are_all_there_even_without_activities(tmp_path):
    write(tmp_path, "a.parquet", [biz("2026-H1", A, "ocop", "hop_tac_xa", businesses=4, digital=1)], "2026-06-01")
    table = export_table(load_store(tmp_path), "city", None)
    assert list(table.columns[:len(CONTRACT["city"])]) == CONTRACT["city"]
    assert table.loc[0, "digital_rate"] == 1 / 4 * 100
    assert math.isnan(table.loc[0, "trainees"])
