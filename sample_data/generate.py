"""Build the bundled SYNTHETIC sample store, deterministically: python -m sample_data.generate

Every figure here is made up. Files are marked synthetic in their Parquet metadata
(`tmdt.synthetic = true`), so every page and export says so.

What the sample holds, so the dashboard has something to show:
- 114 units × 10 sectors × 3 business types for 2025-H1, 2025-H2 (baseline) and 2026-H1;
  urban wards are larger; units differ in how far along they are, so a map shows spread;
- activities (trainings, trainees…) per unit and period, and the city indicators;
- each period arrives as a few city roll-ups submitted on time, plus separate late reports;
- one unit (MISSING_UNIT) sends nothing for 2026-H1; one unit (RESUBMITTED_UNIT) resubmits its
  2025-H2 report with corrected figures, so the first file stays as history.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loaders.periods import deadline, index
from loaders.reference import ROOT, business_types, sectors, units
from loaders.store import ingest
from loaders.validate import SYNTHETIC_KEY

PERIODS = ["2025-H1", "2025-H2", "2026-H1"]
SEED = 20260630
MISSING_UNIT = "10615"  # Xã Hợp Tiến sends no 2026-H1 report
RESUBMITTED_UNIT = "11002"  # Thạch Khôi corrects its 2025-H2 report
STORE = ROOT / "sample_data" / "store"

SIZE = {"phường": 2.4, "xã": 1.0, "đặc khu": 0.8}
BASE_COUNT = {"doanh_nghiep": 9.0, "hop_tac_xa": 0.8, "ho_kinh_doanh": 55.0}
BASE_DIGITAL = {"doanh_nghiep": 0.55, "hop_tac_xa": 0.30, "ho_kinh_doanh": 0.28}
SECTOR_DIGITAL = {"thoi_trang": 0.12, "dien_tu": 0.10, "ocop": 0.06, "an_uong_du_lich": 0.05, "vat_lieu": -0.10, "khac": -0.05}
POINT_OF_SALE = {"thuc_pham": 0.45, "tieu_dung": 0.50, "thoi_trang": 0.30, "an_uong_du_lich": 0.25}
CITY_VALUES = {  # per period: 2025-H1, 2025-H2, 2026-H1
    "adults_online_shopping": ([57.8, 60.4, 62.9], "Thống kê thành phố Hải Phòng"),
    "ecommerce_retail_growth": ([17.5, 19.2, 21.4], "Sở Công Thương Hải Phòng"),
    "ecommerce_retail_share": ([13.6, 14.9, 16.3], "Thống kê thành phố Hải Phòng"),
    "ecommerce_procedures_on_time": ([97.5, 99.1, 100.0], "Sở Công Thương Hải Phòng"),
    "websites_violating_share": ([13.2, 11.8, 10.4], "Sở Công Thương Hải Phòng"),
    "einvoice_share": ([76.0, 80.5, 83.2], "Thuế thành phố Hải Phòng"),
    "cashless_payment_share": ([66.4, 70.1, 73.8], "Ngân hàng Nhà nước Khu vực 4"),
    "universities_teaching_share": ([46.0, 50.0, 53.8], "Sở Giáo dục và Đào tạo Hải Phòng"),
}


def _local(ts: str) -> pd.Timestamp:
    return pd.Timestamp(ts, tz="Asia/Ho_Chi_Minh")


def _unit_profile(rng: np.random.Generator) -> pd.DataFrame:
    u = units()[["unit_code", "type"]].copy()
    u["size"] = u["type"].map(SIZE) * rng.lognormal(0, 0.35, len(u))
    u["maturity"] = rng.uniform(-0.22, 0.22, len(u)) + np.where(u["type"] == "phường", 0.06, -0.03)
    return u


def businesses_table(period: str, profile: pd.DataFrame, rng: np.random.Generator, growth: float) -> pd.DataFrame:
    """One period's rows for every unit × sector × business type."""
    cells = profile.merge(pd.DataFrame({"sector": list(sectors())}), how="cross").merge(
        pd.DataFrame({"business_type": list(business_types())}), how="cross")
    n = len(cells)
    lam = cells["size"] * cells["business_type"].map(BASE_COUNT) * rng.uniform(0.5, 1.5, n)
    b = rng.poisson(lam)
    p_dig = (cells["business_type"].map(BASE_DIGITAL) + cells["sector"].map(SECTOR_DIGITAL).fillna(0)
             + cells["maturity"] + growth).clip(0.02, 0.97)
    digital = rng.binomial(b, p_dig)
    market = rng.binomial(digital, 0.40)
    web = rng.binomial(digital, np.where(cells["business_type"] == "doanh_nghiep", 0.35, 0.08))
    social = np.maximum(rng.binomial(digital, 0.85), digital - market - web)
    cashless = rng.binomial(b, (p_dig + 0.12).clip(0, 0.98))
    pos = rng.binomial(b, cells["sector"].map(POINT_OF_SALE).fillna(0.12))
    informed = rng.binomial(pos, (0.55 + cells["maturity"] + growth).clip(0.05, 0.99))
    online = rng.binomial(digital, 0.65)
    site = rng.binomial(digital, np.where(cells["business_type"] == "doanh_nghiep", 0.12 + growth / 4, 0.02).clip(0, 1))
    out = pd.DataFrame({
        "period": period, "unit_code": cells["unit_code"], "sector": cells["sector"],
        "business_type": cells["business_type"], "businesses": b, "digital_any": digital,
        "digital_social": social, "digital_marketplace": market, "digital_web_app": web,
        "cashless": cashless, "point_of_sale": pos, "point_of_sale_informed": informed,
        "online_sellers": online, "site_notified": site,
        "needs_training": rng.binomial(b, 0.20), "needs_marketplace": rng.binomial(b, 0.12),
        "needs_payment": rng.binomial(b, 0.08), "needs_logistics": rng.binomial(b, 0.06),
    })
    count_cols = out.columns[4:]
    out[count_cols] = out[count_cols].astype("int64")
    return out


def activities_table(period: str, profile: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(profile)
    trainings = rng.poisson(0.55 + profile["maturity"].clip(-0.5, 0.5) + (profile["type"] == "phường") * 0.4)
    return pd.DataFrame({
        "period": period, "unit_code": profile["unit_code"], "trainings": trainings.astype("int64"),
        "trainees": (trainings * rng.integers(18, 45, n)).astype("int64"),
        "outreach_items": rng.poisson(6, n).astype("int64"),
        "marketplace_onboarded": rng.poisson(3 * profile["size"]).astype("int64"),
        "register_updated": rng.random(n) < (0.85 if period.endswith("H1") else 0.35),
        "complaints_forwarded": rng.poisson(0.3, n).astype("int64"),
    })


def city_table(period: str) -> pd.DataFrame:
    i = PERIODS.index(period)
    return pd.DataFrame({
        "period": period, "indicator": list(CITY_VALUES),
        "value": [float(v[0][i]) for v in CITY_VALUES.values()],
        "source": [v[1] for v in CITY_VALUES.values()],
    })


def write(frame: pd.DataFrame, path: Path, submitted_at: pd.Timestamp, synthetic: bool = True) -> None:
    table = pa.Table.from_pandas(frame.assign(submitted_at=submitted_at), preserve_index=False)
    if synthetic:
        table = table.replace_schema_metadata({SYNTHETIC_KEY: b"true"})
    pq.write_table(table, path)


def build(out: Path, periods: list[str] = PERIODS, seed: int = SEED) -> None:
    """Write the synthetic snapshot files of the given periods into folder `out`."""
    rng = np.random.default_rng(seed)
    profile = _unit_profile(rng)
    codes = profile["unit_code"].tolist()
    assert {MISSING_UNIT, RESUBMITTED_UNIT} <= set(codes)
    for period in periods:
        due = pd.Timestamp(deadline(period)).tz_localize("Asia/Ho_Chi_Minh")
        growth = 0.035 * (index(period) - index("2025-H1"))
        biz = businesses_table(period, profile, rng, growth)
        if period == "2026-H1":  # a few small communes with nobody selling online yet
            idle = profile.sort_values("size")["unit_code"].head(4)
            biz.loc[biz["unit_code"].isin(idle), "online_sellers"] = 0
        act = activities_table(period, profile, rng)
        late = rng.choice([c for c in codes if c not in (MISSING_UNIT, RESUBMITTED_UNIT)], 6, replace=False)
        on_time = [c for c in codes if c not in late and not (period == "2026-H1" and c == MISSING_UNIT)]
        # On-time units arrive in four roll-ups in the last ten days before the deadline.
        for batch, group in enumerate(np.array_split(np.array(on_time), 4)):
            sent = due - pd.Timedelta(days=9 - 3 * batch, hours=-10)
            for kind, frame in (("businesses", biz), ("activities", act)):
                write(frame[frame["unit_code"].isin(group)], out / f"{period}_{kind}_rollup{batch + 1}.parquet", sent)
        for k, code in enumerate(sorted(late)):
            sent = due + pd.Timedelta(days=3 + 4 * k, hours=9)
            for kind, frame in (("businesses", biz), ("activities", act)):
                write(frame[frame["unit_code"] == code], out / f"{period}_{kind}_{code}.parquet", sent)
        if period in PERIODS:
            write(city_table(period), out / f"{period}_city_indicators.parquet", due - pd.Timedelta(days=2))
        if period == "2025-H2":  # a corrected report replaces the first one, which stays as history
            fixed = biz[biz["unit_code"] == RESUBMITTED_UNIT].copy()
            fixed["digital_any"] = np.maximum(fixed["digital_any"], fixed[["digital_social", "digital_marketplace", "digital_web_app"]].max(axis=1))
            fixed["online_sellers"] = (fixed["online_sellers"] * 0.9).astype("int64")
            write(fixed, out / f"{period}_businesses_{RESUBMITTED_UNIT}_corrected.parquet", due - pd.Timedelta(days=1, hours=-8))


def main() -> None:
    shutil.rmtree(STORE, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp))
        result = ingest([Path(tmp)], STORE)
    if not result.ok:
        raise SystemExit("\n".join(map(str, result.problems)))
    print(f"{len(result.added)} synthetic snapshot files -> {STORE}")


if __name__ == "__main__":
    main()
