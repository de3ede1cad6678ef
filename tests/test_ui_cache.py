"""What a page keeps between reruns (ui.data's memo) and how a kept Styler is shown (ui.styled)."""

from __future__ import annotations

import threading
import time

import pandas as pd

import ui
from charts.tables import styled_table
from ui import data


def test_memo_builds_once_per_store_version_and_key_and_forgets_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(data, "_MEMO", type(data._MEMO)())
    monkeypatch.setattr(data, "MEMO_ENTRIES", 2)
    built = []

    def make(name):
        return lambda: built.append(name) or [name]

    first = data._memo("store", 1, ("a", "vi"), make("a"))
    assert data._memo("store", 1, ("a", "vi"), make("again")) is first  # shared, not made again
    data._memo("store", 2, ("a", "vi"), make("a v2"))  # a new version of the store: made again
    data._memo("store", 1, ("a", "vi"), make("again"))  # used: now the most recent
    data._memo("store", 1, ("b", "en"), make("b"))  # a third entry: the least recently used goes
    assert built == ["a", "a v2", "b"]
    data._memo("store", 2, ("a", "vi"), make("a v2 again"))
    assert built[-1] == "a v2 again"


def test_sessions_asking_at_once_wait_for_one_making(monkeypatch):
    monkeypatch.setattr(data, "_MEMO", type(data._MEMO)())
    started, made = threading.Event(), []

    def make():
        started.set()
        time.sleep(0.3)  # a boundary map being drawn while another session asks for it
        made.append(object())
        return made[-1]

    got = []
    first = threading.Thread(target=lambda: got.append(data._memo("store", 1, ("map",), make)))
    first.start()
    started.wait()
    second = data._memo("store", 1, ("map",), make)  # asked while the first session makes it
    first.join()
    assert len(made) == 1 and got == [second] == made


def test_a_kept_styler_is_shown_as_a_copy_and_stays_as_made():
    frame = pd.DataFrame({"status": ["on_track", "limited_progress"], "value": [50.0, 30.0]})
    view = styled_table(frame, [("status", "Tình trạng", "status"), ("value", "Giá trị", "pct")], "vi",
                        marks={"value": "status"})
    before = view.to_html()
    view.ctx.clear()  # to_html filled the cell styles: the Styler as made has none until shown
    ui.styled(view)  # st.dataframe computes the styles of what it shows (no runtime here: it only marshals)
    assert not view.ctx  # it was a copy
    assert view.to_html() == before


def test_a_figure_shown_again_is_not_asked_for_its_dict_again_and_its_dict_goes_with_it():
    import gc

    import plotly.graph_objects as go

    from ui import widgets

    class Counted(go.Figure):
        asked = 0

        def to_dict(self):
            Counted.asked += 1
            return super().to_dict()

    fig = Counted(go.Bar(x=["a", "b"], y=[1.5, 2.0]))
    expected = go.Figure(fig).to_dict()
    ui.chart(fig, "first")
    ui.chart(fig, "again")  # a rerun showing the figure a memo kept
    assert Counted.asked == 1
    assert widgets._Encoded.of(fig).to_dict() == expected
    key = id(fig)
    del fig
    gc.collect()
    assert key not in widgets._Encoded._made
