"""Every page through the entry script, even on a server's first request for a page URL.

Streamlit treats an app with a `pages/` folder as an old-style multipage app until st.navigation
is first called in the server's life (PagesManager.uses_pages_directory, private): a link straight
to /unit would then run pages/unit.py alone (no language switch, no filters, file names as
navigation). Clearing that flag and rerunning sends the request through dashboard.py and its
st.navigation. Streamlit has no public switch for it. This module can go when the page scripts
move out of a folder named `pages/` (e.g. to `views/`), or when Streamlit stops guessing from the
folder once an entry script calls st.navigation; tests/test_routing.py says when the flag moves."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_entry_script() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
