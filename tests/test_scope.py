"""The unit list as configuration: the country's provinces and communes since 1 July 2025 and the
units before it (config/, built from the MIT dataset of `vietnamadminunits`), the scope the
dashboard serves ([units] province, TMDT_PROVINCE), and a province other than Hải Phòng end to end:
template, submission, export and every page."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from loaders import reference
from loaders.reference import CONFIG, ROOT, all_units
from test_workbook import filled

BOUNDARIES = ROOT.parent / "shared" / "geo" / "haiphong_units.geojson"
HA_TINH = "42"
SCOPED = [reference.scope, reference.scope_codes, reference.legacy_units, reference._units, reference._unit_codes,
          reference._provinces, reference._plans, reference._targets, reference._area_names]  # what the scope is read into


@pytest.fixture
def in_scope(monkeypatch):
    """Set TMDT_PROVINCE for one test: the scope and everything read from it, read again."""
    def choose(value: str) -> None:
        monkeypatch.setenv("TMDT_PROVINCE", value)
        for f in SCOPED:
            f.cache_clear()
    yield choose
    reference.narrow(None)
    monkeypatch.delenv("TMDT_PROVINCE", raising=False)
    for f in SCOPED:
        f.cache_clear()


def test_the_country_holds_34_provinces_and_3321_units_hai_phong_as_before():
    units, provinces = all_units(), pd.read_csv(CONFIG / "provinces.csv", dtype={"province_code": str})
    assert len(units) == 3321 and units["unit_code"].is_unique and units["unit_code"].str.fullmatch(r"\d{5}").all()
    assert len(provinces) == 34 and set(units["province_code"]) == set(provinces["province_code"])
    assert units["type"].value_counts().to_dict() == {"xã": 2621, "phường": 687, "đặc khu": 13}
    hp = units[units["province_code"] == "31"]
    assert len(hp) == 114 and hp["type"].value_counts().to_dict() == {"xã": 67, "phường": 45, "đặc khu": 2}
    assert hp.set_index("unit_code").loc["11002", ["full_name", "name_en"]].tolist() == ["Phường Thạch Khôi", "Thach Khoi"]
    assert (units["effective_from"] == "2025-07-01").all()
    assert units["lat"].between(8, 24).all() and units["lon"].between(102, 118).all()


def test_old_units_go_to_the_unit_that_took_them_in_split_ones_estimated():
    old = pd.read_csv(CONFIG / "units_legacy.csv", dtype={"old_code": str, "unit_code": str}).set_index("old_code")
    assert len(old) == 10035 and old.index.is_unique and old["unit_code"].isin(all_units()["unit_code"]).all()
    # Thạch Khôi took in Liên Hồng and Gia Xuyên (Nghị quyết 1669/NQ-UBTVQH15)
    assert old.loc[["11002", "11005", "11017"], "unit_code"].tolist() == ["11002"] * 3
    assert old.loc["11005", ["old_name", "estimated"]].tolist() == ["Xã Liên Hồng", False]
    # Hà Nội: Phúc Xá went whole into Hồng Hà; Cống Vị was split, most of it into Ngọc Hà
    assert old.loc["00001", ["unit_code", "estimated"]].tolist() == ["00097", False]
    assert old.loc["00007", ["old_name", "unit_code", "estimated"]].tolist() == ["Phường Cống Vị", "00008", True]
    assert old["estimated"].sum() == 471


@pytest.mark.skipif(not BOUNDARIES.exists(), reason=f"no boundary file at {BOUNDARIES}")
def test_the_script_rebuilds_the_committed_lists():
    from scripts.build_units_reference import build

    for name, frame in build([str(BOUNDARIES)]).items():
        assert frame.to_csv(index=False) == (CONFIG / name).read_text(encoding="utf-8"), name


def test_the_scope_is_one_province_several_or_all(in_scope):
    assert reference.scope() == ("31",) and len(reference.units()) == 114  # the default: Hải Phòng
    assert set(reference.plans()) == {"ward", "city"}
    assert reference.area_names("vi") | {"n_units": ""} == {
        "area": "Hải Phòng", "area_full": "thành phố Hải Phòng", "whole": "Toàn thành phố", "whole_mid": "toàn thành phố",
        "kind": "thành phố", "kind_title": "Thành phố", "n_units": ""}
    in_scope(HA_TINH)
    assert len(reference.units()) == 69 and set(reference.units()["province_code"]) == {HA_TINH}
    assert set(reference.plans()) == {"ward"}  # the city plan is Hải Phòng's; the ward plan is adopted
    assert {t["plan"] for t in reference.targets()} == {"ward"}
    assert reference.area_names("vi")["whole"] == "Toàn tỉnh" and reference.area_names("en")["area_full"] == "Hà Tĩnh"
    assert reference.home_unit() == reference.units()["unit_code"].iloc[0]  # Thạch Khôi is not in Hà Tĩnh
    in_scope("31,1")
    assert reference.scope() == ("01", "31") and len(reference.units()) == 114 + 126
    assert set(reference.plans()) == {"ward"}
    reference.narrow(["31"])  # a page's run with Hải Phòng chosen: its units, and its own plan in force again
    assert len(reference.units()) == 114 and set(reference.plans()) == {"ward", "city"}
    assert reference.area_names("vi")["whole"] == "Toàn thành phố" and len(reference.scope_codes()) == 240
    reference.narrow(["42"])  # not in the scope: the whole scope
    assert reference.in_view() == ("01", "31")
    reference.narrow(None)
    in_scope("all")
    assert len(reference.units()) == 3321 and len(reference.provinces()) == 34
    assert reference.area_names("vi")["whole"] == "Cả nước" and reference.area_names("vi")["n_units"] == "3.321"
    in_scope("99")
    with pytest.raises(ValueError, match=r"không có tỉnh, thành mã 99 \(no province with code 99\)"):
        reference.scope()


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TMDT_")}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def ha_tinh_store(tmp_path_factory):
    """A store holding one Hà Tĩnh ward's report for 2026-H1, filled in its own template."""
    folder = tmp_path_factory.mktemp("ha-tinh")
    unit = all_units().query("province_code == @HA_TINH")["unit_code"].iloc[0]
    done = run("-m", "loaders", "template", "--unit", unit, "--period", "2026-H1", "--out", str(folder / "t.xlsx"),
               TMDT_PROVINCE=HA_TINH)
    assert done.returncode == 0, done.stdout + done.stderr
    meta = dict(openpyxl.load_workbook(folder / "t.xlsx")["_meta"].iter_rows(values_only=True))
    assert meta["unit_code"] == unit
    (folder / "bc.xlsx").write_bytes(filled(book_bytes=(folder / "t.xlsx").read_bytes()))
    done = run("-m", "loaders", "ingest", str(folder / "bc.xlsx"), "--data", str(folder / "store"), TMDT_PROVINCE=HA_TINH)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder, unit


def test_a_ha_tinh_ward_reports_and_its_figures_are_exported(ha_tinh_store):
    folder, unit = ha_tinh_store
    done = run("-m", "metrics", "export", "--data", str(folder / "store"), "--period", "2026-H1", "--by", "unit",
               "--out", str(folder / "u.csv"), TMDT_PROVINCE=HA_TINH)
    assert done.returncode == 0, done.stdout + done.stderr
    row = pd.read_csv(folder / "u.csv", dtype={"unit_code": str}).set_index("unit_code").loc[unit]
    # 30 rows (10 sectors × 3 types) of 10 businesses, 6 of them with a digital channel, 5 cashless
    assert (row["businesses"], row["digital_rate__num"], row["digital_rate__den"], row["digital_rate"]) == (300, 180, 300, 60)
    assert (row["cashless_rate__num"], row["unit_name"]) == (150, "Thành Sen")


def test_a_report_of_a_unit_outside_the_scope_is_refused_naming_the_scope(ha_tinh_store):
    folder, unit = ha_tinh_store
    done = run("-m", "loaders", "validate", str(folder / "bc.xlsx"), TMDT_PROVINCE="31")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (f"Mã đơn vị không có trong danh mục 114 xã, phường, đặc khu của thành phố Hải Phòng "
            f"(unit_code is not in the list of the 114 units of Hải Phòng) — giá trị (value): {unit}") in done.stdout
    done = run("-m", "loaders", "template", "--unit", "11002", "--period", "2026-H1", "--out", str(folder / "x.xlsx"),
               TMDT_PROVINCE=HA_TINH)
    assert done.returncode == 2 and not (folder / "x.xlsx").exists()


def test_every_page_works_for_ha_tinh(ha_tinh_store):
    folder, unit = ha_tinh_store
    done = run("tests/scope_pages.py", TMDT_PROVINCE=HA_TINH, TMDT_DATA=str(folder / "store"), TMDT_OPEN_SUBMIT="1")
    assert done.returncode == 0, done.stderr[-2000:]
    pages = json.loads(done.stdout)
    assert all(p["exceptions"] == [] and p["errors"] == [] for p in pages.values()), pages
    coverage = "Số liệu tỉnh kỳ này dựa trên 1/69 đơn vị đã báo cáo cơ sở kinh doanh và 1/69 đơn vị đã báo cáo hoạt động."
    assert coverage in pages["overview"]["captions"]
    assert pages["progress_map"]["captions"][0].startswith("69 xã, phường, đặc khu tô màu")
    assert [69] in [[n for n in f if n] for f in pages["progress_map"]["traces"]]  # the tile map: Hà Tĩnh's 69 units
    assert pages["unit"]["titles"] == ["Phường Thành Sen"] and len(pages["submit"]["units"]) == 69
    assert pages["submit"]["units"][0] == f"Thành Sen (Phường, {unit})"


@pytest.fixture(scope="module")
def two_province_store(ha_tinh_store):
    """The Hà Tĩnh ward's report and Thạch Khôi's (Hải Phòng), both 2026-H1, in a store of their own."""
    folder, unit = ha_tinh_store
    (folder / "tk.xlsx").write_bytes(filled())
    store = folder / "two"
    for book in (folder / "bc.xlsx", folder / "tk.xlsx"):
        done = run("-m", "loaders", "ingest", str(book), "--data", str(store), TMDT_PROVINCE="31,42")
        assert done.returncode == 0, done.stdout + done.stderr
    return store


def pages_of(store, *province: str) -> dict:
    done = run("tests/scope_pages.py", *province, TMDT_PROVINCE="31,42", TMDT_DATA=str(store), TMDT_OPEN_SUBMIT="1")
    assert done.returncode == 0, done.stderr[-2000:]
    pages = json.loads(done.stdout)
    assert all(p["exceptions"] == [] and p["errors"] == [] for p in pages.values()), pages
    return pages


def coverage(pages: dict, page: str) -> str:
    return next(c for c in pages[page]["captions"] if "đơn vị đã báo cáo cơ sở kinh doanh" in c)


def test_a_scope_of_two_provinces_speaks_of_both_and_lists_them_on_the_map(two_province_store):
    pages = pages_of(two_province_store)
    assert coverage(pages, "overview") == ("Số liệu các tỉnh, thành phố đã chọn kỳ này dựa trên 2/183 đơn vị đã báo cáo "
                                           "cơ sở kinh doanh và 2/183 đơn vị đã báo cáo hoạt động.")
    assert pages["progress_map"]["infos"][0].startswith("Hải Phòng, Hà Tĩnh: chọn một tỉnh, thành phố")
    assert pages["progress_map"]["traces"] == []  # no map of two provinces' grids on top of each other
    # each province: Σ digital_any / Σ businesses of its units (one report each: 180 / 300)
    assert pages["progress_map"]["tables"] == [{"Tỉnh, thành phố": ["Hải Phòng", "Hà Tĩnh"], "Giá trị": ["60,0%", "60,0%"],
                                                "Tử số": ["180", "180"], "Mẫu số": ["300", "300"],
                                                "Đơn vị đã báo cáo": ["1/114", "1/69"]}]
    assert len(pages["submit"]["units"]) == 183


def test_choosing_a_province_drills_down_to_its_units_and_plans(two_province_store):
    ha_tinh = pages_of(two_province_store, HA_TINH)
    assert coverage(ha_tinh, "overview").startswith("Số liệu tỉnh kỳ này dựa trên 1/69 đơn vị")
    assert [69] in [[n for n in f if n] for f in ha_tinh["progress_map"]["traces"]]
    assert len(ha_tinh["submit"]["units"]) == 69
    hai_phong = pages_of(two_province_store, "31")
    assert coverage(hai_phong, "targets").startswith("Số liệu thành phố kỳ này dựa trên 1/114 đơn vị")
    assert [114] in [[n for n in f if n] for f in hai_phong["progress_map"]["traces"]]
