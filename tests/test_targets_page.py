"""The targets page (Mục tiêu) on the bundled sample store, through Streamlit's AppTest."""

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

import i18n
from loaders.reference import indicators, targets
from metrics.targets import REASONS

ROOT = Path(__file__).resolve().parent.parent


def array(v):
    """A figure array as sent by plotly 6+ (base64 `bdata`) or as a plain list."""
    return np.frombuffer(base64.b64decode(v["bdata"]), v["dtype"]).tolist() if isinstance(v, dict) else list(v)


def open_page(period="2026-H1"):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/targets.py").run()
    # the period is chosen explicitly, not carried over from the first page
    at.sidebar.selectbox(key="period").select(period).run()
    assert not at.exception
    return at


def test_targets_page_lists_every_target_the_dictionary_and_the_method():
    at = open_page()
    assert at.title[0].value == "Mục tiêu"
    assert "DỮ LIỆU MẪU" in at.warning[0].value
    at.toggle(key="targets_detail").set_value(True).run()
    ward, city = at.table[0].value, at.table[1].value  # one table per plan, under its name
    table = pd.concat([ward, city], ignore_index=True)
    assert (len(ward), len(city)) == (5, 12) and len(table) == len(targets()) == 17
    assert table["Mục tiêu"].tolist() == [t["vi"] for t in targets()]
    assert [m.value for m in at.markdown][:2] == ["#### Kế hoạch phát triển TMĐT phường Thạch Khôi giai đoạn 2026–2030",
                                                  "#### Kế hoạch phát triển TMĐT thành phố Hải Phòng năm 2026"]
    statuses = {i18n.status_name(s) for s in ("met", "on_track", "needs_acceleration", "limited_progress",
                                               "deteriorating", "no_data")}
    assert all(s.split(" — ")[0] in statuses for s in table["Tình trạng"])
    # unit-scope targets count their 114 units by status
    digital = table[table["Chỉ tiêu"] == "Tỷ lệ cơ sở sử dụng kênh số"].iloc[0]
    counts = [int(part.rsplit(": ", 1)[1]) for part in digital["Số đơn vị theo tình trạng"].split(" · ")]
    assert sum(counts) == 114
    assert "Giá trị toàn thành phố (6 tháng đầu năm 2026)" in table.columns

    dictionary = at.table[2].value
    assert dictionary["Mã"].tolist() == list(indicators())

    charts = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    assert len(charts) == 2  # units by status, the worked example
    example = charts[1]["data"][-1]
    assert array(example["y"]) == [72, 60, 54, 45, 35]
    assert [tx.split(":")[0] for tx in example["text"]] == [
        "✔ Đã đạt mục tiêu", "↗ Đúng lộ trình", "⚠ Cần đẩy nhanh", "▽ Tiến triển hạn chế", "✖ Đang đi xuống"]
    assert any("R** = (giá trị thực tế − giá trị kỳ gốc)" in m.value for m in at.markdown)
    assert any("× 6/10 = 58,0%" in m.value for m in at.markdown)
    assert at.table[3].value["Khi nào"].tolist()[1] == "R ≥ 0,95"
    example_rows = at.table[4].value
    assert example_rows["Mức cần đạt theo lộ trình"].tolist() == ["58,0%"] * 5
    reasons = at.table[5].value
    assert reasons["Mã"].tolist() == [*REASONS, "exceeded"]


def test_targets_page_in_english():
    at = open_page("2025-H2")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Targets"
    at.toggle(key="targets_detail").set_value(True).run()
    table = pd.concat([at.table[0].value, at.table[1].value], ignore_index=True)
    assert len(table) == 17
    assert table["Target"].tolist() == [t["en"] for t in targets()]
    assert "City value (Second half of 2025)" in table.columns
    # at the baseline period no progress can be judged yet: the edge case is named in words
    digital = table[table["Indicator"] == "Businesses using a digital channel"].iloc[0]
    assert digital["Status"] == "? Not enough data — this is the baseline period: no progress to judge yet"


def test_details_of_the_targets_on_request():
    at = open_page()
    assert list(at.table[0].value.columns) == ["Chỉ tiêu", "Mức mục tiêu", "Giá trị toàn thành phố (6 tháng đầu năm 2026)",
                                               "Tình trạng", "Số đơn vị theo tình trạng", "Hạn", "Phạm vi", "Điều khoản"]
    assert at.table[0].value.iloc[0]["Hạn"] == "cuối năm 2030"  # as the overview says it
    at.toggle(key="targets_detail").set_value(True).run()
    assert {"Kỳ gốc", "Mức cần đạt theo lộ trình", "Mục tiêu"} <= set(at.table[0].value.columns)


def test_a_goal_that_starts_like_markdown_reads_as_written():
    """"> 85%" in a st.table cell would be a Markdown quote: it is escaped."""
    at = open_page()
    goals = at.table[1].value["Mức mục tiêu"].tolist()
    assert "\\> 85%" in goals and not any(g.startswith(">") for g in goals)
