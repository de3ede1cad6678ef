"""Sign-in, roles, the Department's review and the audit page: the role rules (claims, the access
file), statuses from the audit log on hand-made cases, every refusal of a review recorded, and the
pages through AppTest with a signed-in user put where st.user would put it (the real OIDC flow runs
in Chromium: tests/browser/test_signin.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_workbook import filled

from loaders import audit
from loaders.access import User, access_list, signed_in
from loaders.reference import ROOT, units
from loaders.review import review
from loaders.store import load_store
from loaders.submit import Refused, check, submit
from metrics.audit_log import filtered
from metrics.review import accepted_only, review_status, with_review
from ui import signin
from ui.widgets import plain

UNIT, OTHER, PERIOD = "11002", "10633", "2026-H1"
OFFICER = User("can.bo@thachkhoi.vn", "officer", frozenset({UNIT}))
DEPARTMENT = User("chuyen.vien@sct.vn", "department")
LEADER = User("lanh.dao@haiphong.vn", "leadership")
SECRET = "a-long-random-cookie-secret-of-the-deployment-0123456789"


# --- who may do what ---------------------------------------------------------------------------

def test_role_and_units_come_from_the_token_unless_the_access_file_lists_the_e_mail(tmp_path):
    claims = {"tmdt_role": "officer", "tmdt_units": ["11002", "99999"]}
    assert signed_in("A@X.vn", claims, {}) == User("a@x.vn", "officer", frozenset({"11002"}))  # unknown unit dropped
    assert signed_in("a@x.vn", {"tmdt_role": "officer", "tmdt_units": "10633"}, {}).units == {"10633"}
    access = tmp_path / "access.toml"
    access.write_text('[users."a@x.vn"]\nrole = "department"\n', encoding="utf-8")
    assert signed_in("a@x.vn", claims, access_list(access)) == User("a@x.vn", "department")  # the file wins
    assert signed_in("b@x.vn", {"tmdt_role": "open"}, {}).role is None  # the local rule's role is never given
    assert signed_in("b@x.vn", {"tmdt_role": "admin ", "tmdt_units": ["11002"]}, {}) == User("b@x.vn", None)
    assert signed_in("b@x.vn", {}, {}).role is None  # no claim: no access yet


# --- review statuses ---------------------------------------------------------------------------

def _current(*rows):
    return pd.DataFrame(rows, columns=["unit_code", "period", "snapshot"])


def _log(*entries):
    frame = pd.DataFrame([dict(zip(["action", "result", "unit_code", "period", "snapshot", "comment", "user"], e))
                          for e in entries], columns=["action", "result", "unit_code", "period", "snapshot", "comment", "user"])
    return frame.assign(at=pd.Timestamp("2026-07-01 03:00", tz="UTC"))


def test_a_report_waits_until_reviewed_and_a_resubmission_waits_again():
    current = _current(("11002", "2026-H1", "b/new.parquet"), ("10633", "2026-H1", "a/x.parquet"),
                       ("10615", "2026-H1", "a/x.parquet"))
    log = _log(("return", "ok", "11002", "2026-H1", "b/old.parquet", "Sai số cơ sở", "d"),  # of the earlier report
               ("accept", "ok", "10633", "2026-H1", "a/x.parquet", "", "d"),
               ("return", "ok", "10633", "2026-H1", "a/x.parquet", "Thiếu hoạt động", "d"),  # the latest decision
               ("accept", "refused", "10615", "2026-H1", "a/x.parquet", "", "o"))  # refused: no decision
    got = review_status(current, log).set_index("unit_code")
    assert got.loc["11002", "status"] == "waiting" and got.loc["11002", "comment"] == ""
    assert got.loc["10633", ["status", "comment", "reviewer"]].tolist() == ["returned", "Thiếu hoạt động", "d"]
    assert got.loc["10615", "status"] == "waiting"
    table = pd.DataFrame({"unit_code": ["10633", "10570"]})
    assert with_review(table, review_status(current, log), "2026-H1")["review"].tolist() == ["returned", None]


def test_the_accepted_only_view_keeps_the_accepted_units_rows(tmp_path, write_snapshot, biz_frame, act_frame):
    write_snapshot(biz_frame, "b.parquet", tmp_path / "s")
    write_snapshot(act_frame, "a.parquet", tmp_path / "s")
    data = load_store(tmp_path / "s")
    status = pd.DataFrame({"unit_code": ["11002", "10615"], "period": ["2026-H1"] * 2,
                           "status": ["waiting", "accepted"]})
    view = accepted_only(data, status)
    assert view.current["businesses"].empty and view.current["activities"]["unit_code"].tolist() == ["10615"]
    assert len(data.current["businesses"]) == 2  # the store itself unchanged


# --- review, checked on the server ---------------------------------------------------------------

@pytest.fixture
def stored(tmp_path):
    """A store holding Thạch Khôi's report for 2026-H1, sent by its officer."""
    store = tmp_path / "store"
    assert submit(store, check(filled(), "bc.xlsx", UNIT, PERIOD), OFFICER).added
    data = load_store(store)
    return store, data, data.report(UNIT, PERIOD)[0]["snapshot"].iloc[0]


def test_the_department_returns_with_a_comment_and_every_refusal_is_recorded(stored):
    store, data, snapshot = stored
    attempts = [(OFFICER, "accept", "", snapshot, "review.not_allowed"), (LEADER, "accept", "", snapshot, "review.not_allowed"),
                (DEPARTMENT, "return", "  ", snapshot, "review.need_comment"),
                (DEPARTMENT, "accept", "", "ingest-x/old.parquet", "review.stale")]
    for user, decision, comment, seen, reason in attempts:
        with pytest.raises(Refused, match=reason):
            review(data, user, UNIT, PERIOD, decision, comment, seen)
    with pytest.raises(Refused, match="review.no_report"):
        review(data, DEPARTMENT, OTHER, PERIOD, "accept", "", "")
    review(data, DEPARTMENT, UNIT, PERIOD, "return", "Số hộ kinh doanh chưa khớp\n=1+1", snapshot)
    log = audit.read(store)
    assert log["action"].tolist() == ["submit", "accept", "accept", "return", "accept", "accept", "return"]
    assert log["result"].tolist() == ["ok", *["refused"] * 5, "ok"]
    assert log["reason"].tolist()[1:6] == [*(a[-1] for a in attempts), "review.no_report"]
    status = review_status(data.current["businesses"], log).set_index("unit_code")
    assert status.loc[UNIT, ["status", "comment", "reviewer"]].tolist() == [
        "returned", "Số hộ kinh doanh chưa khớp\n=1+1", DEPARTMENT.email]


def test_an_officer_uploading_another_units_workbook_is_refused_and_recorded(tmp_path):
    from loaders.submit import refuse_other_unit
    from report.template import make_template

    store = tmp_path / "store"
    checked = check(make_template(OTHER, PERIOD), "khac.xlsx", UNIT, PERIOD)  # chosen: its own unit
    assert refuse_other_unit(store, checked, OFFICER)
    assert not refuse_other_unit(store, checked, User("", "open"))  # may submit for any unit: only a problem
    with pytest.raises(Refused, match="submit.not_yours"):  # a crafted request for the other unit itself
        submit(store, check(filled(), "bc.xlsx", UNIT, PERIOD), User("x@y.vn", "officer", frozenset({OTHER})))
    log = audit.read(store)
    assert log[["action", "unit_code", "result", "reason"]].values.tolist() == [
        ["submit", OTHER, "refused", "submit.other_unit_workbook"], ["submit", UNIT, "refused", "submit.not_yours"]]
    assert load_store(store).periods == []


def test_the_audit_view_filters_by_unit_period_user_and_action_newest_first():
    log = pd.DataFrame({"user": ["a", "b", "a", "c"], "action": ["submit", "accept", "return", "sign_in"],
                        "unit_code": ["11002", "11002", "10633", ""], "period": ["2026-H1", "2026-H1", "2025-H2", ""]})
    assert filtered(log)["user"].tolist() == ["c", "a", "b", "a"]
    assert filtered(log, unit_code="11002")["action"].tolist() == ["accept", "submit"]
    assert filtered(log, period="2025-H2", users=["a"])["action"].tolist() == ["return"]
    assert filtered(log, actions=["submit", "sign_in"])["user"].tolist() == ["c", "a"]


# --- the pages, signed in ----------------------------------------------------------------------

def _app(monkeypatch, store, who, section=None, **params) -> AppTest:
    """The dashboard with an identity provider configured and `who` (e-mail, claims) signed in (None: nobody)."""
    monkeypatch.setenv("TMDT_DATA", str(store))
    monkeypatch.delenv("TMDT_OPEN_SUBMIT", raising=False)
    monkeypatch.setenv("TMDT_ACCESS", str(store.parent / "no-access-file.toml"))
    monkeypatch.setattr(signin, "provider", lambda: section or {"cookie_secret": SECRET})
    monkeypatch.setattr(signin, "identity", lambda: who)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(params)
    return at


def test_anonymous_sees_what_the_dashboard_is_and_no_figure(monkeypatch, stored):
    at = _app(monkeypatch, stored[0], None).run()
    assert not at.exception and [t.value for t in at.title] == ["Theo dõi thương mại điện tử Hải Phòng"]
    assert [b.key for b in at.button] == ["sign_in"]
    assert not at.get("plotly_chart") and not at.metric and not at.dataframe and not at.sidebar.selectbox


def test_weak_sign_in_settings_stop_every_page(monkeypatch, stored):
    at = _app(monkeypatch, stored[0], None, section={"cookie_secret": "change-me"}).run()
    assert at.error[0].value.startswith("Cấu hình đăng nhập thiếu cookie_secret") and not at.button


def test_a_user_without_a_role_is_told_to_ask_the_department_and_it_is_recorded(monkeypatch, stored):
    at = _app(monkeypatch, stored[0], ("moi@x.vn", {"sub": "moi@x.vn"})).run()
    assert [t.value for t in at.title] == ["Chưa được cấp quyền"] and "moi@x.vn" in at.text[0].value
    assert not at.get("plotly_chart") and [b.key for b in at.sidebar.button] == ["sign_out"]
    assert audit.read(stored[0]).iloc[-1][["user", "action", "result"]].tolist() == ["moi@x.vn", "sign_in", "refused"]


def test_an_officer_submits_only_for_its_units_and_a_link_to_another_is_refused(monkeypatch, stored):
    store = stored[0]
    who = (OFFICER.email, {"tmdt_role": "officer", "tmdt_units": [UNIT]})
    at = _app(monkeypatch, store, who, unit=OTHER, period=PERIOD)
    at.switch_page("pages/submit.py").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="unit").options == ["Thạch Khôi (Phường, 11002)"]
    assert at.error[0].value.startswith(f"Tài khoản của bạn không được nộp báo cáo cho đơn vị {OTHER}")
    assert any(c.value == plain(f"Đăng nhập: {OFFICER.email}") for c in at.sidebar.caption)
    log = audit.read(store)
    assert log[["action", "result", "user"]].values.tolist()[-2:] == [["sign_in", "ok", OFFICER.email],
                                                                     ["submit", "refused", OFFICER.email]]
    assert log.iloc[-1][["unit_code", "reason"]].tolist() == [OTHER, "submit.other_unit_link"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # no audit log for an officer
        at.switch_page("pages/audit.py")


def test_the_department_returns_a_report_and_the_officer_sees_the_comment(monkeypatch, stored):
    store = stored[0]
    dept = _app(monkeypatch, store, (DEPARTMENT.email, {"tmdt_role": "department"}), unit=UNIT, period=PERIOD)
    dept.switch_page("pages/reporting.py").run()
    assert not dept.exception and dept.sidebar.selectbox(key="unit").value == UNIT
    reviews = next(d.value for d in dept.dataframe if "Tình trạng duyệt" in d.value.columns)
    assert reviews.set_index("Mã")["Tình trạng duyệt"].to_dict() == {UNIT: "Chờ duyệt"}
    dept.button(key="review_return").click().run()
    assert dept.error[0].value == "Không lưu: trả lại báo cáo cần có ý kiến."
    dept.text_area(key="review_comment").input("Số liệu **hộ kinh doanh** chưa khớp [xem](http://x)").run()
    dept.button(key="review_return").click().run()
    assert dept.success[0].value == "Đã trả lại báo cáo kèm ý kiến."
    reviews = next(d.value for d in dept.dataframe if "Tình trạng duyệt" in d.value.columns)
    assert reviews["Tình trạng duyệt"].tolist() == ["↩ Bị trả lại"]
    dept.switch_page("pages/scorecard.py").run()
    card = dept.dataframe[0].value  # at a glance: ↩ before the unit's name
    assert [n for n in card["Đơn vị"] if n.startswith("↩")] == ["↩ " + units().set_index("unit_code").loc[UNIT, "name"]]
    dept.toggle(key="sc_detail").set_value(True).run()
    card = dept.dataframe[0].value
    assert card.set_index("Mã")["Tình trạng duyệt"].to_dict()[UNIT] == "↩ Bị trả lại"

    officer = _app(monkeypatch, store, (OFFICER.email, {"tmdt_role": "officer", "tmdt_units": [UNIT]}),
                   unit=UNIT, period=PERIOD)
    officer.switch_page("pages/submit.py").run()
    assert any(w.value.startswith("Báo cáo hiện hành của kỳ này đã bị Sở Công Thương trả lại") for w in officer.warning)
    assert "Số liệu **hộ kinh doanh** chưa khớp [xem](http://x)" in [t.value for t in officer.text]  # as text
    assert not [b for b in officer.button if b.key.startswith("review_")]  # an officer does not review


def test_leadership_reads_everything_and_cannot_write(monkeypatch, stored):
    store = stored[0]
    at = _app(monkeypatch, store, (LEADER.email, {"tmdt_role": "leadership"}), unit=UNIT, period=PERIOD)
    at.switch_page("pages/reporting.py").run()
    assert not at.exception and not [b for b in at.button if b.key.startswith("review_")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/submit.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit.py")


def test_the_audit_page_lists_and_filters_the_log(monkeypatch, stored):
    store = stored[0]
    audit.record(store, user="=cmd|' /C calc'!A0", role="officer", action="submit", result="refused", unit_code=OTHER,
                 period=PERIOD, reason="submit.not_yours")
    at = _app(monkeypatch, store, (DEPARTMENT.email, {"tmdt_role": "department"}))
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert shown["Thao tác"].tolist()[:2] == ["Đăng nhập", "Nộp báo cáo"]  # newest first
    assert shown["Lý do từ chối"].tolist()[1] == "Tài khoản của bạn không được nộp báo cáo cho đơn vị này."
    at.multiselect(key="audit_actions").set_value(["submit"]).run()
    assert at.dataframe[0].value["Người dùng"].tolist() == ["=cmd|' /C calc'!A0", OFFICER.email]


# --- what a deployment ships ---------------------------------------------------------------------

def test_the_example_secrets_file_holds_no_secret_the_dashboard_would_take():
    import tomllib

    section = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8"))["auth"]
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(section)
    assert not signin.safe(section)  # its cookie secret is refused
    assert signin.safe(section | {"cookie_secret": SECRET})
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_browser_is_shown_no_error_details():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] <= 2
