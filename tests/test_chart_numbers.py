"""Every chart on every page writes numbers the page's way: plotly's layout.separators is ",." in
Vietnamese (1.234,5 on axes, colour bars and labels) and ".," in English."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from loaders.reference import ROOT, pages

PAGES = [p["file"] for p in pages() if "reader" in p["roles"]]  # the audit page, a table only: test_review_signin


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_uses_the_language_separators(page, monkeypatch):
    monkeypatch.delenv("TMDT_DATA", raising=False)
    monkeypatch.delenv("TMDT_BOUNDARIES", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page(page).run()
    while page == "pages/slides.py" and not at.get("plotly_chart"):  # the title slide has no chart
        at.button(key="slide_next").click().run()
    for lang, expected in (("vi", ",."), ("en", ".,")):
        if lang == "en":
            at.sidebar.radio(key="lang").set_value("en").run()
        assert not at.exception
        charts = at.get("plotly_chart")
        assert charts or page in ("pages/scorecard.py", "pages/submit.py"), page  # tables and forms only
        for chart in charts:
            layout = json.loads(chart.proto.spec)["layout"]
            assert layout.get("separators") == expected, (page, lang, layout.get("title"))
