"""The submit page (/submit) through AppTest: the unit and period from the link, the deadline,
problems listed with nothing stored, warnings that need a confirmation and a comment, Submit that
stores and says so, and a read-only dashboard that refuses and records the refusal. The upload
itself is driven in a real browser (tests/browser/test_submit.py); here the workbook checked is
put where the upload leaves it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_workbook import FIRST, filled

from loaders import audit
from loaders.reference import ROOT
from loaders.store import load_store
from loaders.submit import check

UNIT, PERIOD = "11002", "2026-H1"


def open_submit(monkeypatch, store, open_submit=True, **params) -> AppTest:
    monkeypatch.setenv("TMDT_DATA", str(store))
    monkeypatch.delenv("TMDT_BOUNDARIES", raising=False)
    if open_submit:
        monkeypatch.setenv("TMDT_OPEN_SUBMIT", "1")
    else:
        monkeypatch.delenv("TMDT_OPEN_SUBMIT", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update({"unit": UNIT, "period": PERIOD, **params})
    at.switch_page("pages/submit.py").run()
    assert not at.exception
    return at


def upload(at: AppTest, data: bytes) -> AppTest:
    at.session_state["_submit_checked"] = {(UNIT, PERIOD): check(data, "bc.xlsx", UNIT, PERIOD)}
    return at.run()


def test_the_link_chooses_unit_and_period_and_the_page_says_the_deadline(monkeypatch, tmp_path):
    at = open_submit(monkeypatch, tmp_path / "store")
    assert at.sidebar.selectbox(key="unit").value == UNIT and at.sidebar.selectbox(key="period").value == PERIOD
    assert any(c.value.startswith("Hạn nộp: 30/06/2026 · đã quá hạn") for c in at.caption)
    assert [b.label for b in at.get("download_button")][0] == "Tải mẫu Excel"
    assert not (tmp_path / "store").exists()  # a visit writes nothing


def test_without_a_unit_the_page_asks_for_one(monkeypatch, tmp_path):
    monkeypatch.setenv("TMDT_DATA", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/submit.py").run()
    assert not at.exception and at.info[0].value.startswith("Chọn xã, phường")


def test_problems_are_listed_cell_by_cell_and_nothing_can_be_stored(monkeypatch, tmp_path):
    at = upload(open_submit(monkeypatch, tmp_path / "store"), filled({f"F{FIRST}": None, f"G{FIRST + 1}": "abc"}))
    assert at.error[0].value.startswith("2 lỗi cần sửa")
    table = at.dataframe[-1].value  # after the browser's grids
    assert table[["Ô", "Cột"]].values.tolist() == [["F6", "digital_any"], ["G7", "digital_social"]]
    assert "Cơ sở kinh doanh" in set(table["Trang tính"]) and "ghi 0" in table["Quy tắc"].iloc[0]
    assert "submit_go" not in [b.key for b in at.button]
    assert not (tmp_path / "store").exists()


def test_a_clean_report_is_stored_on_submit_and_shows_as_current(monkeypatch, tmp_path):
    store = tmp_path / "store"
    at = upload(open_submit(monkeypatch, store), filled())
    assert at.success[0].value.startswith("Không có lỗi")
    assert not store.exists()  # nothing before Submit
    at.button(key="submit_go").click().run()
    assert not at.exception and at.success[0].value.startswith("Đã lưu báo cáo Thạch Khôi")
    data = load_store(store)
    assert data.periods == [PERIOD] and data.current["businesses"]["businesses"].sum() == 300
    assert list(store.rglob("*.xlsx"))  # the workbook is kept as evidence
    log = audit.read(store)
    assert log[["action", "unit_code", "period", "result"]].values.tolist() == [["submit", UNIT, PERIOD, "ok"]]
    assert any(i.value.startswith("Đơn vị đã nộp báo cáo kỳ này") for i in at.info)


def test_warnings_need_a_confirmation_and_a_comment_then_the_comment_is_logged(monkeypatch, tmp_path):
    store = tmp_path / "store"
    at = upload(open_submit(monkeypatch, store), filled())
    at.button(key="submit_go").click().run()
    # resubmitted with 6 businesses a row instead of 10: businesses down 40% (> 30%); digital 60% → 100%
    # and enterprises' 60% → 100% (+40 points), cashless 50% → 83,3% (+33,3); online sellers 30% → 50%
    # (+20, not more than 20); businesses 300 → 180 is not more than half
    at = upload(at, filled({f"E{r}": 6 for r in range(FIRST, FIRST + 30)}))
    assert at.warning[-1].value.startswith("4 số liệu khác nhiều")
    assert at.get("arrow_data_frame") or at.dataframe
    assert at.button(key="submit_go").disabled
    at.checkbox(key="submit_confirm").check().run()
    assert at.button(key="submit_go").disabled  # no comment yet
    at.text_area(key="submit_comment").input("Rà soát lại: 120 cơ sở đã ngừng hoạt động").run()
    assert not at.button(key="submit_go").disabled
    at.button(key="submit_go").click().run()
    assert at.success[0].value.startswith("Đã lưu báo cáo")
    log = audit.read(store)
    assert log["comment"].tolist() == ["", "Rà soát lại: 120 cơ sở đã ngừng hoạt động"]
    assert load_store(store).current["businesses"]["businesses"].sum() == 180  # the new report is current


def test_a_read_only_dashboard_refuses_and_records_the_refusal(monkeypatch, tmp_path):
    store = tmp_path / "store"
    at = upload(open_submit(monkeypatch, store, open_submit=False), filled())
    assert any("chỉ đọc" in i.value for i in at.info)
    at.button(key="submit_go").click().run()
    assert at.error[0].value.startswith("Không lưu:")
    assert load_store(store).periods == []
    assert audit.read(store)[["result", "unit_code"]].values.tolist() == [["refused", UNIT]]


def test_the_sample_store_never_takes_a_real_report(monkeypatch, tree_state):
    sample = ROOT / "sample_data" / "store"
    before = tree_state(sample)
    monkeypatch.setenv("TMDT_OPEN_SUBMIT", "1")
    monkeypatch.delenv("TMDT_DATA", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update({"unit": UNIT, "period": PERIOD})
    at.switch_page("pages/submit.py").run()
    at = upload(at, filled())
    if at.button(key="submit_go").disabled:  # the sample's own report of the unit differs: warnings
        at.checkbox(key="submit_confirm").check().run()
        at.text_area(key="submit_comment").input("thử").run()
    at.button(key="submit_go").click().run()
    assert at.error[0].value.startswith("Không lưu:") and "dữ liệu mẫu" in at.error[0].value
    assert tree_state(sample) == before  # not even the refusal is written there


def test_each_version_shows_on_the_reporting_and_unit_pages_with_its_comment(monkeypatch, tmp_path):
    at = upload(open_submit(monkeypatch, tmp_path / "store"), filled())
    at.text_area(key="submit_comment").input("Lần đầu").run()
    at.button(key="submit_go").click().run()
    at = upload(at, filled({f"M{FIRST}": 4}))  # one more online seller: no warning
    at.text_area(key="submit_comment").input("Bổ sung một cơ sở").run()
    at.button(key="submit_go").click().run()
    for page in ("pages/reporting.py", "pages/unit.py"):
        at.switch_page(page).run()
        assert not at.exception
        sent = next(d.value for d in at.dataframe if "Ghi chú khi gửi" in d.value.columns)
        assert sent["Ghi chú khi gửi"].tolist() == ["Bổ sung một cơ sở", "Lần đầu"], page
        assert sent["Hiện hành"].tolist() == ["✔ Có", "✖ Không"]
