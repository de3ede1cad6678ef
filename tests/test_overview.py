"""The overview page (dashboard.py's default page) on the bundled synthetic sample, via AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from loaders.reference import ROOT, default_store, indicators, targets
from loaders.store import load_store
from metrics.indicators import View
from metrics.tables import by_city
from ui.widgets import plain

LATEST = "2026-H1"


@pytest.fixture(scope="module")
def sample():
    return load_store(default_store())


@pytest.fixture
def app(monkeypatch) -> AppTest:
    monkeypatch.delenv("TMDT_DATA", raising=False)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def vi_pct(x: float) -> str:
    """One decimal, decimal comma: 44.608 → "44,6%"."""
    return f"{x:.1f}".replace(".", ",") + "%"


def tile(at: AppTest, indicator: str, lang: str = "vi"):
    name = indicators()[indicator][lang]
    found = [m for m in at.metric if m.label == name]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


def test_page_runs_with_the_synthetic_banner(app):
    assert app.title[0].value == "Tổng quan"
    assert [w.value for w in app.warning] == ["DỮ LIỆU MẪU TỔNG HỢP — không phải số liệu thật, chỉ để minh họa."]
    assert app.sidebar.selectbox(key="period").value == LATEST


def test_a_tile_per_target_of_both_plans(app):
    assert len(app.metric) == len(targets()) == 17
    labels = [m.label for m in app.metric]
    for t in targets():
        name = indicators()[t["indicator"]]["vi"]
        assert sum(label.startswith(name) for label in labels) == 1, t["id"]


def test_values_are_the_city_figures_formatted_in_vietnamese(app, sample):
    city = by_city(sample, LATEST).iloc[0]
    assert tile(app, "digital_rate").value == vi_pct(city["digital_rate"])
    assert "," in tile(app, "digital_rate").value
    assert tile(app, "enterprise_digital_rate").value == vi_pct(city["enterprise_digital_rate"])
    assert tile(app, "units_with_online_sellers").value == vi_pct(city["units_with_online_sellers"])
    trainees = int(city["trainees_total"])
    assert trainees >= 1000  # so the thousands separator shows
    assert tile(app, "trainees_total").value == f"{trainees:,}".replace(",", ".")


def test_switching_to_english_changes_labels_and_number_format(app, sample):
    vi_value = tile(app, "digital_rate").value
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert app.warning[0].value.startswith("SYNTHETIC SAMPLE DATA")
    en = tile(app, "digital_rate", "en")
    assert en.label == "Businesses using a digital channel"
    assert en.value == vi_value.replace(",", ".")
    trainees = int(by_city(sample, LATEST).iloc[0]["trainees_total"])
    assert tile(app, "trainees_total", "en").value == f"{trainees:,}"


def test_changing_the_period_changes_the_values(app, sample):
    before = tile(app, "digital_rate").value
    app.sidebar.selectbox(key="period").select("2025-H1").run()
    assert not app.exception
    after = tile(app, "digital_rate").value
    assert after == vi_pct(by_city(sample, "2025-H1").iloc[0]["digital_rate"])
    assert after != before
    assert app.subheader[0].value.endswith("6 tháng đầu năm 2025")


def test_a_sector_filter_changes_the_values(app, sample):
    app.sidebar.multiselect(key="sector").select("ocop").run()
    assert not app.exception
    ocop = by_city(sample, LATEST, View(sectors=("ocop",))).iloc[0]
    assert tile(app, "digital_rate").value == vi_pct(ocop["digital_rate"])
    assert tile(app, "digital_rate").value != vi_pct(by_city(sample, LATEST).iloc[0]["digital_rate"])
    # figures with no sector (the city's reports, activities) say that the filter leaves them as they are
    notes = [c.value for c in app.caption if "không theo bộ lọc ngành hàng, loại hình" in c.value]
    assert len(notes) == sum(indicators()[t["indicator"]]["source"] != "businesses" for t in targets())
    assert "Bộ lọc ngành hàng và loại hình áp dụng cho cả tử số và mẫu số" in app.sidebar.caption[0].value


def test_a_business_type_filter_changes_the_values_and_lives_in_the_url(app, sample):
    app.sidebar.multiselect(key="type").select("hop_tac_xa").run()
    assert not app.exception
    coops = by_city(sample, LATEST, View(business_types=("hop_tac_xa",))).iloc[0]
    assert tile(app, "digital_rate").value == vi_pct(coops["digital_rate"])
    assert tile(app, "digital_rate").value != vi_pct(by_city(sample, LATEST).iloc[0]["digital_rate"])
    assert app.query_params["type"] == "hop_tac_xa"
    link = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    link.query_params["type"] = "hop_tac_xa"
    link.run()
    assert link.sidebar.multiselect(key="type").value == ["hop_tac_xa"]
    assert tile(link, "digital_rate").value == vi_pct(coops["digital_rate"])


def test_change_since_the_previous_period_has_one_sign_and_its_own_colour(app):
    """The arrow says the direction; the text only the size ("4,4 điểm %", never "↓ -4,4"); green
    when the change goes the target's way (down for an "at most" target), red against it."""
    from streamlit.proto.Metric_pb2 import Metric

    def shown(indicator: str, lang: str = "vi") -> tuple[str, str, str]:
        m = tile(app, indicator, lang).proto
        return m.delta, Metric.MetricDirection.Name(m.direction), Metric.MetricColor.Name(m.color)

    assert shown("digital_rate") == ("4,0 điểm % so với 6 tháng cuối năm 2025", "UP", "GREEN")
    assert shown("units_with_online_sellers") == ("4,4 điểm % so với 6 tháng cuối năm 2025", "DOWN", "RED")
    assert shown("websites_violating_share") == ("1,4 điểm % so với 6 tháng cuối năm 2025", "DOWN", "GREEN")  # at most
    assert shown("trainees_total") == ("34 so với 6 tháng đầu năm 2025", "UP", "GREEN")
    app.sidebar.radio(key="lang").set_value("en").run()
    assert shown("digital_rate", "en") == ("4.0 pp since second half of 2025", "UP", "GREEN")


def test_the_snapshot_files_behind_the_figures_are_named(app, sample):
    files = sample.snapshots(LATEST)
    [listing] = [e for e in app.expander if e.label.startswith("Các tệp báo cáo hiện hành")]
    assert listing.label == f"Các tệp báo cáo hiện hành của kỳ ({len(files)})"
    lines = [c.value for c in app.caption if ".parquet" in c.value][0].split("  \n")
    assert len(lines) == len(files)
    newest = files.iloc[0]
    assert lines[0].startswith(plain(newest["snapshot"]) + " · bảng businesses · 1 đơn vị · ")
    assert lines[0].endswith("gửi lúc 23/07/2026 09:00")


def test_a_long_list_of_files_names_the_newest_and_counts_the_rest(monkeypatch, sample):
    from loaders.reference import settings

    monkeypatch.setitem(settings()["pages"], "source_files_listed", 2)
    monkeypatch.delenv("TMDT_DATA", raising=False)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    files = sample.snapshots(LATEST)
    lines = [c.value for c in app.caption if ".parquet" in c.value][0].split("  \n")
    assert [line.split(" · ")[0] for line in lines[:2]] == [plain(p) for p in files["snapshot"][:2]]
    assert lines[2:] == [f"… và {len(files) - 2} tệp khác: trang Báo cáo ghi tệp hiện hành của từng đơn vị"]


def test_change_shown_exact():
    from charts.overview import change_shown

    assert change_shown(4.0, "at_least", "%", "2025-H2") == ("4,0 điểm % so với 6 tháng cuối năm 2025", "up", "green")
    assert change_shown(-4.44, "range", "%", "2025-H2", "en") == ("4.4 pp since second half of 2025", "down", "red")
    assert change_shown(-1.4, "less_than", "%", "2025-H2")[1:] == ("down", "green")  # lower is better
    assert change_shown(1234.0, "range", "", "2025-H1") == ("1.234 so với 6 tháng đầu năm 2025", "up", "green")
    assert change_shown(0.0, "at_least", "%", "2025-H2")[1:] == ("off", "gray")
    assert change_shown(float("nan"), "at_least", "%", "2025-H2") == (None, "auto", "off")


def test_tile_help_traces_the_change_to_the_previous_value(app, sample):
    previous = by_city(sample, "2025-H2").iloc[0]["digital_rate"]
    [md] = [m for m in app.markdown if m.value == "**Tỷ lệ cơ sở sử dụng kênh số**"]
    assert md.help.endswith(f"Kỳ trước: {vi_pct(previous)} (6 tháng cuối năm 2025)")
