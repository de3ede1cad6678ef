"""A ward officer's journey in Chromium: open /submit from a link, upload the filled template
through the file chooser, read the check, submit, then see the unit on the map and on the
reporting page. A store of its own (a temporary folder) and TMDT_OPEN_SUBMIT=1; no request leaves
localhost (the page fixture)."""

from __future__ import annotations

import sys

import pytest
from browser_harness import ROOT, Server, app_env, assert_no_error, open_page, screenshot, wait_idle, wait_map

sys.path.insert(0, str(ROOT / "tests"))
from test_workbook import FIRST, filled  # noqa: E402

UNIT, PERIOD = "11002", "2026-H1"


@pytest.fixture(scope="module")
def app_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    with Server(env=app_env(TMDT_DATA=str(store), TMDT_OPEN_SUBMIT="1")) as server:
        server.store = store
        yield server


def upload(page, path) -> None:
    """Through the uploader's file chooser, as an officer picks the file."""
    with page.expect_file_chooser() as chooser:
        page.locator('[data-testid="stFileUploaderDropzone"] button').first.click()
    chooser.value.set_files(str(path))
    wait_idle(page)


def submit_checked(page) -> None:
    """Once the uploaded workbook is checked without a problem: Submit, and wait until it is stored."""
    page.get_by_text("Không có lỗi").wait_for(timeout=30_000)
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã lưu báo cáo").wait_for(timeout=30_000)


def replace_upload(page, path) -> None:
    """Another file in the uploader's place (what picking a new file does once one is there)."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    wait_idle(page)


def test_an_officer_uploads_fixes_and_submits_then_the_map_shows_the_unit(app_store, page, screenshots, tmp_path):
    open_page(page, f"{app_store.url}/submit?unit={UNIT}&period={PERIOD}")
    page.get_by_text("Hạn nộp: 30/06/2026").wait_for()
    page.get_by_role("tab", name="2. Tải tệp đã điền lên").click()
    broken = tmp_path / "bc-loi.xlsx"
    broken.write_bytes(filled({f"F{FIRST}": None}))
    upload(page, broken)
    page.get_by_text("1 lỗi cần sửa").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Nộp báo cáo").count() == 0
    assert not list(app_store.store.rglob("*.parquet"))  # nothing stored while a problem remains

    fixed = tmp_path / "bc.xlsx"
    fixed.write_bytes(filled())
    replace_upload(page, fixed)
    page.get_by_text("Không có lỗi").wait_for(timeout=30_000)
    screenshot(page, screenshots / "submit.png")
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã lưu báo cáo").wait_for(timeout=30_000)
    assert len(list(app_store.store.rglob("*.parquet"))) == 2
    assert_no_error(page)

    open_page(page, f"{app_store.url}/progress_map?period={PERIOD}")
    drawn = wait_map(page)
    assert drawn["hexagons"] == 114
    open_page(page, f"{app_store.url}/reporting?period={PERIOD}&unit={UNIT}")
    page.get_by_text("Các lần gửi báo cáo của").wait_for(timeout=30_000)
    assert_no_error(page)
