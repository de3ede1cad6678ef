"""Sign-in through a real OpenID Connect flow in Chromium: a provider (oidc-provider-mock) started
on 127.0.0.1 with an officer of Thạch Khôi (11002), a Department officer (roles from the ID token's
claims) and a leader (role from the access file); the dashboard on a store of its own.

The journey: anonymous sees what the dashboard is and no figure; the officer submits for 11002,
is refused for 10633 by a link and by that unit's workbook (both in the audit log); the Department
returns the report with a comment and the officer reads it; the leader reads every page and cannot
write; signing out ends the session. No request leaves localhost, except the provider's own login
page, which links a stylesheet from a CDN (a test double: it is not part of the dashboard)."""

from __future__ import annotations

import json
import re
import sys

import pytest
from browser_harness import ROOT, app_env, assert_no_error, is_local, oidc_provider, open_page, signin_server, wait_idle

sys.path.insert(0, str(ROOT / "tests"))
from test_submit import submit_checked  # noqa: E402
from test_workbook import filled  # noqa: E402

from report.template import make_template  # noqa: E402

UNIT, OTHER, PERIOD = "11002", "10633", "2026-H1"
OFFICER, DEPARTMENT, LEADER = "can.bo@thachkhoi.vn", "chuyen.vien@sct.vn", "lanh.dao@haiphong.vn"
USERS = [
    {"sub": OFFICER, "email": OFFICER, "tmdt_role": "officer", "tmdt_units": [UNIT]},
    {"sub": DEPARTMENT, "email": DEPARTMENT, "tmdt_role": "department"},
    {"sub": LEADER, "email": LEADER},  # no claims: the access file gives the role
]
COMMENT = "Số điểm bán được tuyên truyền chưa khớp với biên bản: đề nghị kiểm tra lại."


@pytest.fixture(scope="module")
def provider():
    with oidc_provider(USERS) as url:
        yield url


@pytest.fixture(scope="module")
def app(provider, tmp_path_factory):
    """The dashboard with sign-in; its store and access file in a temporary folder."""
    folder = tmp_path_factory.mktemp("signin")
    access = folder / "access.toml"
    access.write_text(f'[users."{LEADER}"]\nrole = "leadership"\n', encoding="utf-8")
    with signin_server(folder, provider, app_env(TMDT_DATA=str(folder / "store"), TMDT_ACCESS=str(access))) as server:
        server.store = folder / "store"
        yield server


@pytest.fixture
def person(browser, provider):
    """new() -> a tab in a browser context of its own (one person's cookies). At teardown: no request
    left localhost but the provider's login page's own, and no script error."""
    contexts, seen, errors = [], [], []

    def new():
        ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
        contexts.append(ctx)
        tab = ctx.new_page()
        tab.on("request", lambda r: seen.append((r.url, r.frame.url if r.frame else "")))
        tab.on("pageerror", lambda e: errors.append(str(e)))
        return tab

    yield new
    for ctx in contexts:
        ctx.close()
    external = sorted({u for u, frame in seen if not is_local(u) and not frame.startswith(provider)})
    assert external == [], f"requests left localhost: {external}"
    assert errors == [], f"JavaScript errors in the page: {errors}"


def sign_in(tab, app, provider, sub: str) -> None:
    open_page(tab, app.url)
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.wait_for_url(f"{provider}/**")
    tab.locator(f'button[name="sub"][value="{sub}"]').click()
    tab.wait_for_url(f"{app.url}/**")
    wait_idle(tab)
    tab.get_by_text(f"Đăng nhập: {sub}").wait_for()


def audit_entries(app) -> list[tuple[str, str, str, str, str]]:
    lines = (app.store / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    return [(e["user"], e["action"], e["unit_code"], e["result"], e["reason"]) for e in map(json.loads, lines)]


def upload(tab, path) -> None:
    tab.get_by_role("tab", name="2. Tải tệp đã điền lên").click()
    tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    wait_idle(tab)


def test_anonymous_sees_what_the_dashboard_is_and_no_figure(app, person):
    tab = person()
    for path in ("/", "/progress_map", f"/submit?unit={UNIT}"):
        open_page(tab, app.url + path)
        tab.get_by_role("button", name="Đăng nhập").wait_for()
        assert tab.locator('[data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
        assert "Theo dõi thương mại điện tử Hải Phòng" in tab.locator("h1").first.inner_text()


def test_the_whole_journey(app, provider, person, tmp_path):
    # the officer of 11002 submits for 11002
    officer = person()
    sign_in(officer, app, provider, OFFICER)
    assert "Vai trò: Cán bộ đơn vị" in officer.locator('[data-testid="stSidebar"]').inner_text()
    open_page(officer, f"{app.url}/submit?unit={UNIT}&period={PERIOD}")
    book = tmp_path / "bc-11002.xlsx"
    book.write_bytes(filled())
    upload(officer, book)
    submit_checked(officer)
    assert len(list(app.store.rglob("*.parquet"))) == 2

    # …is refused for 10633: by a link, and by that unit's workbook on its own page
    open_page(officer, f"{app.url}/submit?unit={OTHER}&period={PERIOD}")
    officer.get_by_text(f"không được nộp báo cáo cho đơn vị {OTHER}").wait_for()
    other = tmp_path / "bc-10633.xlsx"
    other.write_bytes(filled(book_bytes=make_template(OTHER, PERIOD)))
    upload(officer, other)
    officer.get_by_text("Tệp là mẫu của đơn vị khác").first.wait_for(state="attached", timeout=30_000)  # a grid cell
    assert officer.get_by_role("button", name="Nộp báo cáo").count() == 0
    assert len(list(app.store.rglob("*.parquet"))) == 2  # nothing more stored
    assert [e for e in audit_entries(app) if e[0] == OFFICER] == [
        (OFFICER, "sign_in", "", "ok", ""),
        (OFFICER, "submit", UNIT, "ok", ""),
        (OFFICER, "submit", OTHER, "refused", "submit.other_unit_link"),
        (OFFICER, "submit", OTHER, "refused", "submit.other_unit_workbook"),
    ]
    assert officer.get_by_role("link", name="Nhật ký").count() == 0  # the audit page is not the officer's

    # the Department returns the report with a comment, and reads both refusals in the log
    dept = person()
    sign_in(dept, app, provider, DEPARTMENT)
    open_page(dept, f"{app.url}/reporting?unit={UNIT}&period={PERIOD}")
    dept.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill(COMMENT)
    dept.get_by_role("button", name="Trả lại").click()
    dept.get_by_text("Đã trả lại báo cáo kèm ý kiến.").wait_for(timeout=30_000)
    assert audit_entries(app)[-1] == (DEPARTMENT, "return", UNIT, "ok", "")
    open_page(dept, f"{app.url}/audit?unit={OTHER}")
    dept.get_by_text(re.compile(r"^2 / \d+ dòng nhật ký$")).wait_for()  # the unit's two refusals, of all entries
    assert_no_error(dept)

    # the officer reads the comment on /submit and on its unit page
    for path in (f"/submit?unit={UNIT}&period={PERIOD}", f"/unit?unit={UNIT}&period={PERIOD}"):
        open_page(officer, app.url + path)
        officer.get_by_text("đã bị Sở Công Thương trả lại").first.wait_for()
        officer.get_by_text(COMMENT).first.wait_for()

    # the leader reads every page, is offered no write, and cannot write by a link
    leader = person()
    sign_in(leader, app, provider, LEADER)
    assert "Vai trò: Lãnh đạo" in leader.locator('[data-testid="stSidebar"]').inner_text()
    nav = leader.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Nộp báo cáo" not in nav and "Nhật ký" not in nav and "Bản đồ" in nav
    open_page(leader, f"{app.url}/reporting?unit={UNIT}&period={PERIOD}")
    assert leader.get_by_role("button", name="Trả lại").count() == 0
    open_page(leader, f"{app.url}/submit?unit={UNIT}&period={PERIOD}")
    leader.get_by_text("Trang này không dành cho vai trò của bạn (Lãnh đạo (xem))").wait_for()
    assert leader.locator('[data-testid="stFileUploader"]').count() == 0
    assert_no_error(leader)

    # signing out ends the session: the welcome page, and again after a reload
    leader.locator('[data-testid="stSidebar"]').get_by_role("button", name="Đăng xuất").click()
    leader.wait_for_url(f"{provider}/oauth2/end_session**")  # the provider's session ends too
    leader.get_by_role("button", name="End session").click()
    leader.wait_for_url(f"{app.url}/**")
    leader.get_by_role("button", name="Đăng nhập").wait_for(timeout=30_000)
    open_page(leader, f"{app.url}/progress_map")
    leader.get_by_role("button", name="Đăng nhập").wait_for()
    assert leader.locator('[data-testid="stPlotlyChart"]').count() == 0
    assert audit_entries(app)[-1][:2] == (LEADER, "sign_out")
