"""The benchmark's load runs, short, against a real `streamlit run` (Chromium and the protocol).

Each run is made on a thread of its own, as the benchmark makes it from its own process: a load
run starts its own event loop, and another test module's Playwright (the worker's shared Chromium,
when the browser tests run on two cores) keeps one running on the main thread."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import protocol
from swgdash import publishing
from swgdash.store import FolderStore

pytestmark = pytest.mark.browser


def apart(run, *args, **kwargs):
    """`run(*args, **kwargs)` on a thread of its own (no event loop running there)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run, *args, **kwargs).result()


@pytest.mark.parametrize("client", ["protocol", "browser"])
def test_load_runs_click_through_the_pages_against_a_real_server(tmp_path, client):
    """Both load runs (a short one) against `streamlit run` on the demo: every switch
    reaches its page, with the server's own run times and memory beside it."""
    from bench import browser

    publishing.ensure_demo(FolderStore(tmp_path / "home"))  # (as a first start leaves it: the IATI sample too)
    run = protocol.load_run if client == "protocol" else browser.load_run
    result = apart(run, tmp_path / "home", sessions=2, seconds=8)
    assert result["errors"] == 0, result["error_samples"]
    assert result["switches"] >= 2 and len(result["page_median_s"]) >= 2
    assert 0 < result["median_s"] <= result["p95_s"] < 30
    assert result["server_runs"] >= result["switches"] and result["server_median_s"] > 0
    assert result["server_idle_mb"] > 50 and result["server_peak_mb"] >= result["server_idle_mb"]
    assert result["client"] == ("headless Chromium" if client == "browser" else
                                "Streamlit protocol (websocket), no browser")


def test_floor_app_answers_the_load_run_like_the_dashboard(tmp_path):
    """bench/floor_app.py has the app's addresses and headings (one chart where the app has
    charts), so the load run's checks pass on it unchanged."""
    from bench import browser

    result = apart(browser.load_run, tmp_path / "floor", sessions=1, seconds=6, floor=True)
    assert result["app"] == "floor"
    assert result["errors"] == 0, result["error_samples"]
    assert result["switches"] >= 3 and result["server_runs"] == 0  # swgdash never ran


def test_warmed_load_run_opens_every_page_before_the_timed_clicks(tmp_path, monkeypatch):
    """With warm, each session has switched to every page once (untimed) before the window;
    the timed switches and the report are as in a cold run, marked warm."""
    from bench import browser

    warmed = []
    real = browser._switch

    async def switch(page, path, poll="raf"):
        if not timing:
            warmed.append(path)
        return await real(page, path, poll)

    timing = False
    real_clicks = browser._clicks

    async def clicks(*args, **kwargs):
        nonlocal timing
        timing = True
        return await real_clicks(*args, **kwargs)

    monkeypatch.setattr(browser, "_switch", switch)
    monkeypatch.setattr(browser, "_clicks", clicks)
    publishing.ensure_demo(FolderStore(tmp_path / "home"))  # (as a first start leaves it: the IATI sample too)
    result = apart(browser.load_run, tmp_path / "home", sessions=1, seconds=6, warm=True)
    assert result["errors"] == 0, result["error_samples"]
    assert result["warm"] is True and result["app"] == "dashboard" and result["switches"] >= 1
    assert warmed == [p for p in browser.PAGES if p != "/"] + ["/"]


def test_hybrid_load_run_draws_some_sessions_in_chromium_and_loads_the_server_with_all(tmp_path, monkeypatch):
    """bench/hybrid.py: each round opens every session anew, a different block of them in
    Chromium; the page times are the browsers' switches, the protocol sessions' counted
    beside them, and every session's errors count."""
    from bench import hybrid

    drawn = []
    real_open = hybrid.browser._open

    async def open_(chromium, url, k, errors):
        drawn.append(k)
        return await real_open(chromium, url, k, errors)

    monkeypatch.setattr(hybrid.browser, "_open", open_)
    publishing.ensure_demo(FolderStore(tmp_path / "home"))  # (as a first start leaves it: the IATI sample too)
    result = apart(hybrid.load_run, tmp_path / "home", browsers=1, sessions=3, seconds=6, think=0, rounds=2)
    assert drawn == [0, 1] == hybrid.in_browser(0, 1, 3) + hybrid.in_browser(1, 1, 3)
    assert result["errors"] == 0, result["error_samples"]
    assert result["rounds"] == 2 and result["browsers"] == 1 and result["sessions"] == 3
    assert result["switches"] >= 2 and result["protocol_switches"] >= 4
    assert 0 < result["median_s"] <= result["p95_s"] < 30
    assert result["server_runs"] >= result["switches"] + result["protocol_switches"]
    assert result["server_peak_mb"] >= result["server_idle_mb"] > 50


