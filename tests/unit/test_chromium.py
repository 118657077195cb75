"""The pack's one Chromium (swgdash.present.chromium): a crashed page or a call that does not
answer costs that call only; the next one is drawn by a fresh browser."""
import time

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from swgdash.present import chromium, deck

FIGURE = (pio.to_json(go.Figure(go.Bar(x=[1, 2], y=[3, 4]))), 300, 200)


@pytest.fixture
def kept():
    c = chromium.Chromium(deck.chromium(), deck.chromium_env())
    yield c
    c.close()


def test_after_a_crashed_page_the_next_pack_is_drawn(kept):
    assert kept.images([FIGURE], 1)[0].startswith(b"\x89PNG")
    from playwright.sync_api import Error as PlaywrightError

    with pytest.raises(PlaywrightError):
        kept._call(lambda: kept._charts.goto("chrome://crash"))  # the chart page's renderer dies
    assert kept.images([FIGURE], 1)[0].startswith(b"\x89PNG")


def test_a_call_that_does_not_answer_costs_that_call_only(kept, monkeypatch):
    monkeypatch.setattr(chromium, "WAIT_SECONDS", 1)
    with pytest.raises(chromium.ChromiumError, match="no answer in 1 s"):
        kept._call(time.sleep, 4)
    monkeypatch.setattr(chromium, "WAIT_SECONDS", 60)
    assert kept.images([FIGURE], 1)[0].startswith(b"\x89PNG")  # (a new thread, a new browser)


def test_the_process_keeps_one_chromium_per_executable_and_font_set():
    env = deck.chromium_env()
    assert chromium.shared("/x/chromium", env) is chromium.shared("/x/chromium", {**env, "OTHER": "1"})
    assert chromium.shared("/x/chromium", env) is not chromium.shared("/y/chromium", env)
