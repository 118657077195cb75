"""Real Chromium (Playwright) against a running `streamlit run dashboard.py`.

These tests never skip: without /usr/bin/chromium they fail (`make test`
installs it). They load every page, check that nothing crashed, and drive
the sidebar the way a committee member would.
"""
import io
import json

import pytest

from serve import (
    OTHER_PAGES,
    PAGES,
    app_run,
    assert_clean,
    at_slide,
    labels_outside,
    module_server,
    new_page,
    screen_change,
    streamlit_server,
    wait_for_page,
)
from swgdash.cli import main as cli

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from module_server(tmp_path_factory, "browser")


def summary(home):
    out = io.StringIO()
    cli(["--home", str(home), "summary", "--json"], out=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("path,title", PAGES.items())
def test_every_url_loads(server, page, path, title):
    url, _ = server
    page.goto(url + path)
    wait_for_page(page)
    assert page.locator("h1").first.inner_text() == title
    assert "Demo data" in page.inner_text("body")
    assert page.locator(".js-plotly-plot").count() >= 1
    assert labels_outside(page) == []
    assert_clean(page)


def test_every_slide_keeps_its_labels_inside_the_chart(server, browser):
    """Slides draw the charts with larger fonts on a projector-sized screen."""
    url, _ = server
    page = new_page(browser, 1280, 720)
    page.goto(url + "/present")
    wait_for_page(page)
    total = int(page.get_by_text(" / ").first.inner_text().split("/")[1])
    charts = 0
    for n in range(1, total + 1):
        page.goto(f"{url}/present?slide={n}")
        at_slide(page, n)
        charts += page.locator('[data-testid="stPlotlyChart"]').count()
        assert labels_outside(page) == [], f"slide {n}"
        assert_clean(page)
    assert charts >= 5


@pytest.mark.parametrize("path,title", OTHER_PAGES.items())
def test_other_urls_load(server, page, path, title):
    url, _ = server
    page.goto(url + path)
    wait_for_page(page)
    assert page.locator("h1").first.inner_text() == title
    assert_clean(page)


def test_dormant_page_lists_demo_dormant_groups(server, page):
    url, home = server
    page.goto(url + "/dormant")
    wait_for_page(page)
    dormant = [g["name"] for g in summary(home)["groups"] if g["activity"] == "dormant"]
    assert len(dormant) >= 3
    # the chart's axis labels carry every group's name, long ones wrapped over lines
    labels = " ".join(page.locator(".js-plotly-plot .ytick").evaluate_all("els => els.map(e => e.textContent)"))
    for name in dormant:
        assert all(word in labels for word in name.split()), name
    assert_clean(page)


def test_sidebar_filter_persists_across_pages_and_lives_in_the_url(server, page):
    url, home = server
    page.goto(url + "/")
    wait_for_page(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    with app_run(page):
        page.get_by_role("option", name="Health Sector Working Group").click()
    page.wait_for_url("**swg=SWG-HEALTH**")
    assert "Health Sector Working Group and its sub-groups" in page.inner_text("body")
    expected = sum(1 for g in summary(home)["groups"]
                   if g["group_id"] == "SWG-HEALTH" or g["parent_id"] == "SWG-HEALTH")
    first_metric = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    assert first_metric == str(expected)
    # switch page in-app: the filter is kept
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="Dormant groups").click()
    assert page.locator("h1").first.inner_text() == "Dormant groups"
    assert "Health Sector Working Group and its sub-groups" in page.inner_text("body")
    assert_clean(page)


def test_a_copied_url_reproduces_the_view(server, page):
    url, _ = server
    page.goto(url + "/dormant?swg=SWG-EDU&as_of=2024-06-30")
    wait_for_page(page)
    body = page.inner_text("body")
    assert "30 June 2024" in body and "Education Sector Working Group and its sub-groups" in body
    assert_clean(page)


def test_a_deep_link_as_a_fresh_servers_first_request(tmp_path, browser):
    """A bookmark opened right after a restart still goes through dashboard.py."""
    with streamlit_server(tmp_path / "home") as url:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(url + "/dormant?swg=SWG-HEALTH")
        wait_for_page(page)
        assert page.locator("h1").first.inner_text() == "Dormant groups"
        body = page.inner_text("body")
        assert "Health Sector Working Group and its sub-groups" in body
        assert "Meeting frequency" in body  # our navigation, not file names
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()


def test_present_walks_with_the_keyboard_and_reloads_at_a_slide(server, browser):
    url, home = server
    page = new_page(browser, 1280, 720)
    page.goto(url + "/present")
    wait_for_page(page)
    first = page.locator("h1").first.inner_text()
    assert first == "How the sector working groups function"
    page.keyboard.press("ArrowRight")
    at_slide(page, 2)
    dormant = sum(g["activity"] == "dormant" for g in summary(home)["groups"])
    assert page.locator("h1").first.inner_text().startswith(f"{dormant} of ")
    page.keyboard.press("ArrowRight")
    at_slide(page, 3)
    page.keyboard.press("ArrowLeft")
    at_slide(page, 2)
    page.goto(url + "/present?slide=5")
    wait_for_page(page)
    assert "dormant" in page.locator("h1").first.inner_text()
    assert page.locator(".js-plotly-plot").count() == 1
    # readable at 1280x720: the chart starts within the first screen
    box = page.locator(".js-plotly-plot").first.bounding_box()
    assert box["y"] < 720 * 0.6
    assert_clean(page)
    page.context.close()


def test_present_folds_the_sidebar_once_and_lets_the_presenter_unfold_it(server, browser):
    url, _ = server
    page = new_page(browser, 1280, 720)
    page.goto(url + "/")
    wait_for_page(page)
    side = page.locator('[data-testid="stSidebar"]')
    assert side.get_attribute("data-collapsed") == "false"
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a[href$="/present"]').click()  # in-app, sidebar open
    assert page.evaluate("() => location.pathname") == "/present"
    page.wait_for_function("""() => document.querySelector('[data-testid="stSidebar"]')
                                    .dataset.collapsed === 'true'""", timeout=10000)
    with screen_change(page):  # (the narrower page measured, and drawn again if the server had to know)
        page.locator('[data-testid="stExpandSidebarButton"]').click()  # the presenter wants the filters
    assert side.get_attribute("data-collapsed") == "false"  # and it stays open
    assert_clean(page)
    page.context.close()


def download(browser, url, button, save_as, timeout=60000):
    """Open `url`, click the download `button` once; returns the page and the file's suggested name."""
    page = new_page(browser, accept_downloads=True)
    page.goto(url)
    wait_for_page(page)
    with page.expect_download(timeout=timeout) as dl:   # one click: built on demand
        page.get_by_role("button", name=button).click()
    dl.value.save_as(save_as)
    return page, dl.value.suggested_filename


def test_present_builds_the_briefing_pack(server, browser, tmp_path):
    url, _ = server
    path = tmp_path / "deck.pptx"
    page, name = download(browser, url + "/present?slide=2", "Download the deck (.pptx)", path, 180000)
    assert name == "swg_briefing_en_as-of_2026-10-31.pptx"  # (the Lao one: swg_briefing_lo_...)
    from pptx import Presentation

    assert len(Presentation(str(path)).slides) >= 8
    assert_clean(page)
    page.context.close()


def test_table_downloads_are_built_on_click(server, browser, tmp_path):
    """Table files are made when asked for (not on every run), and hold every row, formula-safe."""
    url, home = server
    path = tmp_path / "activity.csv"
    page, name = download(browser, url + "/dormant", "Download group activity (CSV)", path)
    assert name == "group_activity_as-of_2026-10-31.csv"
    import csv

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert {r["ID"] for r in rows} == {g["group_id"] for g in summary(home)["groups"]}
    assert_clean(page)
    page.context.close()


def test_table_downloads_show_codes_in_words_like_the_table(server, browser, tmp_path):
    url, _ = server
    path = tmp_path / "members.csv"
    page, _ = download(browser, url + "/group?id=SWG-HEALTH", "Download members of SWG-HEALTH (CSV)", path)
    import csv

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert "Development partner" in {r["Type"] for r in rows}
    assert not any("_" in r["Type"] + r["Role"] for r in rows)
    assert_clean(page)
    page.context.close()


def test_works_offline_no_request_leaves_the_machine(server, browser):
    """No CDN fonts, scripts, icons or tiles: every request goes to the app's own server."""
    url, _ = server
    page = new_page(browser)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
    for path in list(PAGES) + list(OTHER_PAGES) + ["/present?slide=5"]:
        page.goto(url + path)
        wait_for_page(page)
    assert outside == []
    page.context.close()
