"""The page registry (config/pages.toml) and the frame every page stands in (ui.page): the
navigation is the registry, each page opens and closes the same way, and its filters are those the
registry names."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

import i18n
from loaders.access import roles
from ui.widgets import plain
from loaders.reference import ROOT, pages

ROLES = set(roles())
FILTERS = {"period", "sector", "type", "unit", "accepted"}


def test_the_registry_names_every_page_script_once_with_words_in_both_languages():
    entries = pages()
    assert sorted(e["file"] for e in entries) == sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    assert len({e["url"] for e in entries}) == len(entries) and [e["default"] for e in entries].count(True) == 1
    for e in entries:
        for key in filter(None, (e["title"], e["intro"], e["note"])):
            assert key in i18n.table() and set(i18n.table()[key]) == {"vi", "en"}, (e["file"], key)
        assert set(e["roles"]) <= ROLES and e["roles"], e["file"]
        assert "period" in e["filters"] and set(e["filters"]) <= FILTERS and e["periods"] in ("stored", "open"), e["file"]


def test_every_page_is_a_storyboard_in_the_frame():
    """No page opens or closes by hand (the frame does: data, filters, heading, banner, guard, notes)."""
    by_hand = re.compile(r"ui\.(data|filters|banner|sidebar_info|source_note)\(|st\.stop\(")
    for e in pages():
        text = (ROOT / e["file"]).read_text(encoding="utf-8")
        assert "with ui.page(" in text, e["file"]
        assert not by_hand.search(text), (e["file"], by_hand.search(text))


@pytest.fixture
def app(monkeypatch):
    monkeypatch.delenv("TMDT_DATA", raising=False)
    monkeypatch.delenv("TMDT_BOUNDARIES", raising=False)
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


@pytest.mark.parametrize("entry", pages(), ids=lambda e: e["url"])
def test_each_page_shows_the_filters_the_registry_names_and_closes_with_its_sources(app, entry, monkeypatch):
    if "reader" not in entry["roles"]:  # the audit log: opened here by the one person on their own machine
        monkeypatch.setenv("TMDT_OPEN_SUBMIT", "1")
    app.run()
    app.switch_page(entry["file"]).run()
    assert not app.exception
    shown = {w.key for w in (*app.sidebar.selectbox, *app.sidebar.multiselect, *app.sidebar.toggle)}
    assert shown == set(entry["filters"])
    source = i18n.t("common.source_note", "vi", period=i18n.fmt_period(app.sidebar.selectbox(key="period").value, "vi",
                                                                        mid_sentence=True), n=0).split(" · ")[0]
    assert [c.value for c in app.main.caption if c.value.startswith(source)], "no source note"
    assert any(c.value == i18n.t(entry["note"], "vi") for c in app.sidebar.caption)
    assert any(c.value.startswith(i18n.t("common.as_of", "vi")) for c in app.sidebar.caption)  # closing: the store
    # the store's path is for the administrator (or one person on their own machine), not for every reader
    assert any(c.value.startswith(i18n.t("common.store", "vi")) for c in app.sidebar.caption) is (
        "reader" not in entry["roles"])


@pytest.mark.parametrize("entry", [e for e in pages() if e["periods"] == "stored" and "reader" in e["roles"]],
                         ids=lambda e: e["url"])
@pytest.mark.parametrize("open_submit", [True, False], ids=["on-own-machine", "read-only"])
def test_an_empty_store_stops_every_page_with_a_word_and_the_store_named(app, entry, tmp_path, monkeypatch, open_submit):
    monkeypatch.setenv("TMDT_DATA", str(tmp_path))
    if open_submit:
        monkeypatch.setenv("TMDT_OPEN_SUBMIT", "1")
    app.run()
    app.switch_page(entry["file"]).run()
    assert not app.exception
    assert [t.value for t in app.title] == [i18n.t(entry["title"], "vi")]
    # the store's path only to whoever runs the server (here: the one person on their own machine)
    path = plain(tmp_path) if open_submit else "—"
    assert [e.value for e in app.error] == [i18n.t("common.no_store", "vi", path=path)]
    assert any(c.value.startswith(i18n.t("common.store", "vi")) for c in app.sidebar.caption) is open_submit
    assert not app.get("plotly_chart")


def test_the_navigation_offers_each_role_its_pages_only(app, monkeypatch):
    """Without sign-in (read-only) there is no audit log; the one person on their own machine has it."""
    monkeypatch.delenv("TMDT_OPEN_SUBMIT", raising=False)
    app.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("pages/audit.py")
    monkeypatch.setenv("TMDT_OPEN_SUBMIT", "1")
    app.run()
    app.switch_page("pages/audit.py").run()
    assert [t.value for t in app.title] == [i18n.t("nav.audit", "vi")]
