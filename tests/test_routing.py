"""ui.routing: the one workaround of a private Streamlit flag, and when it can go."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager

from ui import routing


def test_streamlit_still_has_the_flag_it_clears():
    """Fails when Streamlit renames or drops the flag: then look again whether a link straight to
    a page still runs the page alone (tests/browser/test_links.py) and drop the workaround if not."""
    assert isinstance(PagesManager.uses_pages_directory, bool | None)


@pytest.mark.parametrize("flag, reruns", [(True, True), (False, False), (None, False)])
def test_a_page_run_alone_is_sent_through_the_entry_script(monkeypatch, flag, reruns):
    asked = []
    monkeypatch.setattr(PagesManager, "uses_pages_directory", flag)
    monkeypatch.setattr(routing.st, "rerun", lambda: asked.append(True))
    routing.through_entry_script()
    assert bool(asked) == reruns and not PagesManager.uses_pages_directory
